// Value flow into code, row by row: the reader's new rows (env destructuring, helpers, flags, Spring @Value and
// @GrpcClient, .NET IConfiguration / IOptions, Grpc.Core, old grpc-java builders) as exact parts; the app-config
// extractor's records with spans; and the model's resolution of config keys (relaxed env, profiles, environments,
// nearest module) and its weaker, config-only gRPC evidence.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWorkspace } from '../../src/api.js';
import { extractFacts } from '../../src/core/facts/index.js';
import { csharpTable } from '../../src/core/facts/grpc/csharp.js';
import { goTable } from '../../src/core/facts/grpc/go.js';
import type { GrpcFacts } from '../../src/core/facts/grpc/index.js';
import { javaTable } from '../../src/core/facts/grpc/java.js';
import { jsTable } from '../../src/core/facts/grpc/js.js';
import { pythonTable } from '../../src/core/facts/grpc/python.js';
import { readGrpc } from '../../src/core/facts/grpc/reader.js';
import type { LanguageTable } from '../../src/core/facts/grpc/table.js';
import { parseTarget } from '../../src/core/facts/grpc/target.js';
import type { Part } from '../../src/core/facts/grpc/value.js';
import { parse } from '../../src/core/facts/treesitter.js';
import { initKubeconn } from '../../src/core/init.js';
import { grpcPortNameHint } from '../../src/core/model/kubernetes.js';
import { resolveOptions } from '../../src/core/options.js';
import { code } from '../helpers/rule-tester.js';
import { app } from '../rules/grpc-k8s.js';

async function read(table: LanguageTable, text: string): Promise<GrpcFacts> {
  await initKubeconn();
  const tree = parse(table.files[0]!.grammar, text);
  try {
    return readGrpc(table, tree.rootNode, text);
  } finally {
    tree.delete();
  }
}

/** Parts as short text: `$ENV{default}`, `@key{default}` (`@Type/key` for options classes), `-flag{default}`, `?` unknown. */
function show(parts: Part[] | null | undefined): string {
  if (!parts) return '?';
  return parts
    .map((p) => {
      if (p.kind === 'lit') return p.text;
      const fallback = p.fallback === undefined ? '' : `{${show(p.fallback)}}`;
      if (p.kind === 'env') return `$${p.name}${fallback}`;
      if (p.kind === 'flag') return `-${p.name}${fallback}`;
      return `@${p.options ? `${p.options}/` : ''}${p.key}${fallback}`;
    })
    .join('');
}
const targets = (facts: GrpcFacts) => facts.dials.map((d) => d.targets.map((t) => show(t.parts)).join(' | '));
const at = (text: string, needle: string): [number, number] => [text.indexOf(needle), text.indexOf(needle) + needle.length];

