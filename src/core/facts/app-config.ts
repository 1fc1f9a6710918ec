// Application config files as plain key → value records with spans: Spring `application[-<profile>].yml|yaml|
// properties` (keys flattened with `.`, lists as `[0]`; a document with `spring.config.activate.on-profile` is a
// profile's), .NET `appsettings[.<Environment>].json` (keys flattened with `:`, comments and trailing commas
// allowed, as .NET reads them), nginx `grpc_pass` targets (through `upstream` blocks), and the .NET options
// registrations that bind a class to a section (`services.Configure<ServiceUrls>(config.GetSection("Urls"))`).
// Which file belongs to which code, and what overrides what, is the model's business (model/app-config.ts).
import path from 'node:path';
import { isMap, isScalar, isSeq, parseAllDocuments, type Node as YNode, Scalar } from 'yaml';
import type { Part } from './grpc/value.js';
import type { Extractor, FileFacts } from './index.js';
import { problemAt } from './problem.js';

type Range = [number, number];

export interface ConfigEntry {
  /** Spring `grpc.client.orders.address`, .NET `Urls:Orders`, nginx `grpc_pass`. */
  key: string;
  /** The value as the application reads it (placeholders not resolved). */
  value: string;
  /** The value as written (with quotes). */
  at: Range;
  /** The value's text when an edit can replace it as is (a plain or escape-free quoted scalar). */
  content?: Range;
  /** Spring: the profile of a multi-document file's document (`spring.config.activate.on-profile: prod`). */
  profile?: string;
  /** Envoy: the cluster whose endpoint this address is. */
  envoy?: EnvoyCluster;
}

/** An Envoy cluster of a bootstrap's `static_resources` (what it does with the addresses it is given). */
export interface EnvoyCluster {
  name: string;
  /**
   * Service discovery: STRICT_DNS resolves every address of the name and re-resolves it (dns_refresh_rate, 5 s by
   * default), LOGICAL_DNS connects to the first address only, STATIC (the default) takes the address as is.
   */
  type: string;
  /** `lb_policy` (ROUND_ROBIN by default): per request, over the cluster's hosts. */
  lbPolicy: string;
  /** Speaks HTTP/2 to its hosts (`http2_protocol_options`, the v3 `typed_extension_protocol_options` too): gRPC can. */
  http2: boolean;
}

export type AppConfigFormat = 'spring' | 'dotnet' | 'nginx';

/** An Envoy bootstrap's static clusters' endpoints (envoyExtractor). */
export interface EnvoyFacts {
  entries: ConfigEntry[];
}

export interface AppConfigFacts {
  format: AppConfigFormat;
  /** Spring: the profile of `application-<profile>.yml`; .NET: the environment of `appsettings.<Env>.json`. */
  variant?: string;
  entries: ConfigEntry[];
}

/** `services.Configure<ServiceUrls>(configuration.GetSection("Urls"))`: members of ServiceUrls read keys under Urls. */
export interface OptionsBinding {
  type: string;
  section: string;
  at: Range;
}

const SPRING = /^application(?:-([\w.-]+))?\.(ya?ml|properties)$/i;
const DOTNET = /^appsettings(?:\.([\w-]+))?\.json$/i;
const NGINX = /\.conf(?:\.template)?$/i;
/** Envoy bootstraps: any YAML file (read only when it says `static_resources`), JSON ones named after Envoy. */
const ENVOY = /\.ya?ml$|envoy[^/]*\.json$/i;

