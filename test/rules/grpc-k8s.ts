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
    ? `\n          env:\n${Object.entries(o.env).map(([k, v]) => `            - name: ${k}\n              value: ${JSON.stringify(v)}`).join('\n')}`
    : '';
  const annotations = o.podAnnotations
    ? `\n      annotations:\n${Object.entries(o.podAnnotations).map(([k, v]) => `        ${k}: ${JSON.stringify(v)}`).join('\n')}`
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
