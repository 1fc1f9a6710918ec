// The servers each container runs, joined from every source that says so: the code in its image's build
// context (facts/servers: HTTP servers, signal handlers, drains, gRPC keepalive), the server its command line
// starts (gunicorn, uvicorn, Puma, read from the PID-1 chain's long-running program), their config files
// (gunicorn.conf.py, config/puma.rb), a Spring Boot build and its application config, and the Node version of
// its base image (Node's default keepAliveTimeout changed in Node 26). Built once per analysis, lazily per container.
import path from 'node:path';
import type { FileFacts } from '../facts/index.js';
import type { GrpcFacts, Range } from '../facts/grpc/index.js';
import type { Container } from '../facts/k8s.js';
import {
  readFlags,
  readServerCommand,
  type BootBuild,
  type CommandServer,
  type CommandWord,
  type GunicornConfig,
  type KeepaliveClient,
  type KeepaliveServer,
  type PumaConfig,
  type ServerFacts,
  type SpringConfig,
} from '../facts/servers/index.js';
import type { DialIndex } from './code.js';
import { imageRepository, imageTag, rootImageOf, type ImageIndex } from './images.js';
import type { Pid1Index } from './pid1/entrypoints.js';
import type { ArgWord, Pid1Evaluation } from './pid1/evaluate.js';

export interface CodeServers {
  file: string;
  facts: ServerFacts;
  grpc?: GrpcFacts;
}

export interface ContainerServers {
  container: Container;
  /** Code files built into the container's image that read or serve something. */
  code: CodeServers[];
  /** gRPC server code of the image (files with servers but no other server facts included). */
  grpc: { file: string; facts: GrpcFacts }[];
  /** The server its command line starts, with GUNICORN_CMD_ARGS folded in. */
  command?: CommandServer;
  gunicornConfig?: { file: string; config: GunicornConfig };
  pumaConfig?: { file: string; config: PumaConfig };
  spring?: { build?: { file: string; build: BootBuild }; configs: { file: string; config: SpringConfig }[] };
  /** Node.js major (and minor) of the base image, when it is an official `node` image with a version tag. */
  node?: { major: number; minor?: number };
}

export class ServerIndex {
  private readonly byContainer = new Map<Container, ContainerServers>();
  private readonly codeOf = new Map<Container, CodeServers[]>();
  private readonly grpcOf = new Map<Container, { file: string; facts: GrpcFacts }[]>();
  private readonly configsOf = new Map<Container, { file: string; facts: FileFacts }[]>();
  private readonly clientsAt = new Map<string, KeepaliveClient>();
  private readonly serversAt = new Map<string, KeepaliveServer>();

  constructor(
    private readonly files: ReadonlyMap<string, FileFacts>,
    private readonly images: ImageIndex,
    private readonly pid1: Pid1Index,
    private readonly dials: DialIndex,
  ) {
    // One pass over the files: each code or config file to the containers whose image is built from it.
    for (const facts of files.values()) {
      if (!facts.servers && !facts.serverConfig && !facts.grpc?.servers.length) continue;
      for (const container of dials.containersRunning(facts.file)) {
        if (facts.servers) push(this.codeOf, container, { file: facts.file, facts: facts.servers, grpc: facts.grpc });
        if (facts.grpc?.servers.length) push(this.grpcOf, container, { file: facts.file, facts: facts.grpc });
        if (facts.serverConfig) push(this.configsOf, container, { file: facts.file, facts });
      }
      for (const k of facts.servers?.keepalive.clients ?? []) this.clientsAt.set(key(facts.file, k.call), k);
      for (const k of facts.servers?.keepalive.servers ?? []) this.serversAt.set(key(facts.file, k.call), k);
    }
  }

  of(container: Container): ContainerServers {
    let found = this.byContainer.get(container);
    if (!found) {
      found = this.build(container);
      this.byContainer.set(container, found);
    }
    return found;
  }

  /** Client keepalive written at a dial call (the gRPC dial site's `call` range). */
  keepaliveClient(file: string, call: Range): KeepaliveClient | undefined {
    return this.clientsAt.get(key(file, call));
  }

