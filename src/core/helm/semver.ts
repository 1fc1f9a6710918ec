// Masterminds/semver v3 as Sprig's semverCompare uses it: lenient versions (v prefix, missing parts),
// constraints with = != > < >= <= ~ ^, x-ranges, hyphen ranges, `,`/space AND and `||` OR, and its rule
// that a prerelease version only satisfies constraints that carry a prerelease themselves.

export interface Version {
  major: number;
  minor: number;
  patch: number;
  pre: string;
  meta: string;
  original: string;
}

const VERSION = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;

export function parseVersion(s: string): Version | undefined {
  const m = VERSION.exec(s.trim());
  if (!m) return undefined;
  return {
    major: Number(m[1]),
    minor: m[2] ? Number(m[2].slice(1)) : 0,
    patch: m[3] ? Number(m[3].slice(1)) : 0,
    pre: m[5] ?? '',
    meta: m[8] ?? '',
    original: s,
  };
}

function comparePre(a: string, b: string): number {
  if (a === b) return 0;
  if (!a) return 1;
  if (!b) return -1;
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny && Number(x) !== Number(y)) return Number(x) < Number(y) ? -1 : 1;
    if (nx !== ny) return nx ? -1 : 1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function compareVersions(a: Version, b: Version): number {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  return comparePre(a.pre, b.pre);
}

interface Constraint {
  op: string;
  con: Version;
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

const isX = (s: string | undefined): boolean => s === 'x' || s === 'X' || s === '*';
const CONSTRAINT =
  /^\s*(=|!=|>=|=>|<=|=<|>|<|~>|~|\^)?\s*v?([0-9xX*]+)(\.[0-9xX*]+)?(\.[0-9xX*]+)?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?\s*$/;

function parseConstraint(s: string): Constraint | undefined {
  const m = CONSTRAINT.exec(s);
  if (!m) return undefined;
  const [, op = '', maj, min, pat, pre = ''] = m;
  let dirty = false,
    minorDirty = false,
    patchDirty = false;
  let ver: string;
  if (isX(maj)) {
    ver = `0.0.0${pre}`;
    dirty = true;
  } else if (!min || isX(min.slice(1))) {
    ver = `${maj}.0.0${pre}`;
    dirty = minorDirty = true;
  } else if (!pat || isX(pat.slice(1))) {
    ver = `${maj}${min}.0${pre}`;
    dirty = patchDirty = true;
  } else ver = `${maj}${min}${pat}${pre}`;
  const con = parseVersion(ver);
  return con && { op, con, dirty, minorDirty, patchDirty };
}

function check(v: Version, c: Constraint): boolean {
  const k = c.con;
  if (v.pre && !k.pre) return false;
  const cmp = compareVersions(v, k);
  switch (c.op) {
    case '':
    case '=':
      if (c.dirty) {
        if (k.major !== v.major) return false;
        if (c.minorDirty) return true;
        if (k.minor !== v.minor) return false;
        return true;
      }
      return cmp === 0;
    case '!=':
      if (c.dirty) {
        if (k.major !== v.major) return true;
        if (c.minorDirty) return false;
        return k.minor !== v.minor;
      }
      return cmp !== 0;
    case '>':
      if (!c.dirty) return cmp > 0;
      if (v.major !== k.major) return v.major > k.major;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > k.minor;
      return cmp > 0;
    case '<':
      return cmp < 0;
    case '>=':
    case '=>':
      return cmp >= 0;
    case '<=':
    case '=<':
      if (!c.dirty) return cmp <= 0;
      if (v.major > k.major) return false;
      if (v.major === k.major && v.minor > k.minor && !c.minorDirty) return false;
      return true;
    case '~':
    case '~>':
      if (cmp < 0) return false;
      if (k.major === 0 && k.minor === 0 && k.patch === 0 && !c.minorDirty && !c.patchDirty) return true;
      if (v.major !== k.major) return false;
      return v.minor === k.minor || c.minorDirty;
    case '^':
      if (cmp < 0) return false;
      if (k.major > 0 || c.minorDirty) return v.major === k.major;
      if (k.minor > 0 || c.patchDirty) return v.major === 0 && v.minor === k.minor;
      return v.major === 0 && v.minor === 0 && v.patch === k.patch;
  }
  return false;
}

/** Does `version` satisfy `constraint`? undefined when either does not parse. */
export function semverSatisfies(constraint: string, version: string): boolean | undefined {
  const v = parseVersion(version);
  if (!v) return undefined;
  let any = false;
  for (const group of constraint.split('||')) {
    const g = group
      .trim()
      .replace(/(\S+)\s+-\s+(\S+)/g, '>=$1 <=$2')
      .replace(/(>=|<=|!=|=>|=<|~>|[=><~^])\s+/g, '$1');
    const ands: Constraint[] = [];
    for (const t of g.split(/[\s,]+/).filter(Boolean)) {
      const c = parseConstraint(t);
      if (!c) return undefined;
      ands.push(c);
    }
    if (ands.length === 0) return undefined;
    if (ands.every((c) => check(v, c))) any = true;
  }
  return any;
}
