#!/usr/bin/env bash
# Demo: the packaged kubeconn .vsix installed into the pinned code-server (a real VS Code in the browser),
# serving a copy of examples/shop on 127.0.0.1 with the extension active. Prints the URL; Ctrl+C stops it.
# Env: PORT (default 8080), DEMO_FOLDER (default: a fresh copy of examples/shop; set it to edit in place).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
port="${PORT:-8080}"

bash scripts/setup-code-server.sh
version="$(node -p 'require("./package.json").version')"
vsix="$root/kubeconn-$version.vsix"
npm run package --silent >/dev/null
[ -f "$vsix" ] || { echo "demo: $vsix was not built" >&2; exit 1; }

state="$(mktemp -d "${TMPDIR:-/tmp}/kubeconn-demo-XXXXXX")"
trap 'rm -rf "$state"' EXIT
folder="${DEMO_FOLDER:-}"
if [ -z "$folder" ]; then
  folder="$state/shop"
  cp -R examples/shop "$folder"
fi
folder="$(cd "$folder" && pwd)"

cs="$root/vscode-runtime/node_modules/code-server/out/node/entry.js"
common=(--config "$state/config.yaml" --user-data-dir "$state/user" --extensions-dir "$state/extensions")
printf 'auth: none\ncert: false\n' > "$state/config.yaml"
mkdir -p "$state/user/User"
printf '{"workbench.startupEditor":"none","telemetry.telemetryLevel":"off","update.mode":"none","extensions.autoCheckUpdates":false,"security.workspace.trust.enabled":false}\n' > "$state/user/User/settings.json"
node "$cs" "${common[@]}" --install-extension "$vsix" >/dev/null

echo "kubeconn $version demo: open http://127.0.0.1:$port/?folder=$folder"
echo "(the catalog is in the activity bar; Ctrl+Shift+M shows the problems; Ctrl+C stops the server)"
node "$cs" "${common[@]}" --auth none --bind-addr "127.0.0.1:$port" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override --ignore-last-opened "$folder" &
server=$!
# Stop the server (and the extension host it spawned) with this script, however it is stopped.
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$state"' EXIT INT TERM
wait "$server"
