// `kubeconn check --format sarif`: valid against the official SARIF 2.1.0 schema (the OASIS rtm.5 schema as
// shipped by @microsoft/jest-sarif, a devDependency used only for this file), with kubeconn as the driver,
// one rules[] entry per rule, relative artifact URIs, related locations, safe fixes, info as note.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import AjvDraft04 from 'ajv-draft-04';
import { allRules } from '../../rules/index.js';
import { kubeconn, makeProject } from '../e2e/project.js';
import { yaml } from '../helpers/rule-tester.js';

const require = createRequire(import.meta.url);
const schema = JSON.parse(
  fs.readFileSync(
    path.join(path.dirname(require.resolve('@microsoft/jest-sarif/package.json')), 'lib/schemas/sarif-2.1.0-rtm.5.json'),
    'utf8',
  ),
) as object;
// unicodeRegExp off: the schema's language-tag pattern is not a valid /u regular expression.
const validate = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);

interface Sarif {
  version: string;
  runs: {
    tool: {
      driver: {
        name: string;
        version: string;
        informationUri: string;
        rules: { id: string; shortDescription: { text: string }; help: { markdown: string }; helpUri: string }[];
      };
    };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: Record<string, number> } }[];
      relatedLocations?: { physicalLocation: { artifactLocation: { uri: string } }; message: { text: string } }[];
      fixes?: {
        artifactChanges: {
          artifactLocation: { uri: string };
          replacements: { deletedRegion: Record<string, number>; insertedContent: { text: string } }[];
        }[];
      }[];
    }[];
    invocations: { toolExecutionNotifications: { message: { text: string } }[] }[];
  }[];
}

describe('SARIF output', () => {
  const projects: { cleanup(): void }[] = [];
  after(() => projects.forEach((p) => p.cleanup()));

  it('validates against the SARIF 2.1.0 schema and carries rules, related locations and fixes', () => {
    const p = makeProject({
      'k8s/orders.yaml': yaml`
        apiVersion: v1
        kind: Service
        metadata: {name: orders, namespace: shop}
        spec:
          selector: {app: orders}
          ports: [{name: grpc, port: 50051}]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: orders, namespace: shop}
        spec:
          template:
            metadata: {labels: {app: orders}}
            spec:
              containers:
                - name: orders
                  ports: [{name: grpc, containerPort: 50051}]
      `,
      'cmd/client/main.go':
        'package main\n\nimport "google.golang.org/grpc"\n\nfunc main() {\n\tconn, _ := grpc.NewClient("orders.shop:50051")\n\t_ = conn\n}\n',
      'broken.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: x\n',
    });
    projects.push(p);
    const r = kubeconn(p.dir, ['check', '--format', 'sarif']);
    assert.equal(r.stderr, '');
    const sarif = JSON.parse(r.stdout) as Sarif;
    const ok = validate(sarif);
    assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const run = sarif.runs[0]!;
    assert.equal(sarif.version, '2.1.0');
    assert.equal(run.tool.driver.name, 'kubeconn');
    assert.match(run.tool.driver.version, /^\d+\.\d+\.\d+/);
    assert.equal(run.tool.driver.rules.length, allRules.length);
    const rule = run.tool.driver.rules.find((x) => x.id === 'kubeconn/prestop-sleep')!;
    assert.match(rule.helpUri, /docs\/rules\/prestop-sleep\.md$/);
    assert.match(rule.help.markdown, /\[Documentation: prestop-sleep\]/);
    // Relative URIs only: nothing of this machine's paths.
    assert.ok(!r.stdout.includes(p.dir), 'no absolute path in the SARIF');
    const uris = new Set(run.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri));
    assert.deepEqual([...uris].sort(), ['cmd/client/main.go', 'k8s/orders.yaml']);
    for (const result of run.results) assert.equal(run.tool.driver.rules[result.ruleIndex]!.id, result.ruleId);
    const imbalance = run.results.find((x) => x.ruleId === 'kubeconn/grpc-clusterip-imbalance')!;
    assert.ok(
      imbalance.relatedLocations?.some((l) => l.physicalLocation.artifactLocation.uri === 'cmd/client/main.go'),
      'the dial site is a related location',
    );
    const prestop = run.results.find((x) => x.ruleId === 'kubeconn/prestop-sleep')!;
    const replacement = prestop.fixes![0]!.artifactChanges[0]!.replacements[0]!;
    assert.match(replacement.insertedContent.text, /preStop:/);
    assert.ok(replacement.deletedRegion.startLine! > 0);
    assert.match(run.invocations[0]!.toolExecutionNotifications[0]!.message.text, /YAML syntax error/);
  });
});
