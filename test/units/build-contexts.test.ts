// Images and build contexts in a monorepo written for the test: Dockerfiles named Dockerfile-<service> under
// build/, built from the repository root (declared in a GitHub workflow for one, inferred from the COPY
// sources for the other), a docker-bake target, and a Makefile's `docker build -f … -t … .`. Each code file is
// linked to the container whose image copies it, and to no other.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createWorkspace, initKubeconn } from '../../src/api.js';
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

/** A workspace of `files` (under `root`) analysed, with readers of its image links named relative to `root`. */
function analyzedAt(root: string, files: Record<string, string>) {
  const ws = createWorkspace();
  for (const [file, text] of Object.entries(files)) ws.setFile(file, text);
  const result = ws.analyze();
  const rel = (p: string) => p.replace(`${root}/`, '');
  return {
    ws,
    result,
    /** The Dockerfiles that build a workload's first container: `file via <link> in <context>`. */
    builtBy: (workload: string) => {
      const w = result.model.workloads.find((x) => x.name === workload)!;
      return result.model.images
        .dockerfilesForContainer(w.containers[0]!)
        .map((l) => `${rel(l.dockerfile)} via ${l.via} in ${l.context.replace(root, '') || '/'}`);
    },
    /** The workloads whose image is built from a source file. */
    runners: (file: string) =>
      result.model.images
        .containersForSourceFile(`${root}/${file}`)
        .map((c) => c.workload.name)
        .sort(),
  };
}

