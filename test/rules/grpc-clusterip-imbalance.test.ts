import rule from '../../rules/grpc-clusterip-imbalance.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWorkspace, initKubeconn } from '../../src/api.js';
import { MAX_WORKLOADS_LISTED } from '../../rules/grpc-clusterip-imbalance.js';
import { runRuleTests, yaml } from '../helpers/rule-tester.js';

const deployment = (podMetadata = '{labels: {app: orders}}') => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: orders
  spec:
    replicas: 3
    selector:
      matchLabels: {app: orders}
    template:
      metadata: ${podMetadata}
      spec:
        containers:
          - name: orders
            image: orders:1
            ports:
              - name: grpc-api
                containerPort: 50051
`;

/** A Service on port 8081 that nothing but an Envoy bootstrap names, and that bootstrap (cluster `type`, HTTP/2 or not). */
const envoyFronted = (type: string, http2 = true, headless = false) => ({
  'svc.yaml': yaml`
    apiVersion: v1
    kind: Service
    metadata:
      name: echo
    spec:${headless ? '\n      clusterIP: None' : ''}
      selector: {app: echo}
      ports:
        - name: tcp-echo
          port: 8081
  `,
  'envoy/envoy.yaml': yaml`
    static_resources:
      clusters:
      - name: echo
        type: ${type}
        lb_policy: ROUND_ROBIN${http2 ? '\n        http2_protocol_options: {}' : ''}
        load_assignment:
          cluster_name: echo
          endpoints:
          - lb_endpoints:
            - endpoint:
                address:
                  socket_address: {address: echo.default.svc.cluster.local, port_value: 8081}
  `,
});

runRuleTests(rule, {
  valid: [
    {
      name: 'an Envoy STRICT_DNS cluster on a headless Service: one host per pod, re-resolved',
      files: envoyFronted('STRICT_DNS', true, true),
    },
    {
      name: 'an Envoy cluster that speaks HTTP/1.1 to the Service (a connection per request in flight)',
      files: envoyFronted('STRICT_DNS', false),
    },
    {
      name: 'only a port name says gRPC and a headless sibling exists: peers and balancing clients have per-pod discovery',
      files: {
        'svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata: {name: db-public}
          spec:
            selector: {app: db}
            ports: [{name: grpc, port: 26257}]
          ---
          apiVersion: v1
          kind: Service
          metadata: {name: db}
          spec:
            clusterIP: None
            selector: {app: db}
            ports: [{name: grpc, port: 26257}]
        `,
      },
    },
    {
      name: 'headless Service: clients resolve every pod',
      files: {
        'svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata:
            name: orders
          spec:
            clusterIP: None
            selector: {app: orders}
            ports:
              - name: grpc
                port: 50051
        `,
      },
    },
    {
      name: 'plain HTTP port',
      files: {
        'svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata:
            name: web
          spec:
            selector: {app: web}
            ports:
              - name: http
                port: 80
        `,
      },
    },
    {
      name: 'port named grpc but declared as HTTP/1.1 by appProtocol',
      files: {
        'svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata:
            name: gateway
          spec:
            ports:
              - name: grpc-web
                port: 8080
                appProtocol: http
        `,
      },
    },
    {
      name: 'ExternalName Service',
      files: {
        'svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata:
            name: ext
          spec:
            type: ExternalName
            externalName: api.example.com
            ports:
              - name: grpc
                port: 443
        `,
      },
    },
    {
      name: 'namespace with Istio sidecar injection: the mesh balances per request',
      files: {
        'ns.yaml': yaml`
          apiVersion: v1
          kind: Namespace
          metadata:
            name: shop
            labels:
              istio-injection: enabled
        `,
        'svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata:
            name: orders
            namespace: shop
          spec:
            selector: {app: orders}
            ports:
              - name: grpc
                port: 50051
        `,
      },
    },
    {
      name: 'selected pods are injected by Linkerd',
      files: {
        'svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata:
            name: orders
          spec:
            selector: {app: orders}
            ports:
              - name: grpc
                port: 50051
        `,
        'deploy.yaml': deployment('{labels: {app: orders}, annotations: {linkerd.io/inject: enabled}}'),
      },
    },
  ],
  invalid: [
    {
      name: 'an Envoy HTTP/2 cluster on the ClusterIP name: its few connections stay on the pods kube-proxy picked',
      files: envoyFronted('STRICT_DNS'),
      errors: [{ messageId: 'pinned', line: 8, column: 7, endLine: 8, endColumn: 21, related: ['envoy/envoy.yaml:13:41'] }],
    },
    {
      name: 'port named grpc on a ClusterIP Service, with both suggestions',
      files: {
        'svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata:
            name: orders
            namespace: shop
          spec:
            selector:
              app: orders
            ports:
              - name: grpc # gRPC API
                port: 50051
        `,
      },
      output: null,
      errors: [
        {
          messageId: 'pinnedByName',
          line: 10,
          column: 7,
          endLine: 10,
          endColumn: 17,
          severity: 'info',
          message:
            "Service 'orders' port 50051 may carry gRPC (port name 'grpc'), but no client in the repository dials it. If clients reach it through its ClusterIP, kube-proxy pins each channel to one pod; peers that dial pods directly (gossip, quorum ports) are not affected.",
          suggestions: [
            {
              messageId: 'addHeadlessSibling',
              output: {
                'svc.yaml': yaml`
                  apiVersion: v1
                  kind: Service
                  metadata:
                    name: orders
                    namespace: shop
                  spec:
                    selector:
                      app: orders
                    ports:
                      - name: grpc # gRPC API
                        port: 50051
                  ---
                  apiVersion: v1
                  kind: Service
                  metadata:
                    name: orders-headless
                    namespace: shop
                  spec:
                    clusterIP: None
                    selector:
                      app: orders
                    ports:
                      - name: grpc
                        port: 50051
                `,
              },
            },
            {
              messageId: 'makeHeadless',
              output: {
                'svc.yaml': yaml`
                  apiVersion: v1
                  kind: Service
                  metadata:
                    name: orders
                    namespace: shop
                  spec:
                    selector:
                      app: orders
                    ports:
                      - name: grpc # gRPC API
                        port: 50051
                    clusterIP: None
                `,
              },
            },
          ],
        },
      ],
    },
    {
      name: 'the repository calls the Service on its HTTP port only: the gRPC-named port keeps its hedged info (its clients are outside the repository)',
      files: {
        'svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata: {name: dex, namespace: auth}
          spec:
            selector: {app: dex}
            ports:
              - {name: http, port: 5556}
              - {name: grpc, port: 5557}
        `,
        'server.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: server, namespace: auth}
          spec:
            template:
              metadata: {labels: {app: server}}
              spec:
                containers:
                  - name: server
                    env: [{name: DEX_SERVER, value: "http://dex.auth.svc.cluster.local:5556"}]
        `,
      },
      errors: [
        {
          messageId: 'pinnedByName',
          line: 8,
          column: 8,
          endLine: 8,
          endColumn: 18,
          severity: 'info',
          suggestions: [
            {
              messageId: 'addHeadlessSibling',
              output: {
                'svc.yaml': yaml`
                  apiVersion: v1
                  kind: Service
                  metadata: {name: dex, namespace: auth}
                  spec:
                    selector: {app: dex}
                    ports:
                      - {name: http, port: 5556}
                      - {name: grpc, port: 5557}
                  ---
                  apiVersion: v1
                  kind: Service
                  metadata:
                    name: dex-headless
                    namespace: auth
                  spec:
                    clusterIP: None
                    selector:
                      app: dex
                    ports:
                      - name: http
                        port: 5556
                      - name: grpc
                        port: 5557
                `,
              },
            },
            {
              messageId: 'makeHeadless',
              output: {
                'svc.yaml': yaml`
                  apiVersion: v1
                  kind: Service
                  metadata: {name: dex, namespace: auth}
                  spec:
                    selector: {app: dex}
                    ports:
                      - {name: http, port: 5556}
                      - {name: grpc, port: 5557}
                    clusterIP: None
                `,
              },
            },
          ],
        },
      ],
    },
    {
      name: 'a port named *-grpc (jaeger-grpc) says gRPC too',
      files: {
        'svc.yaml':
          'apiVersion: v1\nkind: Service\nmetadata: {name: collector}\nspec:\n  selector: {app: collector}\n  ports: [{name: jaeger-grpc, port: 14250}]\n',
      },
      errors: [
        {
          messageId: 'pinnedByName',
          line: 6,
          column: 12,
          endLine: 6,
          endColumn: 29,
          severity: 'info',
          suggestions: [
            {
              messageId: 'addHeadlessSibling',
              output: {
                'svc.yaml':
                  'apiVersion: v1\nkind: Service\nmetadata: {name: collector}\nspec:\n  selector: {app: collector}\n  ports: [{name: jaeger-grpc, port: 14250}]\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: collector-headless\nspec:\n  clusterIP: None\n  selector:\n    app: collector\n  ports:\n    - name: jaeger-grpc\n      port: 14250\n',
              },
            },
            {
              messageId: 'makeHeadless',
              output: {
                'svc.yaml':
                  'apiVersion: v1\nkind: Service\nmetadata: {name: collector}\nspec:\n  selector: {app: collector}\n  ports: [{name: jaeger-grpc, port: 14250}]\n  clusterIP: None\n',
              },
            },
          ],
        },
      ],
    },
    {
      name: 'appProtocol h2c on a NodePort Service: only the sibling (a NodePort cannot be headless), nodePort dropped',
      files: {
        'svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata:
            name: edge
          spec:
            type: NodePort
            ports:
              - port: 9000
                nodePort: 30900
                appProtocol: kubernetes.io/h2c
          ---
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: after
        `,
      },
      errors: [
        {
          messageId: 'pinnedByName',
          line: 8,
          column: 7,
          endLine: 8,
          endColumn: 17,
          suggestions: [
            {
              messageId: 'addHeadlessSibling',
              output: {
                'svc.yaml': yaml`
                  apiVersion: v1
                  kind: Service
                  metadata:
                    name: edge
                  spec:
                    type: NodePort
                    ports:
                      - port: 9000
                        nodePort: 30900
                        appProtocol: kubernetes.io/h2c
                  ---
                  apiVersion: v1
                  kind: Service
                  metadata:
                    name: edge-headless
                  spec:
                    clusterIP: None
                    ports:
                      - port: 9000
                        appProtocol: kubernetes.io/h2c
                  ---
                  apiVersion: v1
                  kind: ConfigMap
                  metadata:
                    name: after
                `,
              },
            },
          ],
        },
      ],
    },
    {
      name: 'evidence from the container port name in another file; the explicit clusterIP is swapped in place',
      files: {
        'svc.yaml': yaml`
          apiVersion: v1
          kind: Service
          metadata:
            name: orders
          spec:
            clusterIP: 10.96.0.12   # allocated
            selector: {app: orders}
            ports:
              - name: tcp
                port: 50051
                targetPort: grpc-api
        `,
        'deploy.yaml': deployment(),
      },
      errors: [
        {
          messageId: 'pinnedByName',
          line: 9,
          column: 7,
          endLine: 9,
          endColumn: 16,
          related: ['deploy.yaml:4:9', 'deploy.yaml:16:15'],
          suggestions: [
            {
              messageId: 'addHeadlessSibling',
              output: {
                'svc.yaml': yaml`
                  apiVersion: v1
                  kind: Service
                  metadata:
                    name: orders
                  spec:
                    clusterIP: 10.96.0.12   # allocated
                    selector: {app: orders}
                    ports:
                      - name: tcp
                        port: 50051
                        targetPort: grpc-api
                  ---
                  apiVersion: v1
                  kind: Service
                  metadata:
                    name: orders-headless
                  spec:
                    clusterIP: None
                    selector:
                      app: orders
                    ports:
                      - name: tcp
                        port: 50051
                        targetPort: grpc-api
                `,
              },
            },
            {
              messageId: 'makeHeadless',
              output: {
                'svc.yaml': yaml`
                  apiVersion: v1
                  kind: Service
                  metadata:
                    name: orders
                  spec:
                    clusterIP: None   # allocated
                    selector: {app: orders}
                    ports:
                      - name: tcp
                        port: 50051
                        targetPort: grpc-api
                `,
              },
            },
          ],
        },
      ],
    },
  ],
});

