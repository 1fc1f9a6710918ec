// Servers started from a command line (a Dockerfile's ENTRYPOINT/CMD, a pod's command/args, GUNICORN_CMD_ARGS):
// gunicorn (`--keep-alive`, `--graceful-timeout`, `-k/--worker-class`, `--threads`, `-c`), uvicorn
// (`--timeout-keep-alive`, `--timeout-graceful-shutdown`) and Puma (`puma`, `bundle exec puma`, `rails server`),
// also behind `python -m` and `bundle exec`. The words come with their place, so a finding or a fix can point at
// the flag, or at the server's name when the flag is missing.
import path from 'node:path';

/** A word of a command line and where it is written (file and offsets of its text). */
export interface CommandWord {
  value?: string;
  at: { file: string; start: number; end: number };
  /** The word is an element of an exec-form JSON array (a new word is written `"x", `). */
  json?: boolean;
}

export interface CommandFlag {
  seconds?: number;
  /** The flag's value word (or the `--flag=value` word). */
  value: CommandWord;
  /** Offsets of the value text inside `value` (all of it, or after the `=`). */
  valueAt: { file: string; start: number; end: number };
}

export interface CommandServer {
  server: 'gunicorn' | 'uvicorn' | 'puma';
  /** The word naming the server. */
  word: CommandWord;
  keepAlive?: CommandFlag;
  gracefulTimeout?: CommandFlag;
  workerClass?: string;
  threads?: number;
  /** `-c` / `--config`: the config file as written. */
  config?: string;
}

const VALUE_FLAGS: Record<string, keyof Pick<CommandServer, 'keepAlive' | 'gracefulTimeout'> | 'workerClass' | 'threads' | 'config'> = {
  '--keep-alive': 'keepAlive',
  '--graceful-timeout': 'gracefulTimeout',
  '--timeout-keep-alive': 'keepAlive',
  '--timeout-graceful-shutdown': 'gracefulTimeout',
  '-k': 'workerClass',
  '--worker-class': 'workerClass',
  '--threads': 'threads',
  '-c': 'config',
  '--config': 'config',
};

/** The server a command line starts, with the flags that matter here; undefined when it starts none of them. */
export function readServerCommand(words: readonly CommandWord[]): CommandServer | undefined {
  for (let i = 0; i < words.length; i++) {
    const name = words[i]!.value ? path.posix.basename(words[i]!.value!) : undefined;
    let server: CommandServer['server'] | undefined;
    if (name === 'gunicorn' || name === 'uvicorn' || name === 'puma') server = name;
    else if (/^python[\d.]*$/.test(name ?? '') && words[i + 1]?.value === '-m' && /^(gunicorn|uvicorn)$/.test(words[i + 2]?.value ?? '')) {
      i += 2;
      server = words[i]!.value as 'gunicorn' | 'uvicorn';
    } else if ((name === 'rails' || name === 'bin/rails') && /^(s|server)$/.test(words[i + 1]?.value ?? '')) server = 'puma';
    if (!server) continue;
    const out: CommandServer = { server, word: words[i]! };
    readFlags(words.slice(i + 1), server, out);
    return out;
  }
  return undefined;
}

/** Flags of a server's own command line (also the content of GUNICORN_CMD_ARGS). */
export function readFlags(words: readonly CommandWord[], server: CommandServer['server'], out: CommandServer): void {
  for (let j = 0; j < words.length; j++) {
    const word = words[j]!;
    const v = word.value;
    if (v === undefined) continue;
    const eq = v.indexOf('=');
    const flag = v.startsWith('--') && eq > 0 ? v.slice(0, eq) : v;
    const key = VALUE_FLAGS[flag];
    if (
      !key ||
      (server === 'uvicorn' && /^--(keep-alive|graceful-timeout)$/.test(flag)) ||
      (server === 'gunicorn' && flag.startsWith('--timeout-'))
    )
      continue;
    const inline = flag !== v;
    const valueWord = inline ? word : words[j + 1];
    const text = inline ? v.slice(eq + 1) : valueWord?.value;
    if (!valueWord || text === undefined) continue;
    if (!inline) j++;
    if (key === 'workerClass') out.workerClass = text;
    else if (key === 'threads') out.threads = Number(text);
    else if (key === 'config') out.config = text;
    else {
      const valueAt = placeOf(valueWord, text);
      out[key] = { seconds: /^\d+(\.\d+)?$/.test(text) ? Number(text) : undefined, value: valueWord, valueAt };
    }
  }
}

/** Where `text` (the value) is written inside its word: after `=`, inside quotes, or the whole word. */
function placeOf(word: CommandWord, text: string): CommandWord['at'] {
  const length = word.at.end - word.at.start;
  const offset = Math.max(0, length - text.length - (word.json ? 1 : 0));
  return { file: word.at.file, start: word.at.start + offset, end: word.at.start + offset + text.length };
}

/** gunicorn's sync worker never keeps a connection alive: keep-alive applies to gthread, gevent, eventlet, uvicorn workers. */
export function gunicornKeepsAlive(workerClass: string | undefined, threads: number | undefined): boolean {
  const worker = workerClass ?? 'sync';
  if (/^(sync|gunicorn\.workers\.sync\.SyncWorker)$/.test(worker)) return (threads ?? 1) > 1;
  return true;
}
