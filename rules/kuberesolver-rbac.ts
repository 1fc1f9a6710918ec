// kuberesolver reads the Kubernetes API from inside the client pod: v6 lists and watches EndpointSlices
// (discovery.k8s.io), v5 and older Endpoints (core). Without a Role granting list+watch bound to the pod's
// ServiceAccount every call fails with "forbidden" and the channel never gets an address. RBAC often lives in
// another repository (platform charts, aggregated ClusterRoles): an error only when the repository binds roles
// to the ServiceAccount and none grants list+watch, else a warning.
import { type AnalysisModel, defineRule, insertDocumentAfter, type K8sObject, type Workload } from '../src/core/rule-api.js';
import { kuberesolverRbac } from './lib/kuberesolver.js';
import { describeWorkload, nameSpan } from './lib/common.js';
import { codeSpan, describeService } from './lib/grpc.js';

export default defineRule({
  id: 'kuberesolver-rbac',
  meta: {
    type: 'problem',
    category: 'balancing',
    description: 'Require RBAC that lets kuberesolver list and watch the endpoints it resolves',
    remediation:
      'Bind a Role granting get, list and watch on endpointslices (v6) or endpoints (v5 and older) to the client ServiceAccount.',
    severity: 'error',
    hasSuggestions: true,
    messages: {
      forbidden:
        "kuberesolver v{{version}} in {{workload}} {{can}} list and watch {{resource}} in '{{namespace}}'. It needs both, and {{why}}; without them resolution fails with 403 and the channel gets no address.",
      addRole: "Add Role '{{role}}' and RoleBinding for ServiceAccount '{{account}}'",
    },
  },
  check({ model, report, each }) {
    each(model.dials.links, (link) => {
      const facts = model.files.get(link.file)?.grpc;
      if (link.target?.scheme !== 'kubernetes' || !facts?.kuberesolver) return;
      const version = facts.kuberesolver.version;
      const slices = version >= 6;
      const resource = slices ? 'endpointslices' : 'endpoints';
      const group = slices ? 'discovery.k8s.io' : '';
      for (const container of model.dials.containersRunning(link.file)) {
        const workload = container.workload;
        const account = workload.serviceAccountName ?? 'default';
        const namespace = link.service?.namespace ?? link.target.namespace ?? workload.namespace;
        if (!namespace || granted(model, workload, account, namespace, group, resource)) continue;
        const { role, text: rbac } = kuberesolverRbac(model, workload, account, namespace, slices);
        const bound = boundRoles(model, workload, account);
        const file = workload.object.file;
        const text = model.textOf(file);
        report({
          messageId: 'forbidden',
          data: {
            version,
            workload: describeWorkload(workload),
            resource,
            namespace,
            can: bound ? 'cannot' : 'may not be allowed to',
            why: bound
              ? `the roles bound to ServiceAccount '${account}' in the repository do not grant them`
              : `no Role in the repository is bound to ServiceAccount '${account}' (it may live elsewhere)`,
          },
          severity: bound ? 'error' : 'warning',
          at: codeSpan(link.file, link.site.targetAt),
          related: [
            { at: nameSpan(workload.object), message: `${describeWorkload(workload)} runs this client as ServiceAccount '${account}'` },
            ...(link.service
              ? [{ at: nameSpan(link.service.object), message: `Service '${describeService(link.service)}' is resolved through the API` }]
              : []),
          ],
          suggest: [
            { messageId: 'addRole', data: { role, account }, edits: [insertDocumentAfter(file, text, workload.object.span[1], rbac)] },
          ],
        });
      }
    });
  },
});

type Plain = Record<string, unknown>;

/** Does the repository bind any (Cluster)Role to this ServiceAccount? */
function boundRoles(model: AnalysisModel, workload: Workload, account: string): boolean {
  return model.objects.some((o) => {
    if (o.kind !== 'RoleBinding' && o.kind !== 'ClusterRoleBinding') return false;
    const subjects = plain(o).subjects;
    return (
      Array.isArray(subjects) &&
      (subjects as Plain[]).some(
        (s) =>
          s.kind === 'ServiceAccount' &&
          s.name === account &&
          (s.namespace === undefined || workload.namespace === undefined || s.namespace === workload.namespace),
      )
    );
  });
}

/** Is there a (Cluster)Role granting list+watch on the resource, bound to the account, valid in the namespace? */
function granted(model: AnalysisModel, workload: Workload, account: string, namespace: string, group: string, resource: string): boolean {
  const roles = new Map<string, Plain>();
  for (const o of model.objects)
    if (o.kind === 'Role' || o.kind === 'ClusterRole')
      roles.set(`${o.kind}/${o.kind === 'Role' ? (o.namespace ?? '') : ''}/${o.name}`, plain(o));
  for (const o of model.objects) {
    if (o.kind !== 'RoleBinding' && o.kind !== 'ClusterRoleBinding') continue;
    if (o.kind === 'RoleBinding' && o.namespace && o.namespace !== namespace) continue;
    const binding = plain(o);
    const subjects = Array.isArray(binding.subjects) ? (binding.subjects as Plain[]) : [];
    const bound = subjects.some(
      (s) =>
        s.kind === 'ServiceAccount' &&
        s.name === account &&
        (s.namespace === undefined || workload.namespace === undefined || s.namespace === workload.namespace),
    );
    if (!bound) continue;
    const ref = (binding.roleRef ?? {}) as Plain;
    const key = ref.kind === 'ClusterRole' ? `ClusterRole//${String(ref.name)}` : `Role/${o.namespace ?? ''}/${String(ref.name)}`;
    const role =
      roles.get(key) ??
      (ref.kind === 'Role'
        ? [...roles.entries()].find(([k]) => k.startsWith('Role/') && k.endsWith(`/${String(ref.name)}`))?.[1]
        : undefined);
    if (role && allows(role, group, resource)) return true;
  }
  return false;
}

function allows(role: Plain, group: string, resource: string): boolean {
  const rules = Array.isArray(role.rules) ? (role.rules as Plain[]) : [];
  const verbs = new Set<string>();
  for (const r of rules) {
    const groups = (r.apiGroups as string[] | undefined) ?? [];
    const resources = (r.resources as string[] | undefined) ?? [];
    if (!(groups.includes(group) || groups.includes('*')) || !(resources.includes(resource) || resources.includes('*'))) continue;
    for (const v of (r.verbs as string[] | undefined) ?? []) verbs.add(v);
  }
  return verbs.has('*') || (verbs.has('list') && verbs.has('watch'));
}

function plain(o: K8sObject): Plain {
  return (o.root.toJSON() ?? {}) as Plain;
}
