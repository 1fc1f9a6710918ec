import rule from '../../rules/entrypoint-script-exec.js';
import { runRuleTests, yaml } from '../helpers/rule-tester.js';

const dockerfile =
  'FROM debian:12\nCOPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["node", "server.js"]\n';

runRuleTests(rule, {
  valid: [
    {
      name: 'exec "$@"',
      files: { 'svc/Dockerfile': dockerfile, 'svc/docker-entrypoint.sh': '#!/bin/sh\nset -e\nchown -R app /data\nexec "$@"\n' },
    },
    {
      name: 'exec gosu in a function called from an if (postgres style)',
      files: {
        'svc/Dockerfile': dockerfile,
        'svc/docker-entrypoint.sh':
          '#!/usr/bin/env bash\n_main() {\n  if [ "$(id -u)" = 0 ]; then\n    exec gosu app "$0" "$@"\n  fi\n  exec "$@"\n}\nif ! _is_sourced; then\n  _main "$@"\nfi\n',
      },
    },
    {
      name: 'background + wait with a TERM trap that forwards and waits (measured)',
      files: {
        'svc/Dockerfile': dockerfile,
        'svc/docker-entrypoint.sh':
          '#!/bin/sh\ntrap \'kill -TERM "$child"; wait "$child"\' TERM\nnode server.js &\nchild=$!\nwait "$child"\n',
      },
    },
    { name: 'a script no Dockerfile runs is not judged', files: { 'tools/build.sh': '#!/bin/sh\nmake all\n' } },
    {
      name: 'app & in a restart loop under a forwarding TERM trap, wait inside the loop (facts §4)',
      files: {
        'svc/Dockerfile': dockerfile,
        'svc/docker-entrypoint.sh':
          '#!/bin/sh\n_term() { kill -TERM "$child" 2>/dev/null; }\ntrap _term TERM\nwhile true; do\n  node server.js &\n  child=$!\n  wait "$child"\n  [ -f /tmp/stop ] && break\ndone\n',
      },
    },
    {
      name: 'app & and wait inside an if branch, with a trap that forwards and waits',
      files: {
        'svc/Dockerfile': dockerfile,
        'svc/docker-entrypoint.sh':
          '#!/bin/sh\ntrap \'kill -TERM "$pid"; wait "$pid"\' TERM\nif [ -z "$SKIP" ]; then\n  node server.js &\n  pid=$!\n  wait "$pid"\nfi\n',
      },
    },
    {
      name: 'COPY heredoc that execs',
      files: {
        Dockerfile: 'FROM debian:12\nCOPY <<EOF /entrypoint.sh\n#!/bin/sh\nexec node server.js\nEOF\nENTRYPOINT ["/entrypoint.sh"]\n',
      },
    },
  ],
  invalid: [
    {
      name: "a final pipeline: cannot be exec'd",
      files: { 'svc/Dockerfile': dockerfile, 'svc/docker-entrypoint.sh': '#!/bin/sh\nset -e\nnode server.js | tee /var/log/app.log\n' },
      errors: [
        {
          file: 'svc/docker-entrypoint.sh',
          messageId: 'notExec',
          line: 3,
          column: 1,
          endLine: 3,
          endColumn: 15,
          message:
            "'node server.js' is not exec'd: it runs as a child of the script's shell. A pipeline cannot be exec'd: the shell stays in front and waits for every part. The shell is PID 1 and has no SIGTERM handler, so the kernel drops the signal. SIGTERM never reaches the app, which is killed mid-request.",
        },
      ],
      output: null,
    },
    {
      name: 'app & in a loop without a trap: the app never gets SIGTERM',
      files: {
        'svc/Dockerfile': dockerfile,
        'svc/docker-entrypoint.sh': '#!/bin/sh\nwhile true; do\n  node server.js &\n  wait $!\n  sleep 1\ndone\n',
      },
      errors: [{ file: 'svc/docker-entrypoint.sh', messageId: 'background', line: 3, column: 3, endLine: 3, endColumn: 17 }],
      output: null,
    },
    {
      name: 'a #!/usr/bin/env bash script (postgres shape) whose last command lost its exec',
      files: {
        'svc/Dockerfile': dockerfile,
        'svc/docker-entrypoint.sh':
          '#!/usr/bin/env bash\n_main() {\n  if [ "$(id -u)" = 0 ]; then\n    exec gosu app "$0" "$@"\n  fi\n  "$@"\n}\nif ! _is_sourced; then\n  _main "$@"\nfi\n',
      },
      errors: [
        {
          file: 'svc/docker-entrypoint.sh',
          messageId: 'notExec',
          line: 6,
          column: 3,
          endLine: 6,
          endColumn: 7,
          related: ['svc/Dockerfile:3:13'],
        },
      ],
      output: {
        'svc/docker-entrypoint.sh':
          '#!/usr/bin/env bash\n_main() {\n  if [ "$(id -u)" = 0 ]; then\n    exec gosu app "$0" "$@"\n  fi\n  exec "$@"\n}\nif ! _is_sourced; then\n  _main "$@"\nfi\n',
      },
    },
    {
      name: 'the script starts the server as its last command without exec',
      files: {
        'svc/Dockerfile': dockerfile,
        'svc/docker-entrypoint.sh': '#!/bin/sh\nset -e\necho "starting"\nnode server.js --port 8080\n',
      },
      errors: [
        {
          file: 'svc/docker-entrypoint.sh',
          messageId: 'notExec',
          line: 4,
          column: 1,
          endLine: 4,
          endColumn: 27,
          related: ['svc/Dockerfile:3:13'],
        },
      ],
      output: { 'svc/docker-entrypoint.sh': '#!/bin/sh\nset -e\necho "starting"\nexec node server.js --port 8080\n' },
    },
    {
      name: 'tini in front does not help (measured): the shell dies, tini exits, the kernel kills the app',
      files: {
        'svc/Dockerfile': 'FROM debian:12\nCOPY run.sh /run.sh\nENTRYPOINT ["tini", "-g", "--", "sh", "/run.sh"]\n',
        'svc/run.sh': '#!/bin/sh\njava -jar /app.jar\n',
      },
      errors: [{ file: 'svc/run.sh', messageId: 'notExec', line: 2, column: 1, endLine: 2, endColumn: 19 }],
      output: { 'svc/run.sh': '#!/bin/sh\nexec java -jar /app.jar\n' },
    },
    {
      name: 'background + wait without a trap (measured)',
      files: { 'svc/Dockerfile': dockerfile, 'svc/docker-entrypoint.sh': '#!/bin/sh\nnode server.js &\nwait\n' },
      errors: [{ file: 'svc/docker-entrypoint.sh', messageId: 'background', line: 2, column: 1, endLine: 2, endColumn: 15 }],
      output: null,
    },
    {
      name: 'a trap that kills but does not wait again (measured)',
      files: {
        'svc/Dockerfile': dockerfile,
        'svc/docker-entrypoint.sh':
          '#!/bin/bash\n_term() { kill -TERM "$child"; }\ntrap _term SIGTERM\nnode server.js &\nchild=$!\nwait "$child"\n',
      },
      errors: [{ file: 'svc/docker-entrypoint.sh', messageId: 'trapNoWait', line: 4, column: 1, endLine: 4, endColumn: 15 }],
      output: null,
    },
    {
      name: 'the app is followed by more commands: no fix',
      files: { 'svc/Dockerfile': dockerfile, 'svc/docker-entrypoint.sh': '#!/bin/sh\nnode server.js\nrm -rf /tmp/cache\n' },
      errors: [{ file: 'svc/docker-entrypoint.sh', messageId: 'notLast', line: 2, column: 1, endLine: 2, endColumn: 15 }],
      output: null,
    },
    {
      name: 'a pod command that runs the script from the image',
      files: {
        'k8s/app.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: api}
          spec:
            template:
              spec:
                containers:
                  - name: api
                    image: ghcr.io/acme/api:1.0
                    command: ["/start.sh"]
        `,
        'api/Dockerfile': 'FROM node:20\nCOPY start.sh /\nCMD ["node", "server.js"]\n',
        'api/start.sh': '#!/bin/sh\nif [ -n "$DEBUG" ]; then\n  node --inspect server.js\nelse\n  exec node server.js\nfi\n',
      },
      errors: [
        { file: 'api/start.sh', messageId: 'notExec', line: 3, column: 3, endLine: 3, endColumn: 27, related: ['k8s/app.yaml:10:21'] },
      ],
      output: { 'api/start.sh': '#!/bin/sh\nif [ -n "$DEBUG" ]; then\n  exec node --inspect server.js\nelse\n  exec node server.js\nfi\n' },
    },
  ],
});
