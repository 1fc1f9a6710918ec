// Images and build contexts in a monorepo written for the test: Dockerfiles named Dockerfile-<service> under
// build/, built from the repository root (declared in a GitHub workflow for one, inferred from the COPY
// sources for the other), a docker-bake target, and a Makefile's `docker build -f … -t … .`. Each code file is
// linked to the container whose image copies it, and to no other.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createWorkspace, initKubeconn, type AnalysisResult } from '../../src/api.js';
import { yaml } from '../helpers/rule-tester.js';

const deployment = (name: string, image: string) => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: ${name}}
  spec:
    template:
      metadata: {labels: {app: ${name}}}
      spec:
        containers:
          - name: ${name}
            image: ${image}
`;

const FILES: Record<string, string> = {
  '/mono/deploy/api.yaml': deployment('api', 'ghcr.io/acme/api:1.4'),
  '/mono/deploy/worker.yaml': deployment('worker', 'ghcr.io/acme/worker:1.4'),
  '/mono/deploy/billing.yaml': deployment('billing', 'acme/billing:2'),
  '/mono/deploy/search.yaml': deployment('search', 'registry.local/search:dev'),
  '/mono/build/Dockerfile-api':
    'FROM golang:1.23 AS build\nWORKDIR /src\nCOPY services/api ./api\nRUN go build -o /out/api ./api\nFROM gcr.io/distroless/static\nCOPY --from=build /out/api /api\nENTRYPOINT ["/api"]\n',
  '/mono/build/Dockerfile_worker': 'FROM python:3.12-slim\nWORKDIR /app\nCOPY services/worker/ /app/\nCMD ["python", "main.py"]\n',
  '/mono/services/api/main.go': 'package main\n\nimport "google.golang.org/grpc"\n\nfunc main() { grpc.NewClient("billing:50051") }\n',
  '/mono/services/worker/main.py': 'import grpc\nchannel = grpc.insecure_channel("search:50051")\n',
  '/mono/services/billing/server.js': "const grpc = require('@grpc/grpc-js');\nconst server = new grpc.Server();\n",
  '/mono/services/billing/billing.Dockerfile': 'FROM node:20-slim\nCOPY . /app\nCMD ["node", "/app/server.js"]\n',
  '/mono/services/search/Dockerfile': 'FROM python:3.12-slim\nCOPY app.py /app.py\nCMD ["python", "/app.py"]\n',
  '/mono/services/search/app.py': 'import grpc\nserver = grpc.server(None)\n',
  '/mono/.github/workflows/release.yml': yaml`
    on: push
    jobs:
      api:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          - uses: docker/build-push-action@v6
            with:
              context: .
              file: build/Dockerfile-api
              tags: ghcr.io/acme/api:\${{ github.sha }}
  `,
  '/mono/docker-bake.hcl':
    'target "billing" {\n  context = "services/billing"\n  dockerfile = "billing.Dockerfile"\n  tags = ["acme/billing:2"]\n}\n',
  '/mono/Makefile': 'worker:\n\tdocker build -f build/Dockerfile_worker -t ghcr.io/acme/worker:$(VERSION) .\n',
};

describe('build contexts in a monorepo', () => {
  let result: AnalysisResult;
  before(async () => {
    await initKubeconn();
    const ws = createWorkspace();
    for (const [file, text] of Object.entries(FILES)) ws.setFile(file, text);
    result = ws.analyze();
  });

  const builtBy = (workload: string) => {
    const w = result.model.workloads.find((x) => x.name === workload)!;
    return result.model.images
      .dockerfilesForContainer(w.containers[0]!)
      .map((l) => `${l.dockerfile.replace('/mono/', '')} via ${l.via} in ${l.context.replace('/mono', '') || '/'}`);
  };

  it('links images to Dockerfiles from workflows, bake files and Makefiles, with their build contexts', () => {
    assert.deepEqual(builtBy('api'), ['build/Dockerfile-api via workflow in /']);
    assert.deepEqual(builtBy('worker'), ['build/Dockerfile_worker via make in /']);
    assert.deepEqual(builtBy('billing'), ['services/billing/billing.Dockerfile via bake in /services/billing']);
    assert.deepEqual(builtBy('search'), ['services/search/Dockerfile via folder in /services/search']);
  });

  it('links each code file to the container whose image copies it, and to no other', () => {
    const runners = (file: string) =>
      result.model.images
        .containersForSourceFile(`/mono/${file}`)
        .map((c) => c.workload.name)
        .sort();
    assert.deepEqual(runners('services/api/main.go'), ['api']);
    assert.deepEqual(runners('services/worker/main.py'), ['worker']);
    assert.deepEqual(runners('services/billing/server.js'), ['billing']);
    assert.deepEqual(runners('services/search/app.py'), ['search']);
  });

  it('infers a repository-root context from COPY sources when nothing declares it', () => {
    const ws = createWorkspace();
    const files = { ...FILES };
    delete files['/mono/.github/workflows/release.yml'];
    for (const [file, text] of Object.entries(files)) ws.setFile(file, text);
    const r = ws.analyze();
    assert.equal(r.model.images.buildContextOf('/mono/build/Dockerfile-api'), '/mono');
    assert.deepEqual(
      r.model.images.containersForSourceFile('/mono/services/api/main.go').map((c) => c.workload.name),
      ['api'],
    );
  });
});
