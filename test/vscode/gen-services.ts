// A generated 30-service gRPC system for the graph screenshot test (uiTests.ts) and for trying the entity
// page by hand: namespace `platform`, four layers (2 edge services → 8 → 12 → 8), each service a Deployment
// and a Service with Go code that dials its callees through `<NAME>_ADDR` env vars. Every other service is
// set up right (headless Service with appProtocol, round_robin clients, servers with a max connection age),
// the rest wrong (ClusterIP, pick_first), so that only some calls carry findings. Deterministic.
import fs from 'node:fs';
import path from 'node:path';

export const LAYERS: readonly (readonly string[])[] = [
  ['web', 'mobile-bff'],
  ['gateway', 'accounts', 'checkout', 'search', 'catalog', 'recommend', 'notify', 'media'],
  ['orders', 'payments', 'cart', 'pricing', 'inventory', 'shipping', 'reviews', 'profiles', 'coupons', 'ledger', 'fraud', 'email'],
  ['orders-db', 'cart-store', 'search-index', 'media-store', 'events', 'audit', 'geo', 'rates'],
];

const good = (name: string): boolean => Array.from(name).reduce((n, c) => n + c.charCodeAt(0), 0) % 2 === 0;
const envName = (name: string): string => `${name.toUpperCase().replace(/-/g, '_')}_ADDR`;
const RR = '{"loadBalancingConfig":[{"round_robin":{}}]}';

/** Who each service calls: every service of a layer is called by one of the layer before, and each caller calls two or more. */
export function callees(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  LAYERS.forEach((layer, l) => {
    for (const name of layer) out.set(name, []);
    const next = LAYERS[l + 1];
    if (!next) return;
    next.forEach((callee, j) => out.get(layer[j % layer.length]!)!.push(callee));
    layer.forEach((name, i) => {
      const list = out.get(name)!;
      for (let k = 1; list.length < 2; k++) {
        const extra = next[(i * 5 + k * 3) % next.length]!;
        if (!list.includes(extra)) list.push(extra);
      }
    });
  });
  return out;
}

function manifest(name: string, calls: string[]): string {
  const ok = good(name);
  const env = calls
    .map(
      (c) =>
        `            - name: ${envName(c)}\n              value: ${good(c) ? `dns:///${c}.platform.svc.cluster.local:50051` : `${c}.platform.svc.cluster.local:50051`}\n`,
    )
    .join('');
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: platform
spec:
${ok ? '  clusterIP: None\n' : ''}  selector:
    app: ${name}
  ports:
    - name: grpc
      port: 50051
${ok ? '      appProtocol: kubernetes.io/h2c\n' : ''}---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: platform
spec:
  replicas: 3
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      terminationGracePeriodSeconds: 30
      containers:
        - name: ${name}
          image: ghcr.io/example/platform/${name}:1.0
          ports:
            - name: grpc
              containerPort: 50051
          readinessProbe:
            grpc:
              port: 50051
          lifecycle:
            preStop:
              sleep:
                seconds: 5
${env ? `          env:\n${env}` : ''}`;
}

function main(name: string, calls: string[]): string {
  const server = good(name)
    ? 'grpc.NewServer(grpc.KeepaliveParams(keepalive.ServerParameters{MaxConnectionAge: 5 * time.Minute}))'
    : 'grpc.NewServer()';
  const dials = calls
    .map(
      (c, i) =>
        `\tc${i}, _ := grpc.NewClient(os.Getenv("${envName(c)}")${good(c) ? `, grpc.WithDefaultServiceConfig(\`${RR}\`)` : ''})\n\t_ = c${i}\n`,
    )
    .join('');
  return `package main

import (
	"net"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/keepalive"
)

func main() {
${dials}	lis, _ := net.Listen("tcp", ":50051")
	s := ${server}
	_ = time.Second
	_ = keepalive.ServerParameters{}
	_ = s.Serve(lis)
}
`;
}

/** Write the system under `root` (k8s/<name>.yaml, services/<name>/{Dockerfile,main.go}); returns the service names. */
export function generateServices(root: string): string[] {
  const calls = callees();
  for (const [name, list] of calls) {
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    write(`k8s/${name}.yaml`, manifest(name, list));
    write(
      `services/${name}/Dockerfile`,
      `FROM golang:1.22 AS build\nCOPY . /src\nRUN go build -o /app /src\nFROM gcr.io/distroless/static\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]\n`,
    );
    write(`services/${name}/main.go`, main(name, list));
  }
  return [...calls.keys()];
}
