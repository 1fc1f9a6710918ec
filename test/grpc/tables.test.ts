// The table-driven reader: one row of each language table exercised end to end (which call, which argument is
// the target, where the options live, what they set), the records are plain data, and a row added to a copy of
// a table is all it takes to read a new API.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csharpTable } from '../../src/core/facts/grpc/csharp.js';
import { goTable } from '../../src/core/facts/grpc/go.js';
import type { DialSite, GrpcFacts } from '../../src/core/facts/grpc/index.js';
import { javaTable } from '../../src/core/facts/grpc/java.js';
import { jsTable } from '../../src/core/facts/grpc/js.js';
import { pythonTable } from '../../src/core/facts/grpc/python.js';
import { readGrpc } from '../../src/core/facts/grpc/reader.js';
import type { LanguageTable } from '../../src/core/facts/grpc/table.js';
import { renderParts } from '../../src/core/facts/grpc/value.js';
import { parse } from '../../src/core/facts/treesitter.js';
import { initKubeconn } from '../../src/core/init.js';

async function read(table: LanguageTable, text: string): Promise<GrpcFacts> {
  await initKubeconn();
  const tree = parse(table.files[0]!.grammar, text);
  try {
    return readGrpc(table, tree.rootNode, text);
  } finally {
    tree.delete();
  }
}

/** Only what JSON carries: no functions, no class instances (tree-sitter nodes), no cycles. */
function assertPlainData(value: unknown, where: string, seen = new Set<unknown>()): void {
  if (value === null || value === undefined || ['string', 'number', 'boolean'].includes(typeof value)) return;
  assert.ok(typeof value === 'object' && !seen.has(value), `${where}: not plain data`);
  assert.ok(Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype, `${where}: a ${value.constructor?.name}`);
  seen.add(value);
  for (const [key, v] of Object.entries(value as object)) assertPlainData(v, `${where}.${key}`, seen);
  seen.delete(value);
}

const slice = (text: string, at: [number, number]) => text.slice(at[0], at[1]);
const targetTexts = (site: DialSite) => site.targets.map((t) => renderParts(t.parts, (name) => `$${name}`));

