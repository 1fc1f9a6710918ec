// graceful-shutdown and test sources (real-repository trial: dapr's `tests/integration/.../proxy_test.go` starts a
// gRPC server and was taken for the scheduler StatefulSet's server): a `_test.go`, `*.test.ts`, `test_*.py` file is
// built into a test binary, never into the image's program, so it is linked to no container; nor is a Go
// test-double package (`fake/`, `mocks/`, `testutil/`: dapr's `pkg/scheduler/server/fake`).
import rule from '../../rules/graceful-shutdown.js';
import { runRuleTests } from '../helpers/rule-tester.js';
import { spanOf } from './grpc-k8s.js';
import { web } from './servers-k8s.js';

const goGrpc =
  'package main\n\nimport (\n\t"net"\n\n\t"google.golang.org/grpc"\n)\n\nfunc main() {\n\tlis, _ := net.Listen("tcp", ":8080")\n\ts := grpc.NewServer()\n\ts.Serve(lis)\n}\n';
const nodeServer = "const http = require('http');\nconst server = http.createServer(() => {});\nserver.listen(8080);\n";

runRuleTests(rule, {
  valid: [
    {
      name: 'a gRPC server in a Go test file next to the workload code',
      files: { 'k8s/web.yaml': web(), 'web/proxy_test.go': goGrpc.replace('package main', 'package web') },
    },
    {
      name: 'a fake gRPC server in a Go test-double package (pkg/scheduler/server/fake/)',
      files: { 'k8s/web.yaml': web(), 'web/server/fake/fake.go': goGrpc.replace('package main', 'package fake') },
    },
    { name: 'an HTTP server in a TypeScript spec', files: { 'k8s/web.yaml': web(), 'web/server.test.ts': nodeServer } },
    {
      name: 'a Python test module',
      files: {
        'k8s/web.yaml': web(),
        'web/test_server.py':
          'import grpc\nfrom concurrent import futures\n\nserver = grpc.server(futures.ThreadPoolExecutor(max_workers=2))\nserver.add_insecure_port("[::]:8080")\nserver.start()\nserver.wait_for_termination()\n',
      },
    },
  ],
  invalid: [
    {
      name: 'the same server in the program file is still judged',
      files: { 'k8s/web.yaml': web(), 'web/main.go': goGrpc },
      errors: [{ file: 'web/main.go', messageId: 'grpc', ...spanOf(goGrpc, 's.Serve(lis)') }],
    },
  ],
});