describe('value flow: reader rows', () => {
  it('js: destructured process.env, with defaults and renames; helpers that return an env read', async () => {
    const text = code`
      const { CART_ADDR = 'cart:7070', PAY: payAddr, SHIP, RATES: rates = 'rates:1' } = process.env;
      const host = () => process.env.HOST;
      function stock() { return process.env['STOCK'] ?? 'stock:1'; }
      new A(CART_ADDR, grpc.credentials.createInsecure());
      new A(payAddr, grpc.credentials.createInsecure());
      new A(SHIP, grpc.credentials.createInsecure());
      new A(rates, grpc.credentials.createInsecure());
      new A(\`\${host()}:50051\`, grpc.credentials.createInsecure());
      new A(stock(), grpc.credentials.createInsecure());
    `;
    const facts = await read(jsTable, text);
    assert.deepEqual(targets(facts), ['$CART_ADDR{cart:7070}', '$PAY', '$SHIP', '$RATES{rates:1}', '$HOST:50051', '$STOCK{stock:1}']);
    // The default is where it is written, so a rule can point at it.
    const cart = facts.dials[0]!.targets[0]!.parts![0]! as Extract<Part, { kind: 'env' }>;
    assert.deepEqual(cart.fallback![0]!.at, at(text, 'cart:7070'));
  });

  it('go: one level of helper functions (env, LookupEnv-or-default, constants); flags with their defaults', async () => {
    const text = code`
      package main

      const defaultPayments = "payments:50051"

      var ordersAddr string

      func ordersHost() string { return os.Getenv("ORDERS_HOST") }

      func cartAddr() string {
      	if v, ok := os.LookupEnv("CART_ADDR"); ok {
      		return v
      	}
      	return "cart:7070"
      }

      func payments() string { return defaultPayments }

      func target(port string) string { return fmt.Sprintf("%s:%s", ordersHost(), port) }

      func main() {
      	flag.StringVar(&ordersAddr, "orders-addr", "orders:50051", "")
      	ship := flag.String("ship-addr", "ship:50051", "")
      	grpc.NewClient(fmt.Sprintf("%s:50051", ordersHost()))
      	grpc.NewClient(cartAddr())
      	grpc.NewClient(payments())
      	grpc.NewClient(target("9090"))
      	grpc.NewClient(ordersAddr)
      	grpc.NewClient(*ship)
      }
    `;
    // target() calls another helper: two levels, not followed (unknown, so quiet).
    assert.deepEqual(targets(await read(goTable, text)), [
      '$ORDERS_HOST:50051',
      '$CART_ADDR{cart:7070}',
      'payments:50051',
      '?',
      '-orders-addr{orders:50051}',
      '-ship-addr{ship:50051}',
    ]);
  });

  it('python: a helper returning os.environ.get with a default; os.getenv(default=…)', async () => {
    const text =
      'import os, grpc\n\ndef orders():\n    return os.environ.get("ORDERS_ADDR", "orders:50051")\n\ngrpc.insecure_channel(orders())\ngrpc.insecure_channel(os.getenv("PAY_ADDR", default="pay:50051"))\ngrpc.insecure_channel(os.environ["SHIP_ADDR"])\n';
    assert.deepEqual(targets(await read(pythonTable, text)), ['$ORDERS_ADDR{orders:50051}', '$PAY_ADDR{pay:50051}', '$SHIP_ADDR']);
  });

  it('python: channel args held in a variable are read there, unless the list is added to later', async () => {
    const read1 = await read(
      pythonTable,
      'import grpc\nopts = [("grpc.lb_policy_name", "round_robin")]\ngrpc.insecure_channel("orders:50051", options=opts)\n',
    );
    assert.deepEqual(
      read1.dials[0]!.lb.map((l) => l.policy),
      ['round_robin'],
    );
    const read2 = await read(
      pythonTable,
      'import grpc\nopts = []\nopts.append(("grpc.lb_policy_name", "round_robin"))\ngrpc.insecure_channel("orders:50051", options=opts)\n',
    );
    assert.deepEqual([read2.dials[0]!.lb.length, read2.dials[0]!.lbUnknown], [0, true]);
  });

  it('java: Spring @Value fields and parameters as config keys with their defaults', async () => {
    const text = code`
      class Clients {
        @Value("\${orders.address:dns:///orders:9090}") private String orders;
        private final String payments;
        Clients(@Value("\${payments.host}:\${payments.port:9090}") String payments) { this.payments = payments; }
        String ship() { return System.getenv("SHIP_ADDR"); }
        void connect() {
          ManagedChannelBuilder.forTarget(orders).build();
          ManagedChannelBuilder.forTarget(payments).build();
          ManagedChannelBuilder.forTarget(ship()).build();
        }
      }
    `;
    const facts = await read(javaTable, text);
    assert.deepEqual(targets(facts), ['@orders.address{dns:///orders:9090}', '@payments.host:@payments.port{9090}', '$SHIP_ADDR']);
    const orders = facts.dials[0]!.targets[0]!.parts![0]!;
    assert.deepEqual(orders.at, at(text, '${orders.address:dns:///orders:9090}'));
  });

  it('java: grpc-spring-boot-starter @GrpcClient — target grpc.client.<name>.address, round_robin unless configured', async () => {
    const text = code`
      import net.devh.boot.grpc.client.inject.GrpcClient;
      class Checkout {
        @GrpcClient("orders") private OrdersGrpc.OrdersBlockingStub orders;
        Checkout(@GrpcClient(value = "payments") PaymentsGrpc.PaymentsStub payments) {}
      }
    `;
    const facts = await read(javaTable, text);
    assert.deepEqual(targets(facts), ['@grpc.client.orders.address', '@grpc.client.payments.address']);
    const [orders] = facts.dials;
    assert.deepEqual(orders!.targetAt, at(text, '"orders"'));
    assert.deepEqual(
      orders!.lb.map((l) => [l.policy, l.via]),
      [['round_robin', 'apiDefault']],
    );
    assert.deepEqual(orders!.policyKeys, {
      keys: ['grpc.client.orders.default-load-balancing-policy', 'grpc.client.GLOBAL.default-load-balancing-policy'],
      dialect: 'spring',
    });
  });

  it('java: loadBalancerFactory(RoundRobinLoadBalancerFactory.getInstance()) is round_robin; nameResolverFactory is a resolver of its own', async () => {
    const text =
      'class C { void r() { ManagedChannelBuilder.forTarget("kubernetes:///orders:9090").nameResolverFactory(new KubernetesNameResolverProvider()).loadBalancerFactory(io.grpc.util.RoundRobinLoadBalancerFactory.getInstance()).build(); } }\n';
    const [dial] = (await read(javaTable, text)).dials;
    assert.deepEqual(
      dial!.lb.map((l) => [l.policy, l.via, text.slice(...l.at)]),
      [['round_robin', 'loadBalancerFactory', 'io.grpc.util.RoundRobinLoadBalancerFactory.getInstance()']],
    );
    assert.equal(text.slice(...dial!.withResolvers!), 'nameResolverFactory(new KubernetesNameResolverProvider())');
  });

  it('csharp: IConfiguration reads (index, GetValue with a default, sections, connection strings) and IOptions members', async () => {
    const text = code`
      using Grpc.Net.Client;
      class Gateway {
        private readonly ServiceUrls _urls;
        public Gateway(IConfiguration configuration, IOptions<ServiceUrls> options, IOptionsMonitor<GrpcSettings> monitor) {
          _urls = options.Value;
          var section = configuration.GetSection("Grpc");
          var urls = options.Value;
          GrpcChannel.ForAddress(configuration["Urls:Orders"]);
          GrpcChannel.ForAddress(configuration.GetValue<string>("Urls:Payments", "http://payments:8080"));
          GrpcChannel.ForAddress(configuration.GetSection("Urls")["Ship"]);
          GrpcChannel.ForAddress(section.GetValue<string>("Rates"));
          GrpcChannel.ForAddress(configuration.GetSection("Urls:Stock").Value);
          GrpcChannel.ForAddress(configuration.GetConnectionString("Cart"));
          GrpcChannel.ForAddress(options.Value.Orders);
          GrpcChannel.ForAddress(_urls.Payments);
          GrpcChannel.ForAddress(urls.Ship);
          GrpcChannel.ForAddress(monitor.CurrentValue.Upstreams.Rates);
          GrpcChannel.ForAddress(Address());
        }
        string Address() => Environment.GetEnvironmentVariable("ADDRESS");
      }
    `;
    assert.deepEqual(targets(await read(csharpTable, text)), [
      '@Urls:Orders',
      '@Urls:Payments{http://payments:8080}',
      '@Urls:Ship',
      '@Grpc:Rates',
      '@Urls:Stock',
      '@ConnectionStrings:Cart',
      '@ServiceUrls/Orders',
      '@ServiceUrls/Payments',
      '@ServiceUrls/Ship',
      '@GrpcSettings/Upstreams:Rates',
      '$ADDRESS',
    ]);
  });

  it('csharp: `!`, casts and `??` keep a config read (with its default)', async () => {
    const text =
      'using Grpc.Net.Client;\nGrpcChannel.ForAddress(configuration["Urls:Orders"]!);\nGrpcChannel.ForAddress((string)configuration["Urls:Cart"] ?? "http://cart:8080");\nGrpcChannel.ForAddress(configuration["Urls:Ship"] ?? throw new InvalidOperationException());\n';
    assert.deepEqual(targets(await read(csharpTable, text)), ['@Urls:Orders', '@Urls:Cart{http://cart:8080}', '@Urls:Ship{?}']);
  });

  it('csharp: Grpc.Net.Client without LoadBalancingConfigs holds one connection; with one, or with options built elsewhere, it may not', async () => {
    const text = code`
      using Grpc.Net.Client;
      GrpcChannel.ForAddress(address);
      GrpcChannel.ForAddress(address, new GrpcChannelOptions { ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } } });
      GrpcChannel.ForAddress(address, channelOptions);
    `;
    const facts = await read(csharpTable, text);
    assert.deepEqual(
      facts.dials.map((d) => [d.oneConnection ?? false, d.httpTargets ?? false]),
      [
        [true, true],
        [false, true],
        [false, true],
      ],
    );
  });

  it('csharp: Grpc.Core channels (both constructors, options in a variable) and servers (channel args, ServerPort)', async () => {
    const text = code`
      using Grpc.Core;
      var options = new[] { new ChannelOption("grpc.lb_policy_name", "round_robin") };
      var a = new Channel("orders:9090", ChannelCredentials.Insecure, options);
      var b = new Channel("payments", 9090, ChannelCredentials.Insecure);
      var server = new Server(new List<ChannelOption> { new ChannelOption("grpc.max_connection_age_ms", 5 * 60 * 1000) })
      {
          Ports = { new ServerPort("0.0.0.0", 9090, ServerCredentials.Insecure) },
      };
    `;
    const facts = await read(csharpTable, text);
    assert.deepEqual(targets(facts), ['orders:9090', 'payments:9090']);
    assert.deepEqual(
      facts.dials.map((d) => [d.api, d.lb.map((l) => l.policy), d.channelArgs]),
      [
        ['new Channel', ['round_robin'], true],
        ['new Channel', [], true],
      ],
    );
    const [server] = facts.servers;
    assert.deepEqual(
      [server!.api, server!.maxConnectionAge?.ms, server!.channelArgs, server!.listens.map((l) => show(l.parts))],
      ['new Server', 300_000, true, ['9090']],
    );
  });

  it("csharp: another library's Channel is not Grpc.Core's", async () => {
    const facts = await read(csharpTable, 'using System.Threading.Channels;\nvar c = new Channel("orders:9090", creds);\n');
    assert.equal(facts.dials.length, 0);
  });

  it('targets: static://a:1,b:2 is a fixed list of addresses', () => {
    const t = parseTarget('static://orders:9090,payments.shop:9090,10.0.0.1:9090')!;
    assert.equal(t.scheme, 'static');
    assert.deepEqual(
      t.addresses!.map((a) => [a.host, a.port, a.service, a.namespace, a.literalAddress]),
      [
        ['orders', '9090', 'orders', undefined, false],
        ['payments.shop', '9090', 'payments', 'shop', false],
        ['10.0.0.1', '9090', undefined, undefined, true],
      ],
    );
    assert.deepEqual([t.host, t.service], ['orders', 'orders']);
  });
});

