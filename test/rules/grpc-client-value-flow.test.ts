// Addresses as real repositories write them, followed to the Service through the existing gRPC rules: a JS
// gateway's destructured env, a .NET client bound through IOptions from appsettings.json with an env override,
// grpc-spring-boot-starter `@GrpcClient` with `static://` and `${ENV:dns:///…}` addresses, a Go helper that wraps
// os.Getenv, a Go flag set by the container's args, Grpc.Core channels and servers with options in a variable,
// grpc-java's old nameResolverFactory / loadBalancerFactory, and http:// targets that are no gRPC channel.
import clientRule from '../../rules/grpc-client-load-balancing.js';
import imbalanceRule from '../../rules/grpc-clusterip-imbalance.js';
import serverAgeRule from '../../rules/grpc-server-max-connection-age.js';
import { code, runRuleTests } from '../helpers/rule-tester.js';
import { app } from './grpc-k8s.js';

const ordersClusterIp = app({ name: 'orders', namespace: 'shop', port: 9090, portName: 'grpc' });
const ordersHeadless = app({ name: 'orders', namespace: 'shop', port: 9090, portName: 'grpc', headless: true });
const checkout = (env?: Record<string, string>) => app({ name: 'checkout', namespace: 'shop', port: 8080, env });
const HEADLESS_SIBLING =
  '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: orders-headless\n  namespace: shop\nspec:\n  clusterIP: None\n  selector:\n    app: orders\n  ports:\n    - name: grpc\n      port: 9090\n---\n';
const withSibling = (manifest: string) => manifest.replace('---\n', HEADLESS_SIBLING);

const CHECKOUT_JAVA = code`
  package shop;

  import net.devh.boot.grpc.client.inject.GrpcClient;
  import org.springframework.stereotype.Service;

  @Service
  public class CheckoutService {
    @GrpcClient("orders")
    private OrdersGrpc.OrdersBlockingStub orders;
  }
`;
const springYaml = (address: string, extra = '') => code`
  spring:
    application:
      name: checkout
  grpc:
    client:
      orders:
        address: ${address}
        negotiation-type: plaintext${extra}
`;

const ORDERS_GATEWAY_CS = code`
  using Grpc.Net.Client;
  using Microsoft.Extensions.Options;

  public class ServiceUrls
  {
      public string Orders { get; set; } = "";
  }

  public class OrdersGateway
  {
      private readonly GrpcChannel _channel;

      public OrdersGateway(IOptions<ServiceUrls> options)
      {
          _channel = GrpcChannel.ForAddress(options.Value.Orders);
      }
  }
`;
const PROGRAM_CS = code`
  var builder = WebApplication.CreateBuilder(args);
  builder.Services.Configure<ServiceUrls>(builder.Configuration.GetSection("Urls"));
  builder.Services.AddSingleton<OrdersGateway>();
  builder.Build().Run();
`;
const appsettings = (orders: string) =>
  `{\n  // Local defaults; the Deployment overrides them.\n  "Urls": {\n    "Orders": "${orders}",\n  },\n}\n`;
const storefront = (env?: Record<string, string>) => app({ name: 'storefront', namespace: 'shop', port: 8080, env });
const orders50051 = app({ name: 'orders', namespace: 'shop', port: 50051, portName: 'grpc' });

const GATEWAY_JS = code`
  'use strict';
  const grpc = require('@grpc/grpc-js');
  const { CartServiceClient } = require('./proto/cart_grpc_pb');

  const { CART_ADDR = 'cart:7070', PORT: port = '8080' } = process.env;

  const cart = new CartServiceClient(CART_ADDR, grpc.credentials.createInsecure());

  module.exports = { cart, port };
`;
const gateway = (addr: string) => app({ name: 'gateway', namespace: 'shop', port: 8080, env: { CART_ADDR: addr } });
const cart = app({ name: 'cart', namespace: 'shop', port: 7070, portName: 'grpc' });

