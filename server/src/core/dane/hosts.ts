/**
 * What a full DANE run knows per host key (dane/checks.ts startDane): HOST_SMTP_TLSA when
 * `_25._tcp.<host>` has TLSA records, HOST_MX when the host is an MX target, HOST_CNAME when a
 * CNAME record is at the host (marked only for hosts already in the table). One lookup per name
 * gives the host's entry; its facts are bits by entry, so marking a known host is no second
 * lookup (most MX targets are TLSA hosts already).
 *
 * The table is the run's own: open addressing over the hosts' keys, held as characters where
 * they are (a TLSA owner's key is read from the rows' store as characters, pipeline/keyText.ts:
 * no string made, nothing copied per host), probed by an FNV-1a hash of the key's characters (kept in the slot beside the entry). An MX target is looked up from its
 * wire form (`markMxWire`): its characters are hashed and compared as they are read, so no
 * string is made for it either (the bench zone's 126k MX records made one each, then looked it
 * up in the zone-wide checker's table of every owner). test/unit/dane-facts.test.ts holds the
 * table to a map of keys, and the wire lookup to wireNameKey's.
 */

import { KEY_OCTET } from '../checks/targetHash';
import { KeyText, textOf } from '../pipeline/keyText';

/** KEY_OCTET held here (an imported binding is read from the other module's exports at each use). */
const OCTETS = KEY_OCTET;

const SMTP = 1, MX = 2, CNAME = 4, INSIDE = 8;
export const HOST_SMTP_TLSA = SMTP, HOST_MX = MX, HOST_CNAME = CNAME;
/** In markMxWire's result: the target is at or below the zone's origin. */
export const MX_INSIDE = INSIDE;
/** markMxWire's result for a name it does not read (not plain, the root, unreadable): the caller reads it as a string. */
export const NOT_PLAIN = -1;

/** Character codes of the key being looked up (an MX target read from its wire form has at most 255). */
let codes = new Uint16Array(256);

/** A key given as a string, copied into characters (markSmtpTlsa, markCname: the text readers' own). */
const keyText = new KeyText();

function fnv(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}

const NEAR_BITS = 1 << 14;

/** The bit in HostFacts.near of a key of `n` characters, the first two `c0` and `c1` (0 past its end): hashed. */
function nearBit(n: number, c0: number, c1: number): number {
  return (Math.imul(n, 961) + Math.imul(c0, 31) + c1) & (NEAR_BITS - 1);
}

export class HostFacts {
  /** Per slot, side by side (one cache line): the entry's hash, and 1 + the entry (0: a free slot). */
  private slots: Int32Array;
  /**
   * Per entry: the array holding its key's characters (a TLSA owner's key lent by the rows'
   * store, pipeline/keyText.ts: no string made and nothing copied; else `chars`), where they
   * start there, and how many.
   */
  private arrays: Uint16Array[];
  private starts: Int32Array;
  private lengths: Int32Array;
  private flags: Uint8Array;
  private n = 0;
  /** The characters of the keys that were not lent (MX targets read from their wire form, keys given as strings), one after the other. */
  private chars = new Uint16Array(4096);
  private used = 0;
  /** The zone origin's key (nameKey), when MX_INSIDE is asked for. */
  private readonly origin?: string;
  /**
   * A bit per (length, first two characters) of the keys in the table (nearBit): markCname's first
   * test, as most CNAME owners are no host asked about (the bench zone's 84k `www` names).
   */
  private readonly near = new Int32Array(NEAR_BITS >>> 5);

  /** `expected`: about how many hosts (grows past it); `originKey`: the zone origin's key, for markMxWire's MX_INSIDE. */
  constructor(expected = 0, originKey?: string) {
    // (slots at most 70 % full: 2^k of them, room for 0.7 * 2^k entries)
    let slots = 64;
    while (7 * slots < 10 * expected) slots *= 2;
    const size = Math.floor(0.7 * slots);
    this.slots = new Int32Array(2 * slots);
    this.starts = new Int32Array(size);
    this.lengths = new Int32Array(size);
    this.flags = new Uint8Array(size);
    // (of its full size at once: an array grown by push leaves its old stores to the next full GC, which a CLI run rarely has)
    this.arrays = new Array<Uint16Array>(size);
    this.origin = originKey;
  }

