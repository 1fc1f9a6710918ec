// Ground truth for the PID 1 rules: every case in cases.ts really runs as PID 1 of a fresh PID namespace and
// must drain (or not) exactly as its `expect` says. Needs root: if unshare is not permitted this FAILS, it
// does not skip.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { assertPid1Supported } from './harness.js';
import { pid1Cases, PID1_CASE_TIMEOUT_MS, pid1Outcome, runPid1Case } from './cases.js';

describe('PID 1 signal handling (unshare --pid)', { concurrency: 3 }, () => {
  before(() => assertPid1Supported());

  for (const c of pid1Cases) {
    it(
      `${c.id}: ${JSON.stringify(c.argv)} ${c.expect.drained ? 'drains' : 'does not drain'}`,
      { timeout: PID1_CASE_TIMEOUT_MS + 4000 },
      async () => {
        const r = await runPid1Case(c);
        const detail = `\nmeasured: ${JSON.stringify({ gotTerm: r.gotTerm, drained: r.drained, appPid: r.appPid, exited: r.exited, exitCode: r.exitCode, signal: r.signal, elapsedMs: r.elapsedMs })}\nPID 1: ${JSON.stringify(r.pid1.cmdline)}\n${r.log}`;
        assert.equal(r.drained, c.expect.drained, `drained${detail}`);
        if (c.expect.gotTerm !== 'race') assert.equal(r.gotTerm, c.expect.gotTerm, `gotTerm${detail}`);
        assert.equal(pid1Outcome(r), c.expect.pid1, `PID 1 outcome${detail}`);
      },
    );
  }
});
