import rule from '../../rules/pod-command-exec.js';
import { runRuleTests, yaml } from '../helpers/rule-tester.js';

const deployment = (image: string, command: string): string => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: api}
  spec:
    template:
      spec:
        containers:
          - name: api
            image: ${image}
            ${command}
`;

runRuleTests(rule, {
  valid: [
    { name: 'exec form command', files: { 'k8s/app.yaml': deployment('python:3.12', 'command: ["python", "app.py"]') } },
    { name: 'sh -c with exec', files: { 'k8s/app.yaml': deployment('python:3.12', 'command: ["sh", "-c", "python migrate.py && exec python app.py"]') } },
    { name: 'bash -c with a lone command: bash execs it (measured)', files: { 'k8s/app.yaml': deployment('python:3.12', 'command: ["bash", "-c", "python app.py"]') } },
    { name: 'sh -c on an Alpine image: busybox ash execs the last command (measured)', files: { 'k8s/app.yaml': deployment('python:3.12-alpine', 'command: ["/bin/sh", "-c", "echo hi; python app.py"]') } },
    {
      name: 'Jobs are not judged',
      files: {
        'k8s/job.yaml': yaml`
          apiVersion: batch/v1
          kind: Job
          metadata: {name: migrate}
          spec:
            template:
              spec:
                containers:
                  - {name: m, image: python:3.12, command: ["sh", "-c", "python migrate.py"]}
        `,
      },
    },
  ],
  invalid: [
    {
      name: 'sh -c on a Debian image: dash forks the app (measured)',
      files: { 'k8s/app.yaml': deployment('python:3.12', 'command: ["sh", "-c", "python migrate.py && python app.py"]') },
      errors: [{ messageId: 'wrapped', line: 10, column: 55, endLine: 10, endColumn: 68, severity: 'error' }],
      output: { 'k8s/app.yaml': deployment('python:3.12', 'command: ["sh", "-c", "python migrate.py && exec python app.py"]') },
    },
    {
      name: 'command sh -c with the code in args, unknown image: a warning',
      files: { 'k8s/app.yaml': deployment('registry.example.com/api:1', 'command: ["/bin/sh", "-c"]\n            args: ["./server --port 8080"]') },
      errors: [{ messageId: 'wrapped', line: 11, column: 19, endLine: 11, endColumn: 39, severity: 'warning' }],
      output: { 'k8s/app.yaml': deployment('registry.example.com/api:1', 'command: ["/bin/sh", "-c"]\n            args: ["exec ./server --port 8080"]') },
    },
    {
      name: 'bash -c with a command after the app',
      files: { 'k8s/app.yaml': deployment('python:3.12', 'command: ["bash", "-c", "python app.py; echo exited"]') },
      errors: [{ messageId: 'wrapped', line: 10, column: 36, endLine: 10, endColumn: 49, severity: 'error' }],
      output: null,
    },
    {
      name: 'a block scalar script: exec inserted where the command is written',
      files: {
        'k8s/app.yaml': deployment('node:20', 'command:\n              - sh\n              - -c\n              - |\n                npm run migrate\n                node server.js'),
      },
      errors: [{ messageId: 'wrapped', line: 13, column: 15, endLine: 15, endColumn: 29 }],
      output: { 'k8s/app.yaml': deployment('node:20', 'command:\n              - sh\n              - -c\n              - |\n                npm run migrate\n                exec node server.js') },
    },
  ],
});
