// One core Workspace per project (ESLint's cwd) and settings: filled from disk on first use, so a file is
// linted with the evidence of every other file (the Service sees the client that dials it), then kept in
// step with the text ESLint lints (its --fix passes included). Results are cached per workspace version.
import path from 'node:path';
import type { Finding } from '../core/finding.js';
import type { KubeconnOptions } from '../core/options.js';
import { Workspace } from '../core/workspace.js';
import { collectFiles, readText } from '../node/files.js';

const workspaces = new Map<string, Workspace>();

export function workspaceFor(cwd: string, settings: Partial<KubeconnOptions> | undefined): Workspace {
  const key = `${cwd}\0${JSON.stringify(settings ?? {})}`;
  let ws = workspaces.get(key);
  if (!ws) {
    // ESLint reads directive comments itself; the engine must not drop those findings first.
    ws = new Workspace({ ...settings, applyDirectiveComments: false });
    for (const file of collectFiles([cwd])) {
      try {
        ws.setFile(file, readText(file));
      } catch {
        // Unreadable files are ESLint's to report when it lints them.
      }
    }
    workspaces.set(key, ws);
  }
  return ws;
}

/** Findings of one rule for the file ESLint is linting, with `text` as ESLint sees it. */
export function findingsFor(cwd: string, filename: string, text: string, settings: Partial<KubeconnOptions> | undefined): Finding[] {
  const inProject = path.isAbsolute(filename) && !path.relative(cwd, filename).startsWith('..');
  const ws = inProject ? workspaceFor(cwd, settings) : standaloneFor(filename, settings);
  ws.setFile(filename, text);
  return ws.findingsFor(filename);
}

/**
 * A file outside the project (stdin, RuleTester) is analysed on its own. Every kubeconn rule asks for the
 * same file in turn, so its workspace is kept (a few at most) and analysed once per text, not once per rule.
 */
const standalone = new Map<string, Workspace>();
const STANDALONE_KEPT = 16;
function standaloneFor(filename: string, settings: Partial<KubeconnOptions> | undefined): Workspace {
  const key = `${filename}\0${JSON.stringify(settings ?? {})}`;
  let ws = standalone.get(key);
  if (ws) standalone.delete(key);
  else ws = new Workspace({ ...settings, applyDirectiveComments: false });
  standalone.set(key, ws);
  if (standalone.size > STANDALONE_KEPT) standalone.delete(standalone.keys().next().value!);
  return ws;
}

/** For tests: forget cached workspaces. */
export function resetWorkspaces(): void {
  workspaces.clear();
  standalone.clear();
}
