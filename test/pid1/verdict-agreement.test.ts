// The signal rules must agree with a real PID 1. Every case of test/pid1/cases.ts (helper harness) and a few
// more measured here are RUN as PID 1 of a fresh PID namespace; the same command line is then written as a
// Dockerfile (exec form, and shell form for `sh -c` cases) and as a pod `command:`, and kubeconn must report
// (error or warning) exactly when the app did not drain. Needs root (unshare --pid): fails, never skips.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import commandOverridesInit from '../../rules/command-overrides-init.js';
import dockerfileExecForm from '../../rules/dockerfile-exec-form.js';
import entrypointScriptExec from '../../rules/entrypoint-script-exec.js';
import packageManagerPid1 from '../../rules/package-manager-pid1.js';
import podCommandExec from '../../rules/pod-command-exec.js';
import { initKubeconn } from '../../src/core/init.js';
import { Workspace } from '../../src/api.js';
import { mapLimit, pid1Cases, pid1FixturesDir, PID1_CASE_TIMEOUT_MS, PID1_GRACE_MS } from './cases.js';
import { assertPid1Supported, runAsPid1 } from './harness.js';

const SIGNAL_RULES = [dockerfileExecForm, entrypointScriptExec, podCommandExec, packageManagerPid1, commandOverridesInit];

interface AgreementCase {
  id: string;
  argv: string[];
  /** Script files (name → text) the command line runs, placed in the image's WORKDIR. */
  scripts: Record<string, string>;
  /** Extra files in the build context (package.json). */
  context?: Record<string, string>;
}

/** Cases measured only here: shapes the rules decide on that the shared table does not cover. */
const extraCases: AgreementCase[] = [
  { id: 'bash-c-and-list', argv: ['bash', '-c', 'true && node app.cjs'], scripts: {} },
  { id: 'busybox-c-and-list', argv: ['busybox', 'sh', '-c', 'true && node app.cjs'], scripts: {} },
  { id: 'dash-c-and-list', argv: ['dash', '-c', 'true && node app.cjs'], scripts: {} },
  { id: 'bash-c-pipeline', argv: ['bash', '-c', 'node app.cjs | cat'], scripts: {} },
  { id: 'bash-c-if', argv: ['bash', '-c', 'if true; then node app.cjs; fi'], scripts: {} },
  { id: 'busybox-c-if', argv: ['busybox', 'sh', '-c', 'if true; then node app.cjs; fi'], scripts: {} },
  { id: 'bash-c-trap-set', argv: ['bash', '-c', 'trap "echo bye" EXIT; node app.cjs'], scripts: {} },
  {
    id: 'script-trap-foreground',
    argv: ['./trap-fg.sh'],
    scripts: { 'trap-fg.sh': '#!/bin/sh\ntrap \'kill -TERM "$child"; wait "$child"\' TERM\nnode app.cjs\n' },
  },
  {
    id: 'script-trap-kill-no-wait',
    argv: ['./trap-nowait.sh'],
    scripts: {
      'trap-nowait.sh':
        '#!/bin/bash\n_term() { kill -TERM "$child" 2>/dev/null; }\ntrap _term SIGTERM\nnode app.cjs &\nchild=$!\nwait "$child"\n',
    },
  },
  {
    id: 'script-function-exec',
    argv: ['./main.sh'],
    scripts: { 'main.sh': '#!/bin/sh\n_main() {\n  echo starting\n  exec node app.cjs\n}\nif [ -z "$SOURCED" ]; then\n  _main "$@"\nfi\n' },
  },
  {
    id: 'script-branch-no-exec',
    argv: ['./branch.sh'],
    scripts: { 'branch.sh': '#!/bin/sh\nif [ -n "$DEBUG" ]; then\n  exec node --inspect app.cjs\nelse\n  node app.cjs\nfi\n' },
  },
  {
    id: 'npm-start',
    argv: ['npm', 'start'],
    scripts: {},
    context: { 'package.json': '{"name":"x","version":"1.0.0","scripts":{"start":"node app.cjs"}}\n' },
  },
  {
    id: 'tini-npm-start',
    argv: ['tini', '--', 'npm', 'start'],
    scripts: {},
    context: { 'package.json': '{"name":"x","version":"1.0.0","scripts":{"start":"node app.cjs"}}\n' },
  },
  {
    id: 'sh-c-exec-npm',
    argv: ['sh', '-c', 'exec npm start'],
    scripts: {},
    context: { 'package.json': '{"name":"x","version":"1.0.0","scripts":{"start":"node app.cjs"}}\n' },
  },
];

