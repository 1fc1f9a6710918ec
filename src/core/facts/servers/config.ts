// Server settings in config files: Spring Boot's application.yml / application.properties (`server.shutdown`,
// `spring.lifecycle.timeout-per-shutdown-phase`), the Spring Boot version of a Maven or Gradle build (graceful
// shutdown became the default in 3.4), gunicorn.conf.py (`keepalive`, `graceful_timeout`, `worker_class`,
// `threads`) and config/puma.rb (`persistent_timeout`). Read line by line or with the YAML parser; never run.
import path from 'node:path';
import { isMap, isScalar, parseAllDocuments, type Node as YamlNode, type Pair } from 'yaml';
import type { BootBuild, ConfigValue, GunicornConfig, PumaConfig, ServerConfig, SpringConfig } from './shapes.js';
import { scalarText } from '../yaml-util.js';

const SPRING = /^(application|bootstrap)(-[\w.-]+)?\.(ya?ml|properties)$/i;
const GUNICORN = /^gunicorn[._-](conf|config)\.py$/i;

/** Which config kind a path holds, by name alone. */
export function configKindOf(file: string): 'spring' | 'maven' | 'gradle' | 'gunicorn' | 'puma' | undefined {
  const base = path.posix.basename(file.replace(/\\/g, '/'));
  if (SPRING.test(base)) return 'spring';
  if (base === 'pom.xml') return 'maven';
  if (base === 'build.gradle' || base === 'build.gradle.kts') return 'gradle';
  if (GUNICORN.test(base)) return 'gunicorn';
  if (base === 'puma.rb') return 'puma';
  return undefined;
}

export function readConfig(file: string, text: string): ServerConfig | undefined {
  switch (configKindOf(file)) {
    case 'spring':
      return /\.properties$/i.test(file) ? springProperties(text) : springYaml(text);
    case 'maven':
      return mavenBoot(text);
    case 'gradle':
      return gradleBoot(text);
    case 'gunicorn':
      return gunicorn(text);
    case 'puma':
      return puma(text);
    default:
      return undefined;
  }
}

/** A Spring Duration: `20s`, `1m`, `PT30S`, or a bare number of milliseconds. */
export function springSeconds(value: string): number | undefined {
  const v = value.trim();
  const iso = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/i.exec(v);
  if (iso && v.length > 2) return Number(iso[1] ?? 0) * 3600 + Number(iso[2] ?? 0) * 60 + Number(iso[3] ?? 0);
  const m = /^(\d+(?:\.\d+)?)\s*(ns|us|ms|s|m|h|d)?$/i.exec(v);
  if (!m) return undefined;
  const per: Record<string, number> = { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400 };
  return Number(m[1]) * per[(m[2] ?? 'ms').toLowerCase()]!;
}

