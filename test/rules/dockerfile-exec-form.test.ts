import rule from '../../rules/dockerfile-exec-form.js';
import { runRuleTests } from '../helpers/rule-tester.js';

runRuleTests(rule, {
  valid: [
    { name: 'exec form', files: { Dockerfile: 'FROM node:20\nCMD ["node", "server.js"]\n' } },
    { name: 'shell form that execs the app', files: { Dockerfile: 'FROM debian:12\nCMD exec java -jar app.jar\n' } },
    { name: 'busybox ash (Alpine) execs the last command of -c (measured)', files: { Dockerfile: 'FROM alpine:3.20\nCMD echo starting; ./server\n' } },
    { name: 'SHELL bash execs a lone command (measured)', files: { Dockerfile: 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nCMD node server.js\n' } },
    { name: 'only the final stage counts', files: { Dockerfile: 'FROM debian:12 AS build\nCMD node build.js\nFROM gcr.io/distroless/nodejs20\nCMD ["server.js"]\n' } },
    { name: 'ENTRYPOINT resets an inherited CMD', files: { Dockerfile: 'FROM debian:12 AS base\nCMD node server.js\nFROM base\nENTRYPOINT ["/app/server"]\n' } },
    { name: 'a Dockerfile without FROM is not analysed', files: { Dockerfile: 'CMD node server.js\n' } },
  ],
  invalid: [
    {
      name: 'shell form on a Debian base: dash forks even a lone command (measured)',
      files: { Dockerfile: 'FROM debian:12\nCMD node server.js\n' },
      errors: [{ messageId: 'shellForm', line: 2, column: 1, endLine: 2, endColumn: 19, severity: 'error' }],
      output: { Dockerfile: 'FROM debian:12\nCMD ["node", "server.js"]\n' },
    },
    {
      name: 'a command list: exec goes before the app',
      files: { Dockerfile: 'FROM node:20\nWORKDIR /app\nCMD ./migrate.sh && node server.js\n' },
      errors: [{ messageId: 'shellForm', line: 3, column: 1, endLine: 3, endColumn: 35 }],
      output: { Dockerfile: 'FROM node:20\nWORKDIR /app\nCMD ./migrate.sh && exec node server.js\n' },
    },
    {
      name: 'unknown base image: depends on its /bin/sh, a warning',
      files: { Dockerfile: 'FROM registry.example.com/base:1\nCMD ./server --port 8080\n' },
      errors: [{ messageId: 'shellForm', line: 2, column: 1, endLine: 2, endColumn: 25, severity: 'warning' }],
      output: { Dockerfile: 'FROM registry.example.com/base:1\nCMD ["./server", "--port", "8080"]\n' },
    },
    {
      name: 'SHELL bash does not save a command that is not last',
      files: { Dockerfile: 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nCMD node server.js; echo done\n' },
      errors: [{ messageId: 'shellForm', line: 3, column: 1, endLine: 3, endColumn: 30, severity: 'error' }],
      output: null,
    },
    {
      name: 'exec form that wraps sh -c',
      files: { Dockerfile: 'FROM debian:12\nENTRYPOINT ["/bin/sh", "-c", "echo start; java -jar /app.jar"]\n' },
      errors: [{ messageId: 'shellWrapper', line: 2, column: 1, endLine: 2, endColumn: 63 }],
      output: { Dockerfile: 'FROM debian:12\nENTRYPOINT ["/bin/sh", "-c", "echo start; exec java -jar /app.jar"]\n' },
    },
    {
      name: 'shell-form ENTRYPOINT with a CMD keeps ignoring CMD: exec, not JSON',
      files: { Dockerfile: 'FROM debian:12\nENTRYPOINT java -jar app.jar\nCMD ["--port", "80"]\n' },
      errors: [{ messageId: 'shellForm', line: 2, column: 1, endLine: 2, endColumn: 29 }],
      output: { Dockerfile: 'FROM debian:12\nENTRYPOINT exec java -jar app.jar\nCMD ["--port", "80"]\n' },
    },
    {
      name: 'CRLF and a line continuation',
      files: { Dockerfile: 'FROM debian:12\r\nCMD node \\\r\n  server.js\r\n' },
      errors: [{ messageId: 'shellForm', line: 2, column: 1, endLine: 3, endColumn: 12 }],
      output: { Dockerfile: 'FROM debian:12\r\nCMD ["node", "server.js"]\r\n' },
    },
    {
      name: 'ARG-substituted base image and --platform',
      files: { Dockerfile: 'ARG BASE=debian:12\nFROM --platform=$BUILDPLATFORM ${BASE} AS run\nCMD node server.js | tee /log\n' },
      errors: [{ messageId: 'shellForm', line: 3, column: 1, endLine: 3, endColumn: 30, severity: 'error' }],
      output: null,
    },
    {
      name: 'inherited from an earlier stage: reported where it is written',
      files: { 'app.Dockerfile': 'FROM ubuntu:24.04 AS base\nCMD python3 app.py\nFROM base\nRUN true\n' },
      errors: [{ messageId: 'shellForm', line: 2, column: 1, endLine: 2, endColumn: 19 }],
      output: { 'app.Dockerfile': 'FROM ubuntu:24.04 AS base\nCMD ["python3", "app.py"]\nFROM base\nRUN true\n' },
    },
  ],
});
