/** Key hashes of target names, read from the wire form without making the key string (the zone-rules stage's lookups; issue 11/13). */
import { nameKey, wireName } from '../names';
// Target names are looked up by a hash of their key, read from the wire form: most targets of a
// large zone (MX hosts) are no alias, and are told so without making their key string.

const FNV_OFFSET = 0x811c9dc5, FNV_PRIME = 0x01000193;
// A second, independent hash beside FNV-1a (other basis and multiplier): a target is looked up by
// the pair, so a chance match (which makes the stage read records again) is ~2^-64 per pair.
const H2_OFFSET = 0x9747b28c, H2_PRIME = 0x5bd1e995;
/** wireKeyHash's answer for a name it cannot hash without making its key (escapes, bad data). */
export const NOT_PLAIN = -1;

/** FNV-1a of a key (nameKey form: lowercase, escapes as nameKey writes them). */
export function keyHash(key: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** The second hash of a key. */
export function keyHash2(key: string): number {
  let h = H2_OFFSET;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), H2_PRIME);
  return h >>> 0;
}

/**
 * keyHash2 of the name wireKeyHash last hashed (set by it: no pair allocated per name). Held in
 * a typed array: a module's exported `let` is a property of its exports object, and a hash past
 * 2^30 stored there is a new heap number each time (a third of wireKeyHash's time).
 */
const HASH2 = new Uint32Array(1);
export function wireHash2(): number {
  return HASH2[0];
}

/**
 * keyHash(wireKeyAt(d, p)) for a name of plain octets, without making the key (and keyHash2 in
 * `wireHash2`); NOT_PLAIN otherwise. The name is read before `end` (a record's end in a slab).
 */
export function wireKeyHash(d: Uint8Array, p: number, end = d.length): number {
  let h = FNV_OFFSET;
  let g = H2_OFFSET;
  if (p < end && d[p] === 0) { HASH2[0] = keyHash2('.'); return keyHash('.'); }
  for (let guard = 0; guard < 128; guard++) {
    if (p >= end) return NOT_PLAIN;
    const len = d[p];
    if (len === 0) { HASH2[0] = g; return h >>> 0; }
    if (len & 0xc0 || p + 1 + len > end) return NOT_PLAIN;
    for (let i = p + 1; i <= p + len; i++) {
      // (one table read: the octet as its key has it, or 0; twice as fast as plainOctet's tests)
      const b = OCTETS[d[i]];
      if (b === 0) return NOT_PLAIN;
      h = Math.imul(h ^ b, FNV_PRIME);
      g = Math.imul(g ^ b, H2_PRIME);
    }
    h = Math.imul(h ^ 0x2e, FNV_PRIME);
    g = Math.imul(g ^ 0x2e, H2_PRIME);
    p += len + 1;
  }
  return NOT_PLAIN;
}

/**
 * A set of key hash pairs (open addressing in one typed array, probed by the first hash), with a
 * bitmap of 16 bits a pair in front: most pairs asked and not there (most targets are no alias)
 * are told so by one bit, in a table small enough to stay in the cache.
 */
export class KeyHashSet {
  private readonly slots: Uint32Array;
  private readonly mask: number;
  private readonly bits: Int32Array;
  private readonly bitMask: number;
  size = 0;
  constructor(n: number) {
    let size = 16;
    while (size < 2 * n) size *= 2;
    this.slots = new Uint32Array(2 * size);
    this.mask = size - 1;
    this.bits = new Int32Array(size / 4);
    this.bitMask = 8 * size - 1;
  }
  add(h: number, h2: number): void {
    const v = h === 0 ? 1 : h;
    const b = (v ^ h2) & this.bitMask;
    this.bits[b >>> 5] |= 1 << (b & 31);
    for (let i = v & this.mask; ; i = (i + 1) & this.mask) {
      const s = this.slots[2 * i];
      if (s === v && this.slots[2 * i + 1] === h2) return;
      if (s === 0) { this.slots[2 * i] = v; this.slots[2 * i + 1] = h2; this.size++; return; }
    }
  }
  has(h: number, h2: number): boolean {
    const v = h === 0 ? 1 : h;
    const b = (v ^ h2) & this.bitMask;
    if ((this.bits[b >>> 5] & (1 << (b & 31))) === 0) return false;
    for (let i = v & this.mask; ; i = (i + 1) & this.mask) {
      const s = this.slots[2 * i];
      if (s === v && this.slots[2 * i + 1] === h2) return true;
      if (s === 0) return false;
    }
  }
}

/** A growable list of 32-bit numbers. */
export class U32List {
  data = new Uint32Array(256);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) { const d = new Uint32Array(this.length * 2); d.set(this.data); this.data = d; }
    this.data[this.length++] = v;
  }
}

/** A name octet that keys as itself (lowercase letters, digits, `-`, `_`, `*`, `/`); uppercase letters are lowered after. */
export function plainOctet(b: number): boolean {
  return (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x5f || b === 0x2a || b === 0x2f || (b >= 0x41 && b <= 0x5a);
}

/**
 * Per octet: the octet a plain name's key has for it (plainOctet's, uppercase letters lowered),
 * or 0 for any other octet. The wire readers (wireKeyHash, wireKeyAt, dane/hosts.ts markMxWire)
 * read it instead of plainOctet's tests; test/unit/zoneRules-hash.test.ts holds it to them.
 */
const OCTETS = new Uint8Array(256);
for (let b = 0; b < 256; b++) if (plainOctet(b)) OCTETS[b] = b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
// (read here as the module's own constant: an exported one is read from the exports object at each octet, as slow as the tests it replaces)
export const KEY_OCTET: Readonly<Uint8Array> = OCTETS;

/**
 * The key (nameKey of the normalized name) of the uncompressed name at `p` in wire data: one
 * string per label for plain names, wireName for the rest. Read from the wire form, so the
 * streaming CLI's compact records never read their tokens again unless a finding is reported.
 * The name is read before `end` (a record's end in a slab).
 */
export function wireKeyAt(d: Uint8Array, p: number, end = d.length): string | undefined {
  const from = p;
  let s = '';
  for (let guard = 0; guard < 128; guard++) {
    if (p >= end) return undefined;
    const len = d[p];
    if (len === 0) return s === '' ? '.' : s.toLowerCase();
    if (len & 0xc0 || p + 1 + len > end) return undefined;
    for (let i = p + 1; i <= p + len; i++) {
      if (OCTETS[d[i]] === 0) { const n = wireName(end === d.length ? d : d.subarray(0, end), from); return n === undefined ? undefined : nameKey(n); }
    }
    s += String.fromCharCode.apply(null, d.subarray(p + 1, p + 1 + len) as unknown as number[]) + '.';
    p += len + 1;
  }
  return undefined;
}