/** The harness's own cases, with the scripts they run read from its fixtures. */
const harnessCases: AgreementCase[] = pid1Cases.map((c) => ({
  id: c.id,
  argv: c.argv,
  scripts: Object.fromEntries((c.scripts ?? []).map((s) => [s, fs.readFileSync(path.join(pid1FixturesDir, s), 'utf8')])),
}));

/** /bin/sh of the image that matches the shell the case runs. */
function baseImage(argv: string[]): string {
  return argv.includes('busybox') ? 'alpine:3.20' : 'debian:12';
}

/** The same command line as a Dockerfile ENTRYPOINT, a pod `command:`, and (for `sh -c`) shell form. */
function workspaces(c: AgreementCase): { form: string; files: Record<string, string> }[] {
  const context: Record<string, string> = {};
  for (const [name, text] of Object.entries({ ...c.scripts, ...c.context })) context[`svc/${name}`] = text;
  const base = baseImage(c.argv);
  const image = (tail: string): string => `FROM ${base}\nWORKDIR /app\nCOPY . .\n${tail}`;
  const out = [
    { form: 'Dockerfile ENTRYPOINT (exec form)', files: { ...context, 'svc/Dockerfile': image(`ENTRYPOINT ${JSON.stringify(c.argv)}\n`) } },
    {
      form: 'pod command',
      files: {
        ...context,
        'svc/Dockerfile': image(''),
        'k8s/svc.yaml': [
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata: {name: svc}',
          'spec:',
          '  template:',
          '    spec:',
          '      containers:',
          '        - name: svc',
          '          image: ghcr.io/acme/svc:1.0',
          `          command: ${JSON.stringify(c.argv)}`,
          '',
        ].join('\n'),
      },
    },
  ];
  const c_ = c.argv.indexOf('-c');
  const shell = c.argv[0] === 'busybox' ? 'busybox' : c.argv[0]!;
  if (c_ !== -1 && c_ === c.argv.length - 2 && ['dash', 'bash', 'busybox', 'sh'].includes(shell)) {
    const shellLine = shell === 'bash' ? 'SHELL ["/bin/bash", "-c"]\n' : '';
    out.push({
      form: 'Dockerfile CMD (shell form)',
      files: { ...context, 'svc/Dockerfile': image(`${shellLine}CMD ${c.argv[c_ + 1]}\n`) },
    });
  }
  return out;
}

async function reported(files: Record<string, string>): Promise<string[]> {
  await initKubeconn();
  const ws = new Workspace({}, SIGNAL_RULES);
  for (const [file, text] of Object.entries(files)) ws.setFile(file, text);
  return ws
    .analyze()
    .findings.filter((f) => f.severity !== 'info')
    .map((f) => `${f.ruleId} ${f.file}:${f.line}: ${f.message}`);
}

describe('signal rules agree with a real PID 1 (unshare --pid)', () => {
  const cases = [...harnessCases, ...extraCases];
  let measured = new Map<string, boolean>();
  let workdir = '';

  before(async () => {
    assertPid1Supported();
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconn-agreement-'));
    const results = await mapLimit(cases, 3, async (c) => {
      const dir = path.join(workdir, c.id);
      fs.mkdirSync(dir);
      fs.copyFileSync(path.join(pid1FixturesDir, 'app.cjs'), path.join(dir, 'app.cjs'));
      for (const [name, text] of Object.entries({ ...c.scripts, ...c.context }))
        fs.writeFileSync(path.join(dir, name), text, { mode: 0o755 });
      const r = await runAsPid1(c.argv, { cwd: dir, timeoutMs: PID1_CASE_TIMEOUT_MS, graceMs: PID1_GRACE_MS });
      return [c.id, r.drained] as const;
    });
    measured = new Map(results);
  });

  after(() => {
    if (workdir) fs.rmSync(workdir, { recursive: true, force: true });
  });

  for (const c of cases) {
    it(`${c.id}: ${JSON.stringify(c.argv)}`, async () => {
      const drained = measured.get(c.id);
      assert.equal(typeof drained, 'boolean', 'not measured');
      for (const { form, files } of workspaces(c)) {
        const findings = await reported(files);
        assert.equal(
          findings.length > 0,
          !drained,
          `${form}: the app ${drained ? 'drained' : 'did NOT drain'} as PID 1, but kubeconn ${findings.length ? 'reported' : 'reported nothing'}\n${findings.join('\n')}`,
        );
      }
    });
  }
});
