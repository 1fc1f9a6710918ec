// facts A1, A2 and §2 (lb_policy_name): what a gRPC client does with a bad `grpc.service_config`, measured on
// loopback against three grpc-js backends (127.0.0.2-4, one port) with target `ipv4:a:p,b:p,c:p` — the address list a
// headless Service's DNS returns, so a working round_robin spreads calls and pick_first sends all to one.
//
//   grpc-js 1.14.7 (devDependency): invalid JSON → the client constructor throws; unknown policy → silent fallback
//   to pick_first; `grpc.lb_policy_name` and the legacy `loadBalancingPolicy` field → ignored.
//   C-core (Debian's python3-grpcio 1.51.1, the C-core behind grpcio/Ruby/PHP/C++): invalid JSON or unknown policy →
//   a lame channel, every RPC fails INVALID_ARGUMENT; `grpc.lb_policy_name` is honoured.
// grpc-go and grpc-java are not measured here: no Go or Java toolchain on this machine (the A1/A2 Go claims rest
// on grpc-go's clientconn.go / service_config.go).
//
// Run: npm run build && node --test dist/test/evidence/grpc-service-config.test.js
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths.js';
import { grpc, labClient, startFleet, type Backend } from '../integration/grpc-lab.js';
import { debVersion, grpcJsVersion, killAll, requireCommand, spawnBounded, topicResults } from './lib.js';

const N = 30;
const HOSTS = ['127.0.0.2', '127.0.0.3', '127.0.0.4'];
export const SERVICE_CONFIGS = {
  invalidJson: { 'grpc.service_config': '{"loadBalancingConfig":[{"round_robin":{}}' },
  unknownPolicy: { 'grpc.service_config': '{"loadBalancingConfig":[{"round_robbin":{}}]}' },
  unknownThenRoundRobin: { 'grpc.service_config': '{"loadBalancingConfig":[{"round_robbin":{}},{"round_robin":{}}]}' },
  legacyField: { 'grpc.service_config': '{"loadBalancingPolicy":"round_robin"}' },
  lbPolicyName: { 'grpc.lb_policy_name': 'round_robin' },
  roundRobin: { 'grpc.service_config': '{"loadBalancingConfig":[{"round_robin":{}}]}' },
  none: {},
} as const;
type ConfigName = keyof typeof SERVICE_CONFIGS;

const results = topicResults('grpc-service-config', {});
let fleet: Backend[] = [];
let target = '';
const ids = () => fleet.map((b) => b.id);
const succeeded = (t: Record<string, number>) => Object.entries(t).filter(([k]) => !k.startsWith('!'));