  /** Server keepalive enforcement written at a server construction (the gRPC server site's `call` range). */
  keepaliveServer(file: string, call: Range): KeepaliveServer | undefined {
    return this.serversAt.get(key(file, call));
  }

  private build(container: Container): ContainerServers {
    const out: ContainerServers = { container, code: this.codeOf.get(container) ?? [], grpc: this.grpcOf.get(container) ?? [] };
    const configs = this.configsOf.get(container) ?? [];
    out.command = this.commandOf(container);
    for (const { file, facts } of configs) {
      const config = facts.serverConfig!;
      if (config.kind === 'gunicorn' && this.namedConfig(out.command, file)) out.gunicornConfig = { file, config };
      if (config.kind === 'puma') out.pumaConfig = { file, config };
      if (config.kind === 'boot-build') (out.spring ??= { configs: [] }).build ??= { file, build: config };
      if (
        config.kind === 'spring' &&
        /(^|\/)(src\/main\/resources|config)\/|^[^/]*$/.test(file.replace(/\\/g, '/')) &&
        !/[/\\]test[/\\]/.test(file)
      ) {
        (out.spring ??= { configs: [] }).configs.push({ file, config });
      }
    }
    // A Spring config without a Boot build is not known to be a Spring Boot app.
    if (out.spring && !out.spring.build) delete out.spring;
    out.node = this.nodeVersionOf(container);
    return out;
  }

  /** gunicorn reads `-c FILE`, else ./gunicorn.conf.py of its working directory. */
  private namedConfig(command: CommandServer | undefined, file: string): boolean {
    if (command?.server !== 'gunicorn') return false;
    const base = path.posix.basename(file);
    return command.config ? path.posix.basename(command.config) === base : base === 'gunicorn.conf.py';
  }

  /** The PID-1 verdict of what a container runs: its own command line, else its image's. */
  evaluationOf(container: Container): Pid1Evaluation | undefined {
    return this.pid1.evaluateContainer(container)?.evaluation ?? this.imageEvaluation(container);
  }

  private commandOf(container: Container): CommandServer | undefined {
    const app = this.evaluationOf(container)?.app;
    if (!app) return undefined;
    const command = readServerCommand([app.word, ...app.args].map((w) => this.commandWord(w)));
    // GUNICORN_CMD_ARGS adds flags without changing the command line.
    const env = container.env.find((e) => e.name === 'GUNICORN_CMD_ARGS');
    if (command?.server === 'gunicorn' && env?.value && env.valueNode?.range) {
      const at = container.workload.object.source.span(env.valueNode);
      if (at) {
        const words: CommandWord[] = [];
        for (const m of env.value.matchAll(/\S+/g))
          words.push({ value: m[0], at: { file: at.file, start: at.start + m.index, end: at.start + m.index + m[0].length } });
        readFlags(words, 'gunicorn', command);
      }
    }
    return command;
  }

  private imageEvaluation(container: Container) {
    const link = this.images.dockerfilesForContainer(container)[0];
    return link ? this.pid1.evaluateImage(link.dockerfile, link.target)?.evaluation : undefined;
  }

  private commandWord(word: ArgWord): CommandWord {
    const text = this.files.get(word.at.file)?.text ?? '';
    const first = text[word.at.start];
    return { value: word.value, at: word.at, json: first === '"' || first === "'" };
  }

  private nodeVersionOf(container: Container): { major: number; minor?: number } | undefined {
    const link = this.images.dockerfilesForContainer(container)[0];
    const facts = link && this.images.facts(link.dockerfile);
    const stage = link && this.images.finalStage(link.dockerfile, link.target);
    const image = facts && stage ? rootImageOf(facts, stage) : container.image;
    if (!image) return undefined;
    const repo = imageRepository(image).replace(/^(docker\.io\/)?(library\/)?/, '');
    if (repo !== 'node') return undefined;
    const m = /^(\d+)(?:\.(\d+))?/.exec(imageTag(image));
    return m ? { major: Number(m[1]), minor: m[2] === undefined ? undefined : Number(m[2]) } : undefined;
  }
}

function key(file: string, call: Range): string {
  return `${file}\0${call[0]}`;
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}