  /** Copies `key.slice(from)` into `codes`; returns its hash. */
  private static load(key: string, from: number): number {
    const n = key.length - from;
    if (n > codes.length) codes = new Uint16Array(2 * n);
    let h = 0x811c9dc5;
    for (let j = 0; j < n; j++) {
      const c = key.charCodeAt(from + j);
      codes[j] = c;
      h = fnv(h, c);
    }
    return h | 0;
  }

  /** The hash of the `n` characters of `src` from `at`. */
  private static hash(src: Uint16Array, at: number, n: number): number {
    let h = 0x811c9dc5;
    for (let j = 0; j < n; j++) h = fnv(h, src[at + j]);
    return h | 0;
  }

  /** The entry of the `n` characters of `src` from `at` (hash `h`), or -1. */
  private find(src: Uint16Array, at: number, n: number, h: number): number {
    const slots = this.slots;
    const mask = (slots.length >>> 1) - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const s = slots[2 * i + 1];
      if (s === 0) return -1;
      if (slots[2 * i] !== h || this.lengths[s - 1] !== n) continue;
      const k = this.arrays[s - 1], f = this.starts[s - 1];
      let same = true;
      for (let j = 0; j < n && same; j++) same = k[f + j] === src[at + j];
      if (same) return s - 1;
    }
  }

  /**
   * A new entry for the `n` characters of `src` from `at`, with hash `h` (not in the table):
   * they stay where they are when `lent` (a store's, never overwritten), else they are copied.
   */
  private add(src: Uint16Array, at: number, n: number, h: number, lent: boolean): number {
    const b = nearBit(n, n > 0 ? src[at] : 0, n > 1 ? src[at + 1] : 0);
    this.near[b >>> 5] |= 1 << (b & 31);
    const e = this.n++;
    if (e === this.starts.length) this.grow();
    if (lent) {
      this.arrays[e] = src;
      this.starts[e] = at;
    } else {
      if (this.used + n > this.chars.length) {
        // (a new array: the entries already made keep theirs)
        this.chars = new Uint16Array(Math.max(2 * this.chars.length, n));
        this.used = 0;
      }
      const chars = this.chars, to = this.used;
      for (let j = 0; j < n; j++) chars[to + j] = src[at + j];
      this.arrays[e] = chars;
      this.starts[e] = to;
      this.used = to + n;
    }
    this.lengths[e] = n;
    this.place(e, h);
    return e;
  }

  private place(e: number, h: number): void {
    const slots = this.slots;
    const mask = (slots.length >>> 1) - 1;
    let i = h & mask;
    while (slots[2 * i + 1] !== 0) i = (i + 1) & mask;
    slots[2 * i] = h;
    slots[2 * i + 1] = e + 1;
  }

  /** Twice the slots, and room for 70 % of them, every entry placed again. */
  private grow(): void {
    const old = this.slots;
    const size = Math.floor(0.7 * old.length);
    const starts = new Int32Array(size), lengths = new Int32Array(size), flags = new Uint8Array(size);
    starts.set(this.starts);
    lengths.set(this.lengths);
    flags.set(this.flags);
    this.starts = starts;
    this.lengths = lengths;
    this.flags = flags;
    const arrays = new Array<Uint16Array>(size);
    for (let e = 0; e < this.n; e++) arrays[e] = this.arrays[e];
    this.arrays = arrays;
    this.slots = new Int32Array(2 * old.length);
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== 0) this.place(old[i + 1] - 1, old[i]);
  }

  /** The entry of the `n` characters in `codes` (hash `h`), added (copied) when new. */
  private entry(n: number, h: number): number {
    const e = this.find(codes, 0, n, h);
    return e >= 0 ? e : this.add(codes, 0, n, h, false);
  }

  /** `_25._tcp.<host>` has TLSA records, the host's key being `key.slice(from)`; returns its entry. */
  markSmtpTlsa(key: string, from = 0): number {
    return this.markSmtpTlsaText(keyText, from, textOf(key, keyText));
  }

  /** markSmtpTlsa of the characters `from` to `end` of `text` (a key read without its string: pipeline/keyText.ts). */
  markSmtpTlsaText(text: KeyText, from: number, end: number): number {
    const src = text.codes, at = text.at + from, n = end - from;
    const h = HostFacts.hash(src, at, n);
    let e = this.find(src, at, n, h);
    if (e < 0) e = this.add(src, at, n, h, text.lent);
    this.flags[e] |= SMTP;
    return e;
  }

  /** Marks `key` an MX target; returns its facts before. */
  markMx(key: string): number {
    const e = this.entry(key.length, HostFacts.load(key, 0));
    const had = this.flags[e];
    this.flags[e] = had | MX;
    return had;
  }

  /**
   * markMx of the name at `from` in `d` (an MX target's wire form ending at `end`), read from
   * its octets when every label holds only plain octets (letters, digits, `-`, `_`, `/`, `*`:
   * its key is then those octets lowercased, dots between): its facts before, with MX_INSIDE
   * when it is at or below the origin. NOT_PLAIN for any other name (the root, an unreadable
   * one, one with other octets).
   */
  markMxWire(d: Uint8Array, from: number, end: number): number {
    let n = 0;
    let h = 0x811c9dc5;
    let p = from;
    for (;;) {
      if (p >= end) return -1;
      const len = d[p];
      if (len === 0) break;
      if (len & 0xc0 || p + 1 + len > end || n + len + 1 > 255) return -1;
      for (let i = p + 1; i <= p + len; i++) {
        const b = OCTETS[d[i]];
        if (b === 0) return -1;
        codes[n++] = b;
        h = fnv(h, b);
      }
      codes[n++] = 0x2e;
      h = fnv(h, 0x2e);
      p += len + 1;
    }
    if (n === 0) return -1;
    h |= 0;
    const e = this.entry(n, h);
    const had = this.flags[e];
    this.flags[e] = had | MX;
    return this.origin !== undefined && this.inside(n) ? had | INSIDE : had;
  }

  /** The `n` characters in `codes` are the origin's key or end with `.` and it (atOrBelowTest: plain characters have no backslash). */
  private inside(n: number): boolean {
    const z = this.origin!;
    if (z === '.') return true;
    const at = n - z.length;
    if (at < 0 || (at > 0 && codes[at - 1] !== 0x2e)) return false;
    for (let j = 0; j < z.length; j++) if (codes[at + j] !== z.charCodeAt(j)) return false;
    return true;
  }

  /** Marks `key` a CNAME owner when it is in the table (a host asked about); the others are not added. */
  markCname(key: string): void {
    this.markCnameText(keyText, textOf(key, keyText));
  }

  /** markCname of the `n` characters of `text` (a key read without its string: pipeline/keyText.ts). */
  markCnameText(text: KeyText, n: number): void {
    const src = text.codes, at = text.at;
    if (!this.isNear(n, n > 0 ? src[at] : 0, n > 1 ? src[at + 1] : 0)) return;
    const e = this.find(src, at, n, HostFacts.hash(src, at, n));
    if (e >= 0) this.flags[e] |= CNAME;
  }

  /** A key of `n` characters starting `c0`, `c1` may be in the table (its near bit is set). */
  private isNear(n: number, c0: number, c1: number): boolean {
    const b = nearBit(n, c0, c1);
    return (this.near[b >>> 5] & (1 << (b & 31))) !== 0;
  }

  /** The facts of an entry (markSmtpTlsa's). */
  at(e: number): number {
    return this.flags[e];
  }

  /** The facts of a host key (0: none). */
  get(key: string): number {
    const e = this.find(codes, 0, key.length, HostFacts.load(key, 0));
    return e < 0 ? 0 : this.flags[e];
  }
}
