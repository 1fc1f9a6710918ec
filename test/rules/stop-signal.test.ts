// stop-signal: nginx, Apache httpd and php-fpm as PID 1, with STOPSIGNAL from the Dockerfile chain, from an official
// base image, from the pod (version-gated), or a graceful preStop; exact positions and the STOPSIGNAL fix.
import rule from '../../rules/stop-signal.js';
import { runRuleTests } from '../helpers/rule-tester.js';
import { spanOf } from './grpc-k8s.js';
import { web } from './servers-k8s.js';

const debianNginx = 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y nginx\nCMD ["nginx", "-g", "daemon off;"]\n';
const officialNginx = 'FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/\n';
const withLifecycle = (lifecycle: string, extra = '') =>
  web({ port: 80 })
    .replace(
      '          ports:\n            - containerPort: 80',
      `          ports:\n            - containerPort: 80\n          lifecycle:\n${lifecycle}`,
    )
    .replace('    spec:\n      containers:', `    spec:${extra}\n      containers:`);

runRuleTests(rule, {
  valid: [
    {
      name: 'FROM nginx inherits STOPSIGNAL SIGQUIT',
      files: { 'k8s/web.yaml': web({ port: 80 }), 'web/Dockerfile': `${officialNginx}CMD ["nginx", "-g", "daemon off;"]\n` },
    },
    {
      name: 'a distribution nginx with STOPSIGNAL SIGQUIT',
      files: { 'k8s/web.yaml': web({ port: 80 }), 'web/Dockerfile': debianNginx.replace('CMD', 'STOPSIGNAL SIGQUIT\nCMD') },
    },
    {
      name: 'the official image run with a pod command',
      files: { 'k8s/web.yaml': web({ port: 80, image: 'nginx:1.27', command: '["nginx", "-g", "daemon off;"]' }) },
    },
    {
      name: 'a preStop that quits nginx gracefully',
      files: {
        'k8s/web.yaml': withLifecycle(
          '            preStop:\n              exec:\n                command: ["sh", "-c", "nginx -s quit; sleep 10"]',
        ),
        'web/Dockerfile': debianNginx,
      },
    },
    {
      name: 'a dash shell in front of nginx is the PID-1 rules’ business',
      files: { 'k8s/web.yaml': web({ port: 80 }), 'web/Dockerfile': "FROM debian:12-slim\nCMD nginx -g 'daemon off;'\n" },
    },
    {
      name: 'php-fpm on the official fpm image',
      files: { 'k8s/web.yaml': web({ port: 9000 }), 'web/Dockerfile': 'FROM php:8.3-fpm\nCMD ["php-fpm"]\n' },
    },
    {
      name: 'lifecycle.stopSignal SIGQUIT on Kubernetes 1.33 with spec.os.name',
      files: {
        'k8s/web.yaml': withLifecycle('            stopSignal: SIGQUIT', '\n      os:\n        name: linux'),
        'web/Dockerfile': debianNginx,
      },
      options: { kubernetesVersion: '1.33' },
    },
    {
      name: 'an unknown base image says nothing',
      files: { 'k8s/web.yaml': web({ port: 80 }), 'web/Dockerfile': 'FROM ghcr.io/acme/base:1\nCMD ["nginx", "-g", "daemon off;"]\n' },
    },
  ],
  invalid: [
    {
      name: 'nginx installed on Debian gets SIGTERM: STOPSIGNAL SIGQUIT is appended',
      files: { 'web/Dockerfile': debianNginx, 'k8s/web.yaml': web({ port: 80 }) },
      errors: [
        {
          messageId: 'wrongSignal',
          ...spanOf(debianNginx, '"nginx"'),
          message:
            "nginx in container 'web' gets SIGTERM on stop, a fast shutdown: requests in flight are cut. It drains only on SIGQUIT, and the image (FROM debian:12-slim) sets no STOPSIGNAL; Deployment 'web'.",
        },
      ],
      output: { 'web/Dockerfile': `${debianNginx}STOPSIGNAL SIGQUIT\n` },
    },
    {
      name: 'STOPSIGNAL SIGTERM overrides the official image’s SIGQUIT',
      files: {
        'web/Dockerfile': `${officialNginx}STOPSIGNAL SIGTERM\nCMD ["nginx", "-g", "daemon off;"]`,
        'k8s/web.yaml': web({ port: 80 }),
      },
      errors: [{ messageId: 'wrongSignal', line: 4, column: 6, endLine: 4, endColumn: 13 }],
      output: { 'web/Dockerfile': `${officialNginx}STOPSIGNAL SIGTERM\nCMD ["nginx", "-g", "daemon off;"]\nSTOPSIGNAL SIGQUIT\n` },
    },
    {
      name: 'Apache httpd on Ubuntu drains on SIGWINCH',
      files: { 'web/Dockerfile': 'FROM ubuntu:24.04\nCMD ["apachectl", "-D", "FOREGROUND"]\n', 'k8s/web.yaml': web({ port: 80 }) },
      errors: [{ messageId: 'wrongSignal', line: 2, column: 6, endLine: 2, endColumn: 17 }],
      output: { 'web/Dockerfile': 'FROM ubuntu:24.04\nCMD ["apachectl", "-D", "FOREGROUND"]\nSTOPSIGNAL SIGWINCH\n' },
    },
    {
      name: 'php-fpm on Alpine, run from a final stage built on it',
      files: {
        'web/Dockerfile': 'FROM alpine:3.20 AS app\nCMD ["php-fpm83", "-F"]\n\nFROM app AS debug\nRUN apk add strace\n',
        'k8s/web.yaml': web({ port: 9000 }),
      },
      errors: [{ messageId: 'wrongSignal', line: 2, column: 6, endLine: 2, endColumn: 17 }],
      output: {
        'web/Dockerfile': 'FROM alpine:3.20 AS app\nCMD ["php-fpm83", "-F"]\n\nFROM app AS debug\nRUN apk add strace\nSTOPSIGNAL SIGQUIT\n',
      },
    },
    {
      name: 'lifecycle.stopSignal has no effect before Kubernetes 1.33',
      files: { 'k8s/web.yaml': withLifecycle('            stopSignal: SIGQUIT'), 'web/Dockerfile': debianNginx },
      errors: [
        {
          messageId: 'ignoredStopSignal',
          ...spanOf(withLifecycle('            stopSignal: SIGQUIT'), 'SIGQUIT'),
          related: ['web/Dockerfile:3:6'],
        },
      ],
      output: { 'web/Dockerfile': `${debianNginx}STOPSIGNAL SIGQUIT\n` },
    },
    {
      name: 'lifecycle.stopSignal SIGTERM on 1.33 is replaced',
      files: {
        'k8s/web.yaml': withLifecycle('            stopSignal: SIGTERM', '\n      os:\n        name: linux'),
        'web/Dockerfile': debianNginx,
      },
      options: { kubernetesVersion: '1.33' },
      errors: [
        {
          messageId: 'wrongSignal',
          ...spanOf(withLifecycle('            stopSignal: SIGTERM', '\n      os:\n        name: linux'), 'SIGTERM'),
        },
      ],
      output: { 'k8s/web.yaml': withLifecycle('            stopSignal: SIGQUIT', '\n      os:\n        name: linux') },
    },
  ],
});
