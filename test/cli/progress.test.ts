// CLI progress on stderr: shown only when stderr is a terminal (here a pseudo-terminal from util-linux's
// `script`) and the run has taken long enough, erased before the report, and never part of the report
// itself: the JSON on stdout stays valid. KUBECONN_PROGRESS_AFTER_MS=0 stands in for a long run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths.js';

const bin = path.join(repoRoot, 'bin', 'kubeconn.js');
const shop = path.join(repoRoot, 'examples', 'shop');
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Run a shell command line under a pseudo-terminal; resolves with what the terminal showed. */
function inTerminal(command: string, env: NodeJS.ProcessEnv): string {
  const r = spawnSync('script', ['-qfec', command, '/dev/null'], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 });
  assert.notEqual(r.status, null, `script did not finish: ${r.error}`);
  return r.stdout;
}

describe('kubeconn check progress', () => {
  it('shows progress on a terminal for a long run, erases it, and keeps it out of the JSON report', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconn-progress-'));
    try {
      const out = path.join(dir, 'report.json');
      // stdout goes to a file, stderr stays on the terminal.
      const screen = inTerminal(`node ${quote(bin)} check ${quote(shop)} --format json > ${quote(out)}`, {
        KUBECONN_PROGRESS_AFTER_MS: '0',
      });
      assert.match(screen, /\r\x1b\[Kkubeconn: reading \d+\/\d+ files/);
      assert.match(screen, /\r\x1b\[Kkubeconn: analysing: \d+\/\d+ rules/);
      assert.ok(screen.endsWith('\r\x1b[K'), JSON.stringify(screen.slice(-40)));
      const report = JSON.parse(fs.readFileSync(out, 'utf8')) as { messages: unknown[] }[];
      assert.ok(report.some((r) => r.messages.length > 0));
      assert.doesNotMatch(fs.readFileSync(out, 'utf8'), /kubeconn: reading/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says nothing when stderr is not a terminal, or when the run is short', () => {
    const piped = spawnSync(process.execPath, [bin, 'check', shop, '--format', 'sarif'], {
      env: { ...process.env, KUBECONN_PROGRESS_AFTER_MS: '0' },
      encoding: 'utf8',
    });
    assert.equal(piped.stderr, '');
    JSON.parse(piped.stdout);
    const quick = inTerminal(`node ${quote(bin)} check ${quote(path.join(shop, 'k8s', 'namespace.yaml'))}`, {
      KUBECONN_PROGRESS_AFTER_MS: '60000',
    });
    assert.doesNotMatch(quick, /kubeconn: reading/);
  });
});
