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
    // Noise (facts §3.1): "receives traffic" means a Service sends it traffic, not "declares a containerPort".
    {
      name: 'a worker with only a metrics port and no Service',
      files: {
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: worker}
          spec:
            template:
              metadata: {labels: {app: worker}}
              spec:
                containers:
                  - {name: worker, ports: [{name: metrics, containerPort: 9090}]}
        `,
      },
    },
    {
      name: 'a Service that only exposes the metrics port (a scrape is not traffic)',
      files: {
        'svc.yaml':
          'apiVersion: v1\nkind: Service\nmetadata: {name: worker-metrics}\nspec: {selector: {app: worker}, ports: [{name: http-metrics, port: 9090}]}\n',
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: worker}
          spec:
            template:
              metadata: {labels: {app: worker}}
              spec:
                containers:
                  - {name: worker, ports: [{name: http-metrics, containerPort: 9090}]}
        `,
      },
    },
    {
      name: 'a metrics Service and a gossip ring that publishes not-ready addresses: the endpoints keep a terminating pod anyway',
      files: {
        'svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata: {name: compactor}
          spec: {selector: {app: compactor}, ports: [{name: http-metrics, port: 3200}]}
          ---
          apiVersion: v1
          kind: Service
          metadata: {name: gossip-ring}
          spec:
            clusterIP: None
            publishNotReadyAddresses: true
            selector: {part-of: memberlist}
            ports: [{name: gossip-ring, port: 7946}]
        `,
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: compactor}
          spec:
            template:
              metadata: {labels: {app: compactor, part-of: memberlist}}
              spec:
                containers:
                  - {name: compactor, ports: [{name: http-metrics, containerPort: 3200}, {name: gossip, containerPort: 7946}]}
        `,
      },
    },
    {
      name: 'bare Pods, restartPolicy Never/OnFailure, Helm hooks and chart tests are one-shot',
      files: {
        'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec: {selector: {app: api}, ports: [{port: 80}]}\n',
        'pod.yaml': yaml`
          apiVersion: v1
          kind: Pod
          metadata: {name: debug, labels: {app: api}}
          spec:
            containers:
              - {name: a, ports: [{containerPort: 80}]}
          ---
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: seed
            annotations: {"helm.sh/hook": post-install}
          spec:
            template:
              metadata: {labels: {app: api}}
              spec:
                containers:
                  - {name: seed, ports: [{containerPort: 80}]}
        `,
        'chart/templates/tests/test-connection.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: test-connection}
          spec:
            template:
              metadata: {labels: {app: api}}
              spec:
                containers:
                  - {name: wget, image: busybox, ports: [{containerPort: 80}]}
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
            "Container 'api' of Deployment 'api' receives traffic but has no preStop hook. It gets SIGTERM while load balancers still send it new connections, which are refused.",
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
      name: 'selected by a Service, target 1.28, existing lifecycle with postStart: exec sleep inserted into it, 4-space indent',
      options: { kubernetesVersion: '1.28', preStopSeconds: 8 },
      files: {
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata:
              name: web
          spec:
              template:
                  metadata:
                      labels: {app: web}
                  spec:
                      containers:
                          -   name: web
                              ports:
                                  -   containerPort: 80
                              lifecycle:
                                  postStart:
                                      exec: {command: [touch, /ready]}
          ---
          apiVersion: v1
          kind: Service
          metadata: {name: web}
          spec: {selector: {app: web}, ports: [{port: 80}]}
        `,
      },
      errors: [{ messageId: 'missing', line: 11, column: 21, endLine: 11, endColumn: 30 }],
      output: {
        'deploy.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata:
              name: web
          spec:
              template:
                  metadata:
                      labels: {app: web}
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
          ---
          apiVersion: v1
          kind: Service
          metadata: {name: web}
          spec: {selector: {app: web}, ports: [{port: 80}]}
        `,
      },
    },
    {
      name: 'a headless peer Service without publishNotReadyAddresses drops a terminating pod from its endpoints: the delay matters',
      files: {
        'svc.yaml':
          'apiVersion: v1\nkind: Service\nmetadata: {name: compactor}\nspec: {selector: {app: compactor}, ports: [{name: http-metrics, port: 3200}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: gossip-ring}\nspec:\n  clusterIP: None\n  selector: {part-of: memberlist}\n  ports: [{name: gossip-ring, port: 7946}]\n',
        'deploy.yaml':
          'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: compactor}\nspec:\n  template:\n    metadata: {labels: {app: compactor, part-of: memberlist}}\n    spec:\n      containers:\n        - {name: compactor, ports: [{name: http-metrics, containerPort: 3200}, {name: gossip, containerPort: 7946}]}\n',
      },
      errors: [{ file: 'deploy.yaml', messageId: 'missing', line: 9, column: 12, endLine: 9, endColumn: 27 }],
      output: {
        'deploy.yaml':
          'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: compactor}\nspec:\n  template:\n    metadata: {labels: {app: compactor, part-of: memberlist}}\n    spec:\n      containers:\n        - {name: compactor, ports: [{name: http-metrics, containerPort: 3200}, {name: gossip, containerPort: 7946}], lifecycle: {preStop: {sleep: {seconds: 5}}}}\n',
      },
    },
    {
      name: 'a flow-style container at the end of a file without a final newline',
      files: {
        'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: p}\nspec: {selector: {app: p}, ports: [{port: 80}]}\n',
        'deploy.yaml':
          'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: p}\nspec: {template: {metadata: {labels: {app: p}}, spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}}}',
      },
      errors: [{ file: 'deploy.yaml', messageId: 'missing', line: 4, column: 70, endLine: 4, endColumn: 77 }],
      output: {
        'deploy.yaml':
          'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: p}\nspec: {template: {metadata: {labels: {app: p}}, spec: {containers: [{name: c, ports: [{containerPort: 80}], lifecycle: {preStop: {sleep: {seconds: 5}}}}]}}}',
      },
    },
    {
      name: 'sidecars the Service does not target are skipped; a DB proxy gets the advice to outlive the app instead',
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
                    image: api:1
                    ports: [{containerPort: 8080}]
                    lifecycle: {preStop: {sleep: {seconds: 5}}}
                  - name: cloud-sql-proxy
                    image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.0
                    args: ["--port=5432", "acme:europe-west1:db"]
                  - name: metrics
                    image: prom/statsd-exporter:v0.26.0
                    ports: [{name: metrics, containerPort: 9102}]
        `,
      },
      errors: [
        {
          file: 'deploy.yaml',
          messageId: 'proxySidecar',
          line: 13,
          column: 11,
          endLine: 13,
          endColumn: 32,
          severity: 'info',
          message:
            "DB proxy 'cloud-sql-proxy' of Deployment 'api' stops with the app on SIGTERM. Let it outlive the app's drain: --max-sigterm-delay (or run it as a native sidecar, an init container with restartPolicy: Always), not a preStop sleep.",
        },
      ],
      output: null,
    },
  ],
});
