import rule from '../../rules/readiness-probe.js';
import { runRuleTests, yaml } from '../helpers/rule-tester.js';

const orders = (probe: string): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: orders}
spec:
  template:
    metadata: {labels: {app: orders}}
    spec:
      containers:
        - name: orders
          ports:
            - name: grpc
              containerPort: 50051${probe}
`;

runRuleTests(rule, {
  valid: [
    // Noise (facts §3.1): only containers a Service sends traffic to.
    {
      name: 'a worker whose only Service is a metrics scrape, a Pod with restartPolicy: Never, a Helm hook',
      files: {
        'svc.yaml':
          'apiVersion: v1\nkind: Service\nmetadata: {name: w}\nspec: {selector: {app: w}, ports: [{name: metrics, port: 9090}]}\n',
        'w.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: w}
          spec:
            template:
              metadata: {labels: {app: w}}
              spec:
                containers: [{name: w, ports: [{name: metrics, containerPort: 9090}]}]
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: once, labels: {app: w}}
          spec:
            restartPolicy: Never
            containers: [{name: once, ports: [{containerPort: 80}]}]
        `,
      },
    },
    {
      name: 'a sidecar the Service does not target (istio-proxy, cloud-sql-proxy) needs no readinessProbe of its own',
      files: {
        'svc.yaml':
          'apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec: {selector: {app: api}, ports: [{port: 80, targetPort: http}]}\n',
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: api}
          spec:
            template:
              metadata: {labels: {app: api}}
              spec:
                containers:
                  - name: api
                    ports: [{name: http, containerPort: 8080}]
                    readinessProbe: {tcpSocket: {port: http}}
                  - name: cloud-sql-proxy
                    image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2
                    ports: [{containerPort: 5432}]
        `,
      },
    },
    {
      name: 'probe present',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: p}
          spec:
            containers:
              - name: c
                ports: [{containerPort: 80}]
                readinessProbe: {httpGet: {path: /ready, port: 80}}
        `,
      },
    },
    {
      name: 'a sidecar without ports next to a probed app container selected by a Service',
      files: {
        'all.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata: {name: api}
          spec:
            selector: {app: api}
            ports: [{port: 80, targetPort: http}]
          ---
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: api}
          spec:
            template:
              metadata: {labels: {app: api}}
              spec:
                containers:
                  - name: api
                    ports: [{name: http, containerPort: 8080}]
                    readinessProbe: {tcpSocket: {port: http}}
                  - name: log-shipper
                    image: fluent-bit:3
        `,
      },
    },
    {
      name: 'a metrics Service and a gossip ring that publishes not-ready addresses: a probe gates neither',
      files: {
        'svc.yaml':
          'apiVersion: v1\nkind: Service\nmetadata: {name: compactor}\nspec: {selector: {app: compactor}, ports: [{name: http-metrics, port: 3200}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: gossip-ring}\nspec: {clusterIP: None, publishNotReadyAddresses: true, selector: {part-of: memberlist}, ports: [{name: gossip-ring, port: 7946}]}\n',
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: compactor}
          spec:
            template:
              metadata: {labels: {app: compactor, part-of: memberlist}}
              spec:
                containers: [{name: compactor, ports: [{name: http-metrics, containerPort: 3200}, {name: gossip, containerPort: 7946}]}]
        `,
      },
    },
    {
      name: 'selected only by a Service with publishNotReadyAddresses: true (peer discovery): readiness gates nothing',
      files: {
        'svc.yaml':
          'apiVersion: v1\nkind: Service\nmetadata: {name: worker-headless}\nspec: {clusterIP: None, publishNotReadyAddresses: true, selector: {app: worker}, ports: [{name: grpc-rpc, port: 7239}]}\n',
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: worker}
          spec:
            template:
              metadata: {labels: {app: worker}}
              spec:
                containers: [{name: worker, ports: [{name: rpc, containerPort: 7239}]}]
        `,
      },
    },
    {
      name: 'a mesh gateway whose only container is pause: the injected proxy serves the numeric targetPort',
      files: {
        'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: gateway}\nspec: {selector: {app: gateway}, ports: [{port: 4143}]}\n',
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: gateway}
          spec:
            template:
              metadata:
                labels: {app: gateway}
                annotations: {linkerd.io/inject: enabled, config.linkerd.io/enable-gateway: "true"}
              spec:
                containers:
                  - name: holder
                    image: registry.k8s.io/pause:3.9
        `,
      },
    },
  ],
  invalid: [
    {
      name: 'gRPC container: grpc and tcpSocket probes suggested',
      files: {
        'svc.yaml':
          'apiVersion: v1\nkind: Service\nmetadata: {name: orders}\nspec: {selector: {app: orders}, ports: [{name: grpc, port: 50051}]}\n',
        'deploy.yaml': orders(''),
      },
      output: null,
      errors: [
        {
          file: 'deploy.yaml',
          messageId: 'missing',
          line: 9,
          column: 11,
          endLine: 9,
          endColumn: 23,
          suggestions: [
            {
              messageId: 'addGrpc',
              output: { 'deploy.yaml': orders('\n          readinessProbe:\n            grpc:\n              port: 50051') },
            },
            {
              messageId: 'addTcp',
              output: {
                'deploy.yaml': orders(
                  '\n          readinessProbe:\n            tcpSocket:\n              port: grpc\n            periodSeconds: 5',
                ),
              },
            },
          ],
        },
      ],
    },
    {
      name: 'selected by a Service with undeclared ports: no suggestion without a port',
      files: {
        'svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata: {name: api}
          spec:
            selector: {app: api}
            ports: [{port: 80, targetPort: 8080}]
        `,
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: api}
          spec:
            template:
              metadata: {labels: {app: api}}
              spec:
                containers: [{name: api, image: "api:1"}]
        `,
      },
      errors: [{ file: 'deploy.yaml', messageId: 'missing', line: 8, column: 21, endLine: 8, endColumn: 30, suggestions: [] }],
    },
  ],
});