export const appConfigExtractor: Extractor = {
  name: 'app-config',
  claims: (file) => {
    if (/(^|\/)(node_modules|vendor|dist|bin|obj|target|\.git)\//.test(file)) return false;
    const base = path.posix.basename(file.replace(/\\/g, '/'));
    return SPRING.test(base) || DOTNET.test(base) || NGINX.test(base) || /\.cs$/i.test(base);
  },
  mayMatter: () => true,
  extract(facts: FileFacts) {
    const base = path.posix.basename(facts.file.replace(/\\/g, '/'));
    if (/\.cs$/i.test(base)) {
      const bindings = optionsBindings(facts.text);
      if (bindings.length > 0) facts.optionsBindings = bindings;
      return;
    }
    const spring = SPRING.exec(base);
    const dotnet = DOTNET.exec(base);
    let read: { entries: ConfigEntry[]; error?: { at: number; message: string } };
    let format: AppConfigFormat;
    let variant: string | undefined;
    if (spring) {
      format = 'spring';
      variant = spring[1];
      read = spring[2]!.toLowerCase() === 'properties' ? readProperties(facts.text) : readSpringYaml(facts.text);
    } else if (dotnet) {
      format = 'dotnet';
      variant = dotnet[1];
      read = readJsonConfig(facts.text);
    } else {
      if (!/\bgrpc_pass\b/.test(facts.text)) return;
      format = 'nginx';
      read = { entries: readNginx(facts.text) };
    }
    if (read.error) {
      // Both readers can report the end of the input one past it (yaml: an unclosed `[`; JSON: a cut `\u` escape).
      const what = format === 'spring' ? 'Spring config' : '.NET appsettings';
      facts.problems.push(
        problemAt(facts, read.error.at, read.error.at, {
          kind: 'syntax',
          message: `${what} file does not parse, so its values are not used for dial targets: ${read.error.message}`,
        }),
      );
    }
    if (read.entries.length > 0) facts.appConfig = variant ? { format, variant, entries: read.entries } : { format, entries: read.entries };
  },
};

// ---- Spring placeholders -------------------------------------------------------------------------------------

/**
 * `${orders.address:dns:///orders:9090}` and text around it, as parts: the key is looked up through Spring's
 * property sources, the text after the first `:` is the default (itself placeholders). `start` is the offset
 * of `text` in its file.
 */
export function springPlaceholders(text: string, start: number): Part[] {
  const out: Part[] = [];
  let lit = '';
  let litStart = start;
  const flush = (end: number) => {
    if (lit) out.push({ kind: 'lit', text: lit, at: [litStart, end] });
    lit = '';
  };
  for (let i = 0; i < text.length;) {
    const end = text.startsWith('${', i) ? closingBrace(text, i + 2) : -1;
    if (end === -1) {
      if (!lit) litStart = start + i;
      lit += text[i++]!;
      continue;
    }
    flush(start + i);
    const inner = text.slice(i + 2, end);
    const colon = topLevelColon(inner);
    const key = (colon === -1 ? inner : inner.slice(0, colon)).trim();
    const part: Part = { kind: 'config', dialect: 'spring', key, at: [start + i, start + end + 1] };
    if (colon !== -1) part.fallback = springPlaceholders(inner.slice(colon + 1), start + i + 2 + colon + 1);
    out.push(part);
    i = end + 1;
  }
  flush(start + text.length);
  return out;
}

function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text.startsWith('${', i)) {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function topLevelColon(inner: string): number {
  let depth = 0;
  for (let i = 0; i < inner.length; i++) {
    if (inner.startsWith('${', i)) {
      depth++;
      i++;
    } else if (inner[i] === '}') depth--;
    else if (inner[i] === ':' && depth === 0) return i;
  }
  return -1;
}

// ---- Spring YAML and properties --------------------------------------------------------------------------------

function readSpringYaml(text: string): { entries: ConfigEntry[]; error?: { at: number; message: string } } {
  const entries: ConfigEntry[] = [];
  let error: { at: number; message: string } | undefined;
  for (const doc of parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, logLevel: 'error' })) {
    if ('errors' in doc && doc.errors.length > 0) {
      error ??= { at: doc.errors[0]!.pos[0], message: doc.errors[0]!.message.split('\n')[0]! };
      continue;
    }
    const own: ConfigEntry[] = [];
    flattenYaml(doc.contents, '', text, own);
    const profile = own.find((e) => e.key === 'spring.config.activate.on-profile' || e.key === 'spring.profiles')?.value;
    for (const e of own) entries.push(profile ? { ...e, profile } : e);
  }
  return { entries, error };
}

