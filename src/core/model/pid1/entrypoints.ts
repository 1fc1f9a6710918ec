// Where a container's command line comes from, and its PID 1 verdict: the image's ENTRYPOINT + CMD (the
// Dockerfile's final stage, or the build's `target`), replaced by the pod's `command:`/`args:`; scripts the
// command line names are looked up in the image's filesystem (COPY sources in the build context, heredocs,
// earlier stages). Every container and every linked image is evaluated once, when the model is built.
import path from 'node:path';
import type { DfCommand, DfStage, DockerfileFacts } from '../../facts/dockerfile.js';
import type { FileFacts } from '../../facts/index.js';
import type { Container } from '../../facts/k8s.js';
import { shellCodeOf } from '../../facts/manifests.js';
import { range } from '../../facts/yaml-util.js';
import { rootImageOf, shellsOfImage, type DockerfileLink, type ImageIndex, type ImageShells } from '../images.js';
import { evaluateArgv, type ArgWord, type Pid1Context, type Pid1Evaluation, type ScriptRef } from './evaluate.js';

/** ENTRYPOINT + CMD of a stage as ArgWords (shell form becomes SHELL + code). */
export function imageArgv(file: string, facts: DockerfileFacts, stage: DfStage): { entrypoint?: ArgWord[]; cmd?: ArgWord[] } {
  const words = (command: DfCommand | undefined): ArgWord[] | undefined => {
    if (!command) return undefined;
    if (command.form === 'exec')
      return command.argv!.map((s) => ({
        value: s.value,
        at: { file, start: s.start, end: s.end },
        layer: 'dockerfile' as const,
        script: s.script,
      }));
    const keyword = { file, start: command.start, end: command.start + command.keyword.length };
    const shell = facts.stages[command.stage]?.shell ?? stage.shell;
    return [
      ...shell.map((value) => ({ value, at: keyword, layer: 'dockerfile' as const, shellForm: command })),
      {
        value: command.shellText,
        at: { file, start: command.argsStart, end: command.argsEnd },
        layer: 'dockerfile' as const,
        codeStart: command.argsStart,
        shellForm: command,
        script: command.script,
      },
    ];
  };
  return { entrypoint: words(stage.entrypoint), cmd: words(stage.cmd) };
}

/** Script resolution inside a stage's filesystem (WORKDIR for relative paths, PATH for bare names). */
function scriptResolver(
  files: ReadonlyMap<string, FileFacts>,
  images: ImageIndex,
  dockerfile: string,
  stage: DfStage,
): (p: string) => ScriptRef | undefined {
  return (p) => {
    const candidates = p.includes('/')
      ? [path.posix.resolve(stage.workdir, p)]
      : ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin', stage.workdir].map((d) => path.posix.join(d, p));
    for (const candidate of candidates) {
      const found = images.resolveInImage(dockerfile, stage.index, candidate);
      if (found?.heredoc?.script) return { file: dockerfile, script: found.heredoc.script, offset: found.heredoc.start };
      const script = found?.file ? files.get(found.file)?.script : undefined;
      if (script && found?.file) return { file: found.file, script: script.script, offset: 0 };
    }
    return undefined;
  };
}

export interface ImageEvaluation {
  dockerfile: string;
  stage: DfStage;
  argv: ArgWord[];
  entrypoint?: ArgWord[];
  cmd?: ArgWord[];
  evaluation: Pid1Evaluation;
}

export interface ContainerEvaluation {
  container: Container;
  link?: DockerfileLink;
  image?: ImageEvaluation;
  /** command/args as written in the pod spec (undefined when not set). */
  command?: ArgWord[];
  args?: ArgWord[];
  argv: ArgWord[];
  evaluation: Pid1Evaluation;
}

/** PID 1 verdicts of every image the workspace builds and every container it runs. */
export class Pid1Index {
  private readonly images = new Map<string, ImageEvaluation | undefined>();
  private readonly containers = new Map<Container, ContainerEvaluation | undefined>();

