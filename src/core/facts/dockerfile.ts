// Dockerfiles (dockerfile-ast): per build stage, its base image, SHELL, WORKDIR, COPY/ADD and the effective
// ENTRYPOINT/CMD, with exact source offsets. ENTRYPOINT/CMD are inherited from an earlier stage named in
// FROM; an ENTRYPOINT resets an inherited CMD (Docker: "If CMD is defined from the base image, setting
// ENTRYPOINT will reset CMD to an empty value"), but not a CMD set earlier in the same stage.
//
// dockerfile-ast's JSONArgument.getValue() drops spaces inside strings, so exec-form values are read with
// JSON.parse on each string's own source slice.
import path from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import type { Extractor, FileFacts } from './index.js';
import type { LineIndex } from '../text.js';
import { isCommandFlag, parseShell, type ShellScript } from './shell.js';

export interface DfString {
  value: string;
  /** Source range of the JSON string, quotes included. */
  start: number;
  end: number;
  /** The code of a `-c` flag (`["sh", "-c", "exec app"]`), parsed (offsets into `value`). */
  script?: ShellScript;
}

export interface DfCommand {
  keyword: 'ENTRYPOINT' | 'CMD';
  form: 'exec' | 'shell';
  /** The whole instruction. */
  start: number;
  end: number;
  /** The arguments (after the keyword). */
  argsStart: number;
  argsEnd: number;
  /** Exec form: the array's strings. */
  argv?: DfString[];
  /**
   * Shell form: the argument text as the shell sees it, with the same length as the source slice (line
   * continuations made shell continuations, comment lines inside them blanked), so offsets map 1:1.
   */
  shellText?: string;
  /** Shell form: shellText parsed (offsets into shellText, which map 1:1 onto the arguments). */
  script?: ShellScript;
  /** Stage the instruction is written in (it may be inherited by later stages). */
  stage: number;
}

export interface DfCopy {
  keyword: 'COPY' | 'ADD';
  start: number;
  end: number;
  sources: string[];
  dest: string;
  /** `--from=<stage|image>` */
  from?: string;
  chmod?: string;
  /** WORKDIR when the instruction runs (relative destinations are relative to it). */
  workdir: string;
  /** `COPY <<EOF /entrypoint.sh`: the file content written inline, its offset in the Dockerfile, and the
   * content parsed as a shell script when it is one (no `#!`, or a shell `#!`). */
  heredoc?: { content: string; start: number; script?: ShellScript };
}

export interface DfStage {
  index: number;
  name?: string;
  /** FROM's image with global ARG defaults substituted (`${BASE}` stays as written when unknown). */
  base: string;
  baseStart: number;
  baseEnd: number;
  /** Index of the earlier stage FROM names, if it names one. */
  baseStage?: number;
  fromStart: number;
  entrypoint?: DfCommand;
  cmd?: DfCommand;
  /** No ENTRYPOINT anywhere in this stage's chain: the external base image's ENTRYPOINT applies. */
  entrypointFromBase: boolean;
  cmdFromBase: boolean;
  /** SHELL in effect at the end of the stage (default ["/bin/sh", "-c"]), and where it was set. */
  shell: string[];
  shellAt?: { start: number; end: number };
  copies: DfCopy[];
  /**
   * Build-context paths that `RUN --mount=type=bind` lends to a build step (`source`, default the context's
   * root), as written. They never reach the image, but what is built from them does (BuildKit's way of
   * compiling sources without copying them: `docker init`'s templates do this).
   */
  binds: string[];
  workdir: string;
  stopSignal?: string;
}

export interface DockerfileFacts {
  stages: DfStage[];
  escape: string;
}

/** Dockerfile, Dockerfile.prod, Dockerfile-api, Dockerfile_api, api.Dockerfile, api.dockerfile, Containerfile… */
const DOCKERFILE_NAME = /^(?:Dockerfile|Containerfile)(?:[._-].+)?$|\.(?:Dockerfile|Containerfile)$/i;

