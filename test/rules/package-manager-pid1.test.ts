import rule from '../../rules/package-manager-pid1.js';
import { runRuleTests, yaml } from '../helpers/rule-tester.js';

const pkg = (scripts: Record<string, string>): string => `${JSON.stringify({ name: 'catalog', version: '1.0.0', scripts }, null, 2)}\n`;

runRuleTests(rule, {
  valid: [
    { name: 'node directly', files: { 'catalog/Dockerfile': 'FROM node:20\nCMD ["node", "server.js"]\n' } },
    {
      name: 'npm in a build stage only',
      files: {
        'catalog/Dockerfile':
          'FROM node:20 AS build\nRUN npm ci\nCMD ["npm", "test"]\nFROM node:20-slim\nCOPY --from=build /app /app\nCMD ["node", "/app/server.js"]\n',
      },
    },
    {
      name: 'npm run migrate before exec node',
      files: { 'catalog/Dockerfile': 'FROM node:20\nCMD npm run migrate && exec node server.js\n' },
    },
  ],
  // Findings that are only info (the app drains) are still findings: they are pinned as invalid cases below.
  invalid: [
    {
      name: "CMD npm start on node:20: npm waits, but Debian's dash forks the script (measured: runtime-package-managers.md npm-dash)",
      files: {
        'catalog/Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["npm", "start"]\n',
        'catalog/package.json': pkg({ start: 'node dist/server.js' }),
      },
      errors: [
        {
          messageId: 'shellForks',
          line: 4,
          column: 6,
          endLine: 4,
          endColumn: 11,
          severity: 'error',
          message:
            "'npm start' runs the app under npm and Debian's dash, which does not exec it. npm forwards SIGTERM to the shell and waits, but Debian's dash forks even a lone `-c` command; the shell dies, npm exits and the kernel kills the app mid-drain.",
        },
      ],
      output: { 'catalog/Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "dist/server.js"]\n' },
    },
    {
      name: 'prestart hook: only a suggestion',
      files: {
        'catalog/Dockerfile': 'FROM node:20\nCMD ["npm", "run", "start"]\n',
        'catalog/package.json': pkg({ prestart: 'node migrate.js', start: 'node server.js' }),
      },
      errors: [
        {
          messageId: 'shellForks',
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
      errors: [{ messageId: 'exitsAtOnce', line: 4, column: 6, endLine: 4, endColumn: 12, severity: 'error' }],
      output: null,
    },
    {
      name: 'npm on Alpine: busybox ash execs the script, the app drains (measured: npm-busybox): info, no fix',
      files: {
        'catalog/Dockerfile': 'FROM node:20-alpine\nCMD ["npm", "start"]\n',
        'catalog/package.json': pkg({ start: 'node server.js' }),
      },
      errors: [
        {
          messageId: 'forwards',
          line: 2,
          column: 6,
          endLine: 2,
          endColumn: 11,
          severity: 'info',
          suggestions: [{ messageId: 'useNode', output: { 'catalog/Dockerfile': 'FROM node:20-alpine\nCMD ["node", "server.js"]\n' } }],
        },
      ],
      output: null,
    },
    {
      name: "npm on Alpine, but the script pipes the app: a pipeline cannot be exec'd",
      files: {
        'catalog/Dockerfile': 'FROM node:20-alpine\nCMD ["npm", "start"]\n',
        'catalog/package.json': pkg({ start: 'node server.js | pino-pretty' }),
      },
      errors: [{ messageId: 'shellForks', line: 2, column: 6, endLine: 2, endColumn: 11, severity: 'error' }],
      output: null,
    },
    {
      name: 'pnpm on a UBI image (/bin/sh is bash, which execs a lone command; measured: pnpm10-bash)',
      files: {
        'catalog/Dockerfile': 'FROM registry.access.redhat.com/ubi9/nodejs-20\nCMD ["pnpm", "start"]\n',
        'catalog/package.json': pkg({ start: 'node server.js' }),
      },
      errors: [{ messageId: 'forwards', line: 2, column: 6, endLine: 2, endColumn: 12, severity: 'info' }],
    },
    {
      name: 'yarn with corepack packageManager yarn@4: its own shell spawns node and waits (measured: yarn4): info',
      files: {
        'catalog/Dockerfile': 'FROM node:20\nRUN corepack enable\nCMD ["yarn", "start"]\n',
        'catalog/package.json': `${JSON.stringify({ name: 'catalog', packageManager: 'yarn@4.1.0', scripts: { start: 'node server.js' } })}\n`,
      },
      errors: [{ messageId: 'forwards', line: 3, column: 6, endLine: 3, endColumn: 12, severity: 'info' }],
    },
    {
      name: 'yarn 1 on Alpine: cut whatever the shell (measured: yarn1-busybox)',
      files: {
        'catalog/Dockerfile': 'FROM node:20-alpine\nCMD ["yarn", "start"]\n',
        'catalog/package.json': pkg({ start: 'node server.js' }),
      },
      errors: [{ messageId: 'exitsAtOnce', line: 2, column: 6, endLine: 2, endColumn: 12, severity: 'error' }],
      output: { 'catalog/Dockerfile': 'FROM node:20-alpine\nCMD ["node", "server.js"]\n' },
    },
    {
      name: 'npm on an unknown base image: depends on its /bin/sh, a warning',
      files: {
        'catalog/Dockerfile': 'FROM registry.example.com/node-base:1\nCMD ["npm", "start"]\n',
        'catalog/package.json': pkg({ start: 'node server.js' }),
      },
      errors: [{ messageId: 'unknownShell', line: 2, column: 6, endLine: 2, endColumn: 11, severity: 'warning' }],
      output: { 'catalog/Dockerfile': 'FROM registry.example.com/node-base:1\nCMD ["node", "server.js"]\n' },
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
      errors: [{ messageId: 'shellForks', line: 10, column: 21, endLine: 10, endColumn: 26, severity: 'error' }],
      output: null,
    },
  ],
});
