// Where things are, for tests: compiled tests run from dist/test/**, sources and fixtures stay in the repo.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root (the folder holding package.json), whether running from dist/ or not. */
export const repoRoot = here.includes(`${path.sep}dist${path.sep}`)
  ? here.slice(0, here.lastIndexOf(`${path.sep}dist${path.sep}`))
  : path.resolve(here, '../..');
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures');