function flattenYaml(node: YNode | null, prefix: string, text: string, out: ConfigEntry[], depth = 0): void {
  if (!node || depth > 32) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) continue;
      flattenYaml(pair.value as YNode | null, prefix ? `${prefix}.${key}` : key, text, out, depth + 1);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      flattenYaml(item as YNode | null, `${prefix}[${i}]`, text, out, depth + 1);
    });
  } else if (isScalar(node) && node.range && node.value !== null && prefix) {
    out.push(yamlEntry(prefix, node, text));
  }
}

function yamlEntry(key: string, node: Scalar, text: string): ConfigEntry {
  const [start, end] = [node.range![0], node.range![1]];
  const source = text.slice(start, end);
  if (node.type === Scalar.PLAIN) return { key, value: source, at: [start, end], content: [start, end] };
  const value = String(node.value);
  const quoted = (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) && source.slice(1, -1) === value;
  return quoted ? { key, value, at: [start, end], content: [start + 1, end - 1] } : { key, value, at: [start, end] };
}

/** `key=value`, `key: value`, `key value`; `#`/`!` comments; a trailing `\` continues the line. */
function readProperties(text: string): { entries: ConfigEntry[] } {
  const entries: ConfigEntry[] = [];
  const lines = /[^\r\n]*(\r\n|\r|\n|$)/g;
  let m: RegExpExecArray | null;
  while ((m = lines.exec(text)) && m[0] !== '') {
    const lineStart = m.index;
    let line = m[0].replace(/(\r\n|\r|\n)$/, '');
    let lineEnd = lineStart + line.length;
    while (/(^|[^\\])(\\\\)*\\$/.test(line)) {
      const next = lines.exec(text);
      if (!next || next[0] === '') break;
      line = `${line.slice(0, -1)}${next[0].replace(/(\r\n|\r|\n)$/, '').trimStart()}`;
      lineEnd = next.index + next[0].replace(/(\r\n|\r|\n)$/, '').length;
    }
    const kv = /^(\s*)((?:\\.|[^=:\s\\])+)\s*[=:\s]\s*(.*?)\s*$/.exec(line);
    if (!kv || /^\s*[#!]/.test(line)) continue;
    const key = kv[2]!.replace(/\\(.)/g, '$1');
    const raw = kv[3]!;
    // The value ends where the trimmed line does (on a continued line the span is that of the first line's start).
    const valueStart = lineStart + Math.max(0, line.trimEnd().length - raw.length);
    const value = raw.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
    const at: Range = [valueStart, valueStart + raw.length];
    entries.push(value === raw && lineEnd - lineStart === line.length ? { key, value, at, content: at } : { key, value, at });
  }
  return { entries };
}

// ---- .NET appsettings JSON -------------------------------------------------------------------------------------

/** A JSON reader with spans that accepts what .NET's JSON configuration accepts: comments and trailing commas. */
function readJsonConfig(text: string): { entries: ConfigEntry[]; error?: { at: number; message: string } } {
  const entries: ConfigEntry[] = [];
  let i = 0;
  const fail = (message: string): never => {
    throw Object.assign(new Error(message), { at: i });
  };
  const space = () => {
    for (;;) {
      while (i < text.length && /[\s\uFEFF]/.test(text[i]!)) i++;
      if (text.startsWith('//', i)) i = text.indexOf('\n', i) === -1 ? text.length : text.indexOf('\n', i);
      else if (text.startsWith('/*', i)) i = text.indexOf('*/', i) === -1 ? fail('unterminated comment') : text.indexOf('*/', i) + 2;
      else return;
    }
  };
  const string = (): { value: string; at: Range; plain: boolean } => {
    const start = i++;
    let value = '';
    let plain = true;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        plain = false;
        const e = text[i + 1];
        if (e === 'u') {
          value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          value += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[e ?? ''] ?? e ?? '';
          i += 2;
        }
      } else value += text[i++]!;
    }
    if (text[i] !== '"') fail('unterminated string');
    i++;
    return { value, at: [start, i], plain };
  };
  const value = (key: string, depth: number): void => {
    space();
    if (depth > 64) fail('nested too deeply');
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      for (let index = 0; ; index++) {
        space();
        if (text[i] === close) {
          i++;
          return;
        }
        let child = String(index);
        if (c === '{') {
          if (text[i] !== '"') fail('expected a property name');
          child = string().value;
          space();
          if (text[i++] !== ':') fail("expected ':'");
        }
        value(key ? `${key}:${child}` : child, depth + 1);
        space();
        if (text[i] === ',') i++;
        else if (text[i] !== close) fail(`expected ',' or '${close}'`);
      }
    }
    if (c === '"') {
      const s = string();
      if (key)
        entries.push(s.plain ? { key, value: s.value, at: s.at, content: [s.at[0] + 1, s.at[1] - 1] } : { key, value: s.value, at: s.at });
      return;
    }
    const m = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!m) fail('unexpected character');
    const at: Range = [i, i + m![0].length];
    i = at[1];
    if (key && m![0] !== 'null') entries.push({ key, value: m![0] === 'true' ? 'True' : m![0] === 'false' ? 'False' : m![0], at });
  };
  try {
    value('', 0);
    space();
    if (i < text.length) fail('unexpected text after the JSON value');
  } catch (error) {
    return { entries, error: { at: (error as { at: number }).at, message: (error as Error).message } };
  }
  return { entries };
}

