import rule from '../../rules/dockerfile-exec-form.js';
import { runRuleTests } from '../helpers/rule-tester.js';

runRuleTests(rule, {
  valid: [
    { name: 'exec form', files: { Dockerfile: 'FROM node:20\nCMD ["node", "server.js"]\n' } },
    { name: 'shell form that execs the app', files: { Dockerfile: 'FROM debian:12\nCMD exec java -jar app.jar\n' } },
    {
      name: 'busybox ash (Alpine) execs the last command of -c (measured)',
      files: { Dockerfile: 'FROM alpine:3.20\nCMD echo starting; ./server\n' },
    },
    {
      name: 'SHELL bash execs a lone command (measured)',
      files: { Dockerfile: 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nCMD node server.js\n' },
    },
    {
      name: 'only the final stage counts',
      files: { Dockerfile: 'FROM debian:12 AS build\nCMD node build.js\nFROM gcr.io/distroless/nodejs20\nCMD ["server.js"]\n' },
    },
    {
      name: 'ENTRYPOINT resets an inherited CMD',
      files: { Dockerfile: 'FROM debian:12 AS base\nCMD node server.js\nFROM base\nENTRYPOINT ["/app/server"]\n' },
    },
    { name: 'a Dockerfile without FROM is not analysed', files: { Dockerfile: 'CMD node server.js\n' } },
    // docs/evidence/runtime-shells.md (test/evidence/shells-pid1.test.ts): what each shell execs.
    {
      name: 'bash 5.2 (Debian 12) execs the last command of a `;` list (measured: bash52-list)',
      files: { Dockerfile: 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nCMD echo starting; node server.js\n' },
    },
    {
      name: 'bash 4.4 (UBI 8) execs the tail of && (measured: bash44-cd-and)',
      files: { Dockerfile: 'FROM registry.access.redhat.com/ubi8/nodejs-18\nCMD cd /app && node server.js\n' },
    },
    {
      name: 'bash 4.4 (UBI 8) execs a lone command (measured: bash44-lone)',
      files: { Dockerfile: 'FROM registry.access.redhat.com/ubi8/nodejs-18\nCMD node server.js\n' },
    },
    {
      name: 'busybox ash execs a command with a redirection (measured: busybox-2>&1)',
      files: { Dockerfile: 'FROM alpine:3.20\nCMD ./server 2>&1\n' },
    },
    {
      name: 'busybox ash execs inside if … fi (measured: busybox-if)',
      files: { Dockerfile: 'FROM alpine:3.20\nCMD if [ -n "$DEBUG" ]; then ./server -v; else ./server; fi\n' },
    },
    {
      name: 'Alpine `./app ${PORT}`: busybox execs after a parameter expansion (measured: busybox-param)',
      files: { Dockerfile: 'FROM alpine:3.20\nCMD ./app ${PORT}\n' },
    },
    {
      name: "UBI 9 has bash 5.1: the tail of a `;` list is exec'd (measured: bash51-list)",
      files: { Dockerfile: 'FROM registry.access.redhat.com/ubi9/ubi-minimal\nCMD echo starting; ./server\n' },
    },
    {
      name: "azurelinux (not distroless) has bash: a lone command is exec'd",
      files: { Dockerfile: 'FROM mcr.microsoft.com/dotnet/aspnet:8.0-azurelinux3.0\nCMD dotnet app.dll\n' },
    },
  ],
  invalid: [
    {
      name: 'UBI 8 (bash 4.4): the last command of a `;` list is forked (measured: bash44-list, facts A10)',
      files: { Dockerfile: 'FROM registry.access.redhat.com/ubi8/nodejs-18\nCMD echo starting; node server.js\n' },
      errors: [
        {
          messageId: 'shellForm',
          line: 2,
          column: 1,
          endLine: 2,
          endColumn: 34,
          severity: 'error',
          message:
            "CMD in shell form runs 'node server.js' under `/bin/sh -c`, which stays PID 1. Bash 4.4 (RHEL/UBI 8) forks the last command of a `;` list (only bash ≥ 5.1 execs it; `&&` works in every bash). SIGTERM never reaches the app, which is SIGKILLed mid-request at the end of the grace period.",
        },
      ],
      output: { Dockerfile: 'FROM registry.access.redhat.com/ubi8/nodejs-18\nCMD echo starting; exec node server.js\n' },
    },
    {
      name: 'Amazon Linux 2 (bash 4.2) behaves as bash ≤ 5.0',
      files: { Dockerfile: 'FROM amazonlinux:2\nCMD echo starting; ./server\n' },
      errors: [{ messageId: 'shellForm', line: 2, column: 1, endLine: 2, endColumn: 28, severity: 'error' }],
      output: { Dockerfile: 'FROM amazonlinux:2\nCMD echo starting; exec ./server\n' },
    },
    {
      name: 'bash 5.2: a redirection keeps bash as PID 1 (measured: bash52-redirect, facts A11)',
      files: { Dockerfile: 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nCMD node server.js > /var/log/app.log 2>&1\n' },
      errors: [
        {
          messageId: 'shellForm',
          line: 3,
          column: 1,
          endLine: 3,
          endColumn: 43,
          severity: 'error',
          message:
            "CMD in shell form runs 'node server.js > /var/log/app.log 2>&1' under `/bin/bash -c`, which stays PID 1. bash forks a command that has a redirection (>, 2>&1) instead of exec'ing it. SIGTERM never reaches the app, which is SIGKILLed mid-request at the end of the grace period.",
        },
      ],
      output: { Dockerfile: 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nCMD exec node server.js > /var/log/app.log 2>&1\n' },
    },
    {
      name: 'bash 5.2: a { } group keeps bash as PID 1 (measured: bash52-group)',
      files: { Dockerfile: 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nCMD { node server.js; }\n' },
      errors: [{ messageId: 'shellForm', line: 3, column: 1, endLine: 3, endColumn: 24, severity: 'error' }],
      output: { Dockerfile: 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nCMD { exec node server.js; }\n' },
    },
    {
      name: 'busybox ash with a TERM trap set does not exec (measured: busybox-trap, facts A12)',
      files: { Dockerfile: "FROM alpine:3.20\nCMD trap 'echo bye' TERM; ./server\n" },
      errors: [
        {
          messageId: 'shellForm',
          line: 2,
          column: 1,
          endLine: 2,
          endColumn: 35,
          severity: 'error',
          message:
            "CMD in shell form runs './server' under `/bin/sh -c`, which stays PID 1. busybox ash does not exec once a trap is set. SIGTERM never reaches the app, which is SIGKILLed mid-request at the end of the grace period.",
        },
      ],
      output: { Dockerfile: "FROM alpine:3.20\nCMD trap 'echo bye' TERM; exec ./server\n" },
    },
    {
      name: 'bash of an unknown image, `;` list: only bash ≤ 5.0 forks it, an info',
      files: { Dockerfile: 'FROM registry.example.com/base:1\nSHELL ["/bin/bash", "-c"]\nCMD echo starting; ./server\n' },
      errors: [{ messageId: 'shellForm', line: 3, column: 1, endLine: 3, endColumn: 28, severity: 'info' }],
      output: { Dockerfile: 'FROM registry.example.com/base:1\nSHELL ["/bin/bash", "-c"]\nCMD echo starting; exec ./server\n' },
    },
    {
      name: "a pipeline cannot be exec'd, whatever the shell",
      files: { Dockerfile: 'FROM alpine:3.20\nCMD ./server | tee /tmp/log\n' },
      errors: [
        {
          messageId: 'shellForm',
          line: 2,
          column: 1,
          endLine: 2,
          endColumn: 28,
          severity: 'error',
          message:
            "CMD in shell form runs './server' under `/bin/sh -c`, which stays PID 1. A pipeline cannot be exec'd: the shell stays in front and waits for every part. SIGTERM never reaches the app, which is SIGKILLed mid-request at the end of the grace period.",
        },
      ],
      output: null,
    },
    {
      name: 'shell form on a Debian base: dash forks even a lone command (measured)',
      files: { Dockerfile: 'FROM debian:12\nCMD node server.js\n' },
      errors: [
        {
          messageId: 'shellForm',
          line: 2,
          column: 1,
          endLine: 2,
          endColumn: 19,
          severity: 'error',
          message:
            "CMD in shell form runs 'node server.js' under `/bin/sh -c`, which stays PID 1. Debian's dash forks even a lone `-c` command and stays in front (a Debian patch: upstream dash execs it). SIGTERM never reaches the app, which is SIGKILLed mid-request at the end of the grace period.",
        },
      ],
      output: { Dockerfile: 'FROM debian:12\nCMD ["node", "server.js"]\n' },
    },
    {
      name: 'a command list: exec goes before the app',
      files: { Dockerfile: 'FROM node:20\nWORKDIR /app\nCMD ./migrate.sh && node server.js\n' },
      errors: [{ messageId: 'shellForm', line: 3, column: 1, endLine: 3, endColumn: 35 }],
      output: { Dockerfile: 'FROM node:20\nWORKDIR /app\nCMD ./migrate.sh && exec node server.js\n' },
    },
    {
      name: 'unknown base image: depends on its /bin/sh, a warning that says the shell is unknown',
      files: { Dockerfile: 'FROM registry.example.com/base:1\nCMD ./server --port 8080\n' },
      errors: [
        {
          messageId: 'shellForm',
          line: 2,
          column: 1,
          endLine: 2,
          endColumn: 25,
          severity: 'warning',
          message:
            "CMD in shell form runs './server --port 8080' under `/bin/sh -c`, which may stay PID 1. The shell of 'registry.example.com/base:1' is unknown: Debian's dash forks it, bash and busybox ash exec it. Where /bin/sh is dash, SIGTERM never reaches the app, which is SIGKILLed mid-request at the end of the grace period.",
        },
      ],
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
