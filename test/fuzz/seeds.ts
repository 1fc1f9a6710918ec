// Seed projects for the fuzz suite: realistic inputs of every kind kubeconn reads, taken from examples/shop
// and the test fixtures, plus small inline seeds for the kinds those lack (Java, C#, TypeScript, Kustomize).
// A seed is a small project (files by relative path); the fuzzer mutates one file of it and keeps the others,
// so the rules that join files (Service ↔ Deployment ↔ Dockerfile ↔ code) still run on the mutated input.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/paths.js';

export type InputKind =
  'kubernetes' | 'helm' | 'kustomize' | 'dockerfile' | 'shell' | 'go' | 'js' | 'ts' | 'python' | 'java' | 'csharp' | 'package.json';

export interface Seed {
  name: string;
  files: Record<string, string>;
  /** The files of this seed the fuzzer mutates, with their input kind. */
  targets: { file: string; kind: InputKind }[];
}

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const full = path.join(dir, rel);
    if (fs.statSync(full).isFile()) out[rel.split(path.sep).join('/')] = fs.readFileSync(full, 'utf8');
  }
  return out;
}

export function kindOf(file: string, inHelm = false): InputKind | undefined {
  const base = path.posix.basename(file);
  if (base === 'package.json') return 'package.json';
  if (/^kustomization\.ya?ml$/.test(base)) return 'kustomize';
  if (/\.(ya?ml|tpl)$/.test(base)) return inHelm ? 'helm' : 'kubernetes';
  if (/(^|\.)(Dockerfile|Containerfile)(\.|$)/.test(base)) return 'dockerfile';
  if (base.endsWith('.sh')) return 'shell';
  if (base.endsWith('.go')) return 'go';
  if (/\.(m|c)?js$/.test(base)) return 'js';
  if (base.endsWith('.ts')) return 'ts';
  if (base.endsWith('.py')) return 'python';
  if (base.endsWith('.java')) return 'java';
  if (base.endsWith('.cs')) return 'csharp';
  return undefined;
}

function fromTree(name: string, dir: string, helm = false): Seed {
  const files = readTree(path.join(repoRoot, dir));
  const targets = Object.keys(files).flatMap((file) => {
    const kind = kindOf(file, helm);
    return kind ? [{ file, kind }] : [];
  });
  return { name, files, targets };
}

const SERVED = (name: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: ${name}
          image: registry.example.com/${name}:1.0
          ports:
            - containerPort: 50051
              name: grpc
${extra}---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: {app: ${name}}
  ports:
    - name: grpc
      port: 50051
      appProtocol: grpc
`;

/** A served Deployment whose `sh -c` script closes its quotes at the key's indentation (argo-workflows' shape). */
const QUOTED_LINES = SERVED('orders').replace(
  '          ports:\n',
  '          command: ["/bin/sh", "-c"]\n          args: ["\n            ./migrate &&\n            /app/orders --port 50051\n          "]\n          ports:\n',
);

const JAVA = `package com.example.orders;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import java.util.concurrent.TimeUnit;

public class Main {
  public static void main(String[] args) throws Exception {
    ManagedChannel channel = ManagedChannelBuilder.forTarget("dns:///payments.shop.svc.cluster.local:50051")
        .usePlaintext()
        .keepAliveTime(10, TimeUnit.SECONDS)
        .build();
    Server server = ServerBuilder.forPort(50051).addService(new OrdersImpl(channel)).build().start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> server.shutdown()));
    server.awaitTermination();
  }
}
`;

const CSHARP = `using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddGrpc();
var channel = GrpcChannel.ForAddress("http://payments.shop.svc.cluster.local:50051", new GrpcChannelOptions
{
    HttpHandler = new SocketsHttpHandler { KeepAlivePingDelay = TimeSpan.FromSeconds(10) },
});
var app = builder.Build();
app.MapGrpcService<OrdersService>();
app.Run();
`;

const TS = `import * as grpc from '@grpc/grpc-js';
import http from 'node:http';

