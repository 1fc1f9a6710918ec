// grpc-clusterip-imbalance: who reaches the port decides (facts §3.1, A14, A17, §3.3). A linked client dialing
// the VIP (or a manifest value naming it) is a warning whose message depends on whether the server recycles
// connections; self-balancing clients, a headless sibling, an L7 route or a mesh (also ambient with a waypoint,
// mesh resources, namespace labels set by scripts) keep it quiet; port-name-only evidence is an info.
import rule from '../../rules/grpc-clusterip-imbalance.js';
import { runRuleTests, yaml } from '../helpers/rule-tester.js';
import { app, client } from './grpc-k8s.js';

const orders = app({ name: 'orders', portName: 'grpc', namespace: 'shop' });
const ordersOne = app({ name: 'orders', portName: 'grpc', namespace: 'shop', replicas: 1 });
const ns = (labels: Record<string, string>) =>
  `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n${Object.entries(labels)
    .map(([k, v]) => `    ${k}: ${v}`)
    .join('\n')}\n`;
const goClient = (target: string) => client('go', target).text;
const goServerWithAge = `package main

import (
\t"time"

\t"google.golang.org/grpc"
\t"google.golang.org/grpc/keepalive"
)

func main() {
\ts := grpc.NewServer(grpc.KeepaliveParams(keepalive.ServerParameters{MaxConnectionAge: 5 * time.Minute}))
\t_ = s
}
`;

