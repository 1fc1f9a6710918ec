// Deterministic generator of a realistic Kubernetes corpus for the benchmarks: N Deployment+Service pairs
// (30–60 lines per pair, comments, anchors, flow maps, gRPC and headless Services, preStop hooks, a few Helm
// templates), plus one ~5,000-line multi-document manifest for the incremental measurement.
//
// Layout repeats every 25 pairs, so even a tiny N (the smoke test's 20) holds every file shape: most files
// hold one pair; some hold two pairs (4 docs), a pair plus its HPA (3 docs), or a pair split into
// deployment.yaml + service.yaml (1 doc each); one in 25 is a Helm template. Content comes from a seeded PRNG.
import fs from 'node:fs';
import path from 'node:path';

/** Bump when the output changes, so a cached corpus is regenerated. */
export const GENERATOR_VERSION = 3;

export interface CorpusFile {
  /** Relative to the corpus root, with `/`. */
  path: string;
  /** How many Deployment+Service pairs the file holds in full (0 for one half of a split pair). */
  pairs: number;
  docs: number;
  helm: boolean;
}

export interface K8sCorpus {
  root: string;
  /** Folder with the N pairs (what the parse, analysis and CLI measurements read). */
  k8sDir: string;
  /** The ~5,000-line multi-document manifest (outside k8sDir). */
  bigFile: string;
  n: number;
  seed: number;
  files: CorpusFile[];
  bytes: number;
  reused: boolean;
}

/** mulberry32: small, fast, and the same sequence on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
const chance = (rng: Rng, p: number): boolean => rng() < p;
const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));

const DOMAINS = [
  'orders',
  'cart',
  'payments',
  'catalog',
  'search',
  'users',
  'auth',
  'shipping',
  'inventory',
  'pricing',
  'reviews',
  'email',
  'ledger',
  'fraud',
  'media',
];
const ROLES = ['api', 'worker', 'gateway', 'backend', 'svc', 'reader', 'writer', 'sync'];
const TEAMS = ['payments', 'storefront', 'platform', 'growth', 'identity', 'fulfilment'];
const NAMESPACES = ['shop', 'payments', 'platform', 'default', 'edge'];
const ENV_NAMES = [
  'LOG_LEVEL',
  'GOMAXPROCS',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'DB_HOST',
  'CACHE_TTL',
  'FEATURE_FLAGS',
  'REGION',
  'HTTP_TIMEOUT',
  'POOL_SIZE',
  'TZ',
];
const ENV_VALUES = [
  'info',
  '"2"',
  'http://otel-collector.observability:4317',
  'postgres.data',
  '30s',
  'new-checkout,fast-search',
  'eu-west-1',
  '5s',
  '"16"',
  'UTC',
];
const COMMENTS = [
  'keep in sync with the HPA min replicas',
  'owned by the platform team; ask in #platform before changing',
  'bumped after the March incident (OOMKilled under load)',
  'values tuned by load test LT-214',
  'see runbook: docs/runbooks/rollouts.md',
  'TODO: move to a ConfigMap',
];

interface PairFeatures {
  name: string;
  namespace?: string;
  team: string;
  grpc: boolean;
  headless: boolean;
  appProtocol?: string;
  containers: number;
  env: number;
  preStop: 'sleep' | 'exec' | 'none';
  liveness: boolean;
  anchors: boolean;
  flow: boolean;
  comments: number;
  grace?: number;
  helm: boolean;
}

function features(rng: Rng, index: number, helm: boolean): PairFeatures {
  const grpc = chance(rng, 0.35);
  return {
    name: `${pick(rng, DOMAINS)}-${pick(rng, ROLES)}-${index}`,
    namespace: chance(rng, 0.7) ? pick(rng, NAMESPACES) : undefined,
    team: pick(rng, TEAMS),
    grpc,
    headless: grpc ? chance(rng, 0.3) : chance(rng, 0.05),
    appProtocol: grpc && chance(rng, 0.5) ? pick(rng, ['kubernetes.io/h2c', 'grpc']) : undefined,
    containers: chance(rng, 0.25) ? 2 : 1,
    env: int(rng, 0, 4),
    preStop: pick(rng, ['sleep', 'sleep', 'exec', 'none'] as const),
    liveness: chance(rng, 0.5),
    anchors: !helm && chance(rng, 0.15), // a Helm chart's labels come from a helper, not an anchor
    flow: chance(rng, 0.2),
    comments: int(rng, 1, 4),
    grace: chance(rng, 0.4) ? pick(rng, [10, 30, 45, 60]) : undefined,
    helm,
  };
}

const lineCount = (text: string): number => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

/** One Deployment and its Service as YAML text (two documents, `---` between), 30–60 lines. */
export function renderPair(rng: Rng, index: number, helm = false): string {
  const f = features(rng, index, helm);
  // Trim optional parts until the pair fits the promised 30–60 lines; pad with env vars when short.
  for (;;) {
    const text = renderDeployment(rng, f) + '---\n' + renderService(f);
    const lines = lineCount(text);
    if (lines > 60) {
      if (f.env > 0) f.env--;
      else if (f.comments > 1) f.comments--;
      else if (f.liveness) f.liveness = false;
      else if (f.containers > 1) f.containers = 1;
      else f.preStop = 'none';
      continue;
    }
    if (lines < 30) {
      f.env++;
      continue;
    }
    return text;
  }
}