/**
 * Envoy bootstraps, an extractor of their own: it claims every YAML file, and its cheap test keeps the others
 * (the manifests' quick re-parse verdicts hold only for files no other extractor reads).
 */
export const envoyExtractor: Extractor = {
  name: 'envoy',
  claims: (file) => !/(^|\/)(node_modules|vendor|\.git)\//.test(file) && ENVOY.test(file),
  mayMatter: (text) => mayBeEnvoyBootstrap(text),
  extract(facts: FileFacts) {
    // Its YAML errors are the manifest extractor's to report (a .yaml file), or not kubeconn's (JSON).
    const entries = readEnvoy(facts.text);
    if (entries.length > 0) facts.envoy = { entries };
  },
};

// ---- Envoy --------------------------------------------------------------------------------------------------

/** Cheap test before parsing: an Envoy bootstrap declares its clusters under `static_resources`. */
export function mayBeEnvoyBootstrap(text: string): boolean {
  return text.includes('static_resources') && text.includes('clusters');
}

/**
 * The endpoints of an Envoy bootstrap's static clusters (`static_resources.clusters[].load_assignment` and the
 * v2 `hosts` list): one entry per socket address, `host:port`, at the address as written (offsets in `text`).
 */
export function readEnvoy(text: string): ConfigEntry[] {
  const out: ConfigEntry[] = [];
  for (const doc of parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, logLevel: 'error' })) {
    if (!('errors' in doc) || doc.errors.length > 0) continue;
    const clusters = child(child(doc.contents, 'static_resources'), 'clusters');
    if (!isSeq(clusters)) continue;
    for (const c of clusters.items) {
      const name = scalarText(child(c, 'name'));
      if (name === undefined) continue;
      const cluster: EnvoyCluster = {
        name,
        type: (scalarText(child(c, 'type')) ?? 'STATIC').toUpperCase(),
        lbPolicy: (scalarText(child(c, 'lb_policy')) ?? 'ROUND_ROBIN').toUpperCase(),
        http2:
          child(c, 'http2_protocol_options') !== undefined || says(child(c, 'typed_extension_protocol_options'), 'http2_protocol_options'),
      };
      const addresses: (YNode | undefined)[] = [];
      for (const group of items(child(child(c, 'load_assignment'), 'endpoints')))
        for (const e of items(child(group, 'lb_endpoints')))
          addresses.push(child(child(child(e, 'endpoint'), 'address'), 'socket_address'));
      for (const h of items(child(c, 'hosts'))) addresses.push(child(h, 'socket_address'));
      for (const a of addresses) {
        const host = child(a, 'address');
        const port = scalarText(child(a, 'port_value'));
        const hostText = scalarText(host);
        if (!isScalar(host) || !host.range || hostText === undefined || port === undefined) continue;
        out.push({ key: `clusters.${name}`, value: `${hostText}:${port}`, at: [host.range[0], host.range[1]], envoy: cluster });
      }
    }
  }
  return out;
}

