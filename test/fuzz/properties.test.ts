// Property-based fuzzing of the whole core, one property per input kind (issue 14): mutated seeds must never
// crash analyze(), must keep spans and edits in range and whole (no split CRLF or surrogate pair), fixes must
// re-parse and converge, and the JSON and SARIF reports must serialise. Bounded for `npm test` (a fixed seed
// and a time limit per kind); `npm run fuzz -- --runs N` runs the same properties for long campaigns.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { initKubeconn } from '../../src/api.js';
import { check, failures, inputArb, materialise, ownerOf } from './harness.js';
import { KINDS } from './seeds.js';

const SEED = Number(process.env.KUBECONN_FUZZ_SEED ?? 20261201);
/** Per kind: at most this many inputs and this many milliseconds (12 kinds × 10 s ≈ 2 minutes). */
const RUNS = Number(process.env.KUBECONN_FUZZ_RUNS ?? 60);
const TIME_LIMIT = Number(process.env.KUBECONN_FUZZ_MS ?? 10_000);

describe('fuzz: mutated inputs of every kind', () => {
  before(() => initKubeconn());

  for (const kind of KINDS) {
    it(`${kind}: no crash, no hang, spans and edits whole, fixes re-parse and converge, reports serialise`, (t) => {
      let inputs = 0;
      let internal = 0;
      const owned = new Map<string, number>();
      fc.assert(
        fc.property(inputArb(kind), (input) => {
          inputs++;
          const outcome = check(materialise(input));
          internal += outcome.internal.length;
          const own = failures(outcome).filter((f) => {
            const owner = ownerOf(f);
            if (owner) owned.set(owner, (owned.get(owner) ?? 0) + 1);
            return !owner;
          });
          assert.deepEqual(own, [], 'a broken invariant (shrunk input below)');
        }),
        { seed: SEED, numRuns: RUNS, plugins: [fc.interruptAfterTimeLimit(TIME_LIMIT, { failOnInterrupt: false })] },
      );
      t.diagnostic(
        `${inputs} inputs, ${internal} internal-error notices, known failures owned elsewhere: ${[...owned].map(([o, n]) => `${o} ${n}`).join(', ') || 'none'}`,
      );
      // On a loaded machine the time limit may cut a kind short; it must still have run.
      assert.ok(inputs >= 1, `no input ran in ${TIME_LIMIT} ms`);
    });
  }
});