function renderDeployment(rng: Rng, f: PairFeatures): string {
  const sub = prng(Math.floor(rng() * 2 ** 32)); // content for this render only, so re-renders stay consistent
  const comment = (): string => pick(sub, COMMENTS);
  const out: string[] = [];
  out.push(`# ${f.name}: ${f.grpc ? 'gRPC' : 'HTTP'} service of team ${f.team}. Deployed by CI from main.`);
  out.push('apiVersion: apps/v1', 'kind: Deployment', 'metadata:');
  out.push(f.helm ? `  name: {{ include "app.fullname" . }}` : `  name: ${f.name}`);
  if (f.namespace) out.push(`  namespace: ${f.namespace}`);
  if (f.helm) out.push('  labels:', '    {{- include "app.labels" . | nindent 4 }}');
  else if (f.anchors) out.push('  labels: &labels', `    app: ${f.name}`, `    team: ${f.team}`);
  else out.push('  labels:', `    app: ${f.name}`, `    team: ${f.team}`);
  out.push('spec:');
  out.push(f.helm ? '  replicas: {{ .Values.replicaCount }}' : `  replicas: ${int(sub, 1, 6)}${f.comments > 1 ? `  # ${comment()}` : ''}`);
  out.push('  selector:');
  if (f.anchors) out.push('    matchLabels: *labels');
  else if (f.flow) out.push(`    matchLabels: {app: ${f.name}}`);
  else out.push('    matchLabels:', `      app: ${f.name}`);
  out.push('  template:', '    metadata:');
  if (f.anchors) out.push('      labels: *labels');
  else out.push('      labels:', `        app: ${f.name}`, `        team: ${f.team}`);
  out.push('    spec:');
  if (f.grace !== undefined) out.push(`      terminationGracePeriodSeconds: ${f.grace}`);
  out.push('      containers:');
  const port = f.grpc ? pick(sub, [9090, 50051, 8443]) : pick(sub, [8080, 3000, 8000]);
  for (let c = 0; c < f.containers; c++) {
    const main = c === 0;
    const cname = main ? f.name.replace(/-\d+$/, '') : pick(sub, ['metrics-sidecar', 'log-shipper', 'cloud-sql-proxy']);
    out.push(`        - name: ${cname}`);
    const image = main
      ? `registry.example.com/${f.team}/${cname}:1.${int(sub, 0, 30)}.${int(sub, 0, 9)}`
      : `ghcr.io/example/${cname}:0.${int(sub, 1, 9)}`;
    out.push(f.helm && main ? '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"' : `          image: ${image}`);
    if (main) {
      out.push('          ports:', `            - name: ${f.grpc ? 'grpc' : 'http'}`, `              containerPort: ${port}`);
      if (f.env > 0) {
        if (f.comments > 2) out.push(`          # ${comment()}`);
        out.push('          env:');
        for (let e = 0; e < f.env; e++) {
          const k = (index(sub) + e) % ENV_NAMES.length;
          if (f.flow && e === 0) out.push(`            - {name: ${ENV_NAMES[k]}, value: ${ENV_VALUES[k]}}`);
          else out.push(`            - name: ${ENV_NAMES[k]}`, `              value: ${ENV_VALUES[k]}`);
        }
      }
      out.push('          readinessProbe:');
      if (f.grpc) out.push('            grpc:', `              port: ${port}`);
      else out.push('            httpGet:', '              path: /healthz', `              port: ${port}`);
      out.push(`            periodSeconds: ${pick(sub, [5, 10])}`);
      if (f.liveness)
        out.push('          livenessProbe:', '            tcpSocket:', `              port: ${port}`, '            failureThreshold: 3');
    }
    if (f.anchors && main)
      out.push(
        '          resources: &resources',
        '            requests: {cpu: 100m, memory: 128Mi}',
        '            limits: {memory: 256Mi}',
      );
    else if (f.anchors) out.push('          resources: *resources');
    else if (f.flow) out.push(`          resources: {requests: {cpu: ${pick(sub, ['50m', '100m', '250m'])}, memory: 64Mi}}`);
    else
      out.push(
        '          resources:',
        '            requests:',
        `              cpu: ${pick(sub, ['50m', '100m', '250m', '500m'])}`,
        `              memory: ${pick(sub, ['64Mi', '128Mi', '512Mi'])}`,
        '            limits:',
        `              memory: ${pick(sub, ['256Mi', '1Gi'])}`,
      );
    if (main && f.preStop !== 'none') {
      if (f.helm) out.push('          {{- if .Values.lifecycle.enabled }}');
      out.push('          lifecycle:', '            preStop:');
      if (f.comments > 3) out.push('              # let endpoints propagate before the server stops accepting');
      if (f.preStop === 'sleep') out.push('              sleep:', `                seconds: ${pick(sub, [5, 10, 15])}`);
      else out.push('              exec:', `                command: ["sh", "-c", "sleep ${pick(sub, [5, 10])}"]`);
      if (f.helm) out.push('          {{- end }}');
    }
  }
  return out.join('\n') + '\n';
}

const index = (rng: Rng): number => Math.floor(rng() * 1000);

function renderService(f: PairFeatures): string {
  const out: string[] = [];
  out.push(`# Clients reach ${f.name} through this Service${f.headless ? ' (headless: one DNS record per pod)' : ''}.`);
  out.push('apiVersion: v1', 'kind: Service', 'metadata:');
  out.push(f.helm ? `  name: {{ include "app.fullname" . }}` : `  name: ${f.name}`);
  if (f.namespace) out.push(`  namespace: ${f.namespace}`);
  out.push('spec:');
  if (f.headless) out.push('  clusterIP: None');
  if (f.flow) out.push(`  selector: {app: ${f.name}}`);
  else out.push('  selector:', `    app: ${f.name}`);
  out.push(
    '  ports:',
    `    - name: ${f.grpc ? 'grpc' : 'http'}`,
    `      port: ${f.grpc ? 9090 : 80}`,
    `      targetPort: ${f.grpc ? 'grpc' : 'http'}`,
  );
  if (f.appProtocol) out.push(`      appProtocol: ${f.appProtocol}`);
  return out.join('\n') + '\n';
}

function renderHpa(name: string, namespace: string | undefined): string {
  const ns = namespace ? `  namespace: ${namespace}\n` : '';
  return `# Scale ${name} on CPU.\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: ${name}\n${ns}spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: ${name}\n  minReplicas: 2\n  maxReplicas: 10\n  metrics:\n    - type: Resource\n      resource:\n        name: cpu\n        target: {type: Utilization, averageUtilization: 70}\n`;
}

const docName = (pair: string): { name: string; namespace?: string } => {
  const name = /^ {2}name: (\S+)$/m.exec(pair)?.[1] ?? 'app';
  const namespace = /^ {2}namespace: (\S+)$/m.exec(pair)?.[1];
  return { name, namespace };
};

/** Files (relative path → text) for N pairs. Pure: the same n and seed give the same bytes. */
export function generatePairs(n: number, seed: number): { files: CorpusFile[]; texts: Map<string, string> } {
  const rng = prng(seed);
  const files: CorpusFile[] = [];
  const texts = new Map<string, string>();
  const add = (rel: string, text: string, pairs: number, docs: number, helm = false): void => {
    files.push({ path: rel, pairs, docs, helm });
    texts.set(rel, text);
  };
  for (let i = 0; i < n; i++) {
    const dir = `team-${i % 40}/app-${i}`;
    const slot = i % 25;
    if ((slot === 3 || slot === 17) && i + 1 < n) {
      // Two pairs in one file: an app and its worker shipped together.
      const a = renderPair(rng, i);
      const b = renderPair(rng, i + 1);
      add(`${dir}/stack.yaml`, `${a}---\n${b}`, 2, 4);
      i++;
    } else if (slot === 7) {
      const [dep, svc] = renderPair(rng, i).split('---\n') as [string, string];
      add(`${dir}/deployment.yaml`, dep, 0, 1);
      add(`${dir}/service.yaml`, svc, 0, 1);
    } else if (slot === 11) {
      const pair = renderPair(rng, i);
      const { name, namespace } = docName(pair);
      add(`${dir}/app.yaml`, `${pair}---\n${renderHpa(name, namespace)}`, 1, 3);
    } else if (slot === 13) {
      add(`charts/app-${i}/templates/app.yaml`, renderPair(rng, i, true), 1, 2, true);
    } else {
      add(`${dir}/${pick(rng, ['k8s.yaml', 'manifest.yaml', 'app.yml'])}`, renderPair(rng, i), 1, 2);
    }
  }
  return { files, texts };
}

/** One multi-document file of about `targetLines` lines (pairs separated by `---`). */
export function generateBigManifest(targetLines: number, seed: number): string {
  const rng = prng(seed ^ 0x5eed);
  const parts: string[] = [];
  let lines = 0;
  for (let i = 0; lines < targetLines; i++) {
    const pair = renderPair(rng, 100_000 + i);
    parts.push(pair);
    lines += lineCount(pair) + 1;
  }
  return parts.join('---\n');
}

/**
 * Write the corpus under root (k8s/ with the pairs, big/platform.yaml), or reuse it when root/corpus.json
 * says it was made with the same N, seed and generator version.
 */
export function writeK8sCorpus(root: string, n: number, seed = 42): K8sCorpus {
  const k8sDir = path.join(root, 'k8s');
  const bigFile = path.join(root, 'big', 'platform.yaml');
  const stamp = path.join(root, 'corpus.json');
  const key = { version: GENERATOR_VERSION, n, seed };
  try {
    const saved = JSON.parse(fs.readFileSync(stamp, 'utf8')) as typeof key & { files: CorpusFile[]; bytes: number };
    if (saved.version === key.version && saved.n === n && saved.seed === seed && fs.existsSync(bigFile)) {
      return { root, k8sDir, bigFile, n, seed, files: saved.files, bytes: saved.bytes, reused: true };
    }
  } catch {
    // no usable stamp: generate
  }
  fs.rmSync(root, { recursive: true, force: true });
  const { files, texts } = generatePairs(n, seed);
  let bytes = 0;
  for (const [rel, text] of texts) {
    const abs = path.join(k8sDir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
    bytes += Buffer.byteLength(text);
  }
  fs.mkdirSync(path.dirname(bigFile), { recursive: true });
  fs.writeFileSync(bigFile, generateBigManifest(5000, seed));
  fs.writeFileSync(stamp, JSON.stringify({ ...key, files, bytes }));
  return { root, k8sDir, bigFile, n, seed, files, bytes, reused: false };
}
