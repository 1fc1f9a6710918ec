import rule from '../../rules/package-manager-pid1.js';
import { runRuleTests, yaml } from '../helpers/rule-tester.js';

const pkg = (scripts: Record<string, string>): string => `${JSON.stringify({ name: 'catalog', version: '1.0.0', scripts }, null, 2)}\n`;

runRuleTests(rule, {
  valid: [
    { name: 'node directly', files: { 'catalog/Dockerfile': 'FROM node:20\nCMD ["node", "server.js"]\n' } },
    { name: 'npm in a build stage only', files: { 'catalog/Dockerfile': 'FROM node:20 AS build\nRUN npm ci\nCMD ["npm", "test"]\nFROM node:20-slim\nCOPY --from=build /app /app\nCMD ["node", "/app/server.js"]\n' } },
    { name: 'npm run migrate before exec node', files: { 'catalog/Dockerfile': 'FROM node:20\nCMD npm run migrate && exec node server.js\n' } },
  ],
  invalid: [
    {
      name: 'CMD npm start: replaced by scripts.start (measured: npm exits at once on SIGTERM)',
      files: { 'catalog/Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["npm", "start"]\n', 'catalog/package.json': pkg({ start: 'node dist/server.js' }) },
      errors: [{ messageId: 'packageManager', line: 4, column: 6, endLine: 4, endColumn: 11 }],
      output: { 'catalog/Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "dist/server.js"]\n' },
    },
    {
      name: 'prestart hook: only a suggestion',
      files: { 'catalog/Dockerfile': 'FROM node:20\nCMD ["npm", "run", "start"]\n', 'catalog/package.json': pkg({ prestart: 'node migrate.js', start: 'node server.js' }) },
      errors: [
        {
          messageId: 'packageManager',
          line: 2,
          column: 6,
          endLine: 2,
          endColumn: 11,
          suggestions: [{ messageId: 'useNode', output: { 'catalog/Dockerfile': 'FROM node:20\nCMD ["node", "server.js"]\n' } }],
        },
      ],
      output: null,
    },
    {
      name: 'exec "$@" in the entrypoint script hands PID 1 to yarn',
      files: {
        'catalog/Dockerfile': 'FROM node:20-alpine\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["yarn", "start"]\n',
        'catalog/entrypoint.sh': '#!/bin/sh\nset -e\nexec "$@"\n',
        'catalog/package.json': pkg({ start: 'ts-node src/main.ts' }),
      },
      errors: [{ messageId: 'packageManager', line: 4, column: 6, endLine: 4, endColumn: 12 }],
      output: null,
    },
    {
      name: 'a pod command running npm',
      files: {
        'k8s/catalog.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: catalog}
          spec:
            template:
              spec:
                containers:
                  - name: catalog
                    image: node:20
                    command: ["npm", "start"]
        `,
      },
      errors: [{ messageId: 'packageManager', line: 10, column: 21, endLine: 10, endColumn: 26 }],
      output: null,
    },
  ],
});
