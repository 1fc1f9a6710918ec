import rule from '../../rules/service-app-protocol.js';
import { runRuleTests, yaml } from '../helpers/rule-tester.js';

runRuleTests(rule, {
  valid: [
    {
      name: 'appProtocol declared',
      files: {
        'svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata: {name: orders}
          spec:
            ports:
              - name: grpc
                port: 50051
                appProtocol: kubernetes.io/h2c
        `,
      },
    },
    {
      name: 'HTTP/1 port',
      files: {
        'svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata: {name: web}
          spec:
            ports:
              - {name: http, port: 80}
        `,
      },
    },
    {
      name: 'UDP port named grpc is not HTTP/2',
      files: {
        'svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata: {name: odd}
          spec:
            ports:
              - {name: grpc-udp, port: 9000, protocol: UDP}
        `,
      },
    },
  ],
  invalid: [
    {
      name: 'port named grpc: appProtocol inserted at the port indent, comment kept',
      files: {
        'svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata:
            name: orders
          spec:
            ports:
                - name: grpc
                  port: 50051 # API
          `,
      },
      errors: [{ messageId: 'missing', line: 7, column: 9, endLine: 7, endColumn: 19 }],
      output: {
        'svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata:
            name: orders
          spec:
            ports:
                - name: grpc
                  port: 50051 # API
                  appProtocol: kubernetes.io/h2c
          `,
      },
    },
    {
      name: 'flow-style port, Istio-style protocol by setting',
      options: { appProtocol: 'grpc' },
      files: {
        'svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata: {name: orders}
          spec:
            ports: [{name: h2c-api, port: 8080}]
        `,
      },
      errors: [{ messageId: 'missing', line: 5, column: 12, endLine: 5, endColumn: 25 }],
      output: {
        'svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata: {name: orders}
          spec:
            ports: [{name: h2c-api, port: 8080, appProtocol: grpc}]
        `,
      },
    },
    {
      name: 'gRPC only by the container port name the targetPort refers to',
      files: {
        'svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata: {name: orders}
          spec:
            selector: {app: orders}
            ports:
              - port: 80
                targetPort: grpc-api
        `,
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: orders}
          spec:
            template:
              metadata: {labels: {app: orders}}
              spec:
                containers:
                  - name: app
                    ports: [{name: grpc-api, containerPort: 9000}]
        `,
      },
      errors: [{ messageId: 'missing', line: 7, column: 7, endLine: 7, endColumn: 15, related: ['deploy.yaml:10:19'] }],
      output: {
        'svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata: {name: orders}
          spec:
            selector: {app: orders}
            ports:
              - port: 80
                targetPort: grpc-api
                appProtocol: kubernetes.io/h2c
        `,
      },
    },
  ],
});
