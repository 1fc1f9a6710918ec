// Template functions about emptiness, defaults, types and Helm's control functions (required, fail,
// lookup), plus the functions whose result is unknowable offline (random, time, crypto, DNS).

import { def, pure, strval, unknown, type FnTable } from './call.js';
import { deepEqual, goKind, goType, truth, Unknown, type Val } from './value.js';

const UNKNOWABLE: Record<string, [number, number, string]> = {
  lookup: [4, 4, 'lookup reads the cluster'],
  randAlphaNum: [1, 1, 'random'],
  randAlpha: [1, 1, 'random'],
  randNumeric: [1, 1, 'random'],
  randAscii: [1, 1, 'random'],
  randBytes: [1, 1, 'random'],
  randInt: [2, 2, 'random'],
  shuffle: [1, 1, 'random'],
  uuidv4: [0, 0, 'random'],
  now: [0, 0, 'the current time'],
  date: [2, 2, 'a date'],
  dateInZone: [3, 3, 'a date'],
  htmlDate: [1, 1, 'a date'],
  htmlDateInZone: [2, 2, 'a date'],
  dateModify: [2, 2, 'a date'],
  mustDateModify: [2, 2, 'a date'],
  toDate: [2, 2, 'a date'],
  mustToDate: [2, 2, 'a date'],
  unixEpoch: [1, 1, 'a date'],
  duration: [1, 1, 'a duration'],
  durationRound: [1, 1, 'a duration'],
  ago: [1, 1, 'the current time'],
  genPrivateKey: [1, 1, 'a generated key'],
  genCA: [2, 2, 'a generated certificate'],
  genCAWithKey: [3, 3, 'a generated certificate'],
  genSelfSignedCert: [4, 4, 'a generated certificate'],
  genSelfSignedCertWithKey: [5, 5, 'a generated certificate'],
  genSignedCert: [5, 5, 'a generated certificate'],
  genSignedCertWithKey: [6, 6, 'a generated certificate'],
  derivePassword: [5, 5, 'a derived password'],
  buildCustomCert: [2, 2, 'a certificate'],
  encryptAES: [2, 2, 'encryption'],
  decryptAES: [2, 2, 'encryption'],
  bcrypt: [1, 1, 'a password hash'],
  htpasswd: [2, 3, 'a password hash'],
  getHostByName: [1, 1, 'DNS'],
  toToml: [1, 1, 'toToml is not rendered offline'],
  fromToml: [1, 1, 'fromToml is not rendered offline'],
};

function unknowable(): FnTable {
  const t: FnTable = {};
  for (const [name, [min, max, reason]] of Object.entries(UNKNOWABLE)) t[name] = def(min, max, () => unknown(`${name}: ${reason}`));
  return t;
}

/** Sprig's empty (nil, false, 0, "", empty list/map); undefined when unknown. */
export function isEmptyVal(x: Val): boolean | undefined {
  const t = truth(x.v);
  return t === undefined ? undefined : !t;
}

export const coreFuncs: FnTable = {
  ...unknowable(),
  default: def(1, 2, (_c, [d, given]) => {
    if (!given) return d!;
    const empty = isEmptyVal(given);
    if (empty === undefined) return given;
    return empty ? d! : given;
  }),
  empty: def(1, 1, (_c, [x]) => {
    const e = isEmptyVal(x!);
    return e === undefined ? unknown(`empty of an unknown value (${(x!.v as Unknown).reason})`) : { v: e };
  }),
  coalesce: def(0, Infinity, (_c, args) => {
    for (const a of args) {
      const e = isEmptyVal(a);
      if (e === undefined) return a;
      if (!e) return a;
    }
    return { v: null };
  }),
  ternary: def(3, 3, (_c, [vt, vf, cond]) => {
    const t = truth(cond!.v);
    if (t === undefined) return unknown(`ternary on an unknown condition (${(cond!.v as Unknown).reason})`);
    return t ? vt! : vf!;
  }),
  not: def(1, 1, (_c, [x]) => {
    const t = truth(x!.v);
    if (t === undefined) {
      const u = x!.v as Unknown;
      return { v: new Unknown(u.reason, u.truth === undefined ? undefined : !u.truth) };
    }
    return { v: !t };
  }),
  required: def(2, 2, (c, [msg, x]) => {
    const v = x!.v;
    if (v === null || v === undefined || v === '') {
      const m = strval(c, msg!);
      c.diag(`required: ${m}`, 'required');
      return unknown(`required value is missing: ${m}`);
    }
    return x!;
  }),
  fail: def(1, 1, (c, [msg]) => {
    const m = strval(c, msg!);
    c.diag(`fail: ${m}`, 'fail');
    return unknown(`fail: ${m}`);
  }),
  typeOf: def(1, 1, (_c, [x]) => ({ v: goType(x!.v, x!.float) })),
  kindOf: def(1, 1, (_c, [x]) => ({ v: goKind(x!.v, x!.float) })),
  kindIs: def(2, 2, (c, [k, x]) =>
    x!.v instanceof Unknown ? unknown('kindIs of an unknown value') : { v: strval(c, k!) === goKind(x!.v, x!.float) },
  ),
  typeIs: def(2, 2, (c, [t, x]) =>
    x!.v instanceof Unknown ? unknown('typeIs of an unknown value') : { v: strval(c, t!) === goType(x!.v, x!.float) },
  ),
  typeIsLike: def(2, 2, (c, [t, x]) => {
    if (x!.v instanceof Unknown) return unknown('typeIsLike of an unknown value');
    const want = strval(c, t!);
    const got = goType(x!.v, x!.float);
    return { v: want === got || want === `*${got}` };
  }),
  deepEqual: pure(2, 2, (a, b) => deepEqual(a, b)),
  // Go builtins that have no use offline.
  call: def(1, Infinity, () => unknown('call is not supported')),
};
