// The kuberesolver suggestion of grpc-client-load-balancing and grpc-client-stale-endpoints (facts §3.2, issue 11
// item 7): it rewrites the target, adds round_robin, the import and `kuberesolver.RegisterInCluster()` before the
// dial, and a Role + RoleBinding for the client's ServiceAccount — and after applying it, no kubeconn rule
// reports the result as broken (kuberesolver-target: registered; kuberesolver-rbac: granted).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import rule from '../../rules/grpc-client-load-balancing.js';
import { allRules } from '../../rules/index.js';
import { Workspace } from '../../src/api.js';
import { initKubeconn } from '../../src/core/init.js';
import { applyAll, lint, type Files } from '../helpers/rule-tester.js';
import { app, client } from './grpc-k8s.js';

const files: Files = {
  'k8s/orders.yaml': app({ name: 'orders', namespace: 'shop', portName: 'grpc' }),
  'k8s/frontend.yaml': app({ name: 'frontend', namespace: 'shop', port: 80, serviceAccountName: 'frontend' }),
  'frontend/main.go': client('go', 'orders.shop:50051').text,
};

async function allFindings(workspace: Files): Promise<string[]> {
  await initKubeconn();
  const ws = new Workspace({}, allRules);
  for (const [file, text] of Object.entries(workspace)) ws.setFile(file, text);
  return ws.analyze().findings.map((f) => `${f.ruleId} ${f.file}:${f.line} ${f.message}`);
}

describe('kuberesolver suggestion', () => {
  it('registers the resolver, grants the RBAC, and leaves nothing for kubeconn to report on the dial', async () => {
    const findings = await lint(rule, files);
    const finding = findings.find((f) => f.messageId === 'clusterIp');
    assert.ok(finding, 'the ClusterIP dial is reported');
    const suggestion = finding.suggestions.find((s) => s.messageId === 'useKuberesolver');
    assert.ok(suggestion, `a kuberesolver suggestion is offered: ${finding.suggestions.map((s) => s.messageId).join(', ')}`);
    assert.equal(
      suggestion.message,
      "Dial 'kubernetes:///orders.shop:grpc' through kuberesolver with round_robin (adds RegisterInCluster and a Role for 'frontend')",
    );
    const out = applyAll(files, suggestion.edits);
    assert.equal(
      out['frontend/main.go'],
      'package main\n\nimport "google.golang.org/grpc"\n\nimport (\n\t"github.com/sercand/kuberesolver/v6"\n)\n\nfunc main() {\n\tkuberesolver.RegisterInCluster()\n\tconn, _ := grpc.NewClient("kubernetes:///orders.shop:grpc", grpc.WithTransportCredentials(insecure.NewCredentials()), grpc.WithDefaultServiceConfig(`{"loadBalancingConfig":[{"round_robin":{}}]}`))\n\tdefer conn.Close()\n}\n',
    );
    assert.ok(
      out['k8s/frontend.yaml']!.endsWith(
        '---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: frontend-kuberesolver\n  namespace: shop\nrules:\n  - apiGroups: [discovery.k8s.io]\n    resources: [endpointslices]\n    verbs: [get, list, watch]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: frontend-kuberesolver\n  namespace: shop\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: frontend-kuberesolver\nsubjects:\n  - kind: ServiceAccount\n    name: frontend\n    namespace: shop\n',
      ),
      out['k8s/frontend.yaml'],
    );
    const after = (await allFindings(out)).filter((f) => f.includes('frontend/main.go'));
    assert.deepEqual(after, [], 'after the suggestion, no rule reports the client');
  });

  it('is not offered when no workload runs the client (no ServiceAccount to grant)', async () => {
    const rest = Object.fromEntries(Object.entries(files).filter(([file]) => file !== 'k8s/frontend.yaml'));
    const findings = await lint(rule, rest);
    assert.deepEqual(
      findings.flatMap((f) => f.suggestions.map((s) => s.messageId)).filter((id) => id === 'useKuberesolver'),
      [],
    );
  });
});
