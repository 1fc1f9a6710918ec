// The `exclude`/`include` patterns every front end takes (.kubeconn.yaml, settings.kubeconn, the editor's
// kubeconn.exclude, the CLI's --exclude), checked the same way: a pattern that cannot mean what it says is a
// warning and is left out, the other patterns and the defaults still apply.
import path from 'node:path';
import ignore from 'ignore';

/**
 * Why a pattern of the `exclude`/`include` settings cannot be used, or undefined when it can. They are
 * gitignore patterns: no brace lists (`*.{yaml,yml}` would match a literal brace), relative, non-empty.
 */
export function globProblem(pattern: unknown): string | undefined {
  if (typeof pattern !== 'string') return `${JSON.stringify(pattern) ?? String(pattern)} is not a string`;
  const shown = JSON.stringify(pattern);
  if (pattern.trim() === '') return 'an empty pattern matches nothing';
  if (/[{}]/.test(pattern)) return `${shown} uses braces, which gitignore patterns do not support (list each pattern on its own)`;
  if (path.isAbsolute(pattern) && !pattern.startsWith('/'))
    return `${shown} is an absolute path; patterns are relative to the workspace folder`;
  try {
    ignore().add([pattern]).ignores('probe/file.yaml');
  } catch (error) {
    return `${shown} is not a valid pattern (${(error as Error).message})`;
  }
  return undefined;
}
