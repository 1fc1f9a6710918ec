// Manifest builders for the server rules' tests: a Deployment (with a Service selecting it), an Ingress in front
// of it, and the odd controller ConfigMap — small enough that each test case shows what it varies.

export interface WebOptions {
  name?: string;
  port?: number;
  image?: string;
  args?: string;
  command?: string;
  env?: Record<string, string>;
  annotations?: Record<string, string>;
  namespace?: string;
  grace?: number;
  preStop?: number;
  serviceAnnotations?: Record<string, string>;
  serviceType?: string;
  extraContainers?: string;
}

/** A Service and the Deployment it selects (one container named like the app, image example/<name>:1). */
export function web(o: WebOptions = {}): string {
  const name = o.name ?? 'web';
  const port = o.port ?? 8080;
  const ns = o.namespace ? `\n  namespace: ${o.namespace}` : '';
  const map = (m: Record<string, string> | undefined, indent: string) =>
    m
      ? Object.entries(m)
          .map(([k, v]) => `\n${indent}${k}: ${JSON.stringify(v)}`)
          .join('')
      : '';
  const annotations = o.annotations ? `\n      annotations:${map(o.annotations, '        ')}` : '';
  const serviceAnnotations = o.serviceAnnotations ? `\n  annotations:${map(o.serviceAnnotations, '    ')}` : '';
  const env = o.env
    ? `\n          env:${Object.entries(o.env)
        .map(([k, v]) => `\n            - name: ${k}\n              value: ${JSON.stringify(v)}`)
        .join('')}`
    : '';
  const grace = o.grace !== undefined ? `\n      terminationGracePeriodSeconds: ${o.grace}` : '';
  const preStop =
    o.preStop !== undefined
      ? `\n          lifecycle:\n            preStop:\n              sleep:\n                seconds: ${o.preStop}`
      : '';
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}${ns}${serviceAnnotations}
spec:${o.serviceType ? `\n  type: ${o.serviceType}` : ''}
  selector:
    app: ${name}
  ports:
    - name: http
      port: 80
      targetPort: ${port}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}${ns}
spec:
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}${annotations}
    spec:${grace}
      containers:
        - name: ${name}
          image: ${o.image ?? `example/${name}:1`}${o.command ? `\n          command: ${o.command}` : ''}${o.args ? `\n          args: ${o.args}` : ''}
          ports:
            - containerPort: ${port}${env}${preStop}${o.extraContainers ?? ''}
`;
}

/** An Ingress sending traffic to Service `service`, with a class and annotations. */
export function ingress(o: { service?: string; className?: string; annotations?: Record<string, string>; name?: string } = {}): string {
  const annotations = o.annotations
    ? `\n  annotations:${Object.entries(o.annotations)
        .map(([k, v]) => `\n    ${k}: ${JSON.stringify(v)}`)
        .join('')}`
    : '';
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${o.name ?? 'web'}${annotations}
spec:${o.className ? `\n  ingressClassName: ${o.className}` : ''}
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${o.service ?? 'web'}
                port:
                  number: 80
`;
}

export function configMap(name: string, data: Record<string, string>): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:${Object.entries(data)
    .map(([k, v]) => `\n  ${k}: ${JSON.stringify(v)}`)
    .join('')}
`;
}

/** Exact position of the Deployment's name in a `web()` manifest (where workload-level findings go). */
export function deploymentName(text: string, name = 'web'): { line: number; column: number; endLine: number; endColumn: number } {
  const start = text.indexOf(`name: ${name}`, text.indexOf('kind: Deployment')) + 'name: '.length;
  const before = text.slice(0, start).split('\n');
  const line = before.length;
  const column = before[before.length - 1]!.length + 1;
  return { line, column, endLine: line, endColumn: column + name.length };
}