runRuleTests(clientRule, {
  valid: [
    {
      name: 'spring: @GrpcClient over dns:/// to a headless Service uses the starter default, round_robin',
      files: {
        'checkout/src/main/java/shop/CheckoutService.java': CHECKOUT_JAVA,
        'checkout/src/main/resources/application.yml': springYaml('dns:///orders.shop.svc.cluster.local:9090'),
        'k8s/orders.yaml': ordersHeadless,
        'k8s/checkout.yaml': checkout(),
      },
    },
    {
      name: 'spring: discovery:/// resolves through Spring Cloud discovery (the pods), not the Service VIP',
      files: {
        'checkout/src/main/java/shop/CheckoutService.java': CHECKOUT_JAVA,
        'checkout/src/main/resources/application.yml': springYaml('discovery:///orders'),
        'k8s/orders.yaml': ordersClusterIp,
        'k8s/checkout.yaml': checkout(),
      },
    },
    {
      name: "spring: a test resource's address does not apply to the main code",
      files: {
        'checkout/src/main/java/shop/CheckoutService.java': CHECKOUT_JAVA,
        'checkout/src/test/resources/application.yml': springYaml('static://orders:9090'),
        'k8s/orders.yaml': ordersClusterIp,
        'k8s/checkout.yaml': checkout(),
      },
    },
    {
      name: "quarkus: its @GrpcClient is not the Spring starter's (other keys, other defaults)",
      files: {
        'checkout/src/main/java/shop/CheckoutService.java': CHECKOUT_JAVA.replace(
          'net.devh.boot.grpc.client.inject.GrpcClient',
          'io.quarkus.grpc.GrpcClient',
        ),
        'checkout/src/main/resources/application.yml': springYaml('static://orders:9090'),
        'k8s/orders.yaml': ordersClusterIp,
        'k8s/checkout.yaml': checkout(),
      },
    },
    {
      name: 'grpc.core: round_robin set in an options list held in a variable',
      files: {
        'checkout/OrdersClient.cs': code`
          using Grpc.Core;

          var options = new List<ChannelOption> { new ChannelOption("grpc.lb_policy_name", "round_robin") };
          var channel = new Channel("orders.shop.svc.cluster.local:9090", ChannelCredentials.Insecure, options);
        `,
        'k8s/orders.yaml': ordersHeadless,
      },
    },
    {
      name: 'grpc-java: nameResolverFactory(KubernetesNameResolverProvider) and RoundRobinLoadBalancerFactory: a watching resolver with round_robin',
      files: {
        'checkout/OrdersClient.java': code`
          import io.grpc.ManagedChannelBuilder;
          import io.grpc.util.RoundRobinLoadBalancerFactory;

          class OrdersClient {
            void connect() {
              var channel = ManagedChannelBuilder.forTarget("kubernetes:///orders.shop:9090")
                  .nameResolverFactory(new KubernetesNameResolverProvider())
                  .loadBalancerFactory(RoundRobinLoadBalancerFactory.getInstance())
                  .usePlaintext()
                  .build();
            }
          }
        `,
        'k8s/orders.yaml': ordersHeadless,
      },
    },
    {
      name: 'go and python: an http:// target is no gRPC channel (no http resolver), so it is no client of the Service',
      files: {
        'checkout/main.go': code`
          package main

          import "google.golang.org/grpc"

          func main() { grpc.NewClient("http://orders.shop:9090") }
        `,
        'checkout/client.py': code`
          import grpc
          channel = grpc.insecure_channel("https://orders.shop:9090")
        `,
        'k8s/orders.yaml': ordersClusterIp,
      },
    },
    {
      name: '.net: an address from config that names an external host holds one connection, but to no Service here',
      files: {
        'src/Storefront/OrdersGateway.cs': ORDERS_GATEWAY_CS,
        'src/Storefront/Program.cs': PROGRAM_CS,
        'src/Storefront/appsettings.json': appsettings('https://orders.example.com'),
        'k8s/storefront.yaml': storefront(),
      },
    },
    {
      name: '.net: test code dialing an in-process test server is not reported',
      files: {
        'src/Cart/tests/CartServiceTests.cs': code`
          using Grpc.Net.Client;

          public class CartServiceTests
          {
              public void AddItem(HttpClient httpClient)
              {
                  var channel = GrpcChannel.ForAddress(httpClient.BaseAddress, new GrpcChannelOptions { HttpClient = httpClient });
              }
          }
        `,
      },
    },
  ],
  invalid: [
    {
      name: 'js: `const { CART_ADDR = … } = process.env`, set by the Deployment: the suggestion edits the env value',
      files: {
        'services/gateway/server.js': GATEWAY_JS,
        'k8s/cart.yaml': cart,
        'k8s/gateway.yaml': gateway('cart.shop.svc.cluster.local:7070'),
      },
      errors: [
        {
          messageId: 'clusterIp',
          line: 7,
          column: 36,
          endLine: 7,
          endColumn: 45,
          message:
            "new CartServiceClient dials ClusterIP Service 'cart.shop' (pick_first), so every call goes to one pod. kube-proxy balances per connection and the channel has one; nothing recycles it while it is busy, so pods added later get none of its calls.",
          related: ['k8s/gateway.yaml:36:22'],
          suggestions: [
            {
              messageId: 'useHeadless',
              output: {
                'services/gateway/server.js': GATEWAY_JS.replace(
                  'grpc.credentials.createInsecure())',
                  `grpc.credentials.createInsecure(), { 'grpc.service_config': '{"loadBalancingConfig":[{"round_robin":{}}]}' })`,
                ),
                'k8s/gateway.yaml': gateway('dns:///cart-headless.shop.svc.cluster.local:7070'),
                'k8s/cart.yaml': cart.replace('---\n', HEADLESS_SIBLING.replace(/orders/g, 'cart').replace('9090', '7070')),
              },
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: '.net: IOptions<ServiceUrls> bound to the Urls section; the Deployment overrides Urls:Orders with Urls__Orders',
      files: {
        'src/Storefront/OrdersGateway.cs': ORDERS_GATEWAY_CS,
        'src/Storefront/Program.cs': PROGRAM_CS,
        'src/Storefront/appsettings.json': appsettings('http://localhost:5001'),
        'k8s/orders.yaml': orders50051,
        'k8s/storefront.yaml': storefront({ Urls__Orders: 'http://orders.shop.svc.cluster.local:50051' }),
      },
      errors: [
        {
          messageId: 'passthrough',
          line: 15,
          column: 43,
          endLine: 15,
          endColumn: 63,
          message:
            "GrpcChannel.ForAddress sends every call of this channel to one pod of Service 'orders.shop'. It dials 'http://orders.shop.svc.cluster.local:50051' (http:// address: no resolver): one address is one connection; nothing recycles it while it is busy, so pods added later get none of its calls.",
          related: ['k8s/storefront.yaml:36:22'],
          suggestions: [
            {
              messageId: 'useHeadless',
              output: {
                'src/Storefront/OrdersGateway.cs': ORDERS_GATEWAY_CS.replace(
                  'ForAddress(options.Value.Orders)',
                  'ForAddress(options.Value.Orders, new GrpcChannelOptions { ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } } })',
                ),
                'k8s/storefront.yaml': storefront({ Urls__Orders: 'dns:///orders-headless.shop.svc.cluster.local:50051' }),
                'k8s/orders.yaml': withSibling(orders50051).replace('port: 9090', 'port: 50051'),
              },
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: '.net: without an env override the value comes from appsettings.json, and the suggestion edits it there',
      files: {
        'src/Storefront/OrdersGateway.cs': ORDERS_GATEWAY_CS,
        'src/Storefront/Program.cs': PROGRAM_CS,
        'src/Storefront/appsettings.json': appsettings('http://orders.shop:50051'),
        'src/Storefront/appsettings.Development.json': '{ "Urls": { "Orders": "http://localhost:5001" } }\n',
        'k8s/orders.yaml': orders50051,
        'k8s/storefront.yaml': storefront(),
      },
      errors: [
        {
          messageId: 'passthrough',
          line: 15,
          column: 43,
          endLine: 15,
          endColumn: 63,
          related: ['src/Storefront/appsettings.json:4:15'],
          suggestions: [
            {
              messageId: 'useHeadless',
              output: {
                'src/Storefront/OrdersGateway.cs': ORDERS_GATEWAY_CS.replace(
                  'ForAddress(options.Value.Orders)',
                  'ForAddress(options.Value.Orders, new GrpcChannelOptions { ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } } })',
                ),
                'src/Storefront/appsettings.json': appsettings('dns:///orders-headless.shop.svc.cluster.local:50051'),
                'k8s/orders.yaml': withSibling(orders50051).replace('port: 9090', 'port: 50051'),
              },
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: '.net: an address that cannot be read still holds one connection without LoadBalancingConfigs (info)',
      files: {
        'src/Storefront/OrdersGateway.cs': code`
          using Grpc.Net.Client;

          public static class Channels
          {
              public static GrpcChannel Orders(string address) => GrpcChannel.ForAddress(address);
          }
        `,
      },
      errors: [
        {
          messageId: 'oneConnection',
          line: 5,
          column: 80,
          endLine: 5,
          endColumn: 87,
          severity: 'info',
          suggestions: [
            {
              messageId: 'addRoundRobin',
              output: {
                'src/Storefront/OrdersGateway.cs': code`
                  using Grpc.Net.Client;

                  public static class Channels
                  {
                      public static GrpcChannel Orders(string address) => GrpcChannel.ForAddress(address, new GrpcChannelOptions { ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } } });
                  }
                `,
              },
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'spring: @GrpcClient with grpc.client.orders.address static://orders:9090 — a fixed list, resolved once: one pod',
      files: {
        'checkout/src/main/java/shop/CheckoutService.java': CHECKOUT_JAVA,
        'checkout/src/main/resources/application.yml': springYaml('static://orders:9090'),
        'k8s/orders.yaml': ordersClusterIp,
        'k8s/checkout.yaml': checkout(),
      },
      errors: [
        {
          messageId: 'passthrough',
          line: 8,
          column: 15,
          endLine: 8,
          endColumn: 23,
          message:
            "@GrpcClient sends every call of this channel to one pod of Service 'orders.shop'. It dials 'static://orders:9090' (static:// address: resolved once to one IP): one address is one connection; nothing recycles it while it is busy, so pods added later get none of its calls.",
          related: ['checkout/src/main/resources/application.yml:7:16'],
          suggestions: [
            {
              messageId: 'useHeadless',
              output: {
                'checkout/src/main/resources/application.yml': springYaml('dns:///orders-headless.shop.svc.cluster.local:9090'),
                'k8s/orders.yaml': withSibling(ordersClusterIp),
              },
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'spring: ${ORDERS_ADDR:dns:///orders:9090} with no env set: round_robin (the starter default) over one VIP',
      files: {
        'checkout/src/main/java/shop/CheckoutService.java': CHECKOUT_JAVA,
        'checkout/src/main/resources/application.yml': springYaml('${ORDERS_ADDR:dns:///orders:9090}'),
        'k8s/orders.yaml': ordersClusterIp,
        'k8s/checkout.yaml': checkout(),
      },
      errors: [
        {
          messageId: 'clusterIp',
          line: 8,
          column: 15,
          endLine: 8,
          endColumn: 23,
          message:
            "@GrpcClient dials ClusterIP Service 'orders.shop' (round_robin), so every call goes to one pod. kube-proxy balances per connection and the channel has one; nothing recycles it while it is busy, so pods added later get none of its calls.",
          related: ['checkout/src/main/resources/application.yml:7:16'],
          suggestions: [
            {
              messageId: 'useHeadless',
              output: {
                'checkout/src/main/resources/application.yml': springYaml(
                  '${ORDERS_ADDR:dns:///orders-headless.shop.svc.cluster.local:9090}',
                ),
                'k8s/orders.yaml': withSibling(ordersClusterIp),
              },
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'spring: ORDERS_ADDR set in the Deployment wins over the placeholder default; the suggestion edits the env value',
      files: {
        'checkout/src/main/java/shop/CheckoutService.java': CHECKOUT_JAVA,
        'checkout/src/main/resources/application.yml': springYaml('${ORDERS_ADDR:dns:///localhost:9090}'),
        'k8s/orders.yaml': ordersClusterIp,
        'k8s/checkout.yaml': checkout({ ORDERS_ADDR: 'dns:///orders.shop.svc.cluster.local:9090' }),
      },
      errors: [
        {
          messageId: 'clusterIp',
          line: 8,
          column: 15,
          endLine: 8,
          endColumn: 23,
          related: ['k8s/checkout.yaml:36:22', 'checkout/src/main/resources/application.yml:7:16'],
          suggestions: [
            {
              messageId: 'useHeadless',
              output: {
                'k8s/checkout.yaml': checkout({ ORDERS_ADDR: 'dns:///orders-headless.shop.svc.cluster.local:9090' }),
                'k8s/orders.yaml': withSibling(ordersClusterIp),
              },
            },
          ],
        },
      ],
      output: null,
    },
    {
      name: 'spring: GRPC_CLIENT_ORDERS_ADDRESS (relaxed binding) overrides application.yml, and default-load-balancing-policy: pick_first is read',
      files: {
        'checkout/src/main/java/shop/CheckoutService.java': CHECKOUT_JAVA,
        'checkout/src/main/resources/application.yml': springYaml(
          'static://localhost:9090',
          '\n        default-load-balancing-policy: pick_first',
        ),
        'k8s/orders.yaml': ordersHeadless,
        'k8s/checkout.yaml': checkout({ GRPC_CLIENT_ORDERS_ADDRESS: 'dns:///orders.shop.svc.cluster.local:9090' }),
      },
      errors: [
        {
          messageId: 'pickFirst',
          line: 8,
          column: 15,
          endLine: 8,
          endColumn: 23,
          message:
            "@GrpcClient dials headless Service 'orders.shop' with pick_first, so every call goes to one pod. pick_first is the default: the channel connects to one address and keeps it; add a round_robin policy.",
          related: ['k8s/checkout.yaml:36:22'],
        },
      ],
      output: null,
    },
    {
      name: 'go: the address comes through a helper that wraps os.Getenv, formatted with fmt.Sprintf',
      files: {
        'checkout/main.go': code`
          package main

          import (
          	"fmt"
          	"os"

          	"google.golang.org/grpc"
          )

          func ordersHost() string { return os.Getenv("ORDERS_HOST") }

          func main() {
          	conn, _ := grpc.NewClient(fmt.Sprintf("%s:9090", ordersHost()))
          	defer conn.Close()
          }
        `,
        'k8s/orders.yaml': ordersClusterIp,
        'k8s/checkout.yaml': checkout({ ORDERS_HOST: 'orders.shop.svc.cluster.local' }),
      },
      errors: [
        { messageId: 'clusterIp', line: 13, column: 28, endLine: 13, endColumn: 64, related: ['k8s/checkout.yaml:36:22'], suggestions: [] },
      ],
      output: null,
    },
    {
      name: "go: a flag's default is overridden by the container's args",
      files: {
        'checkout/main.go': code`
          package main

          import (
          	"flag"

          	"google.golang.org/grpc"
          )

          var ordersAddr = flag.String("orders-addr", "localhost:9090", "orders gRPC address")

          func main() {
          	flag.Parse()
          	conn, _ := grpc.NewClient(*ordersAddr)
          	defer conn.Close()
          }
        `,
        'k8s/orders.yaml': ordersClusterIp,
        'k8s/checkout.yaml': checkout().replace(
          '          ports:\n            - name: tcp\n              containerPort: 8080',
          '          args: ["--orders-addr=orders.shop.svc.cluster.local:9090"]',
        ),
      },
      errors: [{ messageId: 'clusterIp', line: 13, column: 28, endLine: 13, endColumn: 39 }],
      output: null,
    },
    {
      name: 'grpc.core: options held in a variable without a policy; the fix adds grpc.lb_policy_name to that list',
      files: {
        'checkout/OrdersClient.cs': code`
          using Grpc.Core;

          var options = new List<ChannelOption> { new ChannelOption("grpc.max_receive_message_length", 16777216) };
          var channel = new Channel("orders.shop.svc.cluster.local:9090", ChannelCredentials.Insecure, options);
        `,
        'k8s/orders.yaml': ordersHeadless,
      },
      errors: [
        {
          messageId: 'pickFirst',
          line: 4,
          column: 27,
          endLine: 4,
          endColumn: 63,
          message:
            "new Channel dials headless Service 'orders.shop' with pick_first, so every call goes to one pod. pick_first is the default: the channel connects to one address and keeps it; add a round_robin policy.",
        },
      ],
      output: {
        'checkout/OrdersClient.cs': code`
          using Grpc.Core;

          var options = new List<ChannelOption> { new ChannelOption("grpc.max_receive_message_length", 16777216), new ChannelOption("grpc.lb_policy_name", "round_robin") };
          var channel = new Channel("orders.shop.svc.cluster.local:9090", ChannelCredentials.Insecure, options);
        `,
      },
    },
    {
      name: 'grpc-java: nameResolverFactory alone keeps pick_first; the fix adds defaultLoadBalancingPolicy',
      files: {
        'checkout/OrdersClient.java': code`
          import io.grpc.ManagedChannelBuilder;

          class OrdersClient {
            void connect() {
              var channel = ManagedChannelBuilder.forTarget("kubernetes:///orders.shop:9090").nameResolverFactory(new KubernetesNameResolverProvider()).usePlaintext().build();
            }
          }
        `,
        'k8s/orders.yaml': ordersHeadless,
      },
      errors: [{ messageId: 'pickFirst', line: 5, column: 51, endLine: 5, endColumn: 83 }],
      output: {
        'checkout/OrdersClient.java': code`
          import io.grpc.ManagedChannelBuilder;

          class OrdersClient {
            void connect() {
              var channel = ManagedChannelBuilder.forTarget("kubernetes:///orders.shop:9090").defaultLoadBalancingPolicy("round_robin").nameResolverFactory(new KubernetesNameResolverProvider()).usePlaintext().build();
            }
          }
        `,
      },
    },
  ],
});

runRuleTests(imbalanceRule, {
  valid: [
    {
      name: 'an http:// target in Go is no client evidence for a Service whose port does not say gRPC',
      files: {
        'checkout/main.go': code`
          package main

          import "google.golang.org/grpc"

          func main() { grpc.NewClient("http://orders.shop:9090") }
        `,
        'k8s/orders.yaml': app({ name: 'orders', namespace: 'shop', port: 9090 }),
      },
    },
  ],
  invalid: [
    {
      name: 'the same Service dialed with dns:/// is',
      files: {
        'k8s/orders.yaml': app({ name: 'orders', namespace: 'shop', port: 9090 }),
        'checkout/main.go': code`
          package main

          import "google.golang.org/grpc"

          func main() { grpc.NewClient("dns:///orders.shop:9090") }
        `,
      },
      errors: [
        {
          messageId: 'pinned',
          line: 10,
          column: 7,
          endLine: 10,
          endColumn: 16,
          related: ['k8s/orders.yaml:16:9', 'checkout/main.go:5:30'],
        },
      ],
      output: null,
    },
  ],
});

const GRPC_CORE_SERVER = (options: string) => code`
  using Grpc.Core;

  var server = new Server(${options})
  {
      Services = { Orders.BindService(new OrdersService()) },
      Ports = { new ServerPort("0.0.0.0", 9090, ServerCredentials.Insecure) },
  };
  server.Start();
`;

runRuleTests(serverAgeRule, {
  valid: [
    {
      name: 'grpc.core: grpc.max_connection_age_ms in the server options',
      files: {
        'orders/Program.cs': GRPC_CORE_SERVER('new[] { new ChannelOption("grpc.max_connection_age_ms", 300000) }'),
        'k8s/orders.yaml': ordersClusterIp,
      },
    },
  ],
  invalid: [
    {
      name: 'grpc.core: a Server without a max connection age; the suggestion adds the channel args',
      files: {
        'orders/Program.cs': GRPC_CORE_SERVER('new[] { new ChannelOption("grpc.max_concurrent_streams", 100) }'),
        'k8s/orders.yaml': ordersClusterIp,
      },
      errors: [
        {
          messageId: 'noAge',
          line: 3,
          column: 14,
          endLine: 7,
          endColumn: 2,
          message:
            "new Server serves Deployment 'orders' behind Service 'orders.shop' without grpc.max_connection_age_ms. Busy client connections are never recycled: they stay on the pods they first reached, and pods added later get traffic only when connections end (idleness, errors, restarts).",
          suggestions: [
            {
              messageId: 'addAge',
              output: {
                'orders/Program.cs': GRPC_CORE_SERVER(
                  'new[] { new ChannelOption("grpc.max_concurrent_streams", 100), new ChannelOption("grpc.max_connection_age_ms", 300000), new ChannelOption("grpc.max_connection_age_grace_ms", 10000) }',
                ),
              },
            },
          ],
        },
      ],
    },
  ],
});
