// Reproducible installs: no dependency, direct or transitive, may be resolved from a dist-tag ("latest",
// "next"): npm ci rejects the lock as soon as the tag moves (how jschardet broke every fresh clone).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths.js';

/** A version spec npm resolves without a registry tag: a semver range, a URL, a path, an alias to a range. */
function pinnedSpec(spec: string): boolean {
  if (/^(npm:[^@]+@)/.test(spec)) return pinnedSpec(spec.replace(/^npm:(@?[^@]+)@/, ''));
  if (/^(https?:|git(\+\w+)?:|github:|file:|link:|workspace:)/.test(spec)) return true;
  if (spec.trim() === '' || spec.trim() === '*') return true;
  return /^[\s\dxX*^~<>=|.,vV-]+$/.test(spec) || /^[\s\dxX*^~<>=|.v-]*\d[\w.+-]*(\s*(\|\||-)\s*[\d^~<>=v][\w.+-]*)*\s*$/.test(spec);
}

describe('package-lock.json', () => {
  const lock = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<
      string,
      { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string> }
    >;
  };
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    overrides?: Record<string, Record<string, string>>;
  };

  it('resolves no dependency from a dist-tag', () => {
    const overridden = new Set(Object.values(pkg.overrides ?? {}).flatMap((o) => Object.keys(o)));
    const tagged: string[] = [];
    for (const [where, entry] of Object.entries(lock.packages)) {
      for (const [name, spec] of Object.entries({ ...entry.dependencies, ...entry.optionalDependencies })) {
        if (!pinnedSpec(spec) && !overridden.has(name)) tagged.push(`${where || '(root)'} → ${name}@${spec}`);
      }
    }
    assert.deepEqual(tagged, []);
  });

  it('the spec check itself tells tags from ranges', () => {
    for (const ok of ['1.2.3', '^0.27.1', '~4.1', '>=9.0.0', '1.x', '*', '^8.57.0 || ^9.0.0', '1.0.0-beta.0', 'npm:string-width@^4.2.0'])
      assert.ok(pinnedSpec(ok), ok);
    for (const bad of ['latest', 'next', 'beta', 'npm:foo@latest']) assert.ok(!pinnedSpec(bad), bad);
  });
});
