// `npm start` (yarn, pnpm, npx) as the main process: measured (test/pid1), npm exits at once on SIGTERM — also
// under tini and as `exec npm start` — and the kernel kills the app it started mid-drain. Run `node` directly.
import { type AnalysisModel, type ArgWord, defineRule, type FixDescriptor, type PackageManagerProblem, type TextEdit } from '../src/core/rule-api.js';
import path from 'node:path';

export default defineRule({
  id: 'package-manager-pid1',
  meta: {
    type: 'problem',
    category: 'signals',
    description: 'Disallow npm, yarn, pnpm or npx as the main process of a container',
    remediation: 'Start the app with `node` directly (CMD ["node", "server.js"]); the package manager does not pass SIGTERM on and waits for nothing.',
    severity: 'error',
    fixable: true,
    hasSuggestions: true,
    messages: {
      packageManager:
        "'{{invocation}}' runs the app as a child of {{name}}: on SIGTERM {{name}} exits at once and the kernel kills the app mid-request instead of letting it drain.",
      useNode: 'Run {{json}} (scripts.{{script}} of {{packageJson}})',
    },
  },
  check({ model, options, report, each }) {
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
          if (p.kind === 'package-manager' && !problems.has(key(p.word))) problems.set(key(p.word), { problem: p, context: evaluation?.link?.context });
        }
      }
    });
    each(problems.values(), ({ problem, context }) => {
      const script = scriptName(problem);
      const invocation = [problem.name, ...problem.args.map((a) => a.value ?? '…')].join(' ').slice(0, 60);
      const replacement = context && script ? nodeCommand(model, context, script) : undefined;
      const edits = replacement ? replaceEdits(model, problem, replacement.argv) : undefined;
      const fix: FixDescriptor | undefined = replacement && edits
        ? { messageId: 'useNode', data: { json: JSON.stringify(replacement.argv), script, packageJson: replacement.file }, edits }
        : undefined;
      // `npm start` also runs prestart/poststart and sets npm_* variables: then only suggest.
      const safe = fix && !replacement!.hasHooks && problem.layer === 'dockerfile';
      report({
        messageId: 'packageManager',
        data: { invocation, name: problem.name },
        at: problem.word.at,
        fix: safe ? fix : undefined,
        suggest: fix && !safe ? [fix] : undefined,
      });
    });
  },
});

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
function nodeCommand(model: AnalysisModel, context: string, script: string): { argv: string[]; file: string; hasHooks: boolean } | undefined {
  const file = path.posix.join(context, 'package.json');
  const pkg = model.files.get(file)?.packageJson;
  const command = pkg?.scripts[script];
  if (!command || !/^node(\s+[\w@%+=:,./-]+)*\s*$/.test(command.trim())) return undefined;
  return { argv: command.trim().split(/\s+/), file, hasHooks: `pre${script}` in pkg.scripts || `post${script}` in pkg.scripts };
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
