// go.mod: the versions of the modules the gRPC rules care about. Whether code using grpc-go's removed balancer
// APIs compiles depends on the grpc-go version it builds against (WithBalancer/RoundRobin removed in v1.30.0,
// WithBalancerName in v1.46.0).
import type { Extractor, FileFacts } from './index.js';

export interface GoModFacts {
  module?: string;
  /** Required module path → version as written (`v1.45.0`), after `replace` directives that pin a version. */
  requires: Record<string, { version: string; at: [number, number] }>;
}

export const goModExtractor: Extractor = {
  name: 'go.mod',
  claims: (file) => /(^|\/)go\.mod$/.test(file.replace(/\\/g, '/')),
  mayMatter: (text) => text.includes('module'),
  extract(facts: FileFacts) {
    const text = facts.text;
    const requires: GoModFacts['requires'] = {};
    // `require x v1` and the lines of `require ( … )` blocks.
    for (const m of text.matchAll(/^[ \t]*(?:require[ \t]+)?([\w.~-]+(?:\/[\w.~-]+)+)[ \t]+(v[0-9][\w.+-]*)/gm)) {
      const start = m.index + m[0].indexOf(m[2]!);
      requires[m[1]!] = { version: m[2]!, at: [start, start + m[2]!.length] };
    }
    for (const m of text.matchAll(
      /^[ \t]*(?:replace[ \t]+)?([\w.~-]+(?:\/[\w.~-]+)+)(?:[ \t]+v[\w.+-]+)?[ \t]*=>[ \t]*([\w.~-]+(?:\/[\w.~-]+)+)[ \t]+(v[0-9][\w.+-]*)/gm,
    )) {
      const start = m.index + m[0].lastIndexOf(m[3]!);
      requires[m[1]!] = { version: m[3]!, at: [start, start + m[3]!.length] };
    }
    facts.goMod = { module: /^module[ \t]+(\S+)/m.exec(text)?.[1], requires };
  },
};
