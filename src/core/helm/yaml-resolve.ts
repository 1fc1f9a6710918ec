// gopkg.in/yaml.v2's resolve(): would this plain string read back as something other than a string
// (bool, null, int, float, timestamp, merge key, base-60 float)? Then toYaml must quote it.

const MAP = new Set([
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'true',
  'True',
  'TRUE',
  'on',
  'On',
  'ON',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'false',
  'False',
  'FALSE',
  'off',
  'Off',
  'OFF',
  '',
  '~',
  'null',
  'Null',
  'NULL',
  '.nan',
  '.NaN',
  '.NAN',
  '.inf',
  '.Inf',
  '.INF',
  '+.inf',
  '+.Inf',
  '+.INF',
  '-.inf',
  '-.Inf',
  '-.INF',
  '<<',
]);

const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
/** strconv.ParseInt / ParseUint with base 0, after underscores were removed. */
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]*|0[bB][01]+|[1-9][0-9]*)$/;
const GO_FLOAT_DOT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;
const TIMESTAMP =
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(([Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]+)?(Z|[-+][0-9]{2}:[0-9]{2}))|( [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]+)?))?$/;

function validDate(s: string): boolean {
  const m = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})/.exec(s)!;
  const mon = Number(m[2]);
  const day = Number(m[3]);
  const days = [
    31,
    Number(m[1]) % 4 === 0 && (Number(m[1]) % 100 !== 0 || Number(m[1]) % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  return mon >= 1 && mon <= 12 && day >= 1 && day <= days[mon - 1]!;
}

export function resolvesNonString(s: string): boolean {
  if (MAP.has(s)) return true;
  if (BASE60.test(s)) return true;
  const c = s[0]!;
  if (c === '.') return GO_FLOAT_DOT.test(s);
  if (c !== '+' && c !== '-' && !(c >= '0' && c <= '9')) return false;
  if (TIMESTAMP.test(s) && validDate(s)) return true;
  const plain = s.replace(/_/g, '');
  if (GO_INT.test(plain)) return true;
  if (YAML_FLOAT.test(plain)) return true;
  if (/^-?0[bB][01]+$/.test(plain)) return true;
  return false;
}
