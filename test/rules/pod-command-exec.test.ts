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
    {
      name: 'sh -c with exec',
      files: { 'k8s/app.yaml': deployment('python:3.12', 'command: ["sh", "-c", "python migrate.py && exec python app.py"]') },
    },
    {
      name: 'bash -c with a lone command: bash execs it (measured)',
      files: { 'k8s/app.yaml': deployment('python:3.12', 'command: ["bash", "-c", "python app.py"]') },
    },
    {
      name: 'sh -c on an Alpine image: busybox ash execs the last command (measured)',
      files: { 'k8s/app.yaml': deployment('python:3.12-alpine', 'command: ["/bin/sh", "-c", "echo hi; python app.py"]') },
    },
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
    {
      name: 'one-shot pods: restartPolicy Never, a Helm test; and a sh -c poll loop (facts §3.1)',
      files: {
        'k8s/pods.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: smoke}
          spec:
            restartPolicy: Never
            containers:
              - {name: t, image: python:3.12, command: ["sh", "-c", "python smoke.py"]}
          ---
          apiVersion: v1
          kind: Pod
          metadata:
            name: test-connection
            annotations: {"helm.sh/hook": test}
          spec:
            containers:
              - {name: wget, image: busybox, command: ["sh", "-c", "wget -qO- api:80 | grep ok"]}
        `,
        'k8s/sync.yaml': deployment('debian:12', 'command: ["sh", "-c", "while true; do ./sync; sleep 60; done"]'),
      },
    },
    {
      name: 'UBI 8 (bash 4.4) execs the tail of && (measured: bash44-cd-and)',
      files: {
        'k8s/app.yaml': deployment('registry.access.redhat.com/ubi8/python-39', 'command: ["sh", "-c", "cd /app && python app.py"]'),
      },
    },
  ],
  invalid: [
    {
      name: 'UBI 8 (bash 4.4) forks the last command of a ; list (measured: bash44-list)',
      files: {
        'k8s/app.yaml': deployment('registry.access.redhat.com/ubi8/python-39', 'command: ["sh", "-c", "echo starting; python app.py"]'),
      },
      errors: [{ messageId: 'wrapped', line: 10, column: 49, endLine: 10, endColumn: 62, severity: 'error' }],
      output: {
        'k8s/app.yaml': deployment(
          'registry.access.redhat.com/ubi8/python-39',
          'command: ["sh", "-c", "echo starting; exec python app.py"]',
        ),
      },
    },
    {
      name: 'bash -c with a TERM trap: bash stays PID 1 (measured: bash52-trap)',
      files: { 'k8s/app.yaml': deployment('python:3.12', `command: ["bash", "-c", "trap 'echo bye' TERM; python app.py"]`) },
      errors: [{ messageId: 'wrapped', line: 10, column: 58, endLine: 10, endColumn: 71, severity: 'error' }],
      output: { 'k8s/app.yaml': deployment('python:3.12', `command: ["bash", "-c", "trap 'echo bye' TERM; exec python app.py"]`) },
    },
    {
      name: 'sh -c on a Debian image: dash forks the app (measured)',
      files: { 'k8s/app.yaml': deployment('python:3.12', 'command: ["sh", "-c", "python migrate.py && python app.py"]') },
      errors: [{ messageId: 'wrapped', line: 10, column: 55, endLine: 10, endColumn: 68, severity: 'error' }],
      output: { 'k8s/app.yaml': deployment('python:3.12', 'command: ["sh", "-c", "python migrate.py && exec python app.py"]') },
    },
    {
      name: 'command sh -c with the code in args, unknown image: a warning',
      files: {
        'k8s/app.yaml': deployment('registry.example.com/api:1', 'command: ["/bin/sh", "-c"]\n            args: ["./server --port 8080"]'),
      },
      errors: [{ messageId: 'wrapped', line: 11, column: 19, endLine: 11, endColumn: 39, severity: 'warning' }],
      output: {
        'k8s/app.yaml': deployment(
          'registry.example.com/api:1',
          'command: ["/bin/sh", "-c"]\n            args: ["exec ./server --port 8080"]',
        ),
      },
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
        'k8s/app.yaml': deployment(
          'node:20',
          'command:\n              - sh\n              - -c\n              - |\n                npm run migrate\n                node server.js',
        ),
      },
      errors: [{ messageId: 'wrapped', line: 13, column: 15, endLine: 15, endColumn: 29 }],
      output: {
        'k8s/app.yaml': deployment(
          'node:20',
          'command:\n              - sh\n              - -c\n              - |\n                npm run migrate\n                exec node server.js',
        ),
      },
    },
  ],
});
