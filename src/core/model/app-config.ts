// Application config keys (and command-line flags) resolved for the code that reads them, with the env of the
// container that runs it. Which files belong to which code: the config
// files whose module root holds the code file, nearest root first (Spring: the folder above `src/main/resources`,
// or of `config/`, else the file's own; .NET: the folder of `appsettings.json`); `src/test/resources` serve only
// test code. What overrides what:
//   Spring — an environment variable in relaxed form (`grpc.client.orders.address` ← GRPC_CLIENT_ORDERS_ADDRESS),
//            then `application.yml|yaml|properties`; a profile's file (`application-<p>.yml`, or a document with
//            `spring.config.activate.on-profile`) wins when the profile is active (SPRING_PROFILES_ACTIVE or
//            `spring.profiles.active`), and is used only when no base value exists otherwise (and all profiles
//            agree). `${KEY:default}` placeholders in values resolve the same way.
//   .NET   — an environment variable with `__` for `:` (case-insensitive: `URLS__ORDERS` sets `Urls:Orders`),
//            then `appsettings.<Environment>.json` (ASPNETCORE_ENVIRONMENT / DOTNET_ENVIRONMENT, else
//            Production), then `appsettings.json`. An options class's members are keys under the section it is
//            bound to (`services.Configure<ServiceUrls>(config.GetSection("Urls"))`).
// A flag (`flag.String("orders-addr", …)`) takes its value from the container's command and args, else its default.
import path from 'node:path';
import { springPlaceholders, type AppConfigFacts, type ConfigEntry, type OptionsBinding } from '../facts/app-config.js';
import type { FileFacts } from '../facts/index.js';
import type { DialSite } from '../facts/grpc/index.js';
import { renderParts, type ConfigDialect, type Part, type PartValues } from '../facts/grpc/value.js';
import type { Container } from '../facts/k8s.js';

const posix = path.posix;

/** Where a config key's value came from (for related locations and for edits of the value). */
export interface ConfigUse {
  key: string;
  dialect: ConfigDialect;
  /** The key's value, placeholders resolved. */
  value: string;
  from: 'file' | 'env' | 'default';
  /** from file: the config file and its entry (with the value's span). */
  file?: string;
  entry?: ConfigEntry;
  /** from env: the variable that set it. */
  env?: string;
  /** The key the code itself names (not one met inside a placeholder of another value). */
  top: boolean;
}

/** The environment the code runs with: a value by exact name, and every name (for relaxed and case-insensitive matches). */
export interface EnvAccess {
  get(name: string): string | undefined;
  names(): Iterable<string>;
}

interface ConfigFile {
  file: string;
  facts: AppConfigFacts;
  root: string;
  testOnly: boolean;
}

type ConfigPart = Extract<Part, { kind: 'config' }>;

const MAX_DEPTH = 8;

export class AppConfigIndex {
  /** Every application config file with its module root, deepest root first. */
  readonly files: readonly ConfigFile[];
  private readonly bindings: { file: string; binding: OptionsBinding }[] = [];

  constructor(files: ReadonlyMap<string, FileFacts>) {
    const out: ConfigFile[] = [];
    for (const facts of files.values()) {
      const file = facts.file.replace(/\\/g, '/');
      if (facts.appConfig && facts.appConfig.format !== 'nginx')
        out.push({ file, facts: facts.appConfig, ...rootOf(file, facts.appConfig) });
      for (const binding of facts.optionsBindings ?? []) this.bindings.push({ file, binding });
    }
    this.files = out.sort((a, b) => b.root.length - a.root.length || (a.file < b.file ? -1 : 1));
  }

  /**
   * What renderParts needs for code in `codeFile` run by `client`: the env lookup (as the caller finds env vars),
   * config keys, and flags from the client's args. The config keys used are collected in `config`.
   */
  valuesFor(
    codeFile: string,
    client: Container | undefined,
    env: (name: string) => string | undefined,
    workspaceEnv: () => Iterable<string>,
  ) {
    const config: ConfigUse[] = [];
    let fromArgs = false;
    const access: EnvAccess = { get: env, names: () => [...(client?.env.map((e) => e.name) ?? []), ...workspaceEnv()] };
    const values: PartValues = {
      env,
      config: (part, fallback) => this.resolve(codeFile, part, access, fallback, config),
      flag: (part, fallback) => {
        const set = client && flagValue(client, part.name, env);
        if (!set) return fallback();
        fromArgs = true;
        return set.value;
      },
    };
    return {
      values,
      config,
      /** Some flag was set by the client's args. */
      fromArgs: () => fromArgs,
      /** The first of the keys that sets a policy (grpc-spring-boot-starter's `default-load-balancing-policy`). */
      policy: (keys: NonNullable<DialSite['policyKeys']>): { policy: string; use: ConfigUse } | undefined => {
        for (const key of keys.keys) {
          const uses: ConfigUse[] = [];
          const policy = this.resolve(codeFile, { kind: 'config', dialect: keys.dialect, key, at: [0, 0] }, access, () => undefined, uses);
          if (policy !== undefined) return { policy, use: uses.find((u) => u.top)! };
        }
        return undefined;
      },
    };
  }

