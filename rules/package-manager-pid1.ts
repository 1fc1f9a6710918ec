// `npm start` (yarn, pnpm, npx) as the main process. Measured (docs/evidence/runtime-package-managers.md,
// test/evidence/pm-pid1.test.ts): npm ≥ 7 and pnpm forward SIGTERM to the script's shell and wait, so the app
// drains when that shell execs it (bash, busybox ash) and is killed when it forks (Debian's dash: dash dies, the
// package manager exits, the kernel kills the app); tini in front changes nothing. yarn 1 exits at once on
// SIGTERM whatever the shell; yarn ≥ 2 runs the script in its own shell and drains. Severity follows that table.
import {
  type AnalysisModel,
  type ArgWord,
  defineRule,
  evaluateScriptCode,
  type FixDescriptor,
  type PackageManagerKind,
  packageManagerDrains,
  type PackageManagerProblem,
  type Severity,
  type TextEdit,
} from '../src/core/rule-api.js';
import path from 'node:path';

export default defineRule({
  id: 'package-manager-pid1',
  meta: {
    type: 'problem',
    category: 'signals',
    description: 'Disallow npm, yarn, pnpm or npx as the main process of a container',
    remediation:
      'Start the app with `node` directly (CMD ["node", "server.js"]); yarn 1 never waits for it, and npm/pnpm only do under a shell that execs the script.',
    severity: 'error',
    fixable: true,
    hasSuggestions: true,
    messages: {
      exitsAtOnce:
        "'{{invocation}}' runs the app under yarn 1, which exits at once on SIGTERM. It forwards the signal but calls process.exit without waiting, so the kernel kills the app mid-drain.",
      shellForks:
        "'{{invocation}}' runs the app under {{name}} and {{shell}}, which does not exec it. {{name}} forwards SIGTERM to the shell and waits, but {{why}}; the shell dies, {{name}} exits and the kernel kills the app mid-drain.",
      unknownShell:
        "'{{invocation}}' runs the app under {{name}} and an unknown /bin/sh. {{name}} forwards SIGTERM to the script's shell and waits: under Debian's dash (which forks) the app is killed mid-drain, under bash or busybox ash it drains.",
      forwards:
        "'{{invocation}}' runs the app under {{name}}, which forwards SIGTERM and waits ({{how}}). It drains; running node directly saves a process and a shell.",
      useNode: 'Run {{json}} (scripts.{{script}} of {{packageJson}})',
    },
  },
  check({ model, report, each }) {
    const problems = new Map<string, { problem: PackageManagerProblem; context?: string }>();
    each(model.images.dockerfiles, (dockerfile) => {
      for (const p of model.pid1.evaluateImage(dockerfile)?.evaluation.problems ?? []) {
        if (p.kind === 'package-manager') problems.set(key(p.word), { problem: p, context: model.images.buildContextOf(dockerfile) });
      }
    });
    each(model.workloads, (workload) => {
      for (const container of workload.containers) {
        const evaluation = model.pid1.evaluateContainer(container);
        for (const p of evaluation?.evaluation.problems ?? []) {
          if (p.kind === 'package-manager' && !problems.has(key(p.word)))
            problems.set(key(p.word), { problem: p, context: evaluation?.link?.context });
        }
      }
    });
    each(problems.values(), ({ problem, context }) => {
      const script = scriptName(problem);
      const invocation = [problem.name, ...problem.args.map((a) => a.value ?? '…')].join(' ').slice(0, 40);
      const pkgFile = context !== undefined ? path.posix.join(context, 'package.json') : undefined;
      const pkg = pkgFile ? model.files.get(pkgFile)?.packageJson : undefined;
      const verdict = judge(
        model,
        problem,
        kindOf(problem, pkg?.packageManager, context, model),
        script ? pkg?.scriptCode[script] : undefined,
        pkgFile,
      );
      const replacement = pkgFile && script ? nodeCommand(model, pkgFile, script) : undefined;
      const edits = replacement ? replaceEdits(model, problem, replacement.argv) : undefined;
      const fix: FixDescriptor | undefined =
        replacement && edits
          ? {
              messageId: 'useNode',
              data: {
                json: JSON.stringify(replacement.argv),
                script,
                packageJson: path.posix.relative(path.posix.dirname(problem.word.at.file), pkgFile!) || 'package.json',
              },
              edits,
            }
          : undefined;
      // `npm start` also runs prestart/poststart and sets npm_* variables: then only suggest; and only fix what is broken.
      const safe = fix && !replacement!.hasHooks && problem.layer === 'dockerfile' && verdict.severity !== 'info';
      report({
        messageId: verdict.messageId,
        data: { invocation, name: problem.name, ...verdict.data },
        severity: verdict.severity,
        at: problem.word.at,
        fix: safe ? fix : undefined,
        suggest: fix && !safe ? [fix] : undefined,
      });
    });
  },
});

interface Verdict {
  messageId: string;
  severity: Severity;
  data: Record<string, string>;
}

