// The merging that keeps the editor readable at scale (src/lsp/merge.ts): values read back from a rule's
// message template, one message naming every target once, code action titles for one fix of many findings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forCount, mergeMessages, mergeTitles, nounBefore, targetsOf, templateValues } from '../../src/lsp/merge.js';

const finding = "{{api}} dials ClusterIP Service '{{service}}' ({{policy}}): kube-proxy balances per connection.";
const messages = ['orders.shop', 'payments.shop', 'catalog.shop'].map(
  (s) => `grpc.NewClient dials ClusterIP Service '${s}' (pick_first): kube-proxy balances per connection.`,
);
const headless = "Dial the headless Service '{{target}}' with round_robin{{extra}}";

describe('merge', () => {
  it('reads placeholder values back from a message, or says it was not written from the template', () => {
    assert.deepEqual(Object.fromEntries(templateValues(finding, messages[1]!)!), {
      api: 'grpc.NewClient',
      service: 'payments.shop',
      policy: 'pick_first',
    });
    assert.equal(templateValues(finding, 'something else'), undefined);
    assert.equal(templateValues('{{a}} and {{a}}', 'x and y'), undefined);
    assert.equal(nounBefore(finding, 'service'), 'Service');
    assert.equal(nounBefore(finding, 'api'), undefined);
    assert.deepEqual(targetsOf(finding, messages), { noun: 'Service', targets: ['orders.shop', 'payments.shop', 'catalog.shop'] });
    assert.equal(forCount(targetsOf(finding, messages), 3), 'for 3 Services');
    assert.equal(forCount(undefined, 2), 'for 2 findings');
  });

  it('merges the messages of one rule at one place, naming each target once', () => {
    assert.equal(
      mergeMessages(finding, messages),
      "grpc.NewClient dials ClusterIP Service 'orders.shop' and 2 more (pick_first): kube-proxy balances per connection. Services: orders.shop, payments.shop, catalog.shop.",
    );
    assert.equal(mergeMessages(finding, [messages[0]!, messages[0]!]), messages[0]);
    assert.equal(mergeMessages(undefined, ['a', 'b']), 'a (and 1 more like it)');
    const many = Array.from(
      { length: 14 },
      (_, i) => `grpc.NewClient dials ClusterIP Service 's${i}' (pick_first): kube-proxy balances per connection.`,
    );
    assert.match(mergeMessages(finding, many), /'s0' and 13 more .* Services: s0, s1, .*, s11, … \(14 in all\)\.$/);
  });

  it('titles one fix for many findings: the fix itself, or its template without the values that differ', () => {
    const targets = targetsOf(finding, messages);
    assert.equal(
      mergeTitles(undefined, ['Add a round_robin service config to this channel'], targets, 1),
      'Add a round_robin service config to this channel',
    );
    assert.equal(
      mergeTitles(undefined, Array(3).fill('Add a round_robin service config to this channel'), targets, 3),
      'Add a round_robin service config to this channel for 3 Services',
    );
    const titles = ['orders', 'payments', 'catalog'].map(
      (s) => `Dial the headless Service 'dns:///${s}-headless:50051' with round_robin (adds Service '${s}-headless')`,
    );
    assert.equal(mergeTitles(headless, titles, targets, 3), 'Dial the headless Service with round_robin for 3 Services');
    assert.equal(
      mergeTitles(
        "Dial '{{target}}' through kuberesolver (register it)",
        ["Dial 'a' through kuberesolver (register it)", "Dial 'b' through kuberesolver (register it)"],
        undefined,
        2,
      ),
      'Dial through kuberesolver (register it) for 2 findings',
    );
  });
});