runRuleTests(rule, {
  valid: [
    {
      name: 'reached only through ingress-nginx with backend-protocol GRPC (balanced per request by the proxy)',
      files: {
        'k8s/orders.yaml': orders,
        'k8s/ingress.yaml': yaml`
          apiVersion: networking.k8s.io/v1
          kind: Ingress
          metadata:
            name: orders
            namespace: shop
            annotations: {nginx.ingress.kubernetes.io/backend-protocol: GRPC}
          spec:
            rules:
              - http:
                  paths:
                    - {path: /, pathType: Prefix, backend: {service: {name: orders, port: {number: 50051}}}}
        `,
      },
    },
    {
      name: 'reached only through a Gateway API GRPCRoute',
      files: {
        'k8s/orders.yaml': orders,
        'k8s/route.yaml': yaml`
          apiVersion: gateway.networking.k8s.io/v1
          kind: GRPCRoute
          metadata: {name: orders, namespace: shop}
          spec:
            parentRefs: [{name: gw}]
            rules:
              - backendRefs: [{name: orders, port: 50051}]
        `,
      },
    },
    {
      name: 'every client dials through proxyless xDS',
      files: { 'k8s/orders.yaml': orders, 'frontend/main.go': goClient('xds:///orders.shop.svc.cluster.local:50051') },
    },
    {
      name: 'every client dials through kuberesolver',
      files: { 'k8s/orders.yaml': orders, 'frontend/main.go': goClient('kubernetes:///orders.shop:grpc') },
    },
    {
      name: 'clients use the headless sibling (same selector)',
      files: {
        'k8s/orders.yaml': orders,
        'k8s/orders-headless.yaml':
          'apiVersion: v1\nkind: Service\nmetadata: {name: orders-headless, namespace: shop}\nspec: {clusterIP: None, selector: {app: orders}, ports: [{name: grpc, port: 50051}]}\n',
        'frontend/main.go': goClient('dns:///orders-headless.shop.svc.cluster.local:50051'),
      },
    },
    {
      name: 'ambient with a waypoint is L7 (istio.io/use-waypoint)',
      files: {
        'k8s/ns.yaml': ns({ 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' }),
        'k8s/orders.yaml': orders,
        'frontend/main.go': goClient('orders.shop:50051'),
      },
    },
    {
      name: 'an Istio DestinationRule for the host is mesh evidence',
      files: {
        'k8s/orders.yaml': orders,
        'k8s/dr.yaml':
          'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: orders, namespace: shop}\nspec: {host: orders.shop.svc.cluster.local, trafficPolicy: {loadBalancer: {simple: LEAST_REQUEST}}}\n',
        'frontend/main.go': goClient('orders.shop:50051'),
      },
    },
    {
      name: 'a repository script labels the namespace for sidecar injection',
      files: {
        'k8s/orders.yaml': orders,
        'scripts/setup.sh':
          '#!/bin/sh\nset -e\nkubectl create namespace shop\nkubectl label namespace shop istio-injection=enabled --overwrite\n',
        'frontend/main.go': goClient('orders.shop:50051'),
      },
    },
  ],
  invalid: [
    {
      name: 'ambient WITHOUT a waypoint is L4 (ztunnel balances per connection, facts A14): still pinned',
      files: {
        'k8s/ns.yaml': ns({ 'istio.io/dataplane-mode': 'ambient' }),
        'k8s/orders.yaml': orders,
        'frontend/main.go': goClient('orders.shop:50051'),
      },
      errors: [{ file: 'k8s/orders.yaml', messageId: 'pinned', line: 10, column: 7, endLine: 10, endColumn: 17, severity: 'warning' }],
    },
    {
      name: 'a linked client, no server age: nothing recycles busy connections',
      files: { 'k8s/orders.yaml': orders, 'frontend/main.go': goClient('orders.shop:50051') },
      errors: [
        {
          file: 'k8s/orders.yaml',
          messageId: 'pinned',
          line: 10,
          column: 7,
          endLine: 10,
          endColumn: 17,
          message:
            "Service 'orders' port 50051 carries gRPC, but kube-proxy balances it per connection. It is dialed by grpc.NewClient in ../frontend/main.go. Each client channel sticks to the pod it first reached, and nothing recycles busy connections: pods added later get none of that traffic.",
        },
      ],
    },
    {
      name: 'the server sets MaxConnectionAge: imbalance between reconnects (facts A17); one replica: bites once scaled (§3.3)',
      files: { 'k8s/orders.yaml': ordersOne, 'frontend/main.go': goClient('orders.shop:50051'), 'orders/server.go': goServerWithAge },
      errors: [
        {
          file: 'k8s/orders.yaml',
          messageId: 'pinned',
          line: 10,
          column: 7,
          endLine: 10,
          endColumn: 17,
          message:
            "Service 'orders' port 50051 carries gRPC, but kube-proxy balances it per connection. It is dialed by grpc.NewClient in ../frontend/main.go. Each client channel sticks to one pod until the server's MaxConnectionAge recycles it: the load is uneven between reconnects. With one replica today this bites once there is more than one pod.",
        },
      ],
    },
    {
      name: 'an Ingress in front, but an in-repo client also dials the VIP',
      files: {
        'k8s/orders.yaml': orders,
        'k8s/ingress.yaml':
          'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: orders, namespace: shop, annotations: {nginx.ingress.kubernetes.io/backend-protocol: GRPC}}\nspec: {defaultBackend: {service: {name: orders, port: {number: 50051}}}}\n',
        'frontend/main.go': goClient('orders.shop:50051'),
      },
      errors: [{ file: 'k8s/orders.yaml', messageId: 'pinned', line: 10, column: 7, endLine: 10, endColumn: 17, severity: 'warning' }],
    },
    {
      name: 'no client code, but an env value names the VIP: a warning',
      files: {
        'k8s/orders.yaml': orders,
        'k8s/frontend.yaml': app({ name: 'frontend', namespace: 'shop', port: 80, env: { ORDERS_ADDR: 'orders.shop:50051' } }),
      },
      errors: [
        {
          file: 'k8s/orders.yaml',
          messageId: 'pinned',
          line: 10,
          column: 7,
          endLine: 10,
          endColumn: 17,
          severity: 'warning',
          related: ['k8s/orders.yaml:16:9', 'k8s/frontend.yaml:36:22'],
        },
      ],
    },
    {
      name: 'port name only: an info, hedged',
      files: { 'k8s/orders.yaml': orders },
      errors: [{ file: 'k8s/orders.yaml', messageId: 'pinnedByName', line: 10, column: 7, endLine: 10, endColumn: 17, severity: 'info' }],
    },
  ],
});
