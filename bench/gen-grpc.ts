// gRPC client files for the code-corpus benchmark: Go, Python, TypeScript, Java and C# dial sites (literal,
// constant and env-var targets, some with round_robin) that kubeconn must parse, link and check.
// Deterministic (seeded PRNG). Call generateGrpcClients(dir, n) from the benchmark runner.
import fs from 'node:fs';
import path from 'node:path';
import { prng } from './gen-k8s.js';

type Rng = () => number;
const RR = '{"loadBalancingConfig":[{"round_robin":{}}]}';

/** One client file; `i` picks the Service (svc-0 … svc-49 in namespace bench) and the language. */
function render(rng: Rng, i: number): { file: string; text: string } {
  const svc = `svc-${i % 50}`;
  const literal = rng() < 0.5 ? `${svc}.bench.svc.cluster.local:50051` : `dns:///${svc}.bench:50051`;
  const env = `${svc.toUpperCase().replace(/-/g, '_')}_ADDR`;
  const rr = rng() < 0.4;
  const viaEnv = rng() < 0.5;
  // Some filler so files have realistic size (the parser's cost is per byte).
  const filler = (comment: string) =>
    Array.from(
      { length: 20 + Math.floor(rng() * 40) },
      (_, k) => `${comment} step ${k}: validate the ${svc} request and record metrics`,
    ).join('\n');
  switch (i % 5) {
    case 0:
      return {
        file: `go/${svc}/client${i}.go`,
        text: `package client\n\nimport (\n\t"os"\n\n\t"google.golang.org/grpc"\n)\n\n${filler('//')}\n\nconst addr${i} = "${literal}"\n\nfunc Dial${i}() (*grpc.ClientConn, error) {\n\treturn grpc.NewClient(${viaEnv ? `os.Getenv("${env}")` : `addr${i}`}${rr ? `, grpc.WithDefaultServiceConfig(\`${RR}\`)` : ''})\n}\n`,
      };
    case 1:
      return {
        file: `py/${svc}/client${i}.py`,
        text: `import os\n\nimport grpc\n\n${filler('#')}\n\nADDR = ${viaEnv ? `os.environ.get("${env}", "${literal}")` : `"${literal}"`}\n\n\ndef channel():\n    return grpc.insecure_channel(ADDR${rr ? `, options=[("grpc.service_config", '${RR}')]` : ''})\n`,
      };
    case 2:
      return {
        file: `ts/${svc}/client${i}.ts`,
        text: `import * as grpc from '@grpc/grpc-js';\n\n${filler('//')}\n\nconst target = ${viaEnv ? `process.env.${env} ?? '${literal}'` : `'${literal}'`};\nexport const client${i} = new OrdersClient(target, grpc.credentials.createInsecure()${rr ? `, { 'grpc.service_config': '${RR}' }` : ''});\n`,
      };
    case 3:
      return {
        file: `java/${svc}/Client${i}.java`,
        text: `import io.grpc.ManagedChannelBuilder;\n\n${filler('//')}\nclass Client${i} {\n  static final String TARGET = ${viaEnv ? `System.getenv("${env}")` : `"${literal}"`};\n  Object channel() {\n    return ManagedChannelBuilder.forTarget(TARGET)${rr ? '.defaultLoadBalancingPolicy("round_robin")' : ''}.usePlaintext().build();\n  }\n}\n`,
      };
    default:
      return {
        file: `cs/${svc}/Client${i}.cs`,
        text: `using Grpc.Net.Client;\n\n${filler('//')}\nclass Client${i} {\n  GrpcChannel Open() => GrpcChannel.ForAddress(${viaEnv ? `Environment.GetEnvironmentVariable("${env}") ?? "dns:///${svc}.bench:50051"` : `"dns:///${svc}.bench:50051"`}${rr ? ', new GrpcChannelOptions { ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } } }' : ''});\n}\n`,
      };
  }
}

/** Write `n` gRPC client files under `dir`; returns their paths relative to `dir`. */
export function generateGrpcClients(dir: string, n: number, seed = 11): string[] {
  const rng = prng(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const { file, text } = render(rng, i);
    const full = path.join(dir, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
    out.push(file);
  }
  return out;
}

/** The same files in memory (path → text), for benchmarks that skip the disk. */
export function grpcClientTexts(n: number, seed = 11): Map<string, string> {
  const rng = prng(seed);
  const out = new Map<string, string>();
  for (let i = 0; i < n; i++) {
    const { file, text } = render(rng, i);
    out.set(file, text);
  }
  return out;
}
