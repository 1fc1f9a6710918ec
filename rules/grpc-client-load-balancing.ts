// A gRPC channel that reaches a Kubernetes Service through one address sends every call to one pod: pick_first
// (the default in every gRPC implementation) over a headless name, grpc-go's Dial without a scheme
// (passthrough), a .NET http(s) address, or any policy over a ClusterIP name (kube-proxy gives one VIP).
import { type AnalysisModel, codeEditBuilder, defineRule, type DialLink, type FixDescriptor, type ReportDescriptor, type TextEdit } from '../src/core/rule-api.js';
import { addHeadlessSiblingEdit, codeEdits, codeSpan, describeService, effectivePolicy, effectiveScheme, envRelated, fqdn, headlessSibling, podPortNumber, rewriteTarget } from './lib/grpc.js';

export default defineRule({
  id: 'grpc-client-load-balancing',
  meta: {
    type: 'problem',
    category: 'balancing',
    description: 'Require gRPC clients of a Kubernetes Service to balance over its pods',
    remediation: 'Dial the headless Service with dns:/// and a round_robin service config (or kuberesolver in Go), or use a mesh.',
    severity: 'warning',
    fixable: true,
    hasSuggestions: true,
    messages: {
      pickFirst:
        "{{api}} dials headless Service '{{service}}' with pick_first (the default): the channel connects to one pod and keeps it; add a round_robin policy.",
      clusterIp:
        "{{api}} dials ClusterIP Service '{{service}}' ({{policy}}): kube-proxy balances per connection, so this channel sends every call to one pod and never sees new pods.",
      passthrough:
        "{{api}} dials '{{target}}' ({{why}}): one address, so every call of the channel goes to one pod of Service '{{service}}'.",
      addRoundRobin: 'Add a round_robin service config to this channel',
      useHeadless: "Dial the headless Service '{{target}}' with round_robin{{extra}}",
      useKuberesolver: "Dial '{{target}}' through kuberesolver with round_robin (register kuberesolver and grant it RBAC)",
      oneConnection:
        '{{api}} has no LoadBalancingConfigs, so the channel holds one connection to one server whatever its address resolves to; if it reaches a Service with several pods, add a round_robin config.',
    },
  },
  check({ model, report, each }) {
    each(model.dials.links, (link) => {
      const { service, site } = link;
      // Grpc.Net.Client without a balancing config: one connection even when the address cannot be read here.
      if (site.oneConnection && link.text === undefined && !TEST_CODE.test(link.file) && firstUnreadLink(model, link) && !model.dials.meshOfClient(link)) {
        report({ messageId: 'oneConnection', data: { api: site.api }, at: codeSpan(link.file, site.targetAt), severity: 'info', suggest: rrSuggestion(link) });
        return;
      }
      if (!service || !link.target || site.lbUnknown || service.type === 'ExternalName') return;
      if (model.dials.meshOfClient(link) || model.meshOfService(service)) return; // the mesh balances per request
      if (singlePod(model, link)) return;
      const scheme = effectiveScheme(link);
      const policy = effectivePolicy(link);
      const base = { at: codeSpan(link.file, site.targetAt), related: envRelated(model, link) };
      const data = { api: site.api, service: describeService(service), policy, target: link.text };
      if (scheme === 'passthrough' || scheme === 'http' || scheme === 'https' || scheme === 'static') {
        const why =
          scheme === 'passthrough'
            ? link.target.explicitScheme ? 'passthrough' : `${site.api} has no default resolver: passthrough`
            : scheme === 'static' ? 'static:// address: resolved once to one IP' : `${scheme}:// address: no resolver`;
        report({ ...base, messageId: 'passthrough', data: { ...data, why }, suggest: topologySuggestions(model, link) });
      } else if (scheme === 'kubernetes' || (scheme === 'dns' && service.headless)) {
        if (policy !== 'pick_first') return;
        const descriptor: ReportDescriptor = { ...base, messageId: 'pickFirst', data };
        const roundRobin = addRoundRobin(link);
        if (roundRobin) descriptor.fix = { messageId: 'addRoundRobin', edits: roundRobin };
        report(descriptor);
      } else if (scheme === 'dns') {
        report({ ...base, messageId: 'clusterIp', data, suggest: topologySuggestions(model, link) });
      }
    });
  },
});

/** Edits that give the dial a round_robin policy, where its options can take one. */
function addRoundRobin(link: DialLink): TextEdit[] | undefined {
  const edits = codeEditBuilder(link.site.language).addChannelSetting(link.site, { kind: 'lbPolicy', policy: 'round_robin' });
  return edits && codeEdits(link.file, edits);
}

/** Test code dials in-process test servers (`TestServer`, `WebApplicationFactory`): no Service behind it. */
const TEST_CODE = /(^|\/)(tests?|__tests__|testdata|fixtures)\/|Tests?\.cs$/i;

/** The first link of a dial site, when none of its links resolved: one report per site. */
function firstUnreadLink(model: AnalysisModel, link: DialLink): boolean {
  const ofSite = model.dials.links.filter((l) => l.site === link.site);
  return ofSite[0] === link && ofSite.every((l) => l.text === undefined);
}

function rrSuggestion(link: DialLink): FixDescriptor[] {
  const edits = addRoundRobin(link);
  return edits ? [{ messageId: 'addRoundRobin', edits }] : [];
}

/** One pod and no autoscaler: nothing to balance (yet). */
function singlePod(model: AnalysisModel, link: DialLink): boolean {
  const workloads = model.workloadsSelectedBy(link.service!);
  return workloads.length === 1 && workloads[0]!.replicas === 1 && !model.hpaFor(workloads[0]!);
}

/** Rewrite the target to a headless name (adding the sibling Service if needed), or to kuberesolver in Go. */
function topologySuggestions(model: AnalysisModel, link: DialLink): FixDescriptor[] {
  const service = link.service!;
  const out: FixDescriptor[] = [];
  const rr = link.site.lb.some((l) => l.policy === 'round_robin') ? [] : (addRoundRobin(link) ?? []);
  const podPort = link.port ? podPortNumber(model, link.port) : undefined;
  if (podPort !== undefined && (rr.length > 0 || link.site.lb.some((l) => l.policy === 'round_robin'))) {
    const sibling = headlessSibling(model, service);
    const added = sibling ? undefined : addHeadlessSiblingEdit(service);
    const name = sibling?.name ?? added!.name;
    const target = `dns:///${fqdn(name, service.namespace ?? link.namespace)}:${podPort}`;
    const rewrite = rewriteTarget(model, link, target);
    // Only when the sibling can be added too (it cannot next to a templated or overlay-renamed Service).
    if (rewrite && (!added || added.edit)) {
      out.push({
        messageId: 'useHeadless',
        data: { target, extra: added ? ` (adds Service '${name}')` : '' },
        edits: [...rewrite, ...rr, ...(added?.edit ? [added.edit] : [])],
      });
    }
  }
  if (link.site.language === 'go' && link.port) {
    const portRef = link.port.name ?? String(podPort ?? '');
    const target = `kubernetes:///${service.name}${service.namespace ?? link.namespace ? `.${service.namespace ?? link.namespace}` : ''}${portRef ? `:${portRef}` : ''}`;
    const rewrite = rewriteTarget(model, link, target);
    if (rewrite && (rr.length > 0 || link.site.lb.some((l) => l.policy === 'round_robin'))) {
      out.push({ messageId: 'useKuberesolver', data: { target }, edits: [...rewrite, ...rr] });
    }
  }
  return out;
}