function springProperties(text: string): SpringConfig {
  const out: SpringConfig = {
    kind: 'spring',
    format: 'properties',
    addShutdown: {
      offset: text.length,
      text: `${text.length > 0 && !text.endsWith('\n') ? eolOf(text) : ''}server.shutdown=graceful${eolOf(text)}`,
    },
    anchor: firstLine(text),
  };
  let anchored = false;
  for (const line of lines(text)) {
    const m = /^\s*([\w.-]+)\s*[=:]\s*(.*?)\s*$/.exec(line.text);
    if (!m || /^\s*[#!]/.test(line.text)) continue;
    if (!anchored && m[1]!.startsWith('server.')) {
      const keyStart = line.start + line.text.indexOf(m[1]!);
      out.anchor = [keyStart, keyStart + m[1]!.length];
      anchored = true;
    }
    const valueStart = line.start + line.text.indexOf(m[2]!, m[1]!.length + line.text.indexOf(m[1]!));
    const at: [number, number] = [valueStart, valueStart + m[2]!.length];
    if (m[1] === 'server.shutdown') out.shutdown = { value: m[2]!.toLowerCase(), at };
    if (m[1] === 'spring.lifecycle.timeout-per-shutdown-phase') out.phaseTimeout = { seconds: springSeconds(m[2]!), text: m[2]!, at };
  }
  return out;
}

function springYaml(text: string): SpringConfig {
  const eol = eolOf(text);
  const out: SpringConfig = {
    kind: 'spring',
    format: 'yaml',
    addShutdown: {
      offset: text.length,
      text: `${text.length > 0 && !text.endsWith('\n') ? eol : ''}server:${eol}  shutdown: graceful${eol}`,
    },
    anchor: firstLine(text),
  };
  let first = true;
  // Errors are not read here, so yaml's duplicate-key check (pairwise: quadratic in a map's size) is off.
  for (const doc of parseAllDocuments(text, { keepSourceTokens: false, uniqueKeys: false, logLevel: 'error' })) {
    if (!('contents' in doc) || !isMap(doc.contents)) {
      first = false;
      continue;
    }
    const root = doc.contents;
    for (const [key, value] of flatten(root.items as Pair<YamlNode, YamlNode>[], '')) {
      if (!isScalar(value) || !value.range) continue;
      const at: [number, number] = [value.range[0], value.range[1]];
      const v = value.value == null ? '' : scalarText(value);
      if (key === 'server.shutdown') out.shutdown = { value: v.toLowerCase(), at };
      if (key === 'spring.lifecycle.timeout-per-shutdown-phase') out.phaseTimeout = { seconds: springSeconds(v), text: v, at };
    }
    // A block `server:` map in the first document takes the new key, indented like its first child.
    const server = first ? root.items.find((p) => isScalar(p.key) && p.key.value === 'server') : undefined;
    if (server && isScalar(server.key) && server.key.range) out.anchor = [server.key.range[0], server.key.range[1]];
    if (server && isMap(server.value) && !server.value.flow && server.value.items.length > 0 && isScalar(server.key)) {
      const child = server.value.items[0]!.key as YamlNode;
      const keyEnd = text.indexOf('\n', server.key.range[1]);
      const childStart = child.range![0];
      const indent = text.slice(text.lastIndexOf('\n', childStart - 1) + 1, childStart);
      if (keyEnd !== -1 && /^[ \t]*$/.test(indent)) out.addShutdown = { offset: keyEnd + 1, text: `${indent}shutdown: graceful${eol}` };
    }
    first = false;
  }
  return out;
}

/** `server: {shutdown: graceful}` and `server.shutdown: graceful` both mean the property `server.shutdown`. */
function flatten(items: Pair<YamlNode, YamlNode>[], prefix: string): [string, YamlNode | null][] {
  const out: [string, YamlNode | null][] = [];
  for (const pair of items) {
    if (!isScalar(pair.key)) continue;
    const key = `${prefix}${String(pair.key.value)}`;
    if (isMap(pair.value)) out.push(...flatten(pair.value.items as Pair<YamlNode, YamlNode>[], `${key}.`));
    else out.push([key, pair.value]);
  }
  return out;
}

/** spring-boot-starter-parent / spring-boot-dependencies, and their version (through a `${property}`). */
function mavenBoot(text: string): BootBuild | undefined {
  const artifact = /<artifactId>\s*(spring-boot-starter-parent|spring-boot-dependencies)\s*<\/artifactId>/.exec(text);
  if (!artifact) return /spring-boot/.test(text) ? { kind: 'boot-build', at: firstMention(text, 'spring-boot') } : undefined;
  const block = enclosingElement(text, artifact.index);
  const version = /<version>\s*([^<\s]+)\s*<\/version>/.exec(text.slice(block[0], block[1]));
  if (!version) return { kind: 'boot-build', at: [artifact.index, artifact.index + artifact[0].length] };
  const start = block[0] + version.index + version[0].indexOf(version[1]!);
  const property = /^\$\{([\w.-]+)\}$/.exec(version[1]!);
  if (property) {
    const defined = new RegExp(`<${property[1]!.replace(/\./g, '\\.')}>\\s*([^<\\s]+)\\s*</`).exec(text);
    if (!defined) return { kind: 'boot-build', at: [start, start + version[1]!.length] };
    const at = defined.index + defined[0].indexOf(defined[1]!);
    return { kind: 'boot-build', version: defined[1]!, at: [at, at + defined[1]!.length] };
  }
  return { kind: 'boot-build', version: version[1]!, at: [start, start + version[1]!.length] };
}

function gradleBoot(text: string): BootBuild | undefined {
  const patterns = [
    /id\s*\(?\s*['"]org\.springframework\.boot['"]\s*\)?\s*version\s*\(?\s*['"]([^'"]+)['"]/,
    /org\.springframework\.boot:spring-boot-gradle-plugin:([\w.-]+)/,
    /springBootVersion\s*=\s*['"]([^'"]+)['"]/,
  ];
  for (const re of patterns) {
    const m = re.exec(text);
    if (m) {
      const at = m.index + m[0].lastIndexOf(m[1]!);
      return { kind: 'boot-build', version: m[1]!, at: [at, at + m[1]!.length] };
    }
  }
  return /org\.springframework\.boot/.test(text) ? { kind: 'boot-build', at: firstMention(text, 'org.springframework.boot') } : undefined;
}

function gunicorn(text: string): GunicornConfig {
  const out: GunicornConfig = { kind: 'gunicorn' };
  for (const line of lines(text)) {
    const m = /^(keepalive|graceful_timeout|worker_class|threads)\s*=\s*(.+?)\s*(#.*)?$/.exec(line.text);
    if (!m) continue;
    const start = line.start + line.text.indexOf(m[2]!, m[1]!.length);
    const at: [number, number] = [start, start + m[2]!.length];
    const literal = /^['"]([^'"]*)['"]$/.exec(m[2]!)?.[1];
    const n = /^\d+$/.test(m[2]!) ? Number(m[2]) : undefined;
    if (m[1] === 'keepalive') out.keepalive = { seconds: n, text: m[2]!, at };
    if (m[1] === 'graceful_timeout') out.gracefulTimeout = { seconds: n, text: m[2]!, at };
    if (m[1] === 'worker_class' && literal !== undefined) out.workerClass = { value: literal, at };
    if (m[1] === 'threads' && n !== undefined) out.threads = { value: n, at };
  }
  return out;
}

function puma(text: string): PumaConfig {
  for (const line of lines(text)) {
    const m = /^\s*persistent_timeout[\s(]+(\d+)/.exec(line.text);
    if (m) {
      const start = line.start + m[0].lastIndexOf(m[1]!);
      const value: ConfigValue = { seconds: Number(m[1]), text: m[1]!, at: [start, start + m[1]!.length] };
      return { kind: 'puma', persistentTimeout: value };
    }
  }
  return { kind: 'puma' };
}

function lines(text: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let start = 0;
  for (const line of text.split('\n')) {
    out.push({ text: line.replace(/\r$/, ''), start });
    start += line.length + 1;
  }
  return out;
}

/** The `<parent>` or `<dependency>` block around an offset (where the artifact's version is written). */
function enclosingElement(text: string, offset: number): [number, number] {
  const before = text.slice(0, offset);
  const open = Math.max(before.lastIndexOf('<parent>'), before.lastIndexOf('<dependency>'));
  if (open === -1) return [offset, Math.min(text.length, offset + 400)];
  const name = text.startsWith('<parent>', open) ? 'parent' : 'dependency';
  const close = text.indexOf(`</${name}>`, offset);
  return close === -1 ? [offset, Math.min(text.length, offset + 400)] : [open, close];
}

/** The first non-blank, non-comment line (where a report on the whole file goes). */
function firstLine(text: string): [number, number] {
  for (const line of lines(text)) {
    const t = line.text.trim();
    if (t && !t.startsWith('#') && !t.startsWith('!') && t !== '---') {
      const start = line.start + line.text.indexOf(t);
      return [start, start + t.length];
    }
  }
  return [0, 0];
}

function firstMention(text: string, word: string): [number, number] {
  const i = text.indexOf(word);
  return [i, i + word.length];
}

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}
