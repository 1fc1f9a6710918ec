// Protocol Buffers service definitions, for one question: does a gRPC service have streaming methods? A server
// MaxConnectionAgeGrace cancels RPCs still running that long after the GOAWAY, so a grace sized for unary calls
// cuts long server-, client- or bidi-streams (watches, subscriptions).
import type { Extractor, FileFacts } from './index.js';

export interface ProtoFacts {
  /** `package shop.orders;`, when declared. */
  package?: string;
  /** Services and their streaming methods (empty list: unary only). */
  services: { name: string; streaming: string[] }[];
}

export const protoExtractor: Extractor = {
  name: 'proto',
  claims: (file) => /\.proto$/i.test(file),
  mayMatter: (text) => /\bservice\s+\w+/.test(text),
  extract(facts: FileFacts) {
    // Comments out first, so a commented-out `stream` does not count.
    const text = facts.text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
    const services: ProtoFacts['services'] = [];
    for (const m of text.matchAll(/\bservice\s+(\w+)\s*\{([\s\S]*?)\n\s*\}/g)) {
      const streaming = [...m[2]!.matchAll(/\brpc\s+(\w+)\s*\(\s*(stream\s+)?[\w.]+\s*\)\s*returns\s*\(\s*(stream\s+)?[\w.]+\s*\)/g)]
        .filter((r) => r[2] || r[3])
        .map((r) => r[1]!);
      services.push({ name: m[1]!, streaming });
    }
    facts.proto = { package: /\bpackage\s+([\w.]+)\s*;/.exec(text)?.[1], services };
  },
};
