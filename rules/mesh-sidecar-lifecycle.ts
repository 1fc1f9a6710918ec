// A meshed pod whose proxy stops before the app is done: every container gets SIGTERM at once, the app's
// preStop delay and drain run after that, but Istio's sidecar exits terminationDrainDuration (5 s) after SIGTERM,
// and linkerd-proxy refuses new requests right away unless proxy-wait-before-exit-seconds holds it. The app's
// requests and calls after that point fail (istio/istio#34855, linkerd/linkerd2#11084). Quiet with native
// sidecars, EXIT_ON_ZERO_ACTIVE_CONNECTIONS, or when the proxy's time covers the preStop delay plus the drain.
import {
  defineRule,
  insertIntoObjectMap,
  replaceObjectScalar,
  type AnalysisModel,
  type Sidecar,
  type Span,
  type TextEdit,
  type Workload,
} from '../src/core/rule-api.js';
import { describeWorkload, nameSpan, nodeSpan } from './lib/common.js';

const ISTIO_CONFIG = 'proxy.istio.io/config';
const LINKERD_WAIT = 'config.alpha.linkerd.io/proxy-wait-before-exit-seconds';

export default defineRule({
  id: 'mesh-sidecar-lifecycle',
  meta: {
    type: 'problem',
    category: 'shutdown',
    description: "Require a meshed pod's proxy sidecar to outlive the app's preStop delay and drain",
    remediation:
      'Hold the proxy as long as the app drains: Istio terminationDrainDuration, Linkerd proxy-wait-before-exit-seconds, or native sidecars.',
    severity: 'warning',
    fixable: true,
    messages: {
      istio:
        'The istio-proxy sidecar of {{workload}} exits before the app is done: requests after {{seconds}}s fail. ' +
        'It exits {{seconds}}s after SIGTERM{{defaulted}}, but the app needs {{need}}s ({{needs}}). ' +
        "All containers get SIGTERM at once; pilot-agent drains for terminationDrainDuration and exits, then the app's inbound connections close and its outbound calls are refused.",
      linkerd:
        'The linkerd-proxy of {{workload}} stops before the app is done: calls after {{seconds}}s fail. ' +
        'It stops taking requests {{seconds}}s after SIGTERM{{defaulted}}, but the app needs {{need}}s ({{needs}}). ' +
        'All containers get SIGTERM at once, and the proxy refuses new requests as soon as it gets it unless proxy-wait-before-exit-seconds delays it.',
      holdIstio: 'Set terminationDrainDuration to {{need}}s',
      holdLinkerd: 'Set proxy-wait-before-exit-seconds to {{need}}',
    },
  },
  check({ model, report, each }) {
    each(model.workloads, (workload) => {
      if (!model.isServed(workload)) return;
      const sidecar = model.sidecars.sidecarOf(workload);
      if (!sidecar || sidecar.exitOnZero) return;
      const proxies = new Set(['istio-proxy', 'linkerd-proxy']);
      const delay = Math.max(0, ...workload.containers.filter((c) => !proxies.has(c.name)).map((c) => c.preStop?.delaySeconds ?? 0));
      const drain = model.drains.drainOf(workload);
      const need = delay + Math.ceil(drain?.seconds ?? 0);
      if (need === 0 || need <= sidecar.seconds) return;
      const needs = [delay > 0 ? `preStop ${delay}s` : '', drain ? `${drain.seconds}s ${drain.what}` : ''].filter(Boolean).join(' + ');
      const at: Span = sidecar.annotation ? nodeSpan(workload.object, sidecar.annotation.value!) : nameSpan(workload.object);
      const related = [
        ...(sidecar.evidence.object && (sidecar.evidence.object !== workload.object || !sidecar.annotation)
          ? [{ at: nameSpan(sidecar.evidence.object), message: `${sidecar.mesh} sidecar injected (${sidecar.evidence.key})` }]
          : []),
        ...(drain
          ? [{ at: { file: drain.file, start: drain.at[0], end: drain.at[1] }, message: `${drain.what} of ${drain.seconds}s` }]
          : []),
      ];
      const edits = sidecar.mesh === 'istio' ? istioEdits(model, workload, sidecar, need) : linkerdEdits(workload, sidecar, need);
      report({
        messageId: sidecar.mesh,
        data: {
          workload: describeWorkload(workload),
          seconds: sidecar.seconds,
          defaulted: sidecar.defaulted ? ' (the default)' : '',
          need,
          needs,
        },
        at,
        related,
        fix: edits ? { messageId: sidecar.mesh === 'istio' ? 'holdIstio' : 'holdLinkerd', data: { need }, edits } : undefined,
      });
    });
  },
});

/** `proxy.istio.io/config`: the terminationDrainDuration in it replaced, a line added to a block value, or the annotation added. */
function istioEdits(model: AnalysisModel, workload: Workload, sidecar: Sidecar, need: number): TextEdit[] | undefined {
  const object = workload.object;
  const value = sidecar.annotation?.value;
  if (value) {
    const at = nodeSpan(object, value);
    if (at.file !== object.file) return undefined;
    const source = model.textOf(at.file).slice(at.start, at.end);
    const m = /(terminationDrainDuration["']?\s*:\s*["']?)([0-9.]+(?:ms|s|m|h)(?:[0-9.]+(?:ms|s|m|h))*)/.exec(source);
    if (m) {
      const start = at.start + m.index + m[1]!.length;
      return [{ file: at.file, start, end: start + m[2]!.length, text: `${need}s` }];
    }
    // A block scalar (`|`) takes one more line at its content's indent; a JSON or quoted value is left to the author.
    const block = /^[|>][-+]?\s*\r?\n([ \t]+)/.exec(source);
    if (!block) return undefined;
    const eol = source.includes('\r\n') ? '\r\n' : '\n';
    const end = at.start + source.trimEnd().length;
    return [{ file: at.file, start: end, end, text: `${eol}${block[1]}terminationDrainDuration: ${need}s` }];
  }
  return addAnnotation(workload, sidecar, ISTIO_CONFIG, `terminationDrainDuration: ${need}s`);
}

function linkerdEdits(workload: Workload, sidecar: Sidecar, need: number): TextEdit[] | undefined {
  const value = sidecar.annotation?.value;
  if (value) {
    const edit = replaceObjectScalar(workload.object, value, `"${need}"`);
    return edit ? [edit] : undefined;
  }
  return addAnnotation(workload, sidecar, LINKERD_WAIT, String(need));
}

function addAnnotation(workload: Workload, sidecar: Sidecar, key: string, value: string): TextEdit[] | undefined {
  const map = sidecar.annotations ?? sidecar.metadata;
  if (!map || map.items.length === 0) return undefined;
  const edit = insertIntoObjectMap(workload.object, map, sidecar.annotations ? { [key]: value } : { annotations: { [key]: value } });
  return edit ? [edit] : undefined;
}
