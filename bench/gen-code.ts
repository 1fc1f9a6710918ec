// Plain application code for the code-corpus benchmark: Go, Python, TypeScript, Java and C# files that never
// mention grpc, so kubeconn's cheap text test must skip them without parsing. Deterministic (seeded PRNG).
import fs from 'node:fs';
import path from 'node:path';
import { prng } from './gen-k8s.js';

type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;

const NOUNS = ['order', 'cart', 'invoice', 'user', 'session', 'price', 'stock', 'refund', 'coupon', 'report'];
const VERBS = ['load', 'save', 'validate', 'compute', 'render', 'merge', 'split', 'apply', 'fetch', 'index'];

function names(rng: Rng, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${pick(rng, VERBS)}${cap(pick(rng, NOUNS))}${i}`);
}
const cap = (s: string): string => s[0]!.toUpperCase() + s.slice(1);

const RENDERERS: Record<string, (rng: Rng, fns: string[]) => string> = {
  go: (rng, fns) =>
    `// Package store holds the ${pick(rng, NOUNS)} persistence helpers.\npackage store\n\nimport (\n\t"context"\n\t"fmt"\n\t"net/http"\n)\n\n` +
    fns
      .map(
        (f) =>
          `// ${f} handles one request; errors are wrapped with the item id.\nfunc ${cap(f)}(ctx context.Context, id string, items []int) (int, error) {\n\ttotal := 0\n\tfor i, v := range items {\n\t\tif v < 0 {\n\t\t\treturn 0, fmt.Errorf("${f} %s: negative item %d", id, i)\n\t\t}\n\t\ttotal += v * ${Math.floor(rng() * 9) + 1}\n\t}\n\tif ctx.Err() != nil {\n\t\treturn 0, ctx.Err()\n\t}\n\t_ = http.StatusOK\n\treturn total, nil\n}\n`,
      )
      .join('\n'),
  py: (rng, fns) =>
    `"""Helpers for ${pick(rng, NOUNS)} processing."""\nimport json\nimport logging\n\nlog = logging.getLogger(__name__)\n\n\n` +
    fns
      .map(
        (f) =>
          `def ${f}(payload, limit=${Math.floor(rng() * 90) + 10}):\n    """Return the first items of the payload, logged."""\n    items = json.loads(payload) if isinstance(payload, str) else payload\n    out = []\n    for i, item in enumerate(items):\n        if i >= limit:\n            break\n        out.append({"id": item.get("id"), "n": i})\n    log.debug("${f}: %d items", len(out))\n    return out\n`,
      )
      .join('\n\n'),
  ts: (rng, fns) =>
    `// ${cap(pick(rng, NOUNS))} view helpers for the storefront.\nimport { readFile } from 'node:fs/promises';\n\nexport interface Item {\n  id: string;\n  qty: number;\n}\n\n` +
    fns
      .map(
        (f) =>
          `/** Sum quantities above a threshold. */\nexport async function ${f}(file: string, min = ${Math.floor(rng() * 5)}): Promise<number> {\n  const items = JSON.parse(await readFile(file, 'utf8')) as Item[];\n  let total = 0;\n  for (const item of items) {\n    if (item.qty > min) total += item.qty;\n  }\n  return total;\n}\n`,
      )
      .join('\n'),
  java: (rng, fns) => {
    const cls = `${cap(pick(rng, NOUNS))}Service`;
    return (
      `// ${cls}: domain logic, no I/O.\npackage com.example.shop;\n\nimport java.util.List;\nimport java.util.Map;\n\npublic final class ${cls} {\n` +
      fns
        .map(
          (f) =>
            `  /** Counts entries whose value is above the limit. */\n  public static int ${f}(Map<String, Integer> values, List<String> keys) {\n    int count = 0;\n    for (String key : keys) {\n      Integer v = values.get(key);\n      if (v != null && v > ${Math.floor(rng() * 50)}) {\n        count++;\n      }\n    }\n    return count;\n  }\n`,
        )
        .join('\n') +
      '}\n'
    );
  },
  cs: (rng, fns) => {
    const cls = `${cap(pick(rng, NOUNS))}Calculator`;
    return (
      `// ${cls}: pure functions used by the API controllers.\nusing System;\nusing System.Collections.Generic;\n\nnamespace Shop.Domain;\n\npublic static class ${cls}\n{\n` +
      fns
        .map(
          (f) =>
            `    /// <summary>Average of the positive values.</summary>\n    public static double ${cap(f)}(IReadOnlyList<double> values)\n    {\n        double sum = 0; int n = 0;\n        foreach (var v in values)\n        {\n            if (v > ${Math.floor(rng() * 10)}) { sum += v; n++; }\n        }\n        return n == 0 ? 0 : sum / n;\n    }\n`,
        )
        .join('\n') +
      '}\n'
    );
  },
};

/** Write `count` plain code files under dir; returns their absolute paths. */
export function writePlainCode(dir: string, count: number, seed = 7): string[] {
  const rng = prng(seed);
  const exts = Object.keys(RENDERERS);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const ext = exts[i % exts.length]!;
    const text = RENDERERS[ext]!(rng, names(rng, 3 + Math.floor(rng() * 6)));
    if (/grpc/i.test(text)) throw new Error('plain code must not mention grpc');
    const file = path.join(dir, `pkg${i % 50}`, `${pick(rng, NOUNS)}_${i}.${ext}`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    out.push(file);
  }
  return out;
}
