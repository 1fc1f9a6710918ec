// Small manifest builders for the gRPC rule tests: a Service and the Deployment it selects, with the knobs
// the rules care about (headless, ports, image, env, mesh, replicas).

export interface AppOptions {
  name: string;
  namespace?: string;
  headless?: boolean;
  port?: number;
  targetPort?: number | string;
  portName?: string;
  containerPort?: number;
  image?: string;
  env?: Record<string, string>;
  replicas?: number;
  podAnnotations?: Record<string, string>;
  serviceAccountName?: string;
}

export function app(o: AppOptions): string {
  const ns = o.namespace ? `\n  namespace: ${o.namespace}` : '';
  const port = o.port ?? 50051;
  const containerPort = o.containerPort ?? (typeof o.targetPort === 'number' ? o.targetPort : port);
  const env = o.env
    ? `\n          env:\n${Object.entries(o.env)
        .map(([k, v]) => `            - name: ${k}\n              value: ${JSON.stringify(v)}`)
        .join('\n')}`
    : '';
  const annotations = o.podAnnotations
    ? `\n      annotations:\n${Object.entries(o.podAnnotations)
        .map(([k, v]) => `        ${k}: ${JSON.stringify(v)}`)
        .join('\n')}`
    : '';
  const sa = o.serviceAccountName ? `\n      serviceAccountName: ${o.serviceAccountName}` : '';
  return `apiVersion: v1
kind: Service
metadata:
  name: ${o.name}${ns}
spec:${o.headless ? '\n  clusterIP: None' : ''}
  selector:
    app: ${o.name}
  ports:
    - name: ${o.portName ?? 'tcp'}
      port: ${port}${o.targetPort !== undefined ? `\n      targetPort: ${o.targetPort}` : ''}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${o.name}${ns}
spec:
  replicas: ${o.replicas ?? 3}
  selector:
    matchLabels:
      app: ${o.name}
  template:
    metadata:
      labels:
        app: ${o.name}${annotations}
    spec:${sa}
      containers:
        - name: ${o.name}
          image: ${o.image ?? `example/${o.name}:1`}
          ports:
            - name: ${o.portName ?? 'tcp'}
              containerPort: ${containerPort}${env}
`;
}

export type Lang = 'go' | 'python' | 'js' | 'java' | 'csharp';
export const LANGS: Lang[] = ['go', 'python', 'js', 'java', 'csharp'];

const RR = '{"loadBalancingConfig":[{"round_robin":{}}]}';

/**
 * A minimal client per language dialing `target` (a string literal). With `rr`, the channel selects
 * round_robin written exactly as the rules' fixes write it, so a fix output equals `client(…, {rr: true})`.
 */
export function client(lang: Lang, target: string, o: { rr?: boolean; dir?: string } = {}): { file: string; text: string } {
  const dir = o.dir ?? 'frontend';
  switch (lang) {
    case 'go':
      return {
        file: `${dir}/main.go`,
        text: `package main\n\nimport "google.golang.org/grpc"\n\nfunc main() {\n\tconn, _ := grpc.NewClient("${target}", grpc.WithTransportCredentials(insecure.NewCredentials())${o.rr ? `, grpc.WithDefaultServiceConfig(\`${RR}\`)` : ''})\n\tdefer conn.Close()\n}\n`,
      };
    case 'python':
      return {
        file: `${dir}/client.py`,
        text: `import grpc\n\nchannel = grpc.insecure_channel("${target}"${o.rr ? `, options=[("grpc.service_config", '${RR}')]` : ''})\n`,
      };
    case 'js':
      return {
        file: `${dir}/client.ts`,
        text: `import * as grpc from '@grpc/grpc-js';\n\nconst client = new OrdersClient('${target}', grpc.credentials.createInsecure()${o.rr ? `, { 'grpc.service_config': '${RR}' }` : ''});\n`,
      };
    case 'java':
      return {
        file: `${dir}/Client.java`,
        text: `import io.grpc.ManagedChannelBuilder;\n\nclass Client {\n  void run() {\n    var channel = ManagedChannelBuilder.forTarget("${target}")${o.rr ? '.defaultLoadBalancingPolicy("round_robin")' : ''}.usePlaintext().build();\n  }\n}\n`,
      };
    case 'csharp':
      return {
        file: `${dir}/Client.cs`,
        text: `using Grpc.Net.Client;\n\nvar channel = GrpcChannel.ForAddress("${target}"${o.rr ? ', new GrpcChannelOptions { ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } } }' : ''});\n`,
      };
  }
}

/** Exact 1-based position of the nth occurrence of `needle` in `text` (for expected errors). */
export function spanOf(text: string, needle: string, nth = 0): { line: number; column: number; endLine: number; endColumn: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at === -1) throw new Error(`test setup: ${JSON.stringify(needle)} not found`);
  }
  const pos = (offset: number) => {
    const before = text.slice(0, offset).split('\n');
    return { line: before.length, column: before[before.length - 1]!.length + 1 };
  };
  const start = pos(at);
  const end = pos(at + needle.length);
  return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

/** The target argument as written in `client()` (the span the rules report). */
export function quoted(lang: Lang, target: string): string {
  return lang === 'js' ? `'${target}'` : `"${target}"`;
}
