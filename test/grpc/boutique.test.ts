// End to end on an Online-Boutique-style tree: Go and Python code read *_SERVICE_ADDR env vars that the
// Deployments set; kubeconn must follow each dial site to the Service, its workload and server.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { initKubeconn } from '../../src/core/init.js';
import { createWorkspace, Workspace } from '../../src/api.js';
import { fixturesDir } from '../helpers/paths.js';

const root = path.join(fixturesDir, 'boutique');

function load(): Workspace {
  const ws = createWorkspace();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else ws.setFile(path.relative(root, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
    }
  };
  walk(root);
  return ws;
}

describe('boutique fixture', () => {
  it('links every dial site through the env of the workload that runs it', async () => {
    await initKubeconn();
    const { model: graph } = load().analyze();
    const links = graph.dials.links
      .map(
        (l) => `${l.file} ${l.env.map((e) => e.name).join(',')} → ${l.service?.name}:${l.port?.port} (client ${l.client?.workload.name})`,
      )
      .sort();
    assert.deepEqual(links, [
      'src/frontend/main.go CART_SERVICE_ADDR → cartservice:7070 (client frontend)',
      'src/frontend/main.go CURRENCY_SERVICE_ADDR → currencyservice:7000 (client frontend)',
      'src/frontend/main.go PRODUCT_CATALOG_SERVICE_ADDR → productcatalogservice:3550 (client frontend)',
      'src/recommendationservice/recommendation_server.py PRODUCT_CATALOG_SERVICE_ADDR → productcatalogservice:3550 (client recommendationservice)',
    ]);
    const catalog = graph.services.find((s) => s.name === 'productcatalogservice')!;
    assert.deepEqual(
      graph.dials.serversBehind(catalog).map((s) => s.file),
      ['src/productcatalogservice/server.go'],
    );
  });

  it('reports the pinned channels where they are dialed, and the server without a max age', async () => {
    await initKubeconn();
    const { findings } = load().analyze();
    const grpc = findings
      .filter((f) => /^(grpc-|kuberesolver|mesh)/.test(f.ruleId))
      .map((f) => `${f.ruleId} ${f.file}:${f.line}:${f.column}`);
    assert.deepEqual(grpc.sort(), [
      'grpc-client-load-balancing src/frontend/main.go:49:37',
      'grpc-client-load-balancing src/frontend/main.go:49:37',
      'grpc-client-load-balancing src/frontend/main.go:49:37',
      'grpc-client-load-balancing src/recommendationservice/recommendation_server.py:14:37',
      'grpc-clusterip-imbalance kubernetes-manifests/cartservice.yaml:32:7',
      'grpc-clusterip-imbalance kubernetes-manifests/currencyservice.yaml:32:7',
      'grpc-clusterip-imbalance kubernetes-manifests/productcatalogservice.yaml:32:7',
      'grpc-clusterip-imbalance kubernetes-manifests/recommendationservice.yaml:34:7',
      'grpc-server-max-connection-age src/productcatalogservice/server.go:21:9',
      'grpc-server-max-connection-age src/recommendationservice/recommendation_server.py:17:14',
    ]);
    const pinned = findings.find((f) => f.ruleId === 'grpc-clusterip-imbalance' && f.file.includes('productcatalogservice'))!;
    // The dial sites in both languages are related locations of the Service finding.
    assert.ok(pinned.related.some((r) => r.file === 'src/frontend/main.go'));
    assert.ok(pinned.related.some((r) => r.file === 'src/recommendationservice/recommendation_server.py'));
    const frontend = findings.filter((f) => f.ruleId === 'grpc-client-load-balancing' && f.file === 'src/frontend/main.go');
    assert.deepEqual(frontend.map((f) => f.related.map((r) => `${r.file}:${r.line}`)).sort(), [
      ['kubernetes-manifests/frontend.yaml:23'],
      ['kubernetes-manifests/frontend.yaml:25'],
      ['kubernetes-manifests/frontend.yaml:27'],
    ]);
  });
});