describe('gRPC service config errors (facts A1, A2)', () => {
  before(async () => {
    fleet = await startFleet(HOSTS);
    target = `ipv4:${ids().join(',')}`;
    Object.assign(results.data.environment, {
      grpcJs: grpcJsVersion(),
      python3Grpcio: debVersion('python3-grpcio'),
      target: 'ipv4:127.0.0.2:P,127.0.0.3:P,127.0.0.4:P',
      callsPerConfig: String(N),
    });
  });
  after(async () => {
    await Promise.all(fleet.map((b) => b.close()));
    await killAll();
    results.write();
  });

  describe(`grpc-js`, () => {
    const tallies: Partial<Record<ConfigName, Record<string, number>>> = {};
    const tally = async (name: ConfigName) => {
      const c = labClient(target, { ...SERVICE_CONFIGS[name] });
      try {
        return (tallies[name] = await c.tally(N));
      } finally {
        c.close();
        results.record(`grpc-js/${name}`, { options: SERVICE_CONFIGS[name], calls: tallies[name] });
      }
    };

    it('A1: invalid service config JSON → the Client and the Channel constructors throw', () => {
      const opts = { ...SERVICE_CONFIGS.invalidJson };
      let clientError: Error | undefined;
      try {
        labClient(target, opts).close();
      } catch (e) {
        clientError = e as Error;
      }
      let channelError: Error | undefined;
      try {
        new grpc.Channel(target, grpc.credentials.createInsecure(), opts).close();
      } catch (e) {
        channelError = e as Error;
      }
      results.record('grpc-js/invalidJson', {
        options: opts,
        clientThrows: clientError ? `${clientError.name}: ${clientError.message}` : null,
        channelThrows: channelError ? `${channelError.name}: ${channelError.message}` : null,
      });
      assert.ok(clientError instanceof SyntaxError, `Client constructor: ${String(clientError)}`);
      assert.ok(channelError instanceof SyntaxError, `Channel constructor: ${String(channelError)}`);
      assert.match(clientError.message, /JSON/);
    });

    it('A2: unknown policy round_robbin → no error, every call succeeds, all on one backend (pick_first)', async () => {
      const t = await tally('unknownPolicy');
      assert.equal(succeeded(t).length, 1, JSON.stringify(t));
      assert.equal(succeeded(t)[0]![1], N, JSON.stringify(t));
    });

    it('control: an unknown policy followed by round_robin → grpc-js takes the first it knows and spreads', async () => {
      const t = await tally('unknownThenRoundRobin');
      assert.deepEqual(new Set(Object.keys(t)), new Set(ids()), JSON.stringify(t));
    });

    it('§2: grpc.lb_policy_name = round_robin is ignored (one backend)', async () => {
      const t = await tally('lbPolicyName');
      assert.deepEqual(
        succeeded(t).map(([, n]) => n),
        [N],
        JSON.stringify(t),
      );
    });

    it('§2: the legacy loadBalancingPolicy field is ignored (one backend)', async () => {
      const t = await tally('legacyField');
      assert.deepEqual(
        succeeded(t).map(([, n]) => n),
        [N],
        JSON.stringify(t),
      );
    });

    it('control: loadBalancingConfig round_robin spreads over all three; no config → one backend', async () => {
      const rr = await tally('roundRobin');
      assert.deepEqual(new Set(Object.keys(rr)), new Set(ids()), JSON.stringify(rr));
      const none = await tally('none');
      assert.deepEqual(
        succeeded(none).map(([, n]) => n),
        [N],
        JSON.stringify(none),
      );
    });
  });

  describe('C-core (Debian python3-grpcio)', () => {
    it(
      'A1/A2: invalid JSON and unknown policy → lame channel, every RPC INVALID_ARGUMENT; lb_policy_name honoured',
      { timeout: 45_000 },
      async () => {
        const python = requireCommand('/usr/bin/python3', 'python3');
        const script = path.join(repoRoot, 'test', 'evidence', 'fixtures', 'ccore_service_config.py');
        const configs = Object.fromEntries(Object.entries(SERVICE_CONFIGS).filter(([k]) => k !== 'unknownThenRoundRobin'));
        // Async spawn: the grpc-js backends live in this process and must keep answering.
        const p = spawnBounded(python, [script, target, JSON.stringify(configs), String(N)], {
          timeoutMs: 40_000,
          env: { PATH: process.env.PATH, HOME: process.env.HOME, no_grpc_proxy: '*', GRPC_ENABLE_FORK_SUPPORT: '0' },
        });
        const exit = await p.exited;
        assert.equal(exit.code, 0, p.output());
        const line = p.stdout().trim().split('\n').at(-1)!;
        const out = JSON.parse(line) as { grpcio: string; results: Record<ConfigName, Record<string, number>> };
        results.data.environment.grpcioRuntime = out.grpcio;
        // C-core logs why the channel is lame on stderr.
        const why = p
          .output()
          .split('\n')
          .filter((l) => /channel stack builder failed/.test(l))
          .map((l) => l.replace(/^.*\]\s+/, ''));
        results.record('c-core', { ...out.results, stderr: why });
        for (const name of ['invalidJson', 'unknownPolicy'] as const) {
          const t = out.results[name];
          assert.deepEqual(Object.keys(t).length, 1, JSON.stringify(t));
          assert.match(Object.keys(t)[0]!, /^!INVALID_ARGUMENT/, JSON.stringify(t));
        }
        assert.ok(
          why.some((l) => /JSON parsing failed/.test(l)),
          why.join('\n'),
        );
        assert.ok(
          why.some((l) => /No known policies in list: round_robbin/.test(l)),
          why.join('\n'),
        );
        assert.equal(succeeded(out.results.lbPolicyName).length, 3, JSON.stringify(out.results.lbPolicyName));
        assert.equal(succeeded(out.results.roundRobin).length, 3, JSON.stringify(out.results.roundRobin));
        assert.deepEqual(
          succeeded(out.results.none).map(([, n]) => n),
          [N],
          JSON.stringify(out.results.none),
        );
      },
    );
  });
});