export function isDockerfilePath(file: string): boolean {
  return DOCKERFILE_NAME.test(path.posix.basename(file.replace(/\\/g, '/')));
}

export const dockerfileExtractor: Extractor = {
  name: 'dockerfile',
  claims: isDockerfilePath,
  mayMatter: (text) => /^\s*FROM\s/im.test(text),
  extract(facts: FileFacts) {
    facts.dockerfile = extractDockerfile(facts.text, facts.lines);
  },
};

export function extractDockerfile(source: string, lines: LineIndex): DockerfileFacts {
  // dockerfile-ast counts a lone CR as a line break and `lines` does not (nor does Docker, which splits on LF
  // and trims the CR): after a `\r\r\n` ending every later position would point a line further down. A lone
  // CR read as a space keeps every offset and both line counts in step.
  const text = source.replace(/\r(?!\n)/g, ' ');
  const df = DockerfileParser.parse(text);
  const escape = df.getEscapeCharacter();
  const off = (p: { line: number; character: number }): number => lines.offset(p.line + 1, p.character + 1);
  const args = new Map<string, string>();
  for (const arg of df.getInitialARGs()) {
    const property = arg.getProperty();
    if (property?.getName() && property.getValue() != null) args.set(property.getName(), property.getValue()!);
  }
  const stages: DfStage[] = [];
  let stage: DfStage | undefined;
  let cmdSetInStage = false;
  for (const instruction of df.getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    const range = instruction.getRange();
    if (keyword === 'FROM') {
      const image = instruction.getArguments()[0];
      const raw = image?.getValue() ?? '';
      const base = substitute(raw, args);
      const nameArgs = instruction.getArguments();
      const asIndex = nameArgs.findIndex((a) => a.getValue().toUpperCase() === 'AS');
      const baseStage = stages.findIndex((s) => s.name !== undefined && s.name === base.toLowerCase());
      const parent = baseStage >= 0 ? stages[baseStage] : undefined;
      stage = {
        index: stages.length,
        name: asIndex >= 0 ? nameArgs[asIndex + 1]?.getValue().toLowerCase() : undefined,
        base,
        baseStart: image ? off(image.getRange().start) : off(range.start),
        baseEnd: image ? off(image.getRange().end) : off(range.end),
        baseStage: parent ? baseStage : undefined,
        fromStart: off(range.start),
        entrypoint: parent?.entrypoint,
        cmd: parent?.cmd,
        entrypointFromBase: parent ? parent.entrypointFromBase : true,
        cmdFromBase: parent ? parent.cmdFromBase : true,
        shell: parent?.shell ?? ['/bin/sh', '-c'],
        shellAt: parent?.shellAt,
        copies: [],
        binds: [],
        workdir: parent?.workdir ?? '/',
        stopSignal: parent?.stopSignal,
      };
      stages.push(stage);
      cmdSetInStage = false;
      continue;
    }
    if (!stage) continue;
    const argsRange = instruction.getArgumentsRange();
    const start = off(range.start);
    const end = off(range.end);
    const argsStart = argsRange ? off(argsRange.start) : end;
    const argsEnd = argsRange ? off(argsRange.end) : end;
    switch (keyword) {
      case 'ENTRYPOINT':
      case 'CMD': {
        const command = toCommand(instruction, keyword, text, start, end, argsStart, argsEnd, escape, off, stage.index);
        if (keyword === 'CMD') {
          stage.cmd = command;
          stage.cmdFromBase = false;
          cmdSetInStage = true;
        } else {
          stage.entrypoint = command;
          stage.entrypointFromBase = false;
          if (!cmdSetInStage) {
            stage.cmd = undefined;
            stage.cmdFromBase = false;
          }
        }
        break;
      }
      case 'SHELL': {
        const argv = jsonStrings(instruction, text, off);
        if (argv) {
          stage.shell = argv.map((s) => s.value);
          stage.shellAt = { start, end };
        }
        break;
      }
      case 'WORKDIR': {
        const dir = substitute(instruction.getRawArgumentsContent()?.trim() ?? '', args);
        if (dir) stage.workdir = path.posix.resolve(stage.workdir, unquote(dir));
        break;
      }
      case 'STOPSIGNAL':
        stage.stopSignal = instruction.getRawArgumentsContent()?.trim();
        break;
      case 'COPY':
      case 'ADD': {
        const copy = toCopy(instruction, keyword, text, start, end, stage.workdir, off);
        if (copy) stage.copies.push(copy);
        break;
      }
      case 'RUN':
        stage.binds.push(...contextBinds(instruction, args));
        break;
    }
  }
  return { stages, escape };
}

