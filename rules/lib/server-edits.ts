// Edits that set a server's timeouts where the server facts say they go: Node's keepAliveTimeout/headersTimeout
// (a statement after the one that made the server, or the options object), Go's http.Server fields, a value
// already written (code, flag, config file), and a flag added after a server's name on a command line.
import {
  codeEditBuilder,
  type CommandWord,
  type HttpServerSite,
  type ImportsLayout,
  type Range,
  type TextEdit,
} from '../../src/core/rule-api.js';
import { codeEdits } from './grpc.js';

export function replaceAt(file: string, at: Range, text: string): TextEdit {
  return { file, start: at[0], end: at[1], text };
}

/** Edits that make a Node server keep idle connections `idleMs` (and read headers for 1 s longer). */
export function nodeIdleEdits(
  file: string,
  text: string,
  site: HttpServerSite,
  idleMs: number,
  optionsAllowed: boolean,
): TextEdit[] | undefined {
  const headersMs = idleMs + 1000;
  const fastify = site.framework === 'fastify';
  const wantHeaders = !fastify && (site.headersTimeout?.ms === undefined || site.headersTimeout.ms <= idleMs);
  const edits: TextEdit[] = [];
  if (site.idle) {
    edits.push(replaceAt(file, site.idle.at, String(idleMs)));
    const inOptions = site.options !== undefined && site.idle.entry[0] >= site.options.at[0] && site.idle.entry[1] <= site.options.at[1];
    if (site.headersTimeout && wantHeaders) edits.push(replaceAt(file, site.headersTimeout.at, String(headersMs)));
    else if (wantHeaders && inOptions)
      edits.push({ file, start: site.idle.entry[1], end: site.idle.entry[1], text: `, headersTimeout: ${headersMs}` });
    else if (wantHeaders && site.place?.kind === 'after') {
      const line = lineStartOf(text, site.idle.entry[0]);
      const indent = /^[ \t]*/.exec(text.slice(line))![0];
      edits.push({
        file,
        start: site.idle.entry[1],
        end: site.idle.entry[1],
        text: `${eolOf(text)}${indent}${site.place.target}.headersTimeout = ${headersMs};`,
      });
    } else if (wantHeaders) return undefined;
    return edits;
  }
  const place = site.place;
  if (place?.kind === 'after') {
    const eol = eolOf(text);
    // Follow the file's style: a statement ending in `;` gets statements that do.
    const semi = text[place.offset - 1] === ';' ? ';' : '';
    const lines = [
      `${place.target}.keepAliveTimeout = ${idleMs}${semi}`,
      ...(wantHeaders ? [`${place.target}.headersTimeout = ${headersMs}${semi}`] : []),
    ];
    return [{ file, start: place.offset, end: place.offset, text: lines.map((l) => `${eol}${place.indent}${l}`).join('') }];
  }
  if (place?.kind === 'options' && (optionsAllowed || fastify)) {
    const entries = [`keepAliveTimeout: ${idleMs}`, ...(wantHeaders ? [`headersTimeout: ${headersMs}`] : [])].join(', ');
    if (place.list) {
      const last = place.list.items[place.list.items.length - 1];
      if (!last) return [{ file, start: place.list.at[0] + 1, end: place.list.at[1] - 1, text: ` ${entries} ` }];
      return [
        {
          file,
          start: last.at[1],
          end: last.at[1],
          text: place.list.multiline ? `,${eolOf(text)}${place.list.indent}${entries}` : `, ${entries}`,
        },
      ];
    }
    if (place.args) {
      const open = place.args.at[0] + 1;
      return [{ file, start: open, end: open, text: place.args.items.length > 0 ? `{ ${entries} }, ` : `{ ${entries} }` }];
    }
  }
  return undefined;
}

/** `IdleTimeout: 65 * time.Second` in a Go http.Server literal. */
export function goIdleEdits(file: string, site: HttpServerSite, seconds: number, imports: ImportsLayout): TextEdit[] | undefined {
  const value = seconds % 60 === 0 ? `${seconds / 60} * time.Minute` : `${seconds} * time.Second`;
  const time = codeEdits(file, codeEditBuilder('go').addImports(imports, [{ module: 'time' }]));
  if (site.idle) return [replaceAt(file, site.idle.at, value), ...time];
  const list = site.place?.kind === 'fields' ? site.place.list : undefined;
  if (!list) return undefined;
  const last = list.items[list.items.length - 1];
  const field = `IdleTimeout: ${value}`;
  const edit: TextEdit = !last
    ? { file, start: list.at[0] + 1, end: list.at[0] + 1, text: field }
    : list.multiline
      ? { file, start: last.at[1], end: last.at[1], text: `,\n${list.indent}${field}` }
      : { file, start: last.at[1], end: last.at[1], text: `, ${field}` };
  return [edit, ...time];
}

/**
 * A flag and its value added right after the server's name: `, "--keep-alive", "65"` in an exec-form array
 * (a Dockerfile's JSON array or a YAML flow sequence), ` --keep-alive 65` in shell code. Undefined inside a YAML
 * block sequence, where a new item needs its own line.
 */
export function addFlagEdits(text: string, word: CommandWord, flag: string, value: string): TextEdit[] | undefined {
  const { file, end } = word.at;
  if (word.json) {
    const before = text.slice(lineStartOf(text, word.at.start), word.at.start);
    if (/^\s*-\s*$/.test(before)) return undefined;
    const quote = text[word.at.start];
    return [{ file, start: end, end, text: `, ${quote}${flag}${quote}, ${quote}${value}${quote}` }];
  }
  const before = text.slice(lineStartOf(text, word.at.start), word.at.start);
  if (/^\s*-\s*$/.test(before)) return undefined;
  return [{ file, start: end, end, text: ` ${flag} ${value}` }];
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}
