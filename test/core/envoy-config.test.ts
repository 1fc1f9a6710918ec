// Envoy bootstraps read as configuration: their clusters' endpoints, with how Envoy resolves and balances them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readEnvoy } from '../../src/core/facts/app-config.js';
import { extractFacts, isAnalysable } from '../../src/core/facts/index.js';
import { defaultOptions } from '../../src/core/options.js';

describe('Envoy bootstraps', () => {
  const text = `static_resources:
  clusters:
  - name: orders
    type: strict_dns
    typed_extension_protocol_options:
      envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
        explicit_http_config: {http2_protocol_options: {}}
    load_assignment:
      endpoints:
      - lb_endpoints:
        - endpoint: {address: {socket_address: {address: orders.shop, port_value: 50051}}}
        - endpoint: {address: {socket_address: {address: "orders-2.shop", port_value: 50051}}}
  - name: legacy
    hosts: [{socket_address: {address: web, port_value: 8080}}]
`;

  it('lists every endpoint of every static cluster, at the address as written, v2 hosts included', () => {
    const entries = readEnvoy(text);
    assert.deepEqual(
      entries.map((e) => [e.key, e.value, text.slice(...e.at), e.envoy]),
      [
        [
          'clusters.orders',
          'orders.shop:50051',
          'orders.shop',
          { name: 'orders', type: 'STRICT_DNS', lbPolicy: 'ROUND_ROBIN', http2: true },
        ],
        [
          'clusters.orders',
          'orders-2.shop:50051',
          '"orders-2.shop"',
          { name: 'orders', type: 'STRICT_DNS', lbPolicy: 'ROUND_ROBIN', http2: true },
        ],
        ['clusters.legacy', 'web:8080', 'web', { name: 'legacy', type: 'STATIC', lbPolicy: 'ROUND_ROBIN', http2: false }],
      ],
    );
  });

  it('is read from YAML files and Envoy-named JSON files; other JSON and files without static_resources are not', () => {
    assert.equal(isAnalysable('/p/envoy/bootstrap.json'), false);
    assert.equal(isAnalysable('/p/envoy-front.json'), true);
    assert.equal(extractFacts('/p/proxy/envoy.yaml', text, defaultOptions).envoy?.entries.length, 3);
    assert.equal(extractFacts('/p/proxy/envoy.yaml', 'admin: {}\n', defaultOptions).envoy, undefined);
    // A bootstrap that does not parse yields nothing, and no problem of its own (the manifest reader reports YAML).
    const broken = extractFacts('/p/proxy/envoy.yaml', `${text}  - [\n`, defaultOptions);
    assert.equal(broken.envoy, undefined);
  });
});
