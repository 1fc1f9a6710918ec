import rule from '../../rules/prestop-sleep.js';
import { runRuleTests, yaml } from '../helpers/rule-tester.js';

const service = yaml`
  apiVersion: v1
  kind: Service
  metadata: {name: api}
  spec:
    selector: {app: api}
    ports: [{port: 80, targetPort: 8080}]
`;

runRuleTests(rule, {
  valid: [
    {
      name: 'native sleep preStop',
      files: {
        'svc.yaml': service,
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
                    lifecycle:
                      preStop:
                        httpGet: {path: /drain, port: 8080}
        `,
      },
    },
    {
      name: 'Jobs and CronJobs do not serve traffic, init containers never do',
      files: {
        'job.yaml': yaml`
          apiVersion: batch/v1
          kind: Job
          metadata: {name: migrate}
          spec:
            template:
              spec:
                containers:
                  - name: migrate
                    ports: [{containerPort: 8080}]
          ---
          apiVersion: batch/v1
          kind: CronJob
          metadata: {name: nightly}
          spec:
            jobTemplate:
              spec:
                template:
                  spec:
                    containers:
                      - {name: run, ports: [{containerPort: 80}]}
        `,
      },
    },
    {
      name: 'a worker without ports and without a Service',
      files: {
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: worker}
          spec:
            template:
              spec:
                initContainers:
                  - {name: init, ports: [{containerPort: 1}]}
                containers:
                  - name: worker
        `,
      },
    },
    {
      name: 'suppressed by the object annotation',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: debug
            annotations:
              kubeconn.io/ignore: "readiness-probe, prestop-sleep"
          spec:
            containers:
              - {name: a, ports: [{containerPort: 80}]}
        `,
      },
    },
    {
      name: 'suppressed by a directive comment',
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: debug}
          spec:
            containers:
              # eslint-disable-next-line kubeconn/prestop-sleep -- debug pod
              - {name: a, ports: [{containerPort: 80}]}
        `,
      },
    },
  ],
  invalid: [
    {
      name: 'selected by a Service, target 1.30: native sleep inserted after the last field, comments kept',
      files: {
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: api}
          spec:
            template:
              metadata: {labels: {app: api}}
              spec:
                containers:
                  - name: api   # the app
                    image: api:1
                    # environment
                    env:
                      - {name: A, value: "1"}
                  - name: sidecar
                    image: logs:2
        `,
        'svc.yaml': service,
      },
      errors: [
        {
          messageId: 'missing',
          line: 9,
          column: 11,
          endLine: 9,
          endColumn: 20,
          message:
            "Container 'api' of Deployment 'api' receives traffic but has no preStop hook: it gets SIGTERM while load balancers still send it new connections, which are refused.",
        },
        { messageId: 'missing', line: 14, column: 11, endLine: 14, endColumn: 24 },
      ],
      output: {
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: api}
          spec:
            template:
              metadata: {labels: {app: api}}
              spec:
                containers:
                  - name: api   # the app
                    image: api:1
                    # environment
                    env:
                      - {name: A, value: "1"}
                    lifecycle:
                      preStop:
                        sleep:
                          seconds: 5
                  - name: sidecar
                    image: logs:2
                    lifecycle:
                      preStop:
                        sleep:
                          seconds: 5
        `,
      },
    },
    {
      name: 'declares ports, target 1.28, existing lifecycle with postStart: exec sleep inserted into it, 4-space indent',
      options: { kubernetesVersion: '1.28', preStopSeconds: 8 },
      files: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata:
              name: web
          spec:
              containers:
                  -   name: web
                      ports:
                          -   containerPort: 80
                      lifecycle:
                          postStart:
                              exec: {command: [touch, /ready]}
        `,
      },
      errors: [{ messageId: 'missing', line: 7, column: 13, endLine: 7, endColumn: 22 }],
      output: {
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata:
              name: web
          spec:
              containers:
                  -   name: web
                      ports:
                          -   containerPort: 80
                      lifecycle:
                          postStart:
                              exec: {command: [touch, /ready]}
                          preStop:
                              exec:
                                  command: [sleep, "8"]
        `,
      },
    },
    {
      name: 'a flow-style container at the end of a file without a final newline',
      files: {
        'pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - {name: c, ports: [{containerPort: 80}]}',
      },
      errors: [{ messageId: 'missing', line: 6, column: 8, endLine: 6, endColumn: 15 }],
      output: {
        'pod.yaml':
          'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - {name: c, ports: [{containerPort: 80}], lifecycle: {preStop: {sleep: {seconds: 5}}}}',
      },
    },
  ],
});
