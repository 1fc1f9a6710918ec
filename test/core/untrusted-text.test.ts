// Untrusted text is data (issue 14 item 5): names, labels, image references and file names from the analysed
// workspace never reach a terminal as control sequences, never become Markdown markup or `command:` links in
// hovers and tooltips, and an invalid editor setting is a warning and that setting's default, never a failed
// server. JSON and SARIF keep the exact text.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  allRules,
  buildCatalog,
  createWorkspace,
  escapeMarkdown,
  hoverAt,
  initKubeconn,
  markdownCode,
  markdownHref,
  printable,
} from '../../src/api.js';
import { readSettings } from '../../src/lsp/settings.js';
import { kubeconn, makeProject, type Result } from '../e2e/project.js';
import { TestClient } from '../lsp/client.js';

const ESC = '\u001b';
// Control characters a terminal interprets (C0 but tab and newline, DEL, C1).
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const HOSTILE = `evil${ESC}]0;pwned${ESC}\\${ESC}[2J`;

const served = (name: string, image = 'registry.example.com/app:1') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: "${name}"
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: "${image}"
          ports: [{containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata:
  name: "${name}"
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;

describe('untrusted text', () => {
  const projects: { cleanup(): void }[] = [];
  after(() => projects.forEach((p) => p.cleanup()));
  before(() => initKubeconn());

  it('printable shows control characters (and bidi overrides) as escapes and keeps the rest', () => {
    assert.equal(printable(`a${ESC}[31mb\u0007\u009b\u202ec\td\n`), 'a\\u001b[31mb\\u0007\\u009b\\u202ec\td\n');
  });

  it('stylish output never writes a control character from a YAML name or a file name; JSON keeps the exact text', () => {
    const yaml = served(HOSTILE.replace(/\\/g, '\\\\').replace(/\u001b/g, '\\e'));
    const p = makeProject({ [`k8s/${ESC}[31mred${ESC}[0m.yaml`]: yaml });
    projects.push(p);
    const stylish = kubeconn(p.dir, ['check', '--no-config', '.']);
    assert.equal(stylish.status, 0, stylish.stderr);
    assert.match(stylish.stdout, /prestop-sleep/);
    assert.doesNotMatch(stylish.stdout, RAW_CONTROL, JSON.stringify(stylish.stdout));
    assert.match(stylish.stdout, /\\u001b\[31mred\\u001b\[0m\.yaml/);
    assert.match(stylish.stdout, /evil\\u001b\]0;pwned/);
    const json = JSON.parse(kubeconn(p.dir, ['check', '--no-config', '--format', 'json', '.']).stdout) as Result[];
    assert.ok(
      json.some((r) => r.filePath.includes(`${ESC}[31mred`)),
      'JSON keeps the file name',
    );
    assert.ok(
      json.some((r) => r.messages.some((m) => m.message.includes(`evil${ESC}]0;pwned`))),
      'JSON keeps the name',
    );
  });

  it('escapeMarkdown, markdownCode and markdownHref turn workspace text into inert Markdown', () => {
    assert.equal(escapeMarkdown('[x](command:kubeconn.rescan)'), '\\[x\\]\\(command:kubeconn.rescan\\)');
    assert.equal(escapeMarkdown('**b** <img src=x> `c` &amp;'), '\\*\\*b\\*\\* \\<img src=x\\> \\`c\\` \\&amp;');
    assert.equal(escapeMarkdown('orders-v1.2'), 'orders-v1.2', 'names stay readable');
    assert.equal(escapeMarkdown('- 1. x'), '\\- 1. x');
    assert.equal(escapeMarkdown('1. x\ny'), '1\\. x y');
    assert.equal(markdownCode('a`b'), '``a`b``');
    assert.equal(markdownCode('`x`'), '`` `x` ``');
    assert.equal(markdownHref('command:kubeconn.rescan'), undefined);
    assert.equal(markdownHref('file:///w/a).md#L3'), 'file:///w/a%29.md#L3');
  });

  it('hovers escape names and image references: no link, emphasis or HTML from workspace text', () => {
    const name = '[open](command:kubeconn.rescan) **x** <b>';
    const image = 'img`](command:x)` [y](command:z)';
    const ws = createWorkspace();
    const text = served(name, image);
    ws.setFile('/w/app.yaml', text);
    const result = ws.analyze();
    const catalog = buildCatalog(result, allRules);
    const lines = (offset: number) =>
      hoverAt(result, catalog, '/w/app.yaml', offset)!
        .lines.flat()
        .map((part) => (typeof part === 'string' ? part : `{${part.label}}`))
        .join('\n');
    const onService = lines(text.lastIndexOf(name) + 1);
    assert.match(onService, /\*\*Service \\\[open\\\]\\\(command:kubeconn\.rescan\\\) \\\*\\\*x\\\*\\\* \\<b\\>\*\*/);
    assert.doesNotMatch(onService.split('\n')[0]!.replace(/\\./g, ''), /\]\(|<b>|\*\*x/);
    const onImage = lines(text.indexOf(image) + 1);
    assert.ok(onImage.includes(`**Image** ${markdownCode(image)}`), onImage);
  });

  it("readSettings: an unusable exclude pattern or value is a warning and that setting's default; the others apply", () => {
    const s = readSettings({ exclude: ['**/*.{yaml'], preStopSeconds: 9, drainSeconds: { x: 1 }, imageMap: ['a'], rules: 'off' }, '/w');
    assert.equal(s.options.exclude, undefined);
    assert.equal(s.options.preStopSeconds, 9);
    assert.equal(s.options.drainSeconds, undefined);
    assert.deepEqual(s.errors.map((e) => e.split(':')[0]).sort(), [
      'kubeconn.drainSeconds',
      'kubeconn.exclude',
      'kubeconn.imageMap',
      'kubeconn.rules',
    ]);
    assert.match(
      s.errors.find((e) => e.startsWith('kubeconn.exclude'))!,
      /"\*\*\/\*\.\{yaml" uses braces.*; using the default\.$/,
    );
    assert.deepEqual(readSettings({ exclude: ['', 3] }, '/w').errors, [
      'kubeconn.exclude: an empty pattern matches nothing; 3 is not a string; using the default.',
    ]);
    assert.deepEqual(readSettings({ exclude: ['dist/', '**/generated/**'] }, '/w'), {
      options: { exclude: ['dist/', '**/generated/**'] },
      groupBy: 'auto',
      errors: [],
    });
  });

  it('the language server with `"kubeconn.exclude": ["**/*.{yaml"]` warns, analyses with the default and keeps serving', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconn-untrusted-'));
    fs.writeFileSync(path.join(dir, 'app.yaml'), served('web'));
    const client = await TestClient.start({ folders: [dir], settings: () => ({ exclude: ['**/*.{yaml'] }) });
    try {
      const status = await client.idle();
      assert.equal(status.settingsErrors.length, 1);
      assert.match(status.settingsErrors[0]!, /^kubeconn\.exclude: .*braces.*using the default\.$/);
      await client.waitFor('the warning', () => client.messages.some((m) => m.type === 2 && m.message === status.settingsErrors[0]));
      await client.waitFor('diagnostics', () => client.diagnosticsOf(path.join(dir, 'app.yaml'), 'prestop-sleep').length > 0);
    } finally {
      await client.stop().catch(() => undefined);
      if (client.child.exitCode === null) client.child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
