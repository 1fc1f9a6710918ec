// keepalive-idle-timeout: backends from code (Node, Express, Fastify, Go, Kestrel), command lines (gunicorn,
// uvicorn) and config files, against fronts (ingress-nginx with and without its ConfigMap, ALB, GCE, ELB, an
// Istio sidecar), with exact positions and fix outputs.
import rule from '../../rules/keepalive-idle-timeout.js';
import { code, runRuleTests } from '../helpers/rule-tester.js';
import { spanOf } from './grpc-k8s.js';

/** `file:line:column` of a needle, as related locations are written. */
function place(file: string, text: string, needle: string, nth = 0): string {
  const { line, column } = spanOf(text, needle, nth);
  return `${file}:${line}:${column}`;
}
import { configMap, ingress, web } from './servers-k8s.js';

const nodeDockerfile = 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n';
const chained = code`
  const http = require('node:http');

  http.createServer((req, res) => res.end('ok')).listen(8080);
`;
const express = code`
  const express = require('express');
  const app = express();
  const server = app.listen(8080);
`;
const assigned = code`
  const http = require('node:http');
  const server = http.createServer(handler);
  server.keepAliveTimeout = 30000;
  server.listen(8080);
`;
const goServer = code`
  package main

  import (
  	"net/http"
  	"time"
  )

  func main() {
  	srv := &http.Server{Addr: ":8080", ReadTimeout: 5 * time.Second}
  	srv.ListenAndServe()
  }
`;
const kestrel = 'var builder = WebApplication.CreateBuilder(args);\nvar app = builder.Build();\napp.Run();\n';
const nginx = ingress({ className: 'nginx' });
const alb = (seconds?: number) =>
  ingress({
    className: 'alb',
    annotations: seconds ? { 'alb.ingress.kubernetes.io/load-balancer-attributes': `idle_timeout.timeout_seconds=${seconds}` } : undefined,
  });