  /** The config files that apply to a code file, nearest module root first. */
  filesFor(codeFile: string, dialect: ConfigDialect): ConfigFile[] {
    const code = codeFile.replace(/\\/g, '/');
    const isTest = /(^|\/)src\/test\//.test(code);
    return this.files.filter((f) => f.facts.format === dialect && within(code, f.root) && (!f.testOnly || isTest));
  }

  /**
   * The value of a config key as the code in `codeFile` sees it, or undefined when unknown. Each source used
   * is appended to `uses`; `fallback` renders the code's own default.
   */
  resolve(codeFile: string, part: ConfigPart, env: EnvAccess, fallback: () => string | undefined, uses: ConfigUse[]): string | undefined {
    const key = part.options ? this.optionsKey(codeFile, part.options, part.key) : part.key;
    if (key === undefined) return undefined;
    const found = this.lookup(codeFile, part.dialect, key, env, uses, 0, true);
    if (found !== undefined) return found;
    const value = fallback();
    if (value !== undefined) uses.push({ key, dialect: part.dialect, value, from: 'default', top: true });
    return value;
  }

  /** `IOptions<ServiceUrls>` member `Orders` → `Urls:Orders`, through the registration nearest the code. */
  private optionsKey(codeFile: string, type: string, key: string): string | undefined {
    const code = codeFile.replace(/\\/g, '/');
    const candidates = this.bindings.filter((b) => b.binding.type === type);
    // The registration in the code's own project: the deepest folder shared with the code file.
    const shared = (f: string) => commonPrefixLength(posix.dirname(f), posix.dirname(code));
    candidates.sort((a, b) => shared(b.file) - shared(a.file));
    const best = candidates[0];
    if (
      !best ||
      (candidates[1] && shared(candidates[1].file) === shared(best.file) && candidates[1].binding.section !== best.binding.section)
    )
      return undefined;
    return `${best.binding.section}:${key}`;
  }

  private lookup(
    codeFile: string,
    dialect: ConfigDialect,
    key: string,
    env: EnvAccess,
    uses: ConfigUse[],
    depth: number,
    top: boolean,
  ): string | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const fromEnv = dialect === 'spring' ? springEnv(key, env) : dotnetEnv(key, env);
    if (fromEnv) {
      uses.push({ key, dialect, value: fromEnv.value, from: 'env', env: fromEnv.name, top });
      return fromEnv.value;
    }
    const hit = dialect === 'spring' ? this.springEntry(codeFile, key, env) : this.dotnetEntry(codeFile, key, env);
    if (!hit) return undefined;
    let value: string | undefined = hit.entry.value;
    if (dialect === 'spring' && value.includes('${')) {
      // `${ORDERS_ADDR:dns:///orders:9090}` inside the value: the same sources, then the default.
      const inner: ConfigUse[] = [];
      value = renderParts(springPlaceholders(value, 0), {
        env: () => undefined,
        config: (p, fb) => {
          const found = this.lookup(codeFile, 'spring', p.key, env, inner, depth + 1, false);
          if (found !== undefined) return found;
          const value = fb();
          if (value !== undefined) inner.push({ key: p.key, dialect: 'spring', value, from: 'default', top: false });
          return value;
        },
      });
      uses.push(...inner);
    }
    if (value !== undefined) uses.push({ key, dialect, value, from: 'file', file: hit.file, entry: hit.entry, top });
    return value;
  }

  private springEntry(codeFile: string, key: string, env: EnvAccess): { file: string; entry: ConfigEntry } | undefined {
    const wanted = springCanonical(key);
    const files = this.filesFor(codeFile, 'spring');
    const active = springActiveProfiles(files, env);
    for (const root of uniqueRoots(files)) {
      const inRoot = files.filter((f) => f.root === root);
      const entries = inRoot.flatMap((f) =>
        f.facts.entries
          .filter((e) => springCanonical(e.key) === wanted)
          .map((entry) => ({ file: f.file, entry, profile: f.facts.variant ?? entry.profile })),
      );
      if (entries.length === 0) continue;
      // Later wins: properties over yml (Spring loads .properties last), the last active profile over earlier ones.
      const base = entries.filter((e) => !e.profile);
      const ofActive = active
        ? entries
            .filter((e) => e.profile && active.includes(e.profile))
            .sort((a, b) => active.indexOf(a.profile!) - active.indexOf(b.profile!))
        : [];
      if (ofActive.length > 0) return ofActive[ofActive.length - 1];
      if (base.length > 0)
        return base.sort((a, b) => Number(a.file.endsWith('.properties')) - Number(b.file.endsWith('.properties')))[base.length - 1];
      if (active) continue;
      const values = new Set(entries.map((e) => e.entry.value));
      return values.size === 1 ? entries[0] : undefined;
    }
    return undefined;
  }

  private dotnetEntry(codeFile: string, key: string, env: EnvAccess): { file: string; entry: ConfigEntry } | undefined {
    const wanted = key.toLowerCase();
    const environment = (env.get('ASPNETCORE_ENVIRONMENT') ?? env.get('DOTNET_ENVIRONMENT') ?? 'Production').toLowerCase();
    const files = this.filesFor(codeFile, 'dotnet');
    for (const root of uniqueRoots(files)) {
      const inRoot = files.filter((f) => f.root === root && (!f.facts.variant || f.facts.variant.toLowerCase() === environment));
      // appsettings.<Environment>.json is loaded after appsettings.json.
      inRoot.sort((a, b) => Number(!!a.facts.variant) - Number(!!b.facts.variant));
      let hit: { file: string; entry: ConfigEntry } | undefined;
      for (const f of inRoot) {
        const entry = f.facts.entries.filter((e) => e.key.toLowerCase() === wanted).pop();
        if (entry) hit = { file: f.file, entry };
      }
      if (hit) return hit;
    }
    return undefined;
  }
}