const client = new grpc.Client('payments.shop.svc.cluster.local:50051', grpc.credentials.createInsecure(), {
  'grpc.keepalive_time_ms': 10_000,
});
const server = new grpc.Server({ 'grpc.max_connection_age_ms': 300_000 });
server.bindAsync('0.0.0.0:50051', grpc.ServerCredentials.createInsecure(), () => {});
const web = http.createServer((_req, res) => res.end('ok'));
web.keepAliveTimeout = 65_000;
web.listen(8080);
process.on('SIGTERM', () => server.tryShutdown(() => web.close()));
`;

const KUSTOMIZATION = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop
resources:
  - deployment.yaml
patches:
  - target: {kind: Deployment, name: orders}
    patch: |-
      - op: add
        path: /spec/template/spec/terminationGracePeriodSeconds
        value: 30
images:
  - name: registry.example.com/orders
    newTag: "2.0"
`;

let cached: Seed[] | undefined;

export function seeds(): Seed[] {
  if (cached) return cached;
  const boutique = fromTree('boutique', 'test/fixtures/boutique');
  delete boutique.files['README.md'];
  // examples/shop one service at a time (its manifest, the namespace and its sources): the same joins, a
  // fifth of the analysis time per input.
  const shop = fromTree('shop', 'examples/shop');
  const services = ['orders', 'catalog', 'frontend', 'assets', 'payments'].map((svc): Seed => {
    const keep = (f: string) => f === `k8s/${svc}.yaml` || f === 'k8s/namespace.yaml' || f.startsWith(`services/${svc}/`);
    return {
      name: `shop-${svc}`,
      files: Object.fromEntries(Object.entries(shop.files).filter(([f]) => keep(f))),
      targets: shop.targets.filter((t) => keep(t.file)),
    };
  });
  cached = [
    ...services,
    shop,
    fromTree('helm-orders', 'test/fixtures/helm/orders', true),
    fromTree('helm-chart', 'test/fixtures/manifests/helm-chart/input', true),
    fromTree('platform', 'test/fixtures/manifests/platform/input'),
    boutique,
    fromTree('vscode-helper', 'test/fixtures/vscode/helper'),
    fromTree('backstage', 'test/fixtures/vscode/backstage'),
    {
      name: 'java',
      files: { 'k8s/orders.yaml': SERVED('orders'), 'src/Main.java': JAVA },
      targets: [{ file: 'src/Main.java', kind: 'java' }],
    },
    {
      name: 'csharp',
      files: { 'k8s/orders.yaml': SERVED('orders'), 'src/Program.cs': CSHARP },
      targets: [{ file: 'src/Program.cs', kind: 'csharp' }],
    },
    { name: 'ts', files: { 'k8s/orders.yaml': SERVED('orders'), 'src/server.ts': TS }, targets: [{ file: 'src/server.ts', kind: 'ts' }] },
    { name: 'quoted-lines', files: { 'k8s/orders.yaml': QUOTED_LINES }, targets: [{ file: 'k8s/orders.yaml', kind: 'kubernetes' }] },
    {
      name: 'kustomize',
      files: {
        'deploy/kustomization.yaml': KUSTOMIZATION,
        'deploy/deployment.yaml': SERVED('orders', '      terminationGracePeriodSeconds: 5\n'),
      },
      targets: [
        { file: 'deploy/kustomization.yaml', kind: 'kustomize' },
        { file: 'deploy/deployment.yaml', kind: 'kubernetes' },
      ],
    },
  ];
  return cached;
}

/** Every (seed, target) pair of one input kind. */
export function targetsOf(kind: InputKind): { seed: Seed; file: string }[] {
  return seeds().flatMap((seed) => seed.targets.filter((t) => t.kind === kind).map((t) => ({ seed, file: t.file })));
}

export const KINDS: InputKind[] = [
  'kubernetes',
  'helm',
  'kustomize',
  'dockerfile',
  'shell',
  'go',
  'js',
  'ts',
  'python',
  'java',
  'csharp',
  'package.json',
];
