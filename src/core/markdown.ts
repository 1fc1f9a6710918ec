// Workspace text (names, labels, image references, file names, messages that quote them) inside Markdown
// that kubeconn builds for hovers and tooltips: always data, never markup. A name like `[x](command:…)` or
// `**` must show as written, not become a link, emphasis or an HTML tag.

/** Control characters (C0 except tab and newline, DEL, C1, bidi overrides) shown as visible escapes. */
export function printable(text: string): string {
  return text.replace(
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Text for Markdown: the characters Markdown reads as syntax (emphasis, code, links, images, HTML, entities,
 * tables, headings) backslash-escaped, and a list or heading marker at the start; one line. Hyphens and
 * dots inside names (most Kubernetes names) stay as they are.
 */
export function escapeMarkdown(text: string): string {
  return printable(text)
    .replace(/\r?\n|\r/g, ' ')
    .replace(/[\\`*_{}[\]()<>#!|~&$]/g, '\\$&')
    .replace(/^[-+=]/, '\\$&')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

/** Text as a Markdown code span, whatever backticks it holds (the fence is longer than any run inside). */
export function markdownCode(text: string): string {
  const clean = printable(text).replace(/\r?\n|\r/g, ' ');
  const longest = Math.max(0, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/** A link destination for Markdown: only file and https URIs, with the characters that end one encoded. */
export function markdownHref(uri: string): string | undefined {
  if (!/^(file|https?):/i.test(uri)) return undefined;
  return uri.replace(/[()<>\s\\[\]"'`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