describe('value flow: application config files', () => {
  const facts = async (file: string, text: string) => {
    await initKubeconn();
    return extractFacts(file, text, resolveOptions({}));
  };

  it('spring yml: flattened keys with the value spans, profile documents, lists', async () => {
    const text = code`
      grpc:
        client:
          orders:
            address: 'static://orders:9090'
      hosts: [a, b]
      ---
      spring:
        config:
          activate:
            on-profile: prod
      grpc.client.orders.address: dns:///orders:9090
    `;
    const f = await facts('svc/src/main/resources/application.yml', text);
    assert.equal(f.appConfig!.format, 'spring');
    assert.deepEqual(
      f.appConfig!.entries.map((e) => [e.key, e.value, text.slice(...e.at), e.content && text.slice(...e.content), e.profile]),
      [
        ['grpc.client.orders.address', 'static://orders:9090', "'static://orders:9090'", 'static://orders:9090', undefined],
        ['hosts[0]', 'a', 'a', 'a', undefined],
        ['hosts[1]', 'b', 'b', 'b', undefined],
        ['spring.config.activate.on-profile', 'prod', 'prod', 'prod', 'prod'],
        ['grpc.client.orders.address', 'dns:///orders:9090', 'dns:///orders:9090', 'dns:///orders:9090', 'prod'],
      ],
    );
  });

  it('spring properties and profile files', async () => {
    const text = '# comment\ngrpc.client.orders.address=static://orders:9090\norders.host : orders\n';
    const f = await facts('svc/src/main/resources/application-k8s.properties', text);
    assert.equal(f.appConfig!.variant, 'k8s');
    assert.deepEqual(
      f.appConfig!.entries.map((e) => [e.key, e.value, text.slice(...e.at)]),
      [
        ['grpc.client.orders.address', 'static://orders:9090', 'static://orders:9090'],
        ['orders.host', 'orders', 'orders'],
      ],
    );
  });

  it('.net appsettings: comments and trailing commas as .NET allows, keys joined with ":"', async () => {
    const text =
      '{\n  // dev defaults\n  "Urls": { "Orders": "http://orders:8080", /* x */ "Ports": [50051, 50052], },\n  "Enabled": true,\n}\n';
    const f = await facts('src/Api/appsettings.Staging.json', text);
    assert.deepEqual([f.appConfig!.format, f.appConfig!.variant], ['dotnet', 'Staging']);
    assert.deepEqual(
      f.appConfig!.entries.map((e) => [e.key, e.value, text.slice(...e.at)]),
      [
        ['Urls:Orders', 'http://orders:8080', '"http://orders:8080"'],
        ['Urls:Ports:0', '50051', '50051'],
        ['Urls:Ports:1', '50052', '50052'],
        ['Enabled', 'True', 'true'],
      ],
    );
  });

  it('a config file that does not parse is a notice with its line, not a crash', async () => {
    const f = await facts('src/Api/appsettings.json', '{\n  "Urls": {\n    "Orders": "http://orders:8080"\n    "Payments": "x"\n  }\n}\n');
    assert.deepEqual(
      f.problems.map((p) => [p.line, p.kind, p.fatal, p.message]),
      [[4, 'syntax', false, ".NET appsettings file does not parse, so its values are not used for dial targets: expected ',' or '}'"]],
    );
  });

  it('nginx: grpc_pass targets, through upstream blocks', async () => {
    const text =
      'upstream orders { server orders.shop:50051; server orders-2.shop:50051; }\nserver {\n  location / { grpc_pass grpc://orders; }\n  location /pay { grpc_pass grpcs://payments:9090; } # comment grpc_pass grpc://no:1;\n}\n';
    const f = await facts('deploy/nginx/default.conf', text);
    assert.deepEqual(
      f.appConfig!.entries.map((e) => [e.value, text.slice(...e.at)]),
      [
        ['grpc://orders.shop:50051', 'orders.shop:50051'],
        ['grpc://orders-2.shop:50051', 'orders-2.shop:50051'],
        ['grpcs://payments:9090', 'grpcs://payments:9090'],
      ],
    );
  });

  it('.net options registrations: which class is bound to which section', async () => {
    const text =
      'builder.Services.Configure<ServiceUrls>(builder.Configuration.GetSection("Urls"));\nservices.AddOptions<My.GrpcSettings>().Bind(Configuration.GetSection("Grpc"));\nservices.AddOptions<Other>().BindConfiguration("Other");\n// services.Configure<Old>(c.GetSection("Old"));\n';
    const f = await facts('src/Api/Program.cs', text);
    assert.deepEqual(
      f.optionsBindings!.map((b) => [b.type, b.section]),
      [
        ['ServiceUrls', 'Urls'],
        ['GrpcSettings', 'Grpc'],
        ['Other', 'Other'],
      ],
    );
  });
});

