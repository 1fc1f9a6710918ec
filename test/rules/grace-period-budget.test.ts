import rule from '../../rules/grace-period-budget.js';
import { runRuleTests, yaml } from '../helpers/rule-tester.js';

const pod = (spec: string) => yaml`
  apiVersion: v1
  kind: Pod
  metadata: {name: api}
  spec:
  ${spec}
`;

runRuleTests(rule, {
  valid: [
    {
      name: 'sleep 5 within the default 30 s',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: api}
          spec:
            containers:
              - name: api
                ports: [{containerPort: 80}]
                lifecycle: {preStop: {sleep: {seconds: 5}}}
        `,
      },
    },
    {
      name: 'exec sleep 20 with grace 60',
      files: {
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: api}
          spec:
            template:
              spec:
                terminationGracePeriodSeconds: 60
                containers:
                  - name: api
                    lifecycle:
                      preStop:
                        exec:
                          command: ["/bin/sleep", "20"]
        `,
      },
    },
    {
      name: 'grace 0 on a Job (not served) and an unknown hook duration',
      files: {
        'job.yaml': yaml`
          apiVersion: batch/v1
          kind: Job
          metadata: {name: once}
          spec:
            template:
              spec:
                terminationGracePeriodSeconds: 0
                containers: [{name: run}]
          ---
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: drainer}
          spec:
            template:
              spec:
                terminationGracePeriodSeconds: 3
                containers:
                  - name: d
                    lifecycle:
                      preStop:
                        exec: {command: ["/app/drain", "--wait"]}
        `,
      },
    },
  ],
  invalid: [
    {
      name: 'sh -c "sleep 25" against a grace of 20: error, grace raised to 35, comment kept',
      files: {
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: payments}
          spec:
            template:
              spec:
                terminationGracePeriodSeconds: 20 # fast rollouts
                containers:
                  - name: payments
                    lifecycle:
                      preStop:
                        exec:
                          command: ["sh", "-c", "sleep 25"]
        `,
      },
      errors: [
        {
          messageId: 'exceeds',
          severity: 'error',
          line: 13,
          column: 26,
          endLine: 13,
          endColumn: 50,
          related: ['deploy.yaml:7:7'],
          message:
            "preStop of container 'payments' holds it 25s but Deployment 'payments' has terminationGracePeriodSeconds 20: only ~2s are left after SIGTERM. The kubelet stops waiting for the hook when the grace period ends, sends SIGTERM with its 2-second minimum window, then SIGKILL.",
        },
      ],
      output: {
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: payments}
          spec:
            template:
              spec:
                terminationGracePeriodSeconds: 35 # fast rollouts
                containers:
                  - name: payments
                    lifecycle:
                      preStop:
                        exec:
                          command: ["sh", "-c", "sleep 25"]
        `,
      },
    },
    {
      name: 'native sleep 27 of the default 30: warning, grace inserted into the pod spec',
      files: {
        'pod.yaml': pod(`  containers:
      - name: api
        lifecycle:
          preStop:
            sleep:
              seconds: 27`),
      },
      errors: [
        {
          messageId: 'tight',
          severity: 'warning',
          line: 10,
          column: 22,
          endLine: 10,
          endColumn: 24,
          message:
            "preStop of container 'api' holds it 27s of the 30s grace period (the default) of Pod 'api': only 3s are left to drain in-flight requests after SIGTERM.",
        },
      ],
      output: {
        'pod.yaml': pod(`  containers:
      - name: api
        lifecycle:
          preStop:
            sleep:
              seconds: 27
    terminationGracePeriodSeconds: 37`),
      },
    },
    {
      name: 'native sleep longer than the grace period: rejected by the API server (facts A5)',
      files: {
        'pod.yaml': pod(`  terminationGracePeriodSeconds: 30
    containers:
      - {name: api, ports: [{containerPort: 80}], lifecycle: {preStop: {sleep: {seconds: 40}}}}`),
      },
      errors: [
        {
          messageId: 'rejected',
          severity: 'error',
          line: 7,
          column: 88,
          endLine: 7,
          endColumn: 90,
          message:
            "preStop sleep of 40s in container 'api' is longer than the 30s grace period of Pod 'api': the API server rejects it. A sleep action may not outlast terminationGracePeriodSeconds, so the pods are never created.",
        },
      ],
      output: {
        'pod.yaml': pod(`  terminationGracePeriodSeconds: 50
    containers:
      - {name: api, ports: [{containerPort: 80}], lifecycle: {preStop: {sleep: {seconds: 40}}}}`),
      },
    },
    {
      name: 'native sleep equal to the grace period is accepted but leaves ~2s (facts A6)',
      files: {
        'pod.yaml': pod(`  terminationGracePeriodSeconds: 30
    containers:
      - {name: api, ports: [{containerPort: 80}], lifecycle: {preStop: {sleep: {seconds: 30}}}}`),
      },
      errors: [{ messageId: 'exceeds', severity: 'error', line: 7, column: 88, endLine: 7, endColumn: 90 }],
    },
    {
      name: 'grace 0 on a served workload skips the hooks and deletes the pod at once (facts A7)',
      files: {
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: api}
          spec:
            template:
              metadata: {labels: {app: api}}
              spec:
                terminationGracePeriodSeconds: 0
                containers:
                  - {name: api, ports: [{containerPort: 80}], lifecycle: {preStop: {sleep: {seconds: 5}}}}
          ---
          apiVersion: v1
          kind: Service
          metadata: {name: api}
          spec: {selector: {app: api}, ports: [{port: 80}]}
        `,
      },
      errors: [{ messageId: 'zero', line: 8, column: 7, endLine: 8, endColumn: 39 }],
      output: {
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: api}
          spec:
            template:
              metadata: {labels: {app: api}}
              spec:
                terminationGracePeriodSeconds: 15
                containers:
                  - {name: api, ports: [{containerPort: 80}], lifecycle: {preStop: {sleep: {seconds: 5}}}}
          ---
          apiVersion: v1
          kind: Service
          metadata: {name: api}
          spec: {selector: {app: api}, ports: [{port: 80}]}
        `,
      },
    },
  ],
});
