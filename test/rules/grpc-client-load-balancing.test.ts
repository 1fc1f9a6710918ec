import rule from '../../rules/grpc-client-load-balancing.js';
import { code, runRuleTests, type InvalidCase, type ValidCase } from '../helpers/rule-tester.js';
import { app, client, LANGS, quoted, spanOf, type Lang } from './grpc-k8s.js';

const headless = app({ name: 'orders', namespace: 'shop', headless: true, portName: 'grpc' });
const clusterIp = app({ name: 'orders', namespace: 'shop', portName: 'grpc', targetPort: 'grpc' });

/** Each language's default address form for a headless Service (.NET needs the dns scheme to resolve at all). */
const headlessTarget = (lang: Lang) => (lang === 'csharp' ? 'dns:///orders.shop:50051' : 'orders.shop:50051');

const perLanguageValid: ValidCase[] = LANGS.map((lang) => {
  const c = client(lang, headlessTarget(lang), { rr: true });
  return { name: `${lang}: round_robin over the headless Service`, files: { 'k8s/orders.yaml': headless, [c.file]: c.text } };
});

const perLanguageInvalid: InvalidCase[] = LANGS.flatMap((lang): InvalidCase[] => {
  const pick = client(lang, headlessTarget(lang));
  const fixed = client(lang, headlessTarget(lang), { rr: true });
  const pinned = client(lang, lang === 'csharp' ? 'http://orders.shop:50051' : 'orders.shop:50051');
  return [
    {
      name: `${lang}: pick_first over a headless Service; the fix adds round_robin`,
      files: { [pick.file]: pick.text, 'k8s/orders.yaml': headless },
      errors: [{ messageId: 'pickFirst', ...spanOf(pick.text, quoted(lang, headlessTarget(lang))) }],
      output: { [pick.file]: fixed.text },
    },
    {
      name: `${lang}: a ClusterIP name pins the channel to one pod`,
      files: { [pinned.file]: pinned.text, 'k8s/orders.yaml': clusterIp },
      errors: [
        {
          messageId: lang === 'csharp' ? 'passthrough' : 'clusterIp',
          ...spanOf(pinned.text, quoted(lang, lang === 'csharp' ? 'http://orders.shop:50051' : 'orders.shop:50051')),
          suggestions: undefined,
        },
      ],
      output: null,
    },
  ];
});

