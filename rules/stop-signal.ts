// PID 1 drains only on a signal other than the one the container stops with: nginx, openresty and php-fpm treat
// SIGTERM as a fast stop and drain on SIGQUIT, Apache httpd drains on SIGWINCH (measured for nginx 1.22: SIGTERM cut
// the request in flight after 3 ms, SIGQUIT let it finish; docs/evidence/runtime-nginx-stop-signals.md). The
// official nginx, openresty, httpd and php images set STOPSIGNAL themselves and images built FROM them inherit it;
// an image that installs the server on a distribution base does not. Handled: STOPSIGNAL in the Dockerfile chain,
// the base image's own, a pod `lifecycle.stopSignal` (1.33+, ContainerStopSignals, needs spec.os.name), or a preStop
// hook that runs the graceful quit itself. A shell between the runtime and the server is the PID-1 rules' business.
import {
  basename,
  compareMinor,
  defineRule,
  get,
  getIn,
  imageRepository,
  imageTag,
  replaceObjectScalar,
  rootImageOf,
  str,
  type AnalysisModel,
  type Container,
  type Span,
  type TextEdit,
} from '../src/core/rule-api.js';
import { containerSpan, describeWorkload, nodeSpan } from './lib/common.js';

/** The signal each server drains on, by program name. */
const GRACEFUL: [RegExp, string, string][] = [
  [/^(nginx|openresty)$/, 'SIGQUIT', 'nginx'],
  [/^php-fpm[\d.]*$/, 'SIGQUIT', 'php-fpm'],
  [/^(httpd|apache2|apachectl|httpd-foreground|apache2-foreground)$/, 'SIGWINCH', 'Apache httpd'],
];
/** A preStop that asks the server to quit gracefully itself. */
const GRACEFUL_HOOK = /\b(nginx|openresty)\s+-s\s+quit\b|\bkill\s+(-s\s+)?-?(QUIT|SIGQUIT|3|WINCH|SIGWINCH|28)\b|-k\s+graceful-stop\b/;

export default defineRule({
  id: 'stop-signal',
  meta: {
    type: 'problem',
    category: 'signals',
    description: 'Require containers whose server drains on another signal to stop with that signal',
    remediation: 'Add STOPSIGNAL SIGQUIT (nginx, php-fpm) or STOPSIGNAL SIGWINCH (Apache httpd) to the image.',
    severity: 'warning',
    fixable: true,
    messages: {
      wrongSignal:
        "{{program}} in container '{{container}}' gets {{signal}} on stop, a fast shutdown: requests in flight are cut. It drains only on {{expected}}, and {{source}}; {{workload}}.",
      ignoredStopSignal:
        "lifecycle.stopSignal {{expected}} of container '{{container}}' has no effect on Kubernetes {{version}}. It needs 1.33+ with ContainerStopSignals and spec.os.name. {{program}} gets {{signal}}, a fast shutdown.",
      addStopSignal: 'Add STOPSIGNAL {{expected}} to the image',
      setStopSignal: 'Stop the container with {{expected}}',
    },
  },
  check({ model, options, report, each }) {
    const reported = new Set<string>();
    each(model.workloads, (workload) => {
      for (const container of workload.containers) {
        const app = model.servers.evaluationOf(container)?.app;
        if (!app?.direct || !app.word.value) continue;
        const name = basename(app.word.value);
        const server = GRACEFUL.find(([re]) => re.test(name));
        if (!server) continue;
        const [, expected, program] = server;
        const hook = container.preStop?.command?.join(' ') ?? '';
        if (GRACEFUL_HOOK.test(hook)) continue;
        const pod = podStopSignal(container);
        const podEffective = pod !== undefined && compareMinor(options.kubernetesVersion, 33) >= 0 && osNameSet(container);
        const base = {
          program,
          container: container.name,
          expected,
          workload: describeWorkload(workload),
          version: options.kubernetesVersion,
        };
        const once = (at: Span): boolean => {
          const key = `${at.file}:${at.start}`;
          if (reported.has(key)) return false;
          reported.add(key);
          return true;
        };
        if (pod && podEffective) {
          const signal = normal(pod.value);
          const at = nodeSpan(workload.object, pod.node);
          if (signal === expected || !once(at)) continue;
          const edit = replaceObjectScalar(workload.object, pod.node, expected);
          report({
            messageId: 'wrongSignal',
            data: { ...base, signal, source: `lifecycle.stopSignal sets ${signal}` },
            at,
            fix: edit ? { messageId: 'setStopSignal', data: { expected }, edits: [edit] } : undefined,
          });
          continue;
        }
        const image = imageStopSignal(model, container);
        if (image.signal === undefined || image.signal === expected) continue;
        const edits = image.fix?.(expected);
        const fix = edits ? { messageId: 'addStopSignal', data: { expected }, edits } : undefined;
        const data = { ...base, signal: image.signal, source: image.source };
        if (pod && normal(pod.value) === expected) {
          const at = nodeSpan(workload.object, pod.node);
          if (once(at))
            report({ messageId: 'ignoredStopSignal', data, at, related: [{ at: app.word.at, message: `${program} started here` }], fix });
        } else if (once(app.word.at)) {
          report({
            messageId: 'wrongSignal',
            data,
            at: app.word.at,
            related: [{ at: containerSpan(container), message: `container '${container.name}'` }],
            fix,
          });
        }
      }
    });
  },
});