function child(node: unknown, key: string): YNode | undefined {
  if (!isMap(node)) return undefined;
  const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
  return (pair?.value as YNode | null | undefined) ?? undefined;
}

/** Does a key of this name appear anywhere below the node (a few levels: Envoy's typed configs nest)? */
function says(node: unknown, key: string, depth = 0): boolean {
  if (depth > 8) return false;
  if (isMap(node)) return node.items.some((p) => (isScalar(p.key) && p.key.value === key) || says(p.value, key, depth + 1));
  return isSeq(node) && node.items.some((i) => says(i, key, depth + 1));
}

function items(node: unknown): unknown[] {
  return isSeq(node) ? node.items : [];
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number') ? String(node.value) : undefined;
}

// ---- nginx --------------------------------------------------------------------------------------------------

/** `grpc_pass grpc://orders:50051;`, or through `upstream orders { server orders:50051; }`: one entry per address. */
function readNginx(text: string): ConfigEntry[] {
  const code = text.replace(/#[^\n]*/g, (c) => ' '.repeat(c.length));
  const upstreams = new Map<string, ConfigEntry[]>();
  for (const m of code.matchAll(/\bupstream\s+([\w.-]+)\s*\{([^}]*)\}/g)) {
    const bodyStart = m.index + m[0].indexOf('{') + 1;
    const servers: ConfigEntry[] = [];
    for (const s of m[2]!.matchAll(/\bserver\s+([^\s;]+)/g)) {
      const start = bodyStart + s.index + s[0].length - s[1]!.length;
      servers.push({ key: 'upstream', value: s[1]!, at: [start, start + s[1]!.length], content: [start, start + s[1]!.length] });
    }
    upstreams.set(m[1]!, servers);
  }
  const out: ConfigEntry[] = [];
  for (const m of code.matchAll(/\bgrpc_pass\s+([^\s;]+)\s*;/g)) {
    const start = m.index + m[0].indexOf(m[1]!, 'grpc_pass'.length);
    const target = m[1]!;
    const scheme = /^(grpcs?:\/\/)/.exec(target)?.[1] ?? 'grpc://';
    const upstream = upstreams.get(target.slice(scheme.length).replace(/\/.*$/, ''));
    if (upstream) for (const u of upstream) out.push({ ...u, key: 'grpc_pass', value: `${scheme}${u.value}` });
    else out.push({ key: 'grpc_pass', value: target, at: [start, start + target.length], content: [start, start + target.length] });
  }
  return out;
}

// ---- .NET options registrations ------------------------------------------------------------------------------

/**
 * `services.Configure<T>(x.GetSection("S"))`, `services.AddOptions<T>().Bind(x.GetSection("S"))`,
 * `AddOptions<T>().BindConfiguration("S")`: which class is bound to which section. Read from the text (these
 * registrations are one expression each); a section named by a constant is not read.
 */
function optionsBindings(text: string): OptionsBinding[] {
  if (!/Configure<|AddOptions<|BindConfiguration/.test(text)) return [];
  const code = text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
  const out: OptionsBinding[] = [];
  const section = String.raw`\.GetSection\(\s*"([^"]+)"\s*\)`;
  const patterns = [
    new RegExp(String.raw`\.Configure<\s*([\w.]+)\s*>\s*\(\s*[\w.]+${section}\s*\)`, 'g'),
    new RegExp(String.raw`\.AddOptions<\s*([\w.]+)\s*>\s*\(\s*\)\s*\.Bind\(\s*[\w.]+${section}\s*\)`, 'g'),
    /\.AddOptions<\s*([\w.]+)\s*>\s*\(\s*\)\s*\.BindConfiguration\(\s*"([^"]+)"\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const m of code.matchAll(pattern)) {
      const type = m[1]!.slice(m[1]!.lastIndexOf('.') + 1);
      out.push({ type, section: m[2]!, at: [m.index, m.index + m[0].length] });
    }
  }
  return out.sort((a, b) => a.at[0] - b.at[0]);
}