/**
 * A flag's value in a container's command line: `--name=value`, `-name=value`, `--name value`, `-name value`
 * (Go's flag and pflag spellings), with `$(VAR)` expanded from the env as the kubelet does. Undefined: not set.
 */
function flagValue(client: Container, name: string, env: (name: string) => string | undefined): { value: string | undefined } | undefined {
  const words = [...(client.command ?? []), ...(client.args ?? [])];
  for (let i = 0; i < words.length; i++) {
    const m = /^--?([^=]+)(?:=(.*))?$/.exec(words[i]!);
    if (m?.[1] !== name) continue;
    const value = m[2] ?? words[i + 1];
    if (value === undefined) return { value: undefined };
    let unknown = false;
    const expanded = value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (_, v: string) => env(v) ?? ((unknown = true), ''));
    // Set, but to something we cannot read: unknown, not the default.
    return { value: unknown ? undefined : expanded };
  }
  return undefined;
}

function rootOf(file: string, facts: AppConfigFacts): { root: string; testOnly: boolean } {
  const resources = /^(.*?)\/?src\/(main|test)\/resources\//.exec(file);
  if (resources) return { root: resources[1]!, testOnly: resources[2] === 'test' };
  const dir = posix.dirname(file);
  if (facts.format === 'spring' && posix.basename(dir) === 'config')
    return { root: posix.dirname(dir) === '.' ? '' : posix.dirname(dir), testOnly: false };
  return { root: dir === '.' ? '' : dir, testOnly: false };
}

function within(file: string, root: string): boolean {
  return root === '' || file.startsWith(`${root}/`);
}

function uniqueRoots(files: readonly ConfigFile[]): string[] {
  return [...new Set(files.map((f) => f.root))];
}

function commonPrefixLength(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}

/** Spring's relaxed names compare lower-cased, without `-` and `_` (`default-load-balancing-policy` = `defaultLoadBalancingPolicy`). */
function springCanonical(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

/** An env var that sets a Spring property: the name itself, dots (and dashes) as `_`, or dashes removed, upper-cased. */
function springEnv(key: string, env: EnvAccess): { name: string; value: string } | undefined {
  const forms = new Set([
    key,
    key.replace(/[.-]/g, '_'),
    key.replace(/-/g, '').replace(/\./g, '_'),
    key.replace(/\[(\d+)\]/g, '_$1_').replace(/[.-]/g, '_'),
  ]);
  const wanted = new Set([...forms].flatMap((f) => [f, f.toUpperCase()]));
  for (const name of env.names()) {
    if (!wanted.has(name)) continue;
    const value = env.get(name);
    if (value !== undefined) return { name, value };
  }
  return undefined;
}

/** An env var that sets a .NET config key: `__` for `:`, any case. */
function dotnetEnv(key: string, env: EnvAccess): { name: string; value: string } | undefined {
  const wanted = key.toLowerCase();
  for (const name of env.names()) {
    if (name.replace(/__/g, ':').toLowerCase() !== wanted) continue;
    const value = env.get(name);
    if (value !== undefined) return { name, value };
  }
  return undefined;
}

/** Active Spring profiles, when something says which: SPRING_PROFILES_ACTIVE, or `spring.profiles.active` in a base file. */
function springActiveProfiles(files: readonly ConfigFile[], env: EnvAccess): string[] | undefined {
  const fromEnv = springEnv('spring.profiles.active', env)?.value;
  const fromFile = files.flatMap((f) =>
    f.facts.variant ? [] : f.facts.entries.filter((e) => !e.profile && springCanonical(e.key) === 'spring.profiles.active'),
  )[0]?.value;
  const list = fromEnv ?? fromFile;
  return list === undefined
    ? undefined
    : list
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
}