type Off = (p: { line: number; character: number }) => number;

function toCommand(
  instruction: Instruction,
  keyword: 'ENTRYPOINT' | 'CMD',
  text: string,
  start: number,
  end: number,
  argsStart: number,
  argsEnd: number,
  escape: string,
  off: Off,
  stage: number,
): DfCommand {
  const base = { keyword, start, end, argsStart, argsEnd, stage };
  const argv = jsonStrings(instruction, text, off);
  if (argv) {
    argv.forEach((word, i) => {
      if (i > 0 && isCommandFlag(argv[i - 1]!.value)) word.script = parseShell(word.value);
    });
    return { ...base, form: 'exec', argv };
  }
  const shellText = shellView(text.slice(argsStart, argsEnd), escape);
  return { ...base, form: 'shell', shellText, script: parseShell(shellText) };
}

/** Exec form's strings, or undefined for shell form (Docker falls back to shell form when the JSON is invalid). */
function jsonStrings(instruction: Instruction, text: string, off: Off): DfString[] | undefined {
  const json = instruction as Instruction & {
    getJSONStrings?: () => { getRange(): { start: { line: number; character: number }; end: { line: number; character: number } } }[];
    getOpeningBracket?: () => unknown;
    getClosingBracket?: () => unknown;
  };
  if (!json.getJSONStrings || !json.getOpeningBracket?.() || !json.getClosingBracket?.()) return undefined;
  const strings = json.getJSONStrings();
  if (strings.length === 0) return /^\s*\[\s*\]\s*$/.test(instruction.getRawArgumentsContent() ?? '') ? [] : undefined;
  const out: DfString[] = [];
  for (const s of strings) {
    const start = off(s.getRange().start);
    const end = off(s.getRange().end);
    try {
      out.push({ value: JSON.parse(text.slice(start, end).replace(/\r?\n/g, '')) as string, start, end });
    } catch {
      return undefined;
    }
  }
  return out;
}

/** Shell-form arguments as /bin/sh sees them, same length as the source (see DfCommand.shellText). */
export function shellView(source: string, escape: string): string {
  const lines = source.split('\n');
  let previousContinues = false;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    const cr = line.endsWith('\r');
    if (cr) line = line.slice(0, -1);
    const pad = cr ? ' ' : '';
    if (previousContinues && /^\s*#/.test(line)) {
      // Docker drops comment lines inside a continued instruction: blank it and keep the continuation going.
      lines[i] = `${' '.repeat(line.length - 1)}${pad}\\`;
      continue;
    }
    previousContinues = continues(line, escape);
    const m = previousContinues ? /^([\s\S]*?)[\s\S]([ \t]*)$/.exec(line) : null;
    lines[i] = m ? `${m[1]}${' '.repeat(m[2]!.length)}${pad}\\` : `${line}${pad}`;
  }
  return lines.join('\n');
}

function continues(line: string, escape: string): boolean {
  const trimmed = line.replace(/[ \t\r]+$/, '');
  return trimmed.endsWith(escape);
}

