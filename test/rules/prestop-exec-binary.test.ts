import rule from '../../rules/prestop-exec-binary.js';
import prestopSleep from '../../rules/prestop-sleep.js';
import { runRuleTests, yaml } from '../helpers/rule-tester.js';

const deployment = (hook: string): string => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: orders}
  spec:
    template:
      spec:
        containers:
          - name: orders
            image: ghcr.io/acme/orders:2.1
            lifecycle:
              preStop:
                ${hook}
`;
const distroless =
  'FROM golang:1.22 AS build\nRUN go build -o /server .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /server /server\nENTRYPOINT ["/server"]\n';

runRuleTests(rule, {
  valid: [
    { name: 'native sleep action', files: { 'orders/Dockerfile': distroless, 'k8s/orders.yaml': deployment('sleep: {seconds: 5}') } },
    {
      name: 'an image with a shell',
      files: {
        'orders/Dockerfile': 'FROM debian:12\nENTRYPOINT ["/server"]\n',
        'k8s/orders.yaml': deployment('exec: {command: ["sleep", "5"]}'),
      },
    },
    {
      name: 'Azure Linux (not distroless) has bash',
      files: {
        'orders/Dockerfile': 'FROM mcr.microsoft.com/dotnet/aspnet:8.0-azurelinux3.0\nENTRYPOINT ["dotnet", "/app/Orders.dll"]\n',
        'k8s/orders.yaml': deployment('exec: {command: ["sleep", "5"]}'),
      },
    },
    {
      name: 'distroless :debug has busybox',
      files: {
        'orders/Dockerfile': 'FROM gcr.io/distroless/base:debug\nENTRYPOINT ["/server"]\n',
        'k8s/orders.yaml': deployment('exec: {command: ["sleep", "5"]}'),
      },
    },
    {
      name: 'the binary is copied into the scratch image',
      files: {
        'orders/Dockerfile': 'FROM scratch\nCOPY --from=busybox:1.36 /bin/busybox /bin/sleep\nENTRYPOINT ["/server"]\n',
        'k8s/orders.yaml': deployment('exec: {command: ["/bin/sleep", "5"]}'),
      },
    },
  ],
  invalid: [
    {
      name: 'sleep in a distroless image: replaced by the sleep action',
      files: { 'orders/Dockerfile': distroless, 'k8s/orders.yaml': deployment('exec:\n                  command: ["sleep", "5"]') },
      errors: [{ file: 'k8s/orders.yaml', messageId: 'missingBinary', line: 13, column: 26, endLine: 13, endColumn: 40 }],
      output: { 'k8s/orders.yaml': deployment('sleep:\n                  seconds: 5') },
    },
    {
      name: 'sh -c on scratch, Kubernetes 1.29: no fix',
      options: { kubernetesVersion: '1.29' },
      files: {
        'orders/Dockerfile': 'FROM scratch\nCOPY server /\nENTRYPOINT ["/server"]\n',
        'k8s/orders.yaml': deployment('exec: {command: ["sh", "-c", "sleep 10"]}'),
      },
      errors: [{ file: 'k8s/orders.yaml', messageId: 'missingBinary', line: 12, column: 31, endLine: 12, endColumn: 55 }],
      output: null,
    },
    {
      name: '.NET chiseled image has no sleep (facts A22: this passed before)',
      files: {
        'orders/Dockerfile':
          'FROM mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled\nCOPY out/ /app\nENTRYPOINT ["dotnet", "/app/Orders.dll"]\n',
        'k8s/orders.yaml': deployment('exec:\n                  command: ["sleep", "5"]'),
      },
      errors: [{ file: 'k8s/orders.yaml', messageId: 'missingBinary', line: 13, column: 26, endLine: 13, endColumn: 40 }],
      output: { 'k8s/orders.yaml': deployment('sleep:\n                  seconds: 5') },
    },
    {
      name: 'a Chainguard runtime image (no -dev) has no shell',
      files: {
        'k8s/orders.yaml': deployment('exec: {command: ["sh", "-c", "sleep 5"]}').replace(
          'ghcr.io/acme/orders:2.1',
          'cgr.dev/chainguard/node:latest',
        ),
      },
      errors: [{ messageId: 'missingBinary', line: 12, column: 31, endLine: 12, endColumn: 54 }],
      output: {
        'k8s/orders.yaml': deployment('sleep:\n                  seconds: 5').replace(
          'ghcr.io/acme/orders:2.1',
          'cgr.dev/chainguard/node:latest',
        ),
      },
    },
    {
      name: 'image name alone says Chainguard static',
      files: {
        'k8s/orders.yaml': deployment('exec: {command: ["curl", "-X", "POST", "localhost:8080/drain"]}').replace(
          'ghcr.io/acme/orders:2.1',
          'cgr.dev/chainguard/static:latest',
        ),
      },
      errors: [{ messageId: 'missingBinary', line: 12, column: 31, endLine: 12, endColumn: 77 }],
      output: null,
    },
  ],
});

// rules/prestop-sleep.ts keeps its finding but offers no exec `sleep` fix for such an image before 1.30.
runRuleTests(prestopSleep, {
  valid: [],
  invalid: [
    {
      name: 'prestop-sleep: no exec-sleep fix for a distroless image on Kubernetes 1.29',
      options: { kubernetesVersion: '1.29' },
      files: {
        'k8s/orders.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: orders}
          spec:
            template:
              metadata: {labels: {app: orders}}
              spec:
                containers:
                  - name: orders
                    image: ghcr.io/acme/orders:2.1
                    ports: [{containerPort: 9090}]
          ---
          apiVersion: v1
          kind: Service
          metadata: {name: orders}
          spec: {selector: {app: orders}, ports: [{port: 9090}]}
        `,
        'orders/Dockerfile': distroless,
      },
      errors: [{ messageId: 'missing', line: 9, column: 11, endLine: 9, endColumn: 23 }],
      output: null,
    },
  ],
});
