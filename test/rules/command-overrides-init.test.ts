import rule from '../../rules/command-overrides-init.js';
import { runRuleTests, yaml } from '../helpers/rule-tester.js';

const tiniImage = 'FROM debian:12\nRUN apt-get update && apt-get install -y tini\nENTRYPOINT ["tini", "--"]\nCMD ["/app/server"]\n';
const deployment = (extra: string): string => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: orders}
  spec:
    template:
      spec:
        containers:
          - name: orders
            image: ghcr.io/acme/orders:2.1
            ${extra}
`;

runRuleTests(rule, {
  valid: [
    {
      name: 'args keep the init',
      files: { 'orders/Dockerfile': tiniImage, 'k8s/orders.yaml': deployment('args: ["/app/server", "--port", "9090"]') },
    },
    {
      name: 'command that starts with the init',
      files: { 'orders/Dockerfile': tiniImage, 'k8s/orders.yaml': deployment('command: ["tini", "--", "/app/server"]') },
    },
    {
      name: 'image without an init',
      files: {
        'orders/Dockerfile': 'FROM debian:12\nENTRYPOINT ["/app/server"]\n',
        'k8s/orders.yaml': deployment('command: ["/app/server", "-v"]'),
      },
    },
    { name: 'image not in the workspace', files: { 'k8s/orders.yaml': deployment('command: ["/app/server"]') } },
  ],
  invalid: [
    {
      name: 'command drops tini: rename to args',
      files: { 'orders/Dockerfile': tiniImage, 'k8s/orders.yaml': deployment('command: ["/app/server", "--port", "9090"]') },
      errors: [
        {
          file: 'k8s/orders.yaml',
          messageId: 'dropsInit',
          line: 10,
          column: 20,
          endLine: 10,
          endColumn: 53,
          related: ['orders/Dockerfile:3:13'],
        },
      ],
      output: { 'k8s/orders.yaml': deployment('args: ["/app/server", "--port", "9090"]') },
    },
    {
      name: 'command and args: suggest putting the init first',
      files: {
        'orders/Dockerfile': 'FROM debian:12\nENTRYPOINT ["/usr/bin/dumb-init", "--"]\n',
        'k8s/orders.yaml': deployment('command: ["/app/server"]\n            args: ["--port", "9090"]'),
      },
      errors: [
        {
          file: 'k8s/orders.yaml',
          messageId: 'dropsInit',
          line: 10,
          column: 20,
          endLine: 10,
          endColumn: 35,
          suggestions: [
            {
              messageId: 'prependInit',
              output: {
                'k8s/orders.yaml': deployment('command: [/usr/bin/dumb-init, "--", /app/server]\n            args: ["--port", "9090"]'),
              },
            },
          ],
        },
      ],
      output: null,
    },
  ],
});