describe('language tables', () => {
  it('go: the DialContext row — target second, options from the third argument, passthrough by default', async () => {
    const text =
      'package main\n\nimport "google.golang.org/grpc"\n\nfunc main() {\n\tgrpc.DialContext(ctx, "orders:50051", grpc.WithDefaultServiceConfig(`{"loadBalancingConfig":[{"round_robin":{}}]}`))\n}\n';
    const [dial] = (await read(goTable, text)).dials;
    assert.equal(dial!.api, 'grpc.DialContext');
    assert.equal(slice(text, dial!.targetAt), '"orders:50051"');
    assert.equal(dial!.defaultScheme, 'passthrough');
    assert.deepEqual(
      dial!.lb.map((l) => [l.policy, l.via]),
      [['round_robin', 'serviceConfig']],
    );
    assert.equal(dial!.options?.kind === 'list' && dial!.options.list.items.length, 3);
  });

  it('go: the NewServer row reads MaxConnectionAge from a keepalive.ServerParameters literal elsewhere in the file', async () => {
    const text =
      'package main\n\nimport "google.golang.org/grpc"\n\nvar p = keepalive.ServerParameters{MaxConnectionAge: time.Minute}\n\nfunc main() { grpc.NewServer(grpc.KeepaliveParams(p)) }\n';
    const [server] = (await read(goTable, text)).servers;
    assert.equal(slice(text, server!.maxConnectionAge!.at), 'MaxConnectionAge: time.Minute');
    assert.equal(server!.ageUnknown, false);
    assert.equal(server!.ageOptions && slice(text, server!.ageOptions.at), '{MaxConnectionAge: time.Minute}');
  });

  it('python: the secure_channel row — target by keyword, options third, a grpc.lb_policy_name channel arg', async () => {
    const text =
      'import os\nimport grpc\n\nch = grpc.secure_channel(creds=c, target=os.environ.get("ORDERS_ADDR", "orders:50051"), options=[("grpc.lb_policy_name", "round_robin")])\n';
    const [dial] = (await read(pythonTable, text)).dials;
    assert.deepEqual(targetTexts(dial!), ['$ORDERS_ADDR']);
    const envRead = 'os.environ.get("ORDERS_ADDR", "orders:50051")';
    const fallback = text.indexOf('orders:50051');
    assert.deepEqual(dial!.targets[0]!.parts, [
      {
        kind: 'env',
        name: 'ORDERS_ADDR',
        fallback: [{ kind: 'lit', text: 'orders:50051', at: [fallback, fallback + 12] }],
        at: [text.indexOf(envRead), text.indexOf(envRead) + envRead.length],
      },
    ]);
    assert.deepEqual(
      dial!.lb.map((l) => [l.policy, l.via, slice(text, l.at)]),
      [['round_robin', 'lbPolicyName', '"round_robin"']],
    );
  });

  it('python: the server row reads the age in milliseconds, arithmetic included', async () => {
    const text =
      'import grpc\nserver = grpc.server(pool, options=[("grpc.max_connection_age_ms", 5 * 60 * 1000), ("grpc.max_connection_age_grace_ms", 30_000)])\nserver.add_insecure_port("[::]:50051")\n';
    const [server] = (await read(pythonTable, text)).servers;
    assert.deepEqual([server!.maxConnectionAge!.ms, server!.maxConnectionAgeGrace!.ms], [300_000, 30_000]);
    assert.deepEqual(
      server!.listens.map((l) => renderParts(l.parts, () => undefined)),
      ['[::]:50051'],
    );
  });

  it('js: the generated-client row — any constructor given channel credentials, a JSON.stringify service config', async () => {
    const text =
      "const creds = grpc.credentials.createInsecure();\nconst c = new OrdersClient(`${process.env.HOST}:50051`, creds, { 'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }) });\n";
    const [dial] = (await read(jsTable, text)).dials;
    assert.equal(dial!.api, 'new OrdersClient');
    assert.deepEqual(targetTexts(dial!), ['$HOST:50051']);
    assert.deepEqual(
      dial!.serviceConfigs.map((c) => c.json),
      ['{"loadBalancingConfig":[{"round_robin":{}}]}'],
    );
    assert.deepEqual(
      dial!.lb.map((l) => l.policy),
      ['round_robin'],
    );
  });

  it('java: the forAddress row joins host and port, and reads the builder chain', async () => {
    const text =
      'class C { void r() { var ch = ManagedChannelBuilder.forAddress("orders", 50051).defaultLoadBalancingPolicy("round_robin").usePlaintext().build(); } }\n';
    const [dial] = (await read(javaTable, text)).dials;
    assert.equal(slice(text, dial!.targetAt), '"orders", 50051');
    assert.deepEqual(targetTexts(dial!), ['orders:50051']);
    assert.deepEqual(
      dial!.lb.map((l) => [l.policy, l.via]),
      [['round_robin', 'defaultLoadBalancingPolicy']],
    );
    assert.equal(dial!.options?.kind, 'chain');
  });

  it('java: a server age with its TimeUnit argument', async () => {
    const text =
      'class C { void r() { NettyServerBuilder.forPort(50051).maxConnectionAge(5, TimeUnit.MINUTES).maxConnectionAgeGrace(30, TimeUnit.SECONDS).build(); } }\n';
    const [server] = (await read(javaTable, text)).servers;
    assert.deepEqual([server!.maxConnectionAge!.ms, server!.maxConnectionAgeGrace!.ms], [300_000, 30_000]);
    assert.equal(slice(text, server!.maxConnectionAge!.at), 'maxConnectionAge(5, TimeUnit.MINUTES)');
  });

  it('csharp: the AddGrpcClient row finds the address inside the call and the policy in ConfigureChannel', async () => {
    const text =
      'services.AddGrpcClient<OrdersClient>(o => { o.Address = new Uri("http://orders:50051"); }).ConfigureChannel(o => { o.ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } }; });\n';
    const [dial] = (await read(csharpTable, text)).dials;
    assert.equal(dial!.api, 'AddGrpcClient');
    assert.deepEqual(targetTexts(dial!), ['http://orders:50051']);
    assert.deepEqual(
      dial!.lb.map((l) => [l.policy, l.via]),
      [['round_robin', 'loadBalancingConfigs']],
    );
    assert.equal(dial!.options, undefined);
  });

  it('records are plain data: a JSON round trip changes nothing', async () => {
    const cases: [LanguageTable, string][] = [
      [
        goTable,
        'package main\n\nimport (\n\t"os"\n\n\t"github.com/sercand/kuberesolver/v5"\n\t"google.golang.org/grpc"\n)\n\nfunc main() {\n\tkuberesolver.RegisterInCluster()\n\tgrpc.NewClient(os.Getenv("ADDR"), grpc.WithBalancerName("round_robin"))\n\tgrpc.NewServer()\n}\n',
      ],
      [pythonTable, 'import grpc\nch = grpc.insecure_channel(f"{HOST}:50051", options=[])\nserver = grpc.server(pool)\n'],
      [jsTable, "const c = new grpc.Client(process.env.ADDR || 'orders:50051', creds, { 'grpc.lb_policy_name': 'round_robin' });\n"],
      [
        javaTable,
        'import io.grpc.ManagedChannelBuilder;\nclass C { void r() { ManagedChannelBuilder.forTarget(System.getenv("ADDR")).build(); } }\n',
      ],
      [
        csharpTable,
        'using Grpc.Net.Client;\nvar ch = GrpcChannel.ForAddress(Environment.GetEnvironmentVariable("ADDR") ?? "http://orders:50051", new GrpcChannelOptions { });\n',
      ],
    ];
    for (const [table, text] of cases) {
      const facts = await read(table, text);
      assert.ok(facts.dials.length > 0, table.language);
      assertPlainData(facts, table.language);
      assert.equal(JSON.stringify(JSON.parse(JSON.stringify(facts))), JSON.stringify(facts), table.language);
    }
  });

  it('a new API is a row: grpc-java loadBalancerFactory(…) is one channelOptions entry', async () => {
    const text = 'class C { void r() { ManagedChannelBuilder.forTarget("orders:50051").loadBalancerFactory(factory).build(); } }\n';
    assert.equal((await read(javaTable, text)).dials[0]!.lbUnknown, true, 'a factory of unknown type may choose any policy');
    const withoutRow = Object.fromEntries(Object.entries(javaTable.channelOptions).filter(([name]) => name !== 'loadBalancerFactory'));
    assert.equal((await read({ ...javaTable, channelOptions: withoutRow }, text)).dials[0]!.lbUnknown, false);
  });
});
