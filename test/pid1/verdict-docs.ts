// Puts the measured PID 1 verdicts (docs/evidence/pid1-verdicts.json, written by generate-table.ts from a real
// run) into the signal rules' docs, between `<!-- pid1-verdicts:begin <case ids> -->` and `<!-- …:end -->`.
//   node dist/test/pid1/verdict-docs.js          rewrite the blocks
// test/pid1/verdict-docs.test.ts fails when a block differs from the evidence.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../helpers/paths.js';

interface Evidence {
  environment: { packages: Record<string, string>; generatedAt: string };
  cases: { id: string; source: string; argv: string[]; measured: { drained: boolean }; race: { runs: number; drained: number } | null }[];
}

export const evidenceFile = path.join(repoRoot, 'docs', 'evidence', 'pid1-verdicts.json');
const BLOCK = /(<!-- pid1-verdicts:begin ([^>]*?) -->\n)([\s\S]*?)(<!-- pid1-verdicts:end -->)/g;

function cell(text: string): string {
  return '`' + text.replace(/\|/g, '\\|').replace(/`/g, "'") + '`';
}

export function table(evidence: Evidence, ids: string[]): string {
  const rows = ids.map((id) => {
    const c = evidence.cases.find((x) => x.id === id);
    if (!c) throw new Error(`pid1-verdicts.json has no case ${id}`);
    const drained = c.measured.drained ? '**yes**' : '**no**';
    const race = c.race ? ` (${c.race.drained}/${c.race.runs} runs)` : '';
    return `| ${id} | ${cell(c.source.replace(/\s{2,}/g, ' '))} | ${cell(JSON.stringify(c.argv))} | ${drained}${race} |`;
  });
  const p = evidence.environment.packages;
  return [
    `| case | written as | PID 1 argv | app drained? |`,
    `|---|---|---|---|`,
    ...rows,
    '',
    `dash ${p.dash}, bash ${p.bash}, busybox ${p.busybox}, tini ${p.tini}, dumb-init ${p['dumb-init']}; measured ${evidence.environment.generatedAt.slice(0, 10)}.`,
    '',
  ].join('\n');
}

/** A docs page with its verdict blocks regenerated. */
export function render(markdown: string, evidence: Evidence): string {
  return markdown.replace(
    BLOCK,
    (_all, begin: string, ids: string, _old: string, end: string) => `${begin}${table(evidence, ids.trim().split(/\s+/))}${end}`,
  );
}

export function readEvidence(): Evidence {
  return JSON.parse(fs.readFileSync(evidenceFile, 'utf8')) as Evidence;
}

export const docsWithVerdicts = ['dockerfile-exec-form', 'entrypoint-script-exec', 'pod-command-exec'].map((id) =>
  path.join(repoRoot, 'docs', 'rules', `${id}.md`),
);

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const evidence = readEvidence();
  for (const file of docsWithVerdicts) fs.writeFileSync(file, render(fs.readFileSync(file, 'utf8'), evidence));
}
