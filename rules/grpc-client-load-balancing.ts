// A gRPC channel that reaches a Kubernetes Service through one address sends every call to one pod: pick_first
// (the default in every gRPC implementation) over a headless name, grpc-go's Dial without a scheme
// (passthrough), a .NET http(s) address, or any policy over a ClusterIP name (kube-proxy gives one VIP).
// A `replicas: 1` workload is not exempt (facts §3.3): manifests get scaled later, and the message says so.
import {
  type AnalysisModel,
  codeEditBuilder,
  defineRule,
  type DialLink,
  type FixDescriptor,
  type ReportDescriptor,
  type Service,
  type TextEdit,
} from '../src/core/rule-api.js';
import {
  addHeadlessSiblingEdit,
  codeEdits,
  codeSpan,
  describeService,
  effectivePolicy,
  effectiveScheme,
  envRelated,
  fqdn,
  headlessSibling,
  podPortNumber,
  rewriteTarget,
  scaleNote,
} from './lib/grpc.js';
import { kuberesolverSwitch } from './lib/kuberesolver.js';

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
        "{{api}} dials headless Service '{{service}}' with pick_first, so every call goes to one pod. pick_first is the default: the channel connects to one address and keeps it; add a round_robin policy.{{scale}}",
      clusterIp:
        "{{api}} dials ClusterIP Service '{{service}}' ({{policy}}), so every call goes to one pod. kube-proxy balances per connection and the channel has one; {{recycling}}{{scale}}",
      passthrough:
        "{{api}} sends every call of this channel to one pod of Service '{{service}}'. It dials '{{target}}' ({{why}}): one address is one connection; {{recycling}}{{scale}}",
      addRoundRobin: 'Add a round_robin service config to this channel',
      useHeadless: "Dial the headless Service '{{target}}' with round_robin{{extra}}",
      useKuberesolver: "Dial '{{target}}' through kuberesolver with round_robin (adds RegisterInCluster and a Role for '{{account}}')",
      oneConnection:
        '{{api}} has no LoadBalancingConfigs, so the channel holds one connection to one server whatever its address resolves to; if it reaches a Service with several pods, add a round_robin config.',
    },
  },
  check({ model, report, each }) {
    each(model.dials.links, (link) => {
      const { service, site } = link;
      // Grpc.Net.Client without a balancing config: one connection even when the address cannot be read here.
      if (
        site.oneConnection &&
        link.text === undefined &&
        !TEST_CODE.test(link.file) &&
        firstUnreadLink(model, link) &&
        !model.dials.meshOfClient(link)
      ) {
        report({
          messageId: 'oneConnection',
          data: { api: site.api },
          at: codeSpan(link.file, site.targetAt),
          severity: 'info',
          suggest: rrSuggestion(link),
        });
        return;
      }
      if (!service || !link.target || site.lbUnknown || service.type === 'ExternalName') return;
      if (model.dials.meshOfClient(link) || model.meshOfService(service)) return; // the mesh balances per request
      const scheme = effectiveScheme(link);
      const policy = effectivePolicy(link);
      const base = { at: codeSpan(link.file, site.targetAt), related: envRelated(model, link) };
      const data = {
        api: site.api,
        service: describeService(service),
        policy,
        target: link.text,
        recycling: recyclingText(model, service),
        scale: scaleNote(model, service),
      };
      if (scheme === 'passthrough' || scheme === 'http' || scheme === 'https' || scheme === 'static') {
        const why =
          scheme === 'passthrough'
            ? link.target.explicitScheme
              ? 'passthrough'
              : `${site.api} has no default resolver: passthrough`
            : scheme === 'static'
              ? 'static:// address: resolved once to one IP'
              : `${scheme}:// address: no resolver`;
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

/** What moves a pinned channel to another pod: the server's MaxConnectionAge, or nothing while it is busy. */
function recyclingText(model: AnalysisModel, service: Service): string {
  return model.dials.serversBehind(service).some((s) => s.site.maxConnectionAge)
    ? "it moves only when the server's MaxConnectionAge recycles it."
    : 'nothing recycles it while it is busy, so pods added later get none of its calls.';
}

/** Rewrite the target to a headless name (adding the sibling Service if needed), or to kuberesolver in Go. */
function topologySuggestions(model: AnalysisModel, link: DialLink): FixDescriptor[] {
  const service = link.service!;
  const out: FixDescriptor[] = [];
  const rr = link.site.lb.some((l) => l.policy === 'round_robin') ? [] : (addRoundRobin(link) ?? []);
  const podPort = link.port ? podPortNumber(model, link.port) : undefined;
  if (podPort !== undefined && (rr.length > 0 || link.site.lb.some((l) => l.policy === 'round_robin'))) {
    const sibling = headlessSibling(model, service);
    const added = sibling ? undefined : addHeadlessSiblingEdit(model, service);
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
  if (link.site.language === 'go' && link.port && (rr.length > 0 || link.site.lb.some((l) => l.policy === 'round_robin'))) {
    const portRef = link.port.name ?? String(podPort ?? '');
    const ns = service.namespace ?? link.namespace;
    const target = `kubernetes:///${service.name}${ns ? `.${ns}` : ''}${portRef ? `:${portRef}` : ''}`;
    const edits = kuberesolverSwitch(model, link, target, rr);
    const account = (link.client ?? model.dials.containersRunning(link.file)[0])?.workload.serviceAccountName ?? 'default';
    if (edits) out.push({ messageId: 'useKuberesolver', data: { target, account }, edits });
  }
  return out;
}