describe('grpc-clusterip-imbalance with overlapping selectors', () => {
  it('lists the first workloads behind the Service by name, then one entry for the rest', async () => {
    await initKubeconn();
    const n = MAX_WORKLOADS_LISTED + 5;
    const deployments = Array.from(
      { length: n },
      (_, i) =>
        `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w${i}}\nspec:\n  selector: {matchLabels: {app: orders}}\n  template:\n    metadata: {labels: {app: orders}}\n    spec:\n      containers: [{name: app, image: orders:1}]\n`,
    );
    const service =
      'apiVersion: v1\nkind: Service\nmetadata: {name: orders}\nspec: {selector: {app: orders}, ports: [{name: grpc, port: 50051}]}\n';
    const ws = createWorkspace({});
    ws.setFile('/p/svc.yaml', service);
    ws.setFile('/p/deploy.yaml', deployments.join('---\n'));
    const [finding, ...others] = ws.analyze().findings.filter((f) => f.ruleId === 'grpc-clusterip-imbalance');
    assert.equal(others.length, 0);
    const related = finding!.related.map((r) => `${r.line}: ${r.message}`);
    // Each Deployment is 9 lines plus its `---`: w<i>'s name is on line 10 i + 3.
    assert.deepEqual(related, [
      ...Array.from({ length: MAX_WORKLOADS_LISTED }, (_, i) => `${10 * i + 3}: Deployment 'w${i}' receives this traffic`),
      `${10 * MAX_WORKLOADS_LISTED + 3}: Deployment 'w${MAX_WORKLOADS_LISTED}' and 4 more workloads receive this traffic`,
    ]);
  });
});
