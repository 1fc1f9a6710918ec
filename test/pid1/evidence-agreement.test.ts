// The signal rules must agree with the runtime evidence committed in docs/evidence/runtime/: every shell case of
// shells.json (test/evidence/shells-pid1.test.ts measured it as PID 1) and every package-manager row of
// package-managers.json (test/evidence/pm-pid1.test.ts) is written as the Dockerfile (and pod command) a user
// would write on an image with that shell, and kubeconn must report an error or warning exactly when the app
// did not drain. The measurements are not re-run here (the evidence tests do that, and fail when a claim stops
// being true); this test pins the rules to them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import dockerfileExecForm from '../../rules/dockerfile-exec-form.js';
import entrypointScriptExec from '../../rules/entrypoint-script-exec.js';
import packageManagerPid1 from '../../rules/package-manager-pid1.js';
import podCommandExec from '../../rules/pod-command-exec.js';
import { Workspace } from '../../src/api.js';
import { initKubeconn } from '../../src/core/init.js';
import { repoRoot } from '../helpers/paths.js';

const RULES = [dockerfileExecForm, entrypointScriptExec, podCommandExec, packageManagerPid1];
const evidence = (topic: string): Record<string, Record<string, unknown>> =>
  (
    JSON.parse(fs.readFileSync(path.join(repoRoot, 'docs', 'evidence', 'runtime', `${topic}.json`), 'utf8')) as {
      scenarios: Record<string, Record<string, unknown>>;
    }
  ).scenarios;

/** Base image (and SHELL line) whose shell is the measured one. */
const SHELL_IMAGES: Record<string, { image: string; shell?: string; argv0: string }> = {
  'bash 5.2': { image: 'debian:12', shell: 'SHELL ["/bin/bash", "-c"]\n', argv0: 'bash' },
  'busybox ash 1.35': { image: 'alpine:3.20', argv0: 'sh' },
  'bash 4.4 (upstream)': { image: 'registry.access.redhat.com/ubi8/ubi', argv0: 'sh' },
  'bash 5.0 (upstream)': { image: 'debian:10', shell: 'SHELL ["/bin/bash", "-c"]\n', argv0: 'bash' },
  'bash 5.1 (upstream)': { image: 'registry.access.redhat.com/ubi9/ubi', argv0: 'sh' },
};

const PM_IMAGES: Record<string, string> = {
  dash: 'node:20',
  bash: 'registry.access.redhat.com/ubi9/nodejs-20',
  busybox: 'node:20-alpine',
  portable: 'node:20',
};

async function reported(files: Record<string, string>): Promise<string[]> {
  await initKubeconn();
  const ws = new Workspace({}, RULES);
  for (const [file, text] of Object.entries(files)) ws.setFile(file, text);
  return ws
    .analyze()
    .findings.filter((f) => f.severity !== 'info')
    .map((f) => `${f.ruleId} ${f.file}:${f.line}: ${f.message}`);
}

describe('signal rules agree with docs/evidence/runtime/shells.json (measured by test/evidence/shells-pid1.test.ts)', () => {
  for (const [id, c] of Object.entries(evidence('shells'))) {
    const setup = SHELL_IMAGES[c.shell as string];
    const measured = c.measured as { appWasPid1?: boolean } | undefined;
    if (!setup || measured?.appWasPid1 === undefined) continue;
    it(`${id}: ${String(c.shell)} -c '${String(c.script)}' → ${measured.appWasPid1 ? 'exec' : 'no exec'}`, async () => {
      const script = String(c.script).replace('<fixtures>', '/app');
      const forms = {
        'shell-form CMD': { 'svc/Dockerfile': `FROM ${setup.image}\nWORKDIR /app\n${setup.shell ?? ''}CMD ${script}\n` },
        'pod command': {
          'svc/Dockerfile': `FROM ${setup.image}\n`,
          'k8s/svc.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: svc}\nspec:\n  template:\n    spec:\n      containers:\n        - name: svc\n          image: ghcr.io/acme/svc:1\n          command: ${JSON.stringify([setup.argv0, '-c', script])}\n`,
        },
      };
      for (const [form, files] of Object.entries(forms)) {
        const findings = await reported(files);
        assert.equal(
          findings.length > 0,
          !measured.appWasPid1,
          `${form}: measured ${measured.appWasPid1 ? 'exec' : 'no exec'}, kubeconn ${findings.length ? 'reported' : 'reported nothing'}\n${findings.join('\n')}`,
        );
      }
    });
  }
});

describe('package-manager-pid1 agrees with docs/evidence/runtime/package-managers.json (measured by test/evidence/pm-pid1.test.ts)', () => {
  for (const [id, c] of Object.entries(evidence('package-managers'))) {
    const measured = c.measured as { drained: boolean };
    const pm = String(c.pm);
    const name = pm.replace(/\d+$/, '');
    it(`${id}: ${pm} under ${String(c.shell)}${c.tini ? ' behind tini' : ''} → ${measured.drained ? 'drained' : 'cut'}`, async () => {
      const packageJson: Record<string, unknown> = { name: 'app', version: '1.0.0', scripts: { start: 'node app.cjs' } };
      if (pm === 'yarn4') packageJson.packageManager = 'yarn@4.18.1';
      const entry = c.tini ? 'ENTRYPOINT ["tini", "--"]\n' : '';
      const files = {
        'app/Dockerfile': `FROM ${PM_IMAGES[String(c.shell)]}\nWORKDIR /app\nCOPY . .\n${entry}CMD ["${name}", "start"]\n`,
        'app/package.json': `${JSON.stringify(packageJson)}\n`,
      };
      const findings = await reported(files);
      assert.equal(
        findings.length > 0,
        !measured.drained,
        `measured ${measured.drained ? 'drained' : 'cut'}, kubeconn ${findings.length ? 'reported' : 'reported nothing'}\n${findings.join('\n')}`,
      );
    });
  }
});