  constructor(
    private readonly files: ReadonlyMap<string, FileFacts>,
    private readonly imageIndex: ImageIndex,
    containers: readonly Container[],
  ) {
    for (const dockerfile of imageIndex.dockerfiles) this.images.set(`${dockerfile}\0`, this.evaluateImageNow(dockerfile));
    for (const container of containers) this.containers.set(container, this.evaluateContainerNow(container));
  }

  /** The verdict of the image a Dockerfile builds (final stage, or `target`), as `docker run` would start it. */
  evaluateImage(dockerfile: string, target?: string): ImageEvaluation | undefined {
    const key = `${dockerfile}\0${target ?? ''}`;
    if (!this.images.has(key)) this.images.set(key, this.evaluateImageNow(dockerfile, target));
    return this.images.get(key);
  }

  /** The verdict of a container (undefined when neither the pod nor a linked image says what runs). */
  evaluateContainer(container: Container): ContainerEvaluation | undefined {
    return this.containers.get(container);
  }

  private evaluateImageNow(dockerfile: string, target?: string): ImageEvaluation | undefined {
    const facts = this.imageIndex.facts(dockerfile);
    const stage = this.imageIndex.finalStage(dockerfile, target);
    if (!facts || !stage) return undefined;
    const { entrypoint, cmd } = imageArgv(dockerfile, facts, stage);
    // An ENTRYPOINT inherited from an external base image is unknown; official images' entrypoints exec "$@".
    const argv = [...(entrypoint ?? []), ...(stage.entrypoint?.form === 'shell' ? [] : (cmd ?? []))];
    const ctx: Pid1Context = {
      shells: shellsOfImage(rootImageOf(facts, stage)),
      resolveScript: scriptResolver(this.files, this.imageIndex, dockerfile, stage),
    };
    return {
      dockerfile,
      stage,
      argv,
      entrypoint,
      cmd,
      evaluation: argv.length > 0 ? evaluateArgv(argv, ctx) : { drains: undefined, problems: [] },
    };
  }

  /**
   * `command:` replaces the image ENTRYPOINT, `args:` replaces CMD (and a `command:` without `args:` drops
   * CMD too).
   */
  private evaluateContainerNow(container: Container): ContainerEvaluation | undefined {
    const link = this.imageIndex.dockerfilesForContainer(container)[0];
    const image = link ? this.evaluateImage(link.dockerfile, link.target) : undefined;
    const command = yamlWords(container, 'command');
    const args = yamlWords(container, 'args');
    if (!command && !(args && image)) return undefined;
    const argv = [...(command ?? image?.entrypoint ?? []), ...(args ?? (command ? [] : (image?.cmd ?? [])))];
    const facts = link ? this.imageIndex.facts(link.dockerfile) : undefined;
    const shells: ImageShells = image && facts ? shellsOfImage(rootImageOf(facts, image.stage)) : shellsOfImage(container.image ?? '');
    const ctx: Pid1Context = {
      shells,
      resolveScript: image ? scriptResolver(this.files, this.imageIndex, image.dockerfile, image.stage) : () => undefined,
    };
    return { container, link, image, command, args, argv, evaluation: evaluateArgv(argv, ctx) };
  }
}

function yamlWords(container: Container, key: 'command' | 'args'): ArgWord[] | undefined {
  const node = key === 'command' ? container.commandNode : container.argsNode;
  const values = key === 'command' ? container.command : container.args;
  if (!node || !values || !('items' in node)) return undefined;
  const object = container.workload.object;
  const file = object.file;
  const text = object.source.textOf(node);
  const items = (node as { items: unknown[] }).items;
  return values.map((value, i) => {
    const item = items[i] as Parameters<typeof range>[0] | undefined;
    const [start, end] = item ? range(item, text) : range(node, text);
    const source = text.slice(start, end);
    // Plain or simply quoted scalars map 1:1 onto the file; folded/escaped ones do not (fixes then search).
    const codeStart = source === value ? start : source === `"${value}"` || source === `'${value}'` ? start + 1 : undefined;
    return { value, at: { file, start, end }, layer: 'pod' as const, codeStart, script: shellCodeOf(item) };
  });
}
