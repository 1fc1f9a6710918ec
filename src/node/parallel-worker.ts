// One worker thread of the CLI's parallel analysis (src/node/parallel.ts): it extracts its part of the files,
// keeps their facts (parsed documents stay in this thread), and analyses the islands it is given.
import { parentPort } from 'node:worker_threads';
import {
  allRules,
  analyzePart,
  extractFacts,
  initKubeconn,
  partKeys,
  skippedFacts,
  type DeploymentUnit,
  type FileFacts,
  type KubeconnOptions,
} from '../api.js';
import type { FileInput, FromWorker, ToWorker } from './parallel.js';

const facts = new Map<string, FileFacts>();
let options: KubeconnOptions | undefined;

function extract(f: FileInput): void {
  facts.set(
    f.file,
    f.skipped !== undefined || f.text === undefined
      ? skippedFacts(f.file, f.skipped ?? 'not read')
      : extractFacts(f.file, f.text, options!),
  );
}

async function handle(message: ToWorker): Promise<FromWorker> {
  await initKubeconn();
  if (message.kind === 'extract') {
    options = message.options;
    for (const f of message.files) extract(f);
    const keys = partKeys(facts, options, message.structure);
    return { kind: 'keys', keys };
  }
  for (const f of message.extra) extract(f);
  // In the workspace's order, as the single-threaded analysis has them: the model lists what it links in file order.
  const subset = new Map<string, FileFacts>();
  const wanted = new Set(message.analyse);
  for (const file of message.workspace) if (wanted.has(file)) subset.set(file, facts.get(file)!);
  const units = new Map<string, DeploymentUnit>();
  const folders = new Map<string, DeploymentUnit>();
  for (const [file, id, root] of message.folders) {
    let unit = units.get(id);
    if (!unit) units.set(id, (unit = { id, kind: 'folder', root, includes: [] }));
    folders.set(file, unit);
  }
  const rules = allRules;
  const result = analyzePart(subset, options!, rules, folders, new Set(message.workspace), {
    fixes: true,
    suggestions: message.suggestions,
  });
  return { kind: 'result', result };
}

parentPort!.on('message', (message: ToWorker) => {
  handle(message).then(
    (reply) => {
      parentPort!.postMessage(reply);
    },
    (error: unknown) => {
      parentPort!.postMessage({ kind: 'error', message: (error as Error)?.stack ?? String(error) } satisfies FromWorker);
    },
  );
});