function toCopy(
  instruction: Instruction,
  keyword: 'COPY' | 'ADD',
  text: string,
  start: number,
  end: number,
  workdir: string,
  off: Off,
): DfCopy | undefined {
  const flagged = instruction as Instruction & { getFlags?: () => { getName(): string; getValue(): string | null }[] };
  const flags = new Map((flagged.getFlags?.() ?? []).map((f) => [f.getName().toLowerCase(), f.getValue() ?? undefined]));
  const heredocs =
    (
      instruction as Instruction & {
        getHeredocs?: () => {
          getContentRange(): { start: { line: number; character: number }; end: { line: number; character: number } } | null;
        }[];
      }
    ).getHeredocs?.() ?? [];
  const words = instruction
    .getArguments()
    .map((a) => a.getValue())
    .filter((w) => !w.startsWith('--'));
  const raw = instruction.getRawArgumentsContent() ?? '';
  if (heredocs.length > 0 || /^\s*(?:--\S+\s+)*<</.test(raw)) {
    const dest = /<<-?["']?\w+["']?\s+(\S+)/.exec(raw)?.[1];
    const content = heredocs[0]?.getContentRange();
    if (!dest || !content) return undefined;
    const contentStart = off(content.start);
    return {
      keyword,
      start,
      end,
      sources: [],
      dest: unquote(dest),
      workdir,
      from: flags.get('from'),
      chmod: flags.get('chmod'),
      heredoc: heredocOf(text.slice(contentStart, off(content.end)), contentStart),
    };
  }
  let list = words;
  if (/^\s*(?:--\S+\s+)*\[/.test(raw)) {
    try {
      list = JSON.parse(raw.replace(/^\s*(?:--\S+\s+)*/, '')) as string[];
    } catch {
      return undefined;
    }
  }
  if (list.length < 2) return undefined;
  return {
    keyword,
    start,
    end,
    sources: list.slice(0, -1),
    dest: list[list.length - 1]!,
    from: flags.get('from'),
    chmod: flags.get('chmod'),
    workdir,
  };
}

/**
 * The build-context sources of a RUN's bind mounts: `--mount=type=bind,source=./core,target=/src/core`
 * (`type` defaults to bind, `source`/`src` to the context's root). A mount `from` a stage or an image
 * lends nothing from the context.
 */
function contextBinds(instruction: Instruction, args: ReadonlyMap<string, string>): string[] {
  const flagged = instruction as Instruction & { getFlags?: () => { getName(): string; getValue(): string | null }[] };
  const out: string[] = [];
  for (const flag of flagged.getFlags?.() ?? []) {
    if (flag.getName().toLowerCase() !== 'mount') continue;
    const options = new Map<string, string>();
    for (const part of (flag.getValue() ?? '').split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) options.set(part.slice(0, eq).trim().toLowerCase(), unquote(part.slice(eq + 1).trim()));
    }
    if ((options.get('type') ?? 'bind') !== 'bind' || options.has('from')) continue;
    const source = substitute(options.get('source') ?? options.get('src') ?? '.', args);
    if (source && !source.includes('$')) out.push(source);
  }
  return out;
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}

/** `${NAME}`, `$NAME`, `${NAME:-default}` with the ARG defaults declared before the first FROM. */
export function substitute(value: string, args: ReadonlyMap<string, string>): string {
  return value.replace(
    /\$\{(\w+)(?:(:?-)([^}]*))?\}|\$(\w+)/g,
    (whole, braced: string | undefined, op: string | undefined, fallback: string | undefined, bare: string | undefined) => {
      const known = args.get((braced ?? bare)!);
      if (known !== undefined && known !== '') return known;
      return op ? (fallback ?? '') : whole;
    },
  );
}

/** A COPY heredoc; parsed when it is a shell script (no `#!` line, or a shell's). */
function heredocOf(content: string, start: number): NonNullable<DfCopy['heredoc']> {
  const shell = !content.startsWith('#!') || /^#!.*\b(sh|bash|ash|dash)\b/.test(content);
  return shell ? { content, start, script: parseShell(content) } : { content, start };
}
