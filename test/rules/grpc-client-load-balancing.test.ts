import rule from '../../rules/grpc-client-load-balancing.js';
import { code, runRuleTests } from '../helpers/rule-tester.js';
import { app } from './grpc-k8s.js';

const headless = app({ name: 'orders', namespace: 'shop', headless: true, portName: 'grpc' });
const clusterIp = app({ name: 'orders', namespace: 'shop', portName: 'grpc', targetPort: 'grpc' });

runRuleTests(rule, {
  valid: [
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
    {
      name: 'one replica and no autoscaler: nothing to balance',
      files: {
        'k8s/orders.yaml': app({ name: 'orders', namespace: 'shop', replicas: 1 }),
        'main.go': code`
          package main

          import "google.golang.org/grpc"

          func main() { grpc.NewClient("orders.shop:50051") }
        `,
      },
    },
  ],
  invalid: [
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
