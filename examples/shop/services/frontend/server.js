// frontend: the HTTP entry point. It calls orders, payments and catalog over gRPC with addresses from its
// Deployment's env.
const http = require('node:http');
const grpc = require('@grpc/grpc-js');
const { OrdersClient, PaymentsClient, CatalogClient } = require('./clients');

const insecure = grpc.credentials.createInsecure();
// ClusterIP name: whatever the policy, kube-proxy pins this channel to one orders pod. Its 10 s keepalive is far more
// than the orders server (grpc-go, default policy: one ping per 5 minutes) accepts.
const orders = new OrdersClient(process.env.ORDERS_ADDR, insecure, { 'grpc.keepalive_time_ms': 10000 });
const payments = new PaymentsClient(process.env.PAYMENTS_ADDR, insecure, { 'grpc.lb_policy_name': 'round_robin' });
// Headless catalog with round_robin: balanced, until catalog scales up (its server never ages connections).
const catalog = new CatalogClient(process.env.CATALOG_ADDR, insecure, {
  'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
});

// Behind the Ingress; Node's default keepAliveTimeout (5 s) and no SIGTERM handler.
http.createServer((req, res) => res.end('ok')).listen(8080);
module.exports = { orders, payments, catalog };