describe('build contexts in a monorepo', () => {
  let mono: ReturnType<typeof analyzedAt>;
  before(async () => {
    await initKubeconn();
    mono = analyzedAt('/mono', FILES);
  });
  const builtBy = (workload: string) => mono.builtBy(workload);

  it('links images to Dockerfiles from workflows, bake files and Makefiles, with their build contexts', () => {
    assert.deepEqual(builtBy('api'), ['build/Dockerfile-api via workflow in /']);
    assert.deepEqual(builtBy('worker'), ['build/Dockerfile_worker via make in /']);
    assert.deepEqual(builtBy('billing'), ['services/billing/billing.Dockerfile via bake in /services/billing']);
    assert.deepEqual(builtBy('search'), ['services/search/Dockerfile via folder in /services/search']);
  });

  it('links each code file to the container whose image copies it, and to no other', () => {
    const { runners } = mono;
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

// The shapes of BuildKit-era repositories: sources lent to `go build` by `RUN --mount=type=bind` (no COPY at all),
// images built by a workflow whose matrix is computed at run time (`./${{ matrix.path }}/build.Dockerfile`) or
// listed (with docker/metadata-action naming the images), and a Dockerfile alone in its folder under another name.
const bindBuild = (name: string) =>
  [
    'FROM golang:1.25-alpine AS builder',
    'WORKDIR /src',
    'RUN --mount=type=cache,target=/go/pkg/mod/ \\',
    `    --mount=type=bind,source=./${name}/go.mod,target=./${name}/go.mod \\`,
    '    go mod download',
    'RUN --mount=type=cache,target=/root/.cache/go-build \\',
    '    --mount=type=bind,source=./core,target=./core \\',
    `    --mount=type=bind,source=./${name},target=./${name} \\`,
    '    --mount=type=bind,from=tools,source=/bin/protoc,target=/usr/bin/protoc \\',
    `    CGO_ENABLED=0 go build -o /bin/${name} ./${name}`,
    'FROM gcr.io/distroless/static:nonroot',
    `COPY --from=builder /bin/${name} /${name}`,
    `ENTRYPOINT ["/${name}"]`,
    '',
  ].join('\n');

// A port number, or the port read from configuration (unknown to the analysis).
const server = (port: number | 'configured') =>
  `package main\n\nimport (\n\t"fmt"\n\t"net"\n\n\t"google.golang.org/grpc"\n)\n\nfunc main() {\n\tlis, _ := net.Listen("tcp", ${
    port === 'configured' ? 'fmt.Sprintf(":%d", cfg.Port)' : `":${port}"`
  })\n\ts := grpc.NewServer()\n\ts.Serve(lis)\n}\n`;

const SERVED = (name: string, image: string, port: number) => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: ${name}}
  spec:
    replicas: 3
    selector: {matchLabels: {app: ${name}}}
    template:
      metadata: {labels: {app: ${name}}}
      spec:
        containers:
          - name: ${name}
            image: ${image}
            ports: [{containerPort: ${port}}]
  ---
  apiVersion: v1
  kind: Service
  metadata: {name: ${name}}
  spec:
    selector: {app: ${name}}
    ports: [{port: ${port}}]
`;

const BUILDKIT: Record<string, string> = {
  '/feat/.github/workflows/release.yaml': yaml`
    on: push
    env:
      REGISTRY: ghcr.io
      REPO_OWNER: \${{ github.repository_owner }}
    jobs:
      containers:
        runs-on: ubuntu-latest
        strategy:
          matrix:
            path: \${{ fromJSON(needs.release.outputs.items) }}
        steps:
          - uses: docker/build-push-action@v5
            with:
              context: .
              file: ./\${{ matrix.path }}/build.Dockerfile
              tags: |
                \${{ env.REGISTRY }}/\${{ env.REPO_OWNER }}/\${{ matrix.path }}:latest
                \${{ env.REGISTRY }}/\${{ env.REPO_OWNER }}/\${{ matrix.path }}:\${{ env.VERSION }}
      listed:
        runs-on: ubuntu-latest
        strategy:
          matrix:
            service: [api, worker, legacy]
            exclude: [{service: legacy}]
        steps:
          - id: meta
            uses: docker/metadata-action@v5
            with:
              images: |
                name=quay.io/acme/\${{ matrix.service }},enable=true
          - uses: docker/build-push-action@v6
            with:
              file: deploy/\${{ matrix.service }}.Dockerfile
              tags: \${{ steps.meta.outputs.tags }}
  `,
  '/feat/flagd/build.Dockerfile': bindBuild('flagd'),
  '/feat/flagd-proxy/build.Dockerfile': bindBuild('flagd-proxy'),
  '/feat/flagd-proxy/main.go': server('configured'),
  '/feat/operator/Dockerfile':
    'FROM golang:1.25 AS build\nCOPY operator /src\nRUN go build -o /op /src\nFROM gcr.io/distroless/static\nCOPY --from=build /op /op\nENTRYPOINT ["/op"]\n',
  '/feat/operator/main.go': server('configured'),
  '/feat/config/operator.yaml': `${SERVED('operator', 'ghcr.io/acme/operator:1', 443)}---\n${yaml`
    apiVersion: v1
    kind: Service
    metadata: {name: operator-api}
    spec:
      selector: {app: operator}
      ports: [{port: 80, targetPort: 6500}]
  `}`,
  '/feat/flagd/main.go': server(8013),
  '/feat/core/sync.go': 'package core\n',
  '/feat/deploy/api.Dockerfile': 'FROM node:20-slim\nCOPY services/api /app\nCMD ["node", "/app/index.js"]\n',
  '/feat/deploy/worker.Dockerfile': 'FROM node:20-slim\nCOPY services/worker /app\nCMD ["node", "/app/index.js"]\n',
  '/feat/deploy/legacy.Dockerfile': 'FROM node:20-slim\nCOPY services/legacy /app\nCMD ["node", "/app/index.js"]\n',
  '/feat/services/api/index.js': '',
  '/feat/services/worker/index.js': '',
  '/feat/services/legacy/index.js': '',
  '/feat/config/proxy.yaml': SERVED('flagd-proxy', 'ghcr.io/open-feature/flagd-proxy:v0.7', 8015),
  '/feat/config/flagd.yaml': SERVED('flagd', 'ghcr.io/open-feature/flagd:v0.12', 8013).replace(
    'ports: [{port: 8013}]',
    'ports: [{port: 8013}, {port: 8014}]',
  ),
  '/feat/config/api.yaml': deployment('api', 'quay.io/acme/api:3'),
  '/feat/config/worker.yaml': deployment('worker', 'quay.io/acme/worker:3'),
  '/feat/config/legacy.yaml': deployment('legacy', 'quay.io/acme/legacy:3'),
  '/feat/tools/gateway/Dockerfile.release': 'FROM alpine:3.20\nCOPY gateway /gateway\nENTRYPOINT ["/gateway"]\n',
  '/feat/config/gateway.yaml': deployment('gateway', 'registry.local/gateway:1'),
};

describe('BuildKit bind mounts and matrix-templated workflows', () => {
  let feat: ReturnType<typeof analyzedAt>;
  before(async () => {
    await initKubeconn();
    feat = analyzedAt('/feat', BUILDKIT);
  });
  const builtBy = (workload: string) => feat.builtBy(workload);

  it('binds a computed matrix value from the Dockerfile paths that fit the workflow, and fills it into the tags', () => {
    assert.deepEqual(builtBy('flagd-proxy'), ['flagd-proxy/build.Dockerfile via workflow in /']);
  });

  it('reads listed matrices (less exclude) and docker/metadata-action images', () => {
    assert.deepEqual(builtBy('api'), ['deploy/api.Dockerfile via workflow in /']);
    assert.deepEqual(builtBy('worker'), ['deploy/worker.Dockerfile via workflow in /']);
    // Excluded from the matrix: only its name links it.
    assert.deepEqual(builtBy('legacy'), ['deploy/legacy.Dockerfile via folder in /']);
  });

  it('names an image by the folder of a Dockerfile that is alone there, whatever its name', () => {
    assert.deepEqual(builtBy('gateway'), ['tools/gateway/Dockerfile.release via folder in /tools']);
  });

  it('links sources lent by bind mounts to the container, and a mount from a stage lends nothing', () => {
    const { runners, ws } = feat;
    assert.deepEqual(runners('flagd-proxy/main.go'), ['flagd-proxy']);
    assert.deepEqual(runners('flagd/main.go'), ['flagd']);
    const stage = ws.factsOf('/feat/flagd-proxy/build.Dockerfile')!.dockerfile!.stages[0]!;
    assert.deepEqual(stage.binds, ['./flagd-proxy/go.mod', './core', './flagd-proxy']);
  });

  it('so the server code behind an unnamed port is the gRPC evidence: on the port it listens on, or the one way in', () => {
    // operator: the listen port is configured and two Services select it (a webhook and the API): no evidence.
    const { result } = feat;
    const found = result.findings
      .filter((f) => f.ruleId === 'grpc-clusterip-imbalance')
      .map((f) => `${f.file.replace('/feat/', '')}:${f.line}:${f.column} ${f.severity} ${f.message.split('. ')[0]}`);
    assert.deepEqual(found, [
      "config/flagd.yaml:20:12 info Service 'flagd' port 8013 may carry gRPC (gRPC server code behind it: grpc.NewServer in ../flagd/main.go), but no client in the repository dials it",
      "config/proxy.yaml:20:12 info Service 'flagd-proxy' port 8015 may carry gRPC (gRPC server code behind it: grpc.NewServer in ../flagd-proxy/main.go), but no client in the repository dials it",
    ]);
    const proxy = result.findings.find((f) => f.ruleId === 'grpc-clusterip-imbalance' && f.file === '/feat/config/proxy.yaml')!;
    assert.ok(proxy.related.some((r) => r.file === '/feat/flagd-proxy/main.go' && r.message === 'gRPC server (grpc.NewServer)'));
  });
});

// A repository that deploys with envsubst: the manifests write their image as a variable (`image: ${IMG}`), the
// Makefile defaults it and builds it (`IMG ?= …`, `docker buildx build -t ${IMG} -f …`), and a release script
// builds another image from its own variable. The folder holding the server's Dockerfile holds a second one, so
// no name links it.
const ENVSUBST: Record<string, string> = {
  '/env/Makefile': [
    'FLAGS_NAMESPACE ?= flags-dev',
    'export IMG ?= ghcr.io/acme/flags:latest',
    'REGISTRY := ghcr.io/acme',
    '',
    'docker-build:',
    '\tdocker buildx build --build-arg=VERSION="$$(git describe --tags)" --platform="linux/amd64" -t ${IMG} -f flags/build.Dockerfile .',
    'relay-build:',
    '\tdocker build -t $(REGISTRY)/relay:$(VERSION) -f relay/Dockerfile.release relay',
    'deploy:',
    "\tenvsubst '$${IMG}' < deploy/flags.yaml | kubectl apply -f - -n $(FLAGS_NAMESPACE)",
    '',
  ].join('\n'),
  '/env/flags/build.Dockerfile':
    'FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /flags ./flags\nFROM gcr.io/distroless/static\nCOPY --from=build /flags /flags\nENTRYPOINT ["/flags"]\n',
  '/env/flags/profile.Dockerfile': 'FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /flags ./flags\nENTRYPOINT ["/flags"]\n',
  '/env/flags/main.go': 'package main\n\nimport "google.golang.org/grpc"\n\nfunc main() { grpc.NewServer() }\n',
  '/env/relay/Dockerfile.release': 'FROM alpine:3.20\nCOPY relay /relay\nENTRYPOINT ["/relay"]\n',
  '/env/relay/Dockerfile.debug': 'FROM alpine:3.20\nCOPY relay /relay\nENTRYPOINT ["/relay", "-v"]\n',
  '/env/deploy/flags.yaml': deployment('flags', '${IMG}'),
  '/env/deploy/relay.yaml': deployment('relay-svc', 'ghcr.io/acme/relay:0.4'),
  // A tool elsewhere builds its own `${IMG}`: the nearest declaration names the image.
  '/env/tools/linter/Makefile': 'IMG = linter:dev\nbuild:\n\tdocker build -t ${IMG} .\n',
  '/env/tools/linter/Dockerfile': 'FROM alpine:3.20\nCOPY lint.sh /lint.sh\nENTRYPOINT ["/lint.sh"]\n',
  '/env/tools/linter/lint.yaml': deployment('linter', '${IMG}'),
  '/env/release.sh':
    '#!/bin/sh\nset -eu\nIMAGE="quay.io/acme/gateway"\ndocker build -t "$IMAGE:${TAG:-dev}" -f gateway/Dockerfile gateway\n',
  '/env/gateway/Dockerfile': 'FROM alpine:3.20\nCOPY gateway /gateway\nENTRYPOINT ["/gateway"]\n',
  '/env/gateway/extra/Dockerfile': 'FROM alpine:3.20\nCOPY gateway /gateway\n',
  '/env/deploy/gateway.yaml': deployment('edge', 'quay.io/acme/gateway:1.2'),
};

describe('images written as variables, and tags built from Makefile and script variables', () => {
  let env: ReturnType<typeof analyzedAt>;
  before(async () => {
    await initKubeconn();
    env = analyzedAt('/env', ENVSUBST);
  });

  it('links `image: ${IMG}` to the build tagged with that variable, the nearest one where two declare it', () => {
    assert.deepEqual(env.builtBy('flags'), ['flags/build.Dockerfile via make in /']);
    assert.deepEqual(env.builtBy('linter'), ['tools/linter/Dockerfile via make in /tools/linter']);
    assert.deepEqual(env.runners('flags/main.go'), ['flags']);
  });

  it('fills a tag from the file’s literal assignments, in Makefiles and scripts', () => {
    assert.deepEqual(env.builtBy('relay-svc'), ['relay/Dockerfile.release via make in /relay']);
    assert.deepEqual(env.builtBy('edge'), ['gateway/Dockerfile via script in /gateway']);
    const decls = env.ws.factsOf('/env/Makefile')!.buildConfig!.decls;
    assert.deepEqual(
      decls.map((d) => [d.image, d.imageVar]),
      [
        ['ghcr.io/acme/flags:tag', 'IMG'],
        ['ghcr.io/acme/relay:tag', undefined],
      ],
    );
  });
});

// A UI image whose build stage copies its whole folder: the UI server, a mock backend and a smoke-test proxy all
// reach the build stage, only the server is the image's program. The repository sits under a folder whose name a
// test-harness folder would have: only the path below the build context is judged.
const HARNESS_ROOT = '/work/integration-tests/ui-repo';
const UI: Record<string, string> = {
  [`${HARNESS_ROOT}/deploy/ui.yaml`]: `${deployment('frontend', 'ghcr.io/acme/frontend:2')}---\napiVersion: v1\nkind: Service\nmetadata: {name: frontend}\nspec: {selector: {app: frontend}, ports: [{port: 3000}]}\n`,
  [`${HARNESS_ROOT}/frontend/Dockerfile`]:
    'FROM node:22-slim AS build\nWORKDIR /src\nCOPY . .\nRUN npm ci && npm run build\nFROM node:22-slim\nCOPY --from=build /src/server /server\nWORKDIR /server\nCMD ["node", "app.js"]\n',
  [`${HARNESS_ROOT}/frontend/server/app.js`]: "const http = require('http');\nhttp.createServer((q, s) => s.end('ok')).listen(3000);\n",
  [`${HARNESS_ROOT}/frontend/mock-backend/api.js`]:
    "const http = require('http');\nhttp.createServer((q, s) => s.end('{}')).listen(3001);\n",
  [`${HARNESS_ROOT}/frontend/scripts/ui-smoke-test/proxy.js`]:
    "const http = require('http');\nhttp.createServer((q, s) => s.end('')).listen(3002);\n",
};

describe('test-harness folders copied into a build stage', () => {
  it('are not the image’s program: only the server reports, wherever the repository sits', async () => {
    await initKubeconn();
    const { result } = analyzedAt(HARNESS_ROOT, UI);
    const drains = result.findings
      .filter((f) => f.ruleId === 'graceful-shutdown')
      .map((f) => `${f.file.replace(`${HARNESS_ROOT}/`, '')}:${f.line}:${f.column}`);
    assert.deepEqual(drains, ['frontend/server/app.js:2:1']);
    const dials = result.model.dials;
    assert.deepEqual(
      dials.containersRunning(`${HARNESS_ROOT}/frontend/mock-backend/api.js`).map((c) => c.name),
      [],
    );
    assert.deepEqual(
      dials.containersRunning(`${HARNESS_ROOT}/frontend/server/app.js`).map((c) => c.name),
      ['frontend'],
    );
  });
});
