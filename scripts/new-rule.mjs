#!/usr/bin/env node
// Scaffolds a rule: rules/<id>.ts, test/rules/<id>.test.ts, docs/rules/<id>.md and its registry entry in
// rules/index.ts, then brings the README table, the VS Code setting and the config schema in step
// (scripts/rules-sync.mjs). The scaffold is deliberately incomplete: its invalid test case and its docs
// "Incorrect" example fail until the rule reports something, so an unfinished rule cannot pass `npm test`.
// Usage: npm run new-rule -- <id> --category <balancing|shutdown|signals|keepalive> [--description "Require …"]
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { category: { type: 'string' }, description: { type: 'string' }, 'no-sync': { type: 'boolean' } },
});
const id = positionals[0];
const categories = ['balancing', 'shutdown', 'signals', 'keepalive'];
if (!id || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) fail('give the rule id in kebab-case: npm run new-rule -- <id> --category <category>');
if (!categories.includes(values.category ?? '')) fail(`--category must be one of ${categories.join(', ')}`);
const description = values.description ?? `Require … (describe what ${id} reports, starting with a verb)`;
const files = {
  rule: path.join(root, 'rules', `${id}.ts`),
  test: path.join(root, 'test', 'rules', `${id}.test.ts`),
  docs: path.join(root, 'docs', 'rules', `${id}.md`),
};
for (const file of Object.values(files)) if (existsSync(file)) fail(`${path.relative(root, file)} exists already`);
const camel = id.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());

writeFileSync(
  files.rule,
  `// ${id}: say in a line or two which failure this rule finds and why it happens.
import { defineRule } from '../src/core/rule-api.js';
import { describeWorkload, nameSpan } from './lib/common.js';

export default defineRule({
  id: '${id}',
  meta: {
    type: 'problem',
    category: '${values.category}',
    description: ${JSON.stringify(description)},
    remediation: 'Say in one sentence what the user should do.',
    severity: 'warning',
    messages: {
      found: '{{workload}} …: name the object and the value, then why it breaks.',
    },
  },
  check({ model, report, each }) {
    each(model.workloads, (workload) => {
      // Decide here, from the model, whether \`workload\` has the problem; report on the entity you examine.
      if (workload.name !== workload.name) report({ messageId: 'found', data: { workload: describeWorkload(workload) }, at: nameSpan(workload.object) });
    });
  },
});
`,
);

writeFileSync(
  files.test,
  `// ${id}: valid and invalid workspaces with exact positions (and fix outputs, when the rule has fixes).
import rule from '../../rules/${id}.js';
import { runRuleTests, yaml } from '../helpers/rule-tester.js';

runRuleTests(rule, {
    valid: [
      {
        name: 'a workload without the problem',
        files: {
          'k8s/app.yaml': yaml\`
            apiVersion: v1
            kind: Pod
            metadata: {name: app}
            spec:
              containers: [{name: app, image: app:1}]
          \`,
        },
      },
    ],
    invalid: [
      {
        name: 'a workload with the problem (write it, and the exact position of the finding)',
        files: {
          'k8s/app.yaml': yaml\`
            apiVersion: v1
            kind: Pod
            metadata: {name: app}
            spec:
              containers: [{name: app, image: app:1}]
          \`,
        },
        errors: [{ messageId: 'found', file: 'k8s/app.yaml', line: 3, column: 17, endLine: 3, endColumn: 20 }],
      },
    ],
});
`,
);

writeFileSync(
  files.docs,
  `# kubeconn/${id}

> ${description}

Why it breaks, with sources: what the runtime does, and what the user sees.

## Incorrect

\`\`\`yaml file=k8s/app.yaml
apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  containers: [{name: app, image: app:1}]
\`\`\`

## Correct

\`\`\`yaml file=k8s/app.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: app}
\`\`\`

## Fix

What the fix (or suggestion) edits, and why it is safe.

## Options

The settings that change this rule (kubernetesVersion, preStopSeconds…), or "None".

## Confidence and when it stays quiet

The evidence the rule needs before it reports, and the shapes it deliberately leaves alone.

## When not to use it

When the failure cannot happen in your setup.

## Sources

- Link the upstream documentation or code that states the behaviour.
`,
);

// Registry: import and list the rule after the last rule of its category.
const indexPath = path.join(root, 'rules', 'index.ts');
let index = readFileSync(indexPath, 'utf8');
index = index.replace(/(import [^\n]+ from '\.\/[^']+\.js';\n)(?!import)/, `$1import ${camel} from './${id}.js';\n`);
index = index.replace(/(export const allRules: readonly Rule\[\] = \[\n[\s\S]*?)(\n\];)/, `$1\n  ${camel},$2`);
writeFileSync(indexPath, index);

console.log(
  `new-rule: wrote ${Object.values(files)
    .map((f) => path.relative(root, f))
    .join(', ')} and registered ${id} in rules/index.ts`,
);
if (!values['no-sync']) {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [path.join(root, 'scripts/rules-sync.mjs')], { cwd: root, stdio: 'inherit' });
  console.log('new-rule: README table, the kubeconn.rules setting and the config schema updated. Now make the tests pass.');
}

function fail(message) {
  console.error(`new-rule: ${message}`);
  process.exit(2);
}
