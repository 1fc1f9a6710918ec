// Edits into a map whose nested nodes a Kustomize JSON 6902 patch created (`op: add` after removing the original
// keys, as Argo CD's redis-ha overlay does to a Service selector): those nodes have no range, and the edit builder
// must measure the indent from the nodes that do (the real-repository trial crashed here).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isMap, parseDocument, Scalar, Pair, type YAMLMap, type Node } from 'yaml';
import { insertIntoMap } from '../../src/core/edit.js';

const text = `apiVersion: v1
kind: Service
metadata:
  name: orders
spec:
  type: ClusterIP
  ports:
    - name: grpc
      port: 50051
  selector:
    app: orders
`;

test('insertIntoMap into a spec whose selector holds only a patched-in key', () => {
  const doc = parseDocument(text);
  const spec = doc.get('spec', true) as YAMLMap<Scalar, Node>;
  const selector = spec.get('selector', true) as unknown as YAMLMap<Scalar, Node>;
  assert.ok(isMap(selector));
  selector.items.splice(
    0,
    selector.items.length,
    new Pair(new Scalar('app.kubernetes.io/name'), new Scalar('orders')) as Pair<Scalar, Node>,
  );
  // The ports sequence (with a range) still gives the author's two-space step.
  const edit = insertIntoMap('k8s/orders.yaml', text, spec, { clusterIP: 'None' });
  const out = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  assert.equal(out, text.replace('  selector:\n    app: orders\n', '  selector:\n    app: orders\n  clusterIP: None\n'));
});
