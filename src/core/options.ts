// Settings shared by every front end: the project config file (.kubeconn.yaml, src/core/config.ts), then CLI
// flags, ESLint `settings.kubeconn` or VS Code `kubeconn.*` over it.

export type RuleLevel = 'off' | 'info' | 'warn' | 'error';

export interface KubeconnOptions {
  /** The oldest Kubernetes minor the manifests must work on, e.g. "1.30". */
  kubernetesVersion: string;
  /** Seconds of preStop sleep inserted by fixes. */
  preStopSeconds: number;
  /** Seconds the app is given to drain after SIGTERM when the fix sizes terminationGracePeriodSeconds. */
  drainSeconds: number;
  /** appProtocol inserted for gRPC ports: cleartext HTTP/2 (Gateway API) or Istio's `grpc`. */
  appProtocol: 'kubernetes.io/h2c' | 'grpc';
  /** Per-rule level; a rule not named keeps its own per-finding severity. */
  rules: Record<string, RuleLevel>;
  /** Files larger than this are skipped with a message. */
  maxFileBytes: number;
  /** Milliseconds one file's parsing may take before the file is skipped with a message (the last resort). */
  maxParseMs: number;
  /** Image name (without tag) → Dockerfile path, for images the linker cannot place by itself. */
  imageMap: Record<string, string>;
  /** Whether the engine itself honours `eslint-disable` comments (ESLint does it on its own). */
  applyDirectiveComments: boolean;
  /** gitignore-style patterns of files never analysed (front ends apply them when they collect files). */
  exclude: string[];
  /** Patterns analysed although excluded by default (test data, fixtures). */
  include: string[];
  /** Helm rendering: extra values files (absolute paths), release name and namespace. */
  helm: { valuesFiles: string[]; releaseName?: string; releaseNamespace?: string };
}

export const defaultOptions: KubeconnOptions = {
  kubernetesVersion: '1.30',
  preStopSeconds: 5,
  drainSeconds: 10,
  appProtocol: 'kubernetes.io/h2c',
  rules: {},
  maxFileBytes: 5 * 1024 * 1024,
  maxParseMs: 10_000,
  imageMap: {},
  applyDirectiveComments: true,
  exclude: [],
  include: [],
  helm: { valuesFiles: [] },
};

/** Merge user settings over the defaults, rejecting values that would make rules lie. */
export function resolveOptions(partial: Partial<KubeconnOptions> = {}): KubeconnOptions {
  const merged: KubeconnOptions = { ...defaultOptions, ...stripUndefined(partial) };
  if (!parseVersion(merged.kubernetesVersion)) {
    throw new OptionsError(`kubernetesVersion must look like "1.30", got ${JSON.stringify(merged.kubernetesVersion)}`);
  }
  for (const key of ['preStopSeconds', 'drainSeconds'] as const) {
    const value = merged[key];
    if (!Number.isInteger(value) || value < 1 || value > 3600) {
      throw new OptionsError(`${key} must be a whole number of seconds from 1 to 3600, got ${JSON.stringify(value)}`);
    }
  }
  if (!Number.isInteger(merged.maxParseMs) || merged.maxParseMs < 1) {
    throw new OptionsError(`maxParseMs must be a whole number of milliseconds of at least 1, got ${JSON.stringify(merged.maxParseMs)}`);
  }
  for (const [id, level] of Object.entries(merged.rules)) {
    if (!['off', 'info', 'warn', 'error'].includes(level)) {
      throw new OptionsError(`rule level for ${id} must be off, info, warn or error, got ${JSON.stringify(level)}`);
    }
  }
  return merged;
}

/** A mistake in user-supplied settings: front ends print it, they do not crash on it. */
export class OptionsError extends Error {
  override name = 'OptionsError';
}

export function parseVersion(version: unknown): { major: number; minor: number } | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(String(version).trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/** Compare a "1.30" version with a minor of Kubernetes 1.x: negative when older. */
export function compareMinor(version: string, minor: number): number {
  const v = parseVersion(version);
  if (!v) return 0;
  return v.major !== 1 ? v.major - 1 : v.minor - minor;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
