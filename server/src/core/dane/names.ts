/**
 * Name helpers of the DANE and mail-policy stages' loops over every MX record and RRset: the
 * same answers as names.ts (wireName, nameKey, isAtOrBelow, nameLabels), with no string or
 * array made per call where a name has only plain characters (the common case); any other name
 * goes to names.ts.
 */
import { KeyText } from '../pipeline/keyText';
import { nameKey, nameLabels, wireLengthOf, wireName } from '../names';
import { freshList } from '../pipeline/fresh';

/** Char codes of a name read from wire form (reused: a name has at most 255 octets). */
const codes = new Uint16Array(256);

/** A plain octet (one that wireName writes as itself): letters, digits, `-`, `_`, `/`, `*`. */
function plain(b: number): boolean {
  return (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x5f || b === 0x2f || b === 0x2a;
}

/** A name read from wire form: as wireName writes it, and its nameKey. */
export interface WireNameKey {
  name: string;
  key: string;
}

/** A WireNameKey, made per MX record (a class: no allocation site, pipeline/fresh.ts). */
class NameKey implements WireNameKey {
  constructor(readonly name: string, readonly key: string) {}
}

/**
 * The name at `from` of `d` (wireName's result) with its key, or undefined where wireName gives
 * undefined. The key is the same string as the name when the name has no capital letter.
 * `end`: where the wire form ends in `d` (a record's wire form read in place in a slab: wireSpanOf).
 */
export function wireNameKey(d: Uint8Array, from: number, end = d.length): WireNameKey | undefined {
  let n = 0;
  let upper = false;
  let p = from;
  for (let guard = 0; guard < 128; guard++) {
    if (p >= end) return undefined;
    const len = d[p];
    if (len === 0) {
      if (n === 0) return new NameKey('.', '.');
      const name = String.fromCharCode.apply(null, codes.subarray(0, n) as unknown as number[]);
      return new NameKey(name, upper ? nameKey(name) : name);
    }
    if (len & 0xc0 || p + 1 + len > end) return undefined;
    if (n + len + 1 > codes.length) return slowNameKey(d, from, end);
    for (let i = p + 1; i <= p + len; i++) {
      const b = d[i];
      if (!plain(b)) return slowNameKey(d, from, end);
      if (b <= 0x5a && b >= 0x41) upper = true;
      codes[n++] = b;
    }
    codes[n++] = 0x2e;
    p += len + 1;
  }
  return undefined;
}

function slowNameKey(d: Uint8Array, from: number, end: number): WireNameKey | undefined {
  const name = wireName(end === d.length ? d : d.subarray(0, end), from);
  return name === undefined ? undefined : new NameKey(name, nameKey(name));
}

/** isAtOrBelow(name, zone) for a fixed zone, asked with nameKey(name): no string made per call. */
export function atOrBelowTest(zone: string): (key: string) => boolean {
  const z = nameKey(zone);
  if (z === '.') return () => true;
  const dot = '.' + z;
  const escaped = '\\.' + z;
  return (n) => n === z || (n.endsWith(dot) && !n.endsWith(escaped));
}

/** atOrBelowTest(zone) asked with a key's characters (pipeline/keyText.ts: no string made per call). */
export function atOrBelowTextTest(zone: string): (t: KeyText, n: number) => boolean {
  const z = nameKey(zone);
  if (z === '.') return () => true;
  return (t, n) => {
    const d = n - z.length;
    if (d < 0) return false;
    const codes = t.codes, at = t.at + d;
    for (let j = 0; j < z.length; j++) if (codes[at + j] !== z.charCodeAt(j)) return false;
    // (the key itself, or below a dot that is not escaped)
    return d === 0 || (codes[at - 1] === 0x2e && (d < 2 || codes[at - 2] !== 0x5c));
  };
}

/** The labels of a normalized absolute name (nameLabels). */
export function labelsOf(name: string): string[] {
  if (name === '.' || name.indexOf('\\') >= 0 || !name.endsWith('.')) return nameLabels(name);
  const out = name.split('.');
  out.pop();
  return out;
}

/** The first `n` labels of a normalized absolute name (fewer when it has fewer): nameLabels(name).slice(0, n). */
export function headLabels(name: string, n: number): string[] {
  if (name === '.' || name.indexOf('\\') >= 0 || !name.endsWith('.')) return nameLabels(name).slice(0, n);
  // (made per TLSA RRset: no allocation site, pipeline/fresh.ts)
  const out = freshList<string>();
  for (let at = 0; out.length < n && at < name.length;) {
    const dot = name.indexOf('.', at);
    out.push(name.slice(at, dot));
    at = dot + 1;
  }
  return out;
}

/** The name without its first `n` labels (absolute; `.` when none is left). */
export function parentName(owner: string, n: number): string {
  if (owner !== '.' && owner.indexOf('\\') < 0 && owner.endsWith('.')) {
    let at = 0;
    for (let k = 0; k < n; k++) {
      const dot = owner.indexOf('.', at);
      if (dot < 0 || dot === owner.length - 1) return '.';
      at = dot + 1;
    }
    return owner.slice(at);
  }
  const labels = nameLabels(owner).slice(n);
  return labels.length ? labels.join('.') + '.' : '.';
}


/** Octets of a normalized absolute name in wire form (wireLengthOf). */
export function wireLength(name: string): number {
  return name !== '.' && name.indexOf('\\') < 0 && name.endsWith('.') ? name.length + 1 : wireLengthOf(name);
}