runRuleTests(rule, {
  valid: [
    {
      name: 'Node keepAliveTimeout 65 s behind ingress-nginx (60 s)',
      files: {
        'k8s/web.yaml': `${web()}---\n${nginx}`,
        'web/Dockerfile': nodeDockerfile,
        'web/server.js': assigned.replace('30000', '65000'),
      },
    },
    {
      name: 'no front: reached only through a ClusterIP Service',
      files: { 'k8s/web.yaml': web(), 'web/Dockerfile': nodeDockerfile, 'web/server.js': chained },
    },
    {
      name: "gunicorn's sync worker does not keep connections alive",
      files: { 'k8s/web.yaml': `${web({ args: '["gunicorn", "-b", ":8080", "app:app"]' })}---\n${alb()}` },
    },
    {
      name: 'Go http.Server without ReadTimeout or IdleTimeout never closes idle connections',
      files: { 'k8s/web.yaml': `${web()}---\n${alb()}`, 'web/main.go': goServer.replace(', ReadTimeout: 5 * time.Second', '') },
    },
    {
      name: "Fastify's default (72 s) outlasts ingress-nginx's 60 s",
      files: {
        'k8s/web.yaml': `${web()}---\n${nginx}`,
        'web/Dockerfile': nodeDockerfile,
        'web/server.js': "const fastify = require('fastify')({ logger: true });\nfastify.listen({ port: 8080 });\n",
      },
    },
    {
      name: 'ingress-nginx with upstream keep-alive turned off',
      files: {
        'k8s/web.yaml': `${web()}---\n${nginx}---\n${configMap('ingress-nginx-controller', { 'upstream-keepalive-connections': '0' })}`,
        'web/Dockerfile': nodeDockerfile,
        'web/server.js': chained,
      },
    },
    {
      name: 'Linkerd sidecar: the Ingress talks to the proxy, not to the app',
      files: {
        'k8s/web.yaml': `${web({ annotations: { 'linkerd.io/inject': 'enabled' } })}---\n${nginx}`,
        'web/Dockerfile': nodeDockerfile,
        'web/server.js': chained,
      },
    },
    {
      name: "NGINX Inc's controller (nginx.org annotations) pools no upstream connections by default",
      files: {
        'k8s/web.yaml': `${web()}---\n${ingress({ className: 'nginx', annotations: { 'nginx.org/proxy-read-timeout': '60s' } })}`,
        'web/Dockerfile': nodeDockerfile,
        'web/server.js': chained,
      },
    },
    {
      name: 'Node 26 defaults to 65 s',
      files: {
        'k8s/web.yaml': `${web()}---\n${nginx}`,
        'web/Dockerfile': nodeDockerfile.replace('20-slim', '26-slim'),
        'web/server.js': chained,
      },
    },
  ],
  invalid: [
    {
      name: "Node's default 5 s behind ingress-nginx: the options go into createServer (Node 20)",
      files: { 'web/server.js': chained, 'k8s/web.yaml': `${web()}---\n${nginx}`, 'web/Dockerfile': nodeDockerfile },
      errors: [
        {
          messageId: 'inverted',
          ...spanOf(chained, "http.createServer((req, res) => res.end('ok'))"),
          related: [place('k8s/web.yaml', `${web()}---\n${nginx}`, 'web\nspec:\n  ingressClassName')],
          message:
            "Keep-alive idle timeout of 5s is not above the 60s of ingress-nginx (Ingress 'web'): intermittent 502s. Node server (http.createServer) of Deployment 'web' closes idle connections after 5s (Node's default before v26), while the front reuses them for up to 60s: it sends a request on a connection the server is closing and gets a reset (ECONNRESET, a 502 to the client).",
        },
      ],
      output: {
        'web/server.js': chained.replace('createServer((req', 'createServer({ keepAliveTimeout: 65000, headersTimeout: 66000 }, (req'),
      },
    },
    {
      name: 'Express behind an ALB with a 120 s idle timeout: statements after the server',
      files: { 'web/server.js': express, 'k8s/web.yaml': `${web()}---\n${alb(120)}` },
      errors: [
        {
          messageId: 'inverted',
          ...spanOf(express, 'app.listen(8080)'),
          related: [place('k8s/web.yaml', `${web()}---\n${alb(120)}`, '"idle_timeout')],
        },
      ],
      output: {
        'web/server.js': express.replace(
          'app.listen(8080);',
          'app.listen(8080);\nserver.keepAliveTimeout = 125000;\nserver.headersTimeout = 126000;',
        ),
      },
    },
    {
      name: 'an assigned keepAliveTimeout below the controller ConfigMap’s 75 s',
      files: {
        'web/server.js': assigned,
        'k8s/web.yaml': `${web()}---\n${nginx}---\n${configMap('ingress-nginx-controller', { 'upstream-keepalive-timeout': '75' })}`,
        'web/Dockerfile': nodeDockerfile,
      },
      errors: [{ messageId: 'inverted', ...spanOf(assigned, '30000') }],
      output: {
        'web/server.js': assigned.replace(
          'server.keepAliveTimeout = 30000;',
          'server.keepAliveTimeout = 80000;\nserver.headersTimeout = 81000;',
        ),
      },
    },
    {
      name: 'keepAliveTimeout in createServer options: headersTimeout goes next to it',
      files: {
        'web/server.js': "const http = require('http');\nconst server = http.createServer({ keepAliveTimeout: 5000 }, app);\n",
        'k8s/web.yaml': `${web()}---\n${nginx}`,
      },
      errors: [{ messageId: 'inverted', line: 2, column: 54, endLine: 2, endColumn: 58 }],
      output: {
        'web/server.js':
          "const http = require('http');\nconst server = http.createServer({ keepAliveTimeout: 65000, headersTimeout: 66000 }, app);\n",
      },
    },
    {
      name: 'gunicorn gthread with the default --keep-alive (2 s) behind an ALB',
      files: { 'k8s/web.yaml': `${web({ command: '["gunicorn", "-k", "gthread", "-b", ":8080", "app:app"]' })}---\n${alb()}` },
      errors: [
        { messageId: 'inverted', ...spanOf(web({ command: '["gunicorn", "-k", "gthread", "-b", ":8080", "app:app"]' }), '"gunicorn"') },
      ],
      output: {
        'k8s/web.yaml': `${web({ command: '["gunicorn", "--keep-alive", "65", "-k", "gthread", "-b", ":8080", "app:app"]' })}---\n${alb()}`,
      },
    },
    {
      name: 'gunicorn --keep-alive 5 with threads in the Dockerfile CMD',
      files: {
        'k8s/web.yaml': `${web()}---\n${alb(90)}`,
        'web/Dockerfile': 'FROM python:3.12-slim\nCMD ["gunicorn", "--threads", "4", "--keep-alive", "5", "app:app"]\n',
      },
      errors: [{ messageId: 'inverted', file: 'web/Dockerfile', line: 2, column: 53, endLine: 2, endColumn: 54 }],
      output: { 'web/Dockerfile': 'FROM python:3.12-slim\nCMD ["gunicorn", "--threads", "4", "--keep-alive", "95", "app:app"]\n' },
    },
    {
      name: 'uvicorn in shell form behind a GCE Ingress (600 s)',
      files: {
        'k8s/web.yaml': `${web()}---\n${ingress({ className: 'gce' })}`,
        'web/Dockerfile': 'FROM python:3.12-alpine\nCMD uvicorn main:app --host 0.0.0.0 --port 8080\n',
      },
      errors: [{ messageId: 'inverted', file: 'web/Dockerfile', line: 2, column: 5, endLine: 2, endColumn: 12 }],
      output: { 'web/Dockerfile': 'FROM python:3.12-alpine\nCMD uvicorn --timeout-keep-alive 605 main:app --host 0.0.0.0 --port 8080\n' },
    },
    {
      name: "Go's ReadTimeout bounds idle connections behind a classic ELB speaking HTTP",
      files: {
        'web/main.go': goServer,
        'k8s/web.yaml': web({
          serviceType: 'LoadBalancer',
          serviceAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-backend-protocol': 'http' },
        }),
      },
      errors: [{ messageId: 'inverted', ...spanOf(goServer, '5 * time.Second') }],
      output: {
        'web/main.go': goServer.replace('ReadTimeout: 5 * time.Second}', 'ReadTimeout: 5 * time.Second, IdleTimeout: 65 * time.Second}'),
      },
    },
    {
      name: "Kestrel's 130 s behind an Istio sidecar's 1 h pool (no fix without a written setting)",
      files: { 'web/Program.cs': kestrel, 'k8s/web.yaml': web({ annotations: { 'sidecar.istio.io/inject': 'true' } }) },
      errors: [
        {
          messageId: 'inverted',
          ...spanOf(kestrel, 'WebApplication.CreateBuilder(args)'),
          related: [place('k8s/web.yaml', web({ annotations: { 'sidecar.istio.io/inject': 'true' } }), '"true"')],
        },
      ],
      output: null,
    },
  ],
});