describe('value flow: config keys resolved in the model', () => {
  const links = async (files: Record<string, string>) => {
    await initKubeconn();
    const ws = createWorkspace();
    for (const [file, text] of Object.entries(files)) ws.setFile(file, text);
    return ws.analyze().model.dials;
  };
  const spring = (address: string) => `grpc:\n  client:\n    orders:\n      address: ${address}\n`;
  const java = 'import net.devh.boot.grpc.client.inject.GrpcClient;\nclass C { @GrpcClient("orders") OrdersStub orders; }\n';
  const checkout = (env: Record<string, string> = {}) => app({ name: 'checkout', port: 8080, env });

  it('spring: a profile file counts only when no base value exists, or when the profile is active', async () => {
    const base = {
      'checkout/src/main/java/C.java': java,
      'k8s/checkout.yaml': checkout(),
      'checkout/src/main/resources/application-k8s.yml': spring('dns:///orders-k8s:9090'),
    };
    assert.deepEqual(
      (await links(base)).links.map((l) => l.text),
      ['dns:///orders-k8s:9090'],
    );
    const withBase = { ...base, 'checkout/src/main/resources/application.yml': spring('dns:///orders:9090') };
    assert.deepEqual(
      (await links(withBase)).links.map((l) => l.text),
      ['dns:///orders:9090'],
    );
    const active = { ...withBase, 'k8s/checkout.yaml': checkout({ SPRING_PROFILES_ACTIVE: 'k8s' }) };
    assert.deepEqual(
      (await links(active)).links.map((l) => [l.text, l.config.map((u) => u.file)]),
      [['dns:///orders-k8s:9090', ['checkout/src/main/resources/application-k8s.yml']]],
    );
  });

  it('spring: the nearest module wins, and ${ENV:default} in the file reads the env first', async () => {
    const dials = await links({
      'checkout/src/main/java/C.java': java,
      'checkout/src/main/resources/application.yml': spring('${ORDERS_ADDR:dns:///orders:9090}'),
      'config/application.yml': spring('dns:///elsewhere:9090'),
      'k8s/checkout.yaml': checkout({ ORDERS_ADDR: 'static://orders-0:9090,orders-1:9090' }),
    });
    // A static list is one link per address.
    assert.deepEqual(
      dials.links.map((l) => [l.text, l.target?.host]),
      [
        ['static://orders-0:9090,orders-1:9090', 'orders-0'],
        ['static://orders-0:9090,orders-1:9090', 'orders-1'],
      ],
    );
    assert.deepEqual(
      dials.links[0]!.config.map((u) => [u.key, u.from, u.top]),
      [
        ['ORDERS_ADDR', 'env', false],
        ['grpc.client.orders.address', 'file', true],
      ],
    );
  });

  it('.net: env keys are case-insensitive with __ for ":"; the environment picks appsettings.<Env>.json', async () => {
    const cs =
      'using Grpc.Net.Client;\nclass C { C(IConfiguration configuration) { GrpcChannel.ForAddress(configuration["Urls:Orders"]); } }\n';
    const files = {
      'storefront/C.cs': cs,
      'storefront/appsettings.json': '{ "Urls": { "Orders": "http://orders:8080" } }',
      'storefront/appsettings.Development.json': '{ "urls": { "orders": "http://localhost:5001" } }',
      'k8s/storefront.yaml': app({ name: 'storefront', port: 8080 }),
    };
    assert.deepEqual(
      (await links(files)).links.map((l) => l.text),
      ['http://orders:8080'],
    );
    const dev = {
      ...files,
      'k8s/storefront.yaml': app({ name: 'storefront', port: 8080, env: { ASPNETCORE_ENVIRONMENT: 'Development' } }),
    };
    assert.deepEqual(
      (await links(dev)).links.map((l) => l.text),
      ['http://localhost:5001'],
    );
    const env = {
      ...files,
      'k8s/storefront.yaml': app({ name: 'storefront', port: 8080, env: { URLS__ORDERS: 'http://orders.shop:50051' } }),
    };
    assert.deepEqual(
      (await links(env)).links.map((l) => [l.text, l.env.map((e) => e.name)]),
      [['http://orders.shop:50051', ['URLS__ORDERS']]],
    );
  });

  it('.net: an options class bound in two projects resolves through the registration in the code’s own project', async () => {
    const cs = 'using Grpc.Net.Client;\nclass C { C(IOptions<ServiceUrls> o) { GrpcChannel.ForAddress(o.Value.Orders); } }\n';
    const dials = await links({
      'src/Storefront/C.cs': cs,
      'src/Storefront/Program.cs': 'builder.Services.Configure<ServiceUrls>(builder.Configuration.GetSection("Urls"));\n',
      'src/Storefront/appsettings.json': '{ "Urls": { "Orders": "http://orders:8080" }, "Legacy": { "Orders": "http://legacy:8080" } }',
      'src/Admin/Program.cs': 'builder.Services.Configure<ServiceUrls>(builder.Configuration.GetSection("Legacy"));\n',
    });
    assert.deepEqual(
      dials.links.map((l) => l.text),
      ['http://orders:8080'],
    );
  });

  it('config-only evidence: a gRPC scheme or well-known gRPC port in env, ConfigMaps, nginx and app config, linked to Services', async () => {
    const collector = app({ name: 'otel-collector', namespace: 'obs', port: 4317, portName: 'otlp-grpc' });
    const dials = await links({
      'k8s/collector.yaml': collector,
      'k8s/orders.yaml': app({ name: 'orders', namespace: 'shop', port: 9090 }),
      'k8s/api.yaml': app({
        name: 'api',
        namespace: 'obs',
        port: 8080,
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4317', WEB: 'http://web:8080' },
      }),
      'k8s/nginx.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nginx\n  namespace: shop\ndata:\n  default.conf: |\n    server { location / { grpc_pass grpc://orders:9090; } }\n',
      'svc/src/main/resources/application.yml': 'payments:\n  target: dns:///payments:9090\n',
    });
    assert.deepEqual(
      dials.configLinks.map((l) => [l.evidence, l.source, l.key, l.text, l.reason, l.service?.name ?? null]),
      [
        ['config', 'app-config', 'payments.target', 'dns:///payments:9090', 'scheme', null],
        ['config', 'env', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'http://otel-collector:4317', 'port', 'otel-collector'],
        ['config', 'configmap', 'default.conf', 'grpc://orders:9090', 'scheme', 'orders'],
      ],
    );
    const orders = dials.configLinks.find((l) => l.source === 'configmap')!.service!;
    assert.equal(dials.configLinksTo(orders).length, 1);
    assert.equal(dials.linksTo(orders).length, 0, 'config evidence is kept apart from dial sites');
  });

  it('port names that suggest gRPC beyond Istio’s convention', () => {
    assert.deepEqual(['otlp-grpc', 'tcp-grpc', 'grpc', 'grpc-web', 'grpcs', 'http', 'tcp', undefined].map(grpcPortNameHint), [
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});