/** The measured table: yarn 1 is cut; npm/pnpm drain iff the image's shell execs the script; yarn ≥ 2 drains. */
function judge(
  model: AnalysisModel,
  problem: PackageManagerProblem,
  kind: PackageManagerKind,
  code: Parameters<typeof evaluateScriptCode>[0] | undefined,
  pkgFile: string | undefined,
): Verdict {
  if (kind === 'yarn1') return { messageId: 'exitsAtOnce', severity: 'error', data: {} };
  if (kind === 'yarn-berry') return { messageId: 'forwards', severity: 'info', data: { how: 'yarn ≥ 2 spawns node from its own shell' } };
  const { shells } = problem;
  // Without the script, the shell decides on `node server.js`: a lone command, exec'd by bash and busybox ash.
  const where: ArgWord = { at: { file: pkgFile ?? problem.word.at.file, start: 0, end: 0 }, layer: 'script' };
  const evaluation = code ? evaluateScriptCode(code, where, shells) : undefined;
  const execs = evaluation
    ? evaluation.drains
    : shells.sh === 'bash' || shells.sh === 'busybox'
      ? true
      : shells.sh === 'dash'
        ? false
        : undefined;
  const drains = packageManagerDrains(kind, execs);
  if (drains === true) return { messageId: 'forwards', severity: 'info', data: { how: `${shells.shLabel} execs the script` } };
  if (drains === undefined) return { messageId: 'unknownShell', severity: 'warning', data: {} };
  const shellProblem = evaluation?.problems.find((p) => p.kind === 'shell');
  const why =
    shellProblem && shellProblem.kind === 'shell' && shellProblem.cause !== 'dash'
      ? lower(causeText(shellProblem.cause))
      : "Debian's dash forks even a lone `-c` command";
  return {
    messageId: 'shellForks',
    severity: 'error',
    data: { shell: shells.sh === 'unknown' || shells.sh === 'none' ? '/bin/sh' : shells.shLabel, why },
  };
}

function causeText(cause: string): string {
  switch (cause) {
    case 'pipeline':
      return "a pipeline cannot be exec'd";
    case 'not-last':
      return 'more commands follow the app in the script';
    case 'background':
      return 'the script runs the app in the background';
    case 'bash-redirect':
      return 'bash forks a command with a redirection';
    case 'bash-list':
      return 'bash ≤ 5.0 forks the last command of a `;` list';
    case 'busybox-trap':
    case 'bash-trap':
    case 'trap':
      return 'a trap is set, so the shell does not exec';
    default:
      return 'the shell runs the app as a child';
  }
}

function lower(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * npm (npx is `npm exec`, the same runner), pnpm, or yarn 1 / ≥ 2: corepack's `packageManager` field, else a
 * `.yarnrc.yml` in the build context (yarn ≥ 2), else yarn 1 — the `yarn` that node images ship.
 */
function kindOf(
  problem: PackageManagerProblem,
  packageManager: string | undefined,
  context: string | undefined,
  model: AnalysisModel,
): PackageManagerKind {
  if (problem.name === 'pnpm') return 'pnpm';
  if (problem.name !== 'yarn') return 'npm';
  const major = /^yarn@(\d+)/.exec(packageManager ?? '')?.[1];
  if (major !== undefined) return Number(major) >= 2 ? 'yarn-berry' : 'yarn1';
  if (context !== undefined && model.exists(path.posix.join(context, '.yarnrc.yml'))) return 'yarn-berry';
  return 'yarn1';
}

function key(word: ArgWord): string {
  return `${word.at.file}\0${word.at.start}`;
}

/** `npm start`, `npm run start`, `yarn start`, `pnpm run dev` → the package.json script name. */
function scriptName(problem: PackageManagerProblem): string | undefined {
  const words = problem.args.map((a) => a.value);
  if (problem.name === 'npx') return undefined;
  let i = 0;
  while (words[i]?.startsWith('-')) i++;
  if (words[i] === 'run' || words[i] === 'run-script') i++;
  const name = words[i];
  if (!name || words.length > i + 1) return undefined;
  return name;
}

/** `node …` from package.json scripts.<name> when it is a plain node command. */
function nodeCommand(model: AnalysisModel, file: string, script: string): { argv: string[]; hasHooks: boolean } | undefined {
  const pkg = model.files.get(file)?.packageJson;
  const command = pkg?.scripts[script];
  if (!command || !/^node(\s+[\w@%+=:,./-]+)*\s*$/.test(command.trim())) return undefined;
  return { argv: command.trim().split(/\s+/), hasHooks: `pre${script}` in pkg.scripts || `post${script}` in pkg.scripts };
}

/** Replace the words from the package manager to the end of its command line (exec-form JSON or YAML list). */
function replaceEdits(model: AnalysisModel, problem: PackageManagerProblem, argv: string[]): TextEdit[] | undefined {
  const words = [problem.word, ...problem.args];
  if (problem.layer !== 'dockerfile' || problem.word.shellForm || words.some((w) => w.at.file !== problem.word.at.file)) return undefined;
  const first = words[0]!.at;
  const last = words[words.length - 1]!.at;
  // Only when the words are one exec-form array (not ENTRYPOINT ["npm"] + CMD ["start"]).
  if (model.textOf(first.file).slice(first.start, last.end).includes(']')) return undefined;
  return [{ file: first.file, start: first.start, end: last.end, text: argv.map((a) => JSON.stringify(a)).join(', ') }];
}