function podStopSignal(container: Container) {
  const { doc } = container.workload.object;
  const node = container.lifecycle && get(container.lifecycle, 'stopSignal', doc);
  const value = node && str(node, doc);
  return node && value ? { node, value } : undefined;
}

function osNameSet(container: Container): boolean {
  const w = container.workload;
  return w.podSpec !== undefined && str(getIn(w.podSpec, ['os', 'name'], w.object.doc), w.object.doc) !== undefined;
}

function normal(signal: string): string {
  const s = signal.trim().toUpperCase();
  const numbers: Record<string, string> = { '3': 'SIGQUIT', '15': 'SIGTERM', '28': 'SIGWINCH', '2': 'SIGINT' };
  return numbers[s] ?? (s.startsWith('SIG') ? s : `SIG${s}`);
}

/**
 * The image's stop signal: STOPSIGNAL in the Dockerfile chain, else the external base image's (official nginx,
 * openresty, httpd, php images set theirs; plain distribution and language images keep Docker's SIGTERM), else
 * unknown. With a Dockerfile in the workspace, the fix appends STOPSIGNAL to its final stage.
 */
function imageStopSignal(
  model: AnalysisModel,
  container: Container,
): { signal?: string; source: string; fix?: (signal: string) => TextEdit[] | undefined } {
  const link = model.images.dockerfilesForContainer(container)[0];
  const facts = link && model.images.facts(link.dockerfile);
  const stage = link && model.images.finalStage(link.dockerfile, link.target);
  if (link && facts && stage) {
    const fix = (signal: string): TextEdit[] => {
      const text = model.textOf(link.dockerfile);
      const next = facts.stages[stage.index + 1];
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      const offset = next ? next.fromStart : text.length;
      const lead = offset > 0 && text[offset - 1] !== '\n' ? eol : '';
      return [{ file: link.dockerfile, start: offset, end: offset, text: `${lead}STOPSIGNAL ${signal}${eol}${next ? eol : ''}` }];
    };
    if (stage.stopSignal) return { signal: normal(stage.stopSignal), source: `the Dockerfile sets STOPSIGNAL ${stage.stopSignal}`, fix };
    const base = rootImageOf(facts, stage);
    const inherited = baseImageSignal(base);
    return { signal: inherited, source: `the image (FROM ${base}) sets no STOPSIGNAL`, fix };
  }
  const image = container.image;
  return { signal: image ? baseImageSignal(image) : undefined, source: `the image ${image} sets no STOPSIGNAL` };
}

const DISTRIBUTIONS =
  /^(debian|ubuntu|alpine|busybox|centos|fedora|rockylinux|almalinux|amazonlinux|oraclelinux|archlinux|opensuse\/.*|redhat\/ubi\d+.*|registry\.access\.redhat\.com\/ubi\d+.*|python|node|golang|ruby|eclipse-temurin|openjdk)$/;

/** The STOPSIGNAL an external image sets, by name; undefined when unknown. */
function baseImageSignal(image: string): string | undefined {
  const repo = imageRepository(image).replace(/^(docker\.io\/)?(library\/)?/, '');
  const tag = imageTag(image);
  if (repo === 'nginx' || repo === 'nginxinc/nginx-unprivileged' || repo === 'openresty/openresty') return 'SIGQUIT';
  if (repo === 'httpd') return 'SIGWINCH';
  if (repo === 'php') return tag.includes('fpm') ? 'SIGQUIT' : tag.includes('apache') ? 'SIGWINCH' : 'SIGTERM';
  return DISTRIBUTIONS.test(repo) ? 'SIGTERM' : undefined;
}
