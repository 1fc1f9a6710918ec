// An editor that is not VS Code gets the same diagnostics and fixes: Neovim's built-in LSP client (Debian's
// neovim package, headless) drives `kubeconn lsp --stdio` on a copy of examples/shop through
// test/lsp/neovim.lua, which applies the preferred code action and saves. Bounded: the script's waits are,
// and nvim is killed after 120 s.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths.js';

interface Seen {
  code: string;
  source: string;
  line: number;
  col: number;
  message: string;
}

interface NeovimResult {
  steps: string[];
  error?: string;
  nvim?: string;
  server?: boolean;
  before?: Seen[];
  unopened?: Seen[];
  actions?: string[];
  applied?: string;
  after?: Seen[];
  hover?: string;
}

describe('Neovim (built-in LSP, headless) as the client', () => {
  it('gets diagnostics for examples/shop, applies the preferred code action and sees its diagnostic go', async () => {
    const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
    assert.equal(nvim.status, 0, 'this test needs Neovim: apt-get install neovim (scripts/install-test-deps.sh installs it)');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconn-nvim-'));
    const ws = path.join(dir, 'shop');
    fs.cpSync(path.join(repoRoot, 'examples', 'shop'), ws, { recursive: true });
    const out = path.join(dir, 'result.json');
    const started = Date.now();
    try {
      const child = spawn(
        'nvim',
        ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${path.join(repoRoot, 'test', 'lsp', 'neovim.lua')}`],
        {
          env: {
            ...process.env,
            KUBECONN_REPO: repoRoot,
            KUBECONN_WS: ws,
            KUBECONN_OUT: out,
            XDG_STATE_HOME: dir,
            XDG_DATA_HOME: dir,
            XDG_CONFIG_HOME: dir,
            XDG_CACHE_HOME: dir,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stdout.on('data', (b: Buffer) => (output += b.toString()));
      child.stderr.on('data', (b: Buffer) => (output += b.toString()));
      const code = await new Promise<number | string>((resolve) => {
        const timer = setTimeout(() => (child.kill('SIGKILL'), resolve('timeout')), 120_000);
        child.once('exit', (c, signal) => (clearTimeout(timer), resolve(c ?? String(signal))));
      });
      assert.ok(fs.existsSync(out), `nvim exited (${code}) without writing its result:\n${output}`);
      const r = JSON.parse(fs.readFileSync(out, 'utf8')) as NeovimResult;
      console.log(`    [nvim ${r.nvim}] ${r.steps.join(' → ')} in ${Date.now() - started} ms`);
      assert.equal(r.error, undefined, `${r.error}\nsteps: ${r.steps.join(', ')}\n${output}`);
      assert.equal(code, 0);

      const before = r.before!;
      assert.ok(before.every((d) => d.source === 'kubeconn'));
      const byCode = (list: Seen[], c: string) => list.filter((d) => d.code === c);
      assert.deepEqual(
        byCode(before, 'grpc-clusterip-imbalance').map((d) => [d.line, d.col]),
        [[12, 6]],
      );
      assert.match(
        byCode(before, 'grpc-clusterip-imbalance')[0]!.message,
        /^Service 'orders' port 50051 carries gRPC, but kube-proxy balances it per connection/,
      );
      assert.deepEqual(
        byCode(before, 'prestop-sleep').map((d) => d.line),
        [32],
      );
      assert.ok(byCode(r.unopened!, 'grpc-client-load-balancing').length >= 1, 'diagnostics of a file never opened');

      assert.equal(r.applied, 'Add lifecycle.preStop.sleep.seconds: 5');
      assert.ok(r.actions!.includes('Disable kubeconn/prestop-sleep for this line'), r.actions!.join(' | '));
      assert.ok(r.actions!.includes('Show documentation for kubeconn/prestop-sleep'));
      assert.deepEqual(byCode(r.after!, 'prestop-sleep'), []);
      assert.equal(byCode(r.after!, 'grpc-clusterip-imbalance').length, 1);
      // Saved by nvim: the fix is in the file.
      assert.match(
        fs.readFileSync(path.join(ws, 'k8s', 'orders.yaml'), 'utf8'),
        /\n {10}lifecycle:\n {12}preStop:\n {14}sleep:\n {16}seconds: 5\n/,
      );
      assert.match(String(r.hover), /^\*\*Service orders\*\*/);
      assert.match(String(r.hover), /Selects \[Deployment orders\]\(file:\/\/[^)]*orders\.yaml#L20\)/);
      assert.deepEqual(r.steps, ['started', 'diagnostics', 'code actions', 'applied', 'fixed', 'hover', 'stopped']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