runRuleTests(rule, {
  valid: [
    ...perLanguageValid,
    {
      name: 'go: NewClient, dns:/// headless name, round_robin service config',
      files: {
        'k8s/orders.yaml': headless,
        'cmd/client/main.go': code`
          package main

          import "google.golang.org/grpc"

          func main() {
          	conn, _ := grpc.NewClient("dns:///orders.shop.svc.cluster.local:50051",
          		grpc.WithDefaultServiceConfig(\`{"loadBalancingConfig":[{"round_robin":{}}]}\`))
          	defer conn.Close()
          }
        `,
      },
    },
    {
      name: 'go: an external host is not a Service',
      files: {
        'k8s/orders.yaml': headless,
        'main.go': code`
          package main

          import "google.golang.org/grpc"

          func main() { grpc.NewClient("api.example.com:443") }
        `,
      },
    },
    {
      name: 'go: options built elsewhere in the file may set the policy',
      files: {
        'k8s/orders.yaml': headless,
        'main.go': code`
          package main

          import "google.golang.org/grpc"

          var opts = []grpc.DialOption{grpc.WithDefaultServiceConfig(cfg)}

          func main() { grpc.NewClient("orders.shop:50051", opts...) }
        `,
      },
    },
    {
      name: 'go: meshed client (Linkerd balances per request)',
      files: {
        'k8s/orders.yaml': clusterIp,
        'k8s/frontend.yaml': app({ name: 'frontend', namespace: 'shop', port: 80, podAnnotations: { 'linkerd.io/inject': 'enabled' } }),
        'services/frontend/main.go': code`
          package main

          import "google.golang.org/grpc"

          func main() { grpc.NewClient("orders.shop:50051") }
        `,
      },
    },
    {
      name: 'python: lb_policy_name round_robin over a headless Service',
      files: {
        'k8s/orders.yaml': headless,
        'client.py': code`
          import grpc
          channel = grpc.insecure_channel("orders.shop:50051", options=[("grpc.lb_policy_name", "round_robin")])
        `,
      },
    },
    {
      name: 'js: grpc.service_config round_robin over a headless Service',
      files: {
        'k8s/orders.yaml': headless,
        'client.ts': code`
          import * as grpc from '@grpc/grpc-js';
          const client = new OrdersClient('dns:///orders.shop:50051', grpc.credentials.createInsecure(), {
            'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
          });
        `,
      },
    },
    {
      name: 'java: defaultLoadBalancingPolicy round_robin',
      files: {
        'k8s/orders.yaml': headless,
        'Client.java': code`
          import io.grpc.ManagedChannelBuilder;
          class Client {
            void run() {
              var ch = ManagedChannelBuilder.forTarget("dns:///orders.shop.svc.cluster.local:50051").defaultLoadBalancingPolicy("round_robin").usePlaintext().build();
            }
          }
        `,
      },
    },
    {
      name: 'csharp: RoundRobinConfig over dns:/// headless',
      files: {
        'k8s/orders.yaml': headless,
        'Client.cs': code`
          using Grpc.Net.Client;
          var channel = GrpcChannel.ForAddress("dns:///orders.shop:50051", new GrpcChannelOptions { ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } } });
        `,
      },
    },
  ],
  invalid: [
    ...perLanguageInvalid,
    {
      name: 'one replica and no autoscaler is not exempt (facts §3.3): the message says it bites once scaled',
      files: {
        'k8s/orders.yaml': app({ name: 'orders', namespace: 'shop', replicas: 1 }),
        'main.go': code`
          package main

          import "google.golang.org/grpc"

          func main() { grpc.NewClient("orders.shop:50051") }
        `,
      },
      errors: [
        {
          file: 'main.go',
          messageId: 'clusterIp',
          line: 5,
          column: 30,
          endLine: 5,
          endColumn: 49,
          message:
            "grpc.NewClient dials ClusterIP Service 'orders.shop' (pick_first), so every call goes to one pod. kube-proxy balances per connection and the channel has one; nothing recycles it while it is busy, so pods added later get none of its calls. With one replica today this bites once there is more than one pod.",
        },
      ],
      output: null,
    },
    {
      name: 'go: Dial without a scheme is passthrough even to a headless Service; the suggestion rewrites the target',
      files: {
        'client/main.go': code`
          package main

          import "google.golang.org/grpc"

          func main() { grpc.Dial("orders.shop:50051") }
        `,
        'k8s/orders.yaml': headless,
      },
      errors: [
        {
          messageId: 'passthrough',
          line: 5,
          column: 25,
          endLine: 5,
          endColumn: 44,
          suggestions: [
            {
              messageId: 'useHeadless',
              output: {
                'client/main.go': code`
                  package main

                  import "google.golang.org/grpc"

                  func main() { grpc.Dial("dns:///orders.shop.svc.cluster.local:50051", grpc.WithDefaultServiceConfig(\`{"loadBalancingConfig":[{"round_robin":{}}]}\`)) }
                `,
              },
            },
            // No kuberesolver suggestion: no workload runs this client, so there is no ServiceAccount for its RBAC.
          ],
        },
      ],
      output: null,
    },
    {
      name: 'python: target from an env var set in the Deployment; the suggestion edits the manifest, the code and adds the headless Service',
      files: {
        'services/frontend/client.py': code`
          import os
          import grpc

          channel = grpc.insecure_channel(os.environ["ORDERS_ADDR"])
        `,
        'k8s/orders.yaml': clusterIp,
        'k8s/frontend.yaml': app({
          name: 'frontend',
          namespace: 'shop',
          port: 80,
          image: 'example/frontend:2',
          env: { ORDERS_ADDR: 'orders.shop.svc.cluster.local:50051' },
        }),
      },
      errors: [
        {
          messageId: 'clusterIp',
          line: 4,
          column: 33,
          endLine: 4,
          endColumn: 58,
          related: ['k8s/frontend.yaml:36:22'],
          suggestions: [
            {
              messageId: 'useHeadless',
              output: {
                'services/frontend/client.py': code`
                  import os
                  import grpc

                  channel = grpc.insecure_channel(os.environ["ORDERS_ADDR"], options=[("grpc.service_config", '{"loadBalancingConfig":[{"round_robin":{}}]}')])
                `,
                'k8s/frontend.yaml': app({
                  name: 'frontend',
                  namespace: 'shop',
                  port: 80,
                  image: 'example/frontend:2',
                  env: { ORDERS_ADDR: 'dns:///orders-headless.shop.svc.cluster.local:50051' },
                }),
                'k8s/orders.yaml': clusterIp.replace(
                  '---\n',
                  '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: orders-headless\n  namespace: shop\nspec:\n  clusterIP: None\n  selector:\n    app: orders\n  ports:\n    - name: grpc\n      port: 50051\n      targetPort: grpc\n---\n',
                ),
              },
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'go: NewClient to a headless Service with pick_first: fix adds round_robin',
      files: {
        'cmd/client/main.go': code`
          package main

          import "google.golang.org/grpc"

          func main() {
          	conn, _ := grpc.NewClient("orders.shop.svc.cluster.local:50051",
          		grpc.WithTransportCredentials(insecure.NewCredentials()),
          	)
          	defer conn.Close()
          }
        `,
        'k8s/orders.yaml': headless,
      },
      errors: [{ messageId: 'pickFirst', line: 6, column: 28, endLine: 6, endColumn: 65 }],
      output: {
        'cmd/client/main.go': code`
          package main

          import "google.golang.org/grpc"

          func main() {
          	conn, _ := grpc.NewClient("orders.shop.svc.cluster.local:50051",
          		grpc.WithTransportCredentials(insecure.NewCredentials()),
          		grpc.WithDefaultServiceConfig(\`{"loadBalancingConfig":[{"round_robin":{}}]}\`),
          	)
          	defer conn.Close()
          }
        `,
      },
    },
  ],
});
