import rule from '../../rules/readiness-probe.js';
import { runRuleTests, yaml } from '../helpers/rule-tester.js';

runRuleTests(rule, {
  valid: [
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
  ],
  invalid: [
    {
      name: 'gRPC container: grpc and tcpSocket probes suggested',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: p}
          spec:
            containers:
              - name: orders
                ports:
                  - name: grpc
                    containerPort: 50051
        `,
      },
      output: null,
      errors: [
        {
          messageId: 'missing',
          line: 6,
          column: 7,
          endLine: 6,
          endColumn: 19,
          suggestions: [
            {
              messageId: 'addGrpc',
              output: {
                'pod.yaml': yaml`
                  apiVersion: v1
                  kind: Pod
                  metadata: {name: p}
                  spec:
                    containers:
                      - name: orders
                        ports:
                          - name: grpc
                            containerPort: 50051
                        readinessProbe:
                          grpc:
                            port: 50051
                `,
              },
            },
            {
              messageId: 'addTcp',
              output: {
                'pod.yaml': yaml`
                  apiVersion: v1
                  kind: Pod
                  metadata: {name: p}
                  spec:
                    containers:
                      - name: orders
                        ports:
                          - name: grpc
                            containerPort: 50051
                        readinessProbe:
                          tcpSocket:
                            port: grpc
                          periodSeconds: 5
                `,
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
