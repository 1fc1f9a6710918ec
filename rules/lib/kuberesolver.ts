// The kuberesolver suggestion as a whole (facts §3.2): rewriting a Go dial to `kubernetes:///svc.ns:port` only
// helps if the file registers the resolver and the client pod may list and watch EndpointSlices. So the edits
// are: the target, round_robin, the import and `kuberesolver.RegisterInCluster()` before the dial, and a Role +
// RoleBinding for the client's ServiceAccount. Without a client workload to bind, or a place for the register
// call, there is no suggestion. The RBAC documents are shared with kuberesolver-rbac.
import {
  type AnalysisModel,
  block,
  codeEditBuilder,
  type DialLink,
  insertDocumentAfter,
  type TextEdit,
  type Workload,
} from '../../src/core/rule-api.js';
import { codeEdits, rewriteTarget } from './grpc.js';
import { freeName } from './names.js';

export const KUBERESOLVER_MODULE = 'github.com/sercand/kuberesolver/v6';

/** Role + RoleBinding (two YAML documents) letting `account` list and watch the resource in `namespace`. */
export function kuberesolverRbac(
  model: AnalysisModel,
  workload: Workload,
  account: string,
  namespace: string,
  slices: boolean,
): { role: string; text: string } {
  const role = freeName(model, ['Role', 'RoleBinding'], namespace, `${workload.name}-kuberesolver`);
  const group = slices ? 'discovery.k8s.io' : '';
  const resource = slices ? 'endpointslices' : 'endpoints';
  const docs = [
    block(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: role, namespace },
        rules: [{ apiGroups: [group], resources: [resource], verbs: ['get', 'list', 'watch'] }],
      },
      0,
    ).join('\n'),
    block(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: role, namespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role },
        subjects: [{ kind: 'ServiceAccount', name: account, namespace: workload.namespace ?? namespace }],
      },
      0,
    ).join('\n'),
  ];
  return { role, text: `${docs[0]}\n---\n${docs[1]}` };
}

/**
 * Edits that switch a Go dial to kuberesolver: `target`, plus `extra` (e.g. round_robin), the registration and
 * the RBAC for the client workload. Undefined when any part cannot be written safely.
 */
export function kuberesolverSwitch(
  model: AnalysisModel,
  link: DialLink,
  target: string,
  extra: readonly TextEdit[],
): TextEdit[] | undefined {
  if (link.site.language !== 'go') return undefined;
  const rewrite = rewriteTarget(model, link, target);
  const facts = model.files.get(link.file)?.grpc;
  if (!rewrite || !facts) return undefined;
  const edits: TextEdit[] = [...rewrite, ...extra];
  if (!(facts.kuberesolver?.registers ?? []).some((r) => r.scheme === 'kubernetes') && !link.site.withResolvers) {
    const register = registerBefore(model.textOf(link.file), link.file, link.site.call[0]);
    if (!register) return undefined;
    const imported = facts.imports.entries.some((e) => /^github\.com\/sercand\/kuberesolver(\/v\d+)?$/.test(e.module));
    edits.push(
      register,
      ...(imported ? [] : codeEdits(link.file, codeEditBuilder('go').addImports(facts.imports, [{ module: KUBERESOLVER_MODULE }]))),
    );
  }
  const client = link.client ?? model.dials.containersRunning(link.file)[0];
  const namespace = link.service?.namespace ?? link.namespace ?? client?.workload.namespace;
  if (!client || !namespace) return undefined;
  const workload = client.workload;
  const roleName = `${workload.name}-kuberesolver`;
  // A Role and RoleBinding of the name this fix writes: written by it before. Any other use of the name: a fresh one.
  const ours = ['Role', 'RoleBinding'].every((kind) =>
    model.objects.some((o) => o.kind === kind && o.name === roleName && (o.namespace ?? namespace) === namespace),
  );
  if (!ours) {
    const rbac = kuberesolverRbac(model, workload, workload.serviceAccountName ?? 'default', namespace, true);
    edits.push(insertDocumentAfter(workload.object.file, model.textOf(workload.object.file), workload.object.span[1], rbac.text));
  }
  return edits;
}

/** `kuberesolver.RegisterInCluster()` on its own line before the statement that holds the dial (inside a function). */
function registerBefore(text: string, file: string, callStart: number): TextEdit | undefined {
  const lineStart = text.lastIndexOf('\n', callStart - 1) + 1;
  const head = text.slice(lineStart, callStart);
  const indent = /^[ \t]+/.exec(head)?.[0];
  // Only a statement start: `conn, err := `, `return `, `x = `, or the call itself (not a package-level var).
  if (!indent || !/^[ \t]+(?:[\w.]+(?:\s*,\s*[\w.]+)*\s*:?=\s*|return\s+)?$/.test(head)) return undefined;
  return { file, start: lineStart, end: lineStart, text: `${indent}kuberesolver.RegisterInCluster()\n` };
}
