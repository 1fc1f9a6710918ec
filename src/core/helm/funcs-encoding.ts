// Encoding template functions: Helm's toYaml/fromYaml/toJson/fromJson (Go's encoding/json output: sorted
// keys, HTML-safe escapes), base64/base32, hashes, and Sprig's semver functions.

import { createHash } from 'node:crypto';
import { def, firstUnknown, strFn, strval, TplError, unknown, unknownIn, type CallCtx, type FnTable } from './call.js';
import { LIMITS } from './output.js';
import { semverSatisfies, parseVersion } from './semver.js';
import { toYaml } from './to-yaml.js';
import { tval } from './tracked.js';
import { parseYaml } from './values.js';
import { isMap, sortedKeys, STRINGER, Unknown, type GoMap, type Val } from './value.js';
import type { Diagnostic } from './types.js';

function jsonString(s: string, html: boolean): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c < 0x20 || (html && (ch === '<' || ch === '>' || ch === '&')) || c === 0x2028 || c === 0x2029) {
      out += '\\u' + c.toString(16).padStart(4, '0');
    } else out += ch;
  }
  return out + '"';
}

/** encoding/json.Marshal (or MarshalIndent with `indent`). */
export function toJson(v: unknown, c: CallCtx, html: boolean, indent = '', depth = 0, pre = ''): string {
  if (depth > 1000) throw new TplError('json: unsupported value: encountered a cycle');
  if (v === null || v === undefined || typeof v === 'function') return 'null';
  if (v instanceof Unknown) return jsonString(c.ph(v), html);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TplError(`json: unsupported value: ${v}`);
    return String(v);
  }
  if (typeof v === 'string') return jsonString(v, html);
  const str = (v as Record<symbol, unknown>)[STRINGER];
  if (typeof str === 'string') return jsonString(str, html);
  const inner = pre + indent;
  const nl = indent ? '\n' : '';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[${nl}${v.map((x) => inner + toJson(x, c, html, indent, depth + 1, inner)).join(',' + nl)}${nl}${pre}]`;
  }
  const m = v as GoMap;
  const keys = sortedKeys(m);
  if (keys.length === 0) return '{}';
  const sep = indent ? ': ' : ':';
  return `{${nl}${keys.map((k) => inner + jsonString(k, html) + sep + toJson(m[k], c, html, indent, depth + 1, inner)).join(',' + nl)}${nl}${pre}}`;
}

function jsonFn(html: boolean, indent: string, must: boolean) {
  return def(1, 1, (c, [x]) => {
    try {
      return { v: toJson(x!.v, c, html, indent) };
    } catch (e) {
      if (must) throw e;
      return { v: '' };
    }
  });
}

function yamlFn(must: boolean) {
  return def(1, 1, (c, [x]) => {
    try {
      return tval(toYaml(x!, c.ph, LIMITS.output));
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      if (must) throw new TplError(e.message);
      c.diag(e.message, 'limit');
      return { v: '' };
    }
  });
}

function fromYaml(c: CallCtx, x: Val, wantList: boolean): Val {
  if (firstUnknown([x])) return unknown('fromYaml of an unknown value');
  const diags: Diagnostic[] = [];
  const text = strval(c, x);
  const v = parseYaml('<fromYaml>', text, diags, false);
  if (wantList) return !diags.length && Array.isArray(v) ? { v } : { v: [diags[0]?.message ?? 'yaml: cannot unmarshal into a list'] };
  if (diags.length || (v !== null && !isMap(v))) return { v: { Error: diags[0]?.message ?? 'yaml: cannot unmarshal into a map' } };
  return { v: v ?? {} };
}

function fromJson(c: CallCtx, x: Val, wantList: boolean): Val {
  if (firstUnknown([x])) return unknown('fromJson of an unknown value');
  try {
    const v: unknown = JSON.parse(strval(c, x));
    if (wantList ? Array.isArray(v) : isMap(v)) return { v };
    throw new Error(`json: cannot unmarshal into ${wantList ? 'a list' : 'a map'}`);
  } catch (e) {
    return wantList ? { v: [(e as Error).message] } : { v: { Error: (e as Error).message } };
  }
}

const hash = (alg: string) => strFn(1, 1, (s) => createHash(alg).update(String(s), 'utf8').digest('hex'));

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function b32enc(s: string): string {
  const bytes = Buffer.from(s, 'utf8');
  let bits = 0;
  let acc = 0;
  let out = '';
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(acc >>> (bits - 5)) & 31]!;
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(acc << (5 - bits)) & 31]!;
  return out.padEnd(Math.ceil(out.length / 8) * 8, '=');
}

function semverFn(c: CallCtx, [con, ver]: Val[]): Val {
  const u = unknownIn(c, [con!, ver!]);
  if (u) return u;
  const r = semverSatisfies(strval(c, con!), strval(c, ver!));
  if (r === undefined)
    throw new TplError(`semverCompare: cannot parse ${JSON.stringify(strval(c, con!))} / ${JSON.stringify(strval(c, ver!))}`);
  return { v: r };
}

export const encodingFuncs: FnTable = {
  toYaml: yamlFn(false),
  mustToYaml: yamlFn(true),
  fromYaml: def(1, 1, (c, [x]) => fromYaml(c, x!, false)),
  fromYamlArray: def(1, 1, (c, [x]) => fromYaml(c, x!, true)),
  toJson: jsonFn(true, '', false),
  mustToJson: jsonFn(true, '', true),
  toPrettyJson: jsonFn(true, '  ', false),
  mustToPrettyJson: jsonFn(true, '  ', true),
  toRawJson: jsonFn(false, '', false),
  mustToRawJson: jsonFn(false, '', true),
  fromJson: def(1, 1, (c, [x]) => fromJson(c, x!, false)),
  fromJsonArray: def(1, 1, (c, [x]) => fromJson(c, x!, true)),
  b64enc: strFn(1, 1, (s) => Buffer.from(String(s), 'utf8').toString('base64')),
  b64dec: strFn(1, 1, (s) => {
    const str = String(s);
    return /^[A-Za-z0-9+/]*={0,2}$/.test(str) && str.length % 4 === 0
      ? Buffer.from(str, 'base64').toString('utf8')
      : 'illegal base64 data at input byte 0';
  }),
  b32enc: strFn(1, 1, (s) => b32enc(String(s))),
  sha256sum: hash('sha256'),
  sha1sum: hash('sha1'),
  sha512sum: hash('sha512'),
  adler32sum: strFn(1, 1, (s) => {
    let a = 1;
    let b = 0;
    for (const byte of Buffer.from(String(s), 'utf8')) {
      a = (a + byte) % 65521;
      b = (b + a) % 65521;
    }
    return String(((b << 16) | a) >>> 0);
  }),
  semverCompare: def(2, 2, semverFn),
  semver: def(1, 1, (c, [x]) => {
    if (x!.v instanceof Unknown) return x!;
    const v = parseVersion(strval(c, x!));
    if (!v) throw new TplError(`semver: invalid version ${JSON.stringify(strval(c, x!))}`);
    return {
      v: {
        Major: v.major,
        Minor: v.minor,
        Patch: v.patch,
        Prerelease: v.pre,
        Metadata: v.meta,
        Original: v.original,
        [STRINGER]: `${v.major}.${v.minor}.${v.patch}${v.pre ? '-' + v.pre : ''}${v.meta ? '+' + v.meta : ''}`,
      },
    };
  }),
};
