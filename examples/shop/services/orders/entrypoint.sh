#!/bin/sh
# Runs migrations, then the server — as a child of this shell (no `exec`): under tini the shell dies on
# SIGTERM, tini exits, and the kernel kills orders with calls in flight.
set -e
/usr/local/bin/orders migrate --database "$DATABASE_URL"
echo "orders: starting on :50051"
/usr/local/bin/orders serve --listen :50051
