/**
 * The owner names of the streaming zone-wide checker (ZoneChecker, checks/zone.ts), without a
 * string or a Map entry per owner: a million-record zone has ~640k owners, and holding their key
 * strings in a Map cost ~80 MB (strings, the Map's tables and the copies left by its growth) and
 * about half a second. Keys are kept as octets in 64 KiB slabs, found through an
 * open-addressing table of group ids probed by a 32-bit hash; a probe compares the key itself, so
 * two keys with the same hash are never taken for one another. A key is made a string again
 * only when a finding names it (and for the occlusion test, on zones with delegations).
 */

import { keyAtOrBelow } from './zoneRulesCommon';

const CHUNK_BITS = 14, CHUNK = 1 << CHUNK_BITS, CHUNK_MASK = CHUNK - 1;

/**
 * A growable column of 32-bit numbers in chunks of 16k: growing copies nothing and leaves no
 * old copy behind (an outgrown typed array stays in memory until a full GC), and no more than
 * one chunk is allocated ahead. Every column of the CLI's run holds Int32Arrays (OwnerKeys reads
 * its unsigned values with `>>> 0`): the optimized code of `get`/`set`, inlined in the checker's
 * and the collector's per-record code, then sees one kind of array and is not thrown away when
 * another appears.
 */
export class Column<T extends Int32Array | Uint32Array> {
  /**
   * (made as a list of objects from the start: an empty `[]` is a list of small integers until
   * its first push, and a column's first push after that code was optimized for other columns
   * would throw it away)
   */
  private readonly chunks: T[] = objectList<T>();
  constructor(private readonly make: (n: number) => T) {}
  /** The value at `i`; 0 where nothing was set. */
  get(i: number): number {
    // (no read past the list's end: that throws optimized code away once, the first time)
    const k = i >>> CHUNK_BITS;
    return k < this.chunks.length ? this.chunks[k][i & CHUNK_MASK] : 0;
  }
  set(i: number, v: number): void {
    const c = i >>> CHUNK_BITS;
    while (c >= this.chunks.length) this.chunks.push(this.make(CHUNK));
    this.chunks[c][i & CHUNK_MASK] = v;
  }
}

/** An empty array whose elements are already of the kind that holds objects. */
export function objectList<T>(): T[] {
  const a: T[] = [undefined as T];
  a.length = 0;
  return a;
}

/** FNV-1a of a string's UTF-16 code units. */
export function stringHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const SLAB = 1 << 16;

/** FNV-1a of a string's code units from its last to its first (OwnerKeys.maybeBelow). */
export function suffixHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = s.length - 1; i >= 0; i--) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Suffix hashes (suffixHash), asked with a second hash of 0: a Set, or targetHash.ts's KeyHashSet. */
export interface SuffixHashes {
  has(h: number, h2: number): boolean;
}

/**
 * A suffix that keys given to maybeBelow are known to end with, at a label boundary (the zone's
 * apex): its length, suffixHash, and whether it or one of its own suffixes is in the hashes.
 */
export interface KnownSuffix {
  length: number;
  state: number;
  hit: boolean;
}

/** The KnownSuffix of `suffix` (an absolute key with no backslash) for `hashes`. */
export function knownSuffix(suffix: string, hashes: SuffixHashes): KnownSuffix {
  let h = 0x811c9dc5;
  let hit = false;
  for (let i = suffix.length - 1; i >= 0; i--) {
    h = Math.imul(h ^ suffix.charCodeAt(i), 0x01000193);
    if ((i === 0 || suffix.charCodeAt(i - 1) === 0x2e) && hashes.has(h >>> 0, 0)) hit = true;
  }
  return { length: suffix.length, state: h, hit };
}

/** The last step of hash() for a key held short (so it hashes apart from a key of the same octets held whole). */
function shortMix(h: number): number {
  return Math.imul(h ^ 0x2e2e, 0x01000193) >>> 0;
}

/** `off` of a key held as a string (it has a code unit above 0x7f): in `wide`, not in the slab. */
const WIDE = -1;
/** In `len`: the key is held without OwnerKeys' `suffix` (its octets are those before it, the dot included). */
const SHORT = 0x80000000, LENGTH = 0x7fffffff;

/** maybeBelow on a key as a string. */
function maybeBelowKey(key: string, hashes: SuffixHashes): boolean {
  let h = 0x811c9dc5;
  for (let i = key.length - 1; i >= 0; i--) {
    const c = key.charCodeAt(i);
    if (c === 0x5c) return true;
    h = Math.imul(h ^ c, 0x01000193);
    if ((i === 0 || key.charCodeAt(i - 1) === 0x2e) && hashes.has(h >>> 0, 0)) return true;
  }
  return false;
}

/** OwnerKeys.warm has run. */
let warmed = false;

export class OwnerKeys {
  /** Keys' octets (ASCII), one after the other; a key's `off` is slab index * SLAB + position (a key never spans two). */
  private readonly slabs: Uint8Array[] = [];
  /** The position in the last slab. */
  private slabPos = SLAB;
  /**
   * Per id, side by side (2 * id, 2 * id + 1: one cache line, as a probe reads both): where its
   * octets are (WIDE: in `wide`), and their number with SHORT (an Int32Array column: SHORT reads
   * negative).
   */
  private readonly offLen: Column<Int32Array>;
  /** Keys that are not ASCII, by id (rare). */
  private readonly wide = new Map<number, string>();
  /**
   * The suffix most keys end with, held once ('' while none: see useSuffix): a key added after
   * that ends with it, below a dot, keeps only its octets before it (SHORT in `len`).
   */
  private suffix = '';
  /** The number of keys added before the suffix was set (held whole, even below it). */
  private beforeSuffix = 0;
  /**
   * 1 + id in the low `idBits` bits, the key's hash's bits above them as a tag; 0 for a free slot;
   * probed linearly from the hash's low bits. The tag beside the id: a probe tells most other keys
   * apart without reading their columns, in four octets a slot.
   */
  private slots: Int32Array;
  /**
   * One bit per slot, set when the slot is taken (32 times smaller than `slots`, so it stays in
   * the cache): a probe that meets a free slot, as the probe for a new key mostly does, reads
   * only the bit, and the slot is then only written (a write does not wait for its cache line).
   */
  private taken: Int32Array;
  private idMask: number;
  private tagMask: number;
  /** Number of keys (ids are 0 .. size-1, in the order added). */
  size = 0;

  /**
   * `expected`: about how many keys will come (the table is made for them: it need not grow).
   * `idBits`: the bits of a slot for the id (24: up to 16M keys; beyond, the table is made again
   * with 31, and a 1-bit tag).
   */
  constructor(expected = 0, idBits = 24) {
    if (!warmed) {
      warmed = true;
      OwnerKeys.warm();
    }
    let n = 1024;
    while (7 * n < 10 * expected) n *= 2;
    this.slots = new Int32Array(n);
    this.taken = new Int32Array(n >>> 5);
    this.idMask = 2 ** idBits - 1;
    this.tagMask = ~this.idMask;
    this.offLen = new Column((k) => new Int32Array(k));
  }

  /**
   * Keys added from now on that end with `key` below a dot keep only their octets before it (the
   * zone's apex: the checker gives its SOA's owner). Set once; not for the root.
   */
  useSuffix(key: string): void {
    if (this.suffix !== '' || key.length <= 1 || key.length >= SLAB) return;
    this.suffix = key;
    // (the keys already there are hashed again: one below the suffix hashes as if held short)
    this.beforeSuffix = this.size;
    if (this.size > 0) this.rebuild(this.slots.length, 0);
  }

  /** The length of `key` before the suffix (the dot included) when it ends with it below an unescaped dot, else -1. */
  private shortLength(key: string): number {
    const sfx = this.suffix;
    const cut = key.length - sfx.length;
    return sfx !== '' && cut > 1 && key.charCodeAt(cut - 1) === 0x2e && key.charCodeAt(cut - 2) !== 0x5c && key.endsWith(sfx) ? cut : -1;
  }

  /**
   * The table's hash of a key: its stringHash, but for a key below the suffix (see shortLength)
   * the FNV-1a of its octets before the suffix, mixed once more: what a key is held by is hashed.
   */
  hash(key: string): number {
    const cut = this.shortLength(key);
    if (cut < 0) return stringHash(key);
    let h = 0x811c9dc5;
    for (let i = 0; i < cut; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    return shortMix(h);
  }

  private same(id: number, key: string): boolean {
    const l = this.offLen.get(2 * id + 1);
    let n = key.length;
    if (l & SHORT) {
      n -= this.suffix.length;
      if ((l & LENGTH) !== n || !key.endsWith(this.suffix)) return false;
    } else if (l !== n) return false;
    const off = this.offLen.get(2 * id);
    if (off === WIDE) return this.wide.get(id) === key;
    const slab = this.slabs[Math.floor(off / SLAB)];
    const at = off % SLAB;
    for (let i = 0; i < n; i++) if (slab[at + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  /** The id of `key` (`h`: its hash()), or -1. */
  find(key: string, h = this.hash(key)): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    const tagMask = this.tagMask;
    const tag = h & tagMask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const s = slots[i];
      if (s === 0) return -1;
      if ((s & tagMask) === tag && this.same((s & this.idMask) - 1, key)) return (s & this.idMask) - 1;
    }
  }

  /** Whether the last `intern` added its key. */
  fresh = false;

  /**
   * The id of `key`, which is added when absent (`fresh` then says so): one probe for the lookup
   * and the placing (most owners of a large zone are new), and one pass over the key's octets,
   * which hashes them and writes them where a new key's go (kept only if it is new).
   */
  intern(key: string): number {
    const cut = this.shortLength(key);
    const n = cut < 0 ? key.length : cut;
    let h = 0x811c9dc5;
    let ascii = n <= SLAB;
    if (ascii) {
      if (this.slabPos + n > SLAB) {
        this.slabs.push(new Uint8Array(SLAB));
        this.slabPos = 0;
      }
      const slab = this.slabs[this.slabs.length - 1];
      const at = this.slabPos;
      for (let i = 0; i < n; i++) {
        const c = key.charCodeAt(i);
        h = Math.imul(h ^ c, 0x01000193);
        if (c > 0x7f) ascii = false;
        slab[at + i] = c;
      }
    } else for (let i = 0; i < n; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    if (cut < 0) {
      for (let i = n; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
      h >>>= 0;
    } else h = shortMix(h);
    const id = this.place(key, h);
    if (this.fresh) {
      // (the octets were written where the slab's next key goes: keep them)
      if (ascii) {
        this.offLen.set(2 * id, (this.slabs.length - 1) * SLAB + this.slabPos);
        this.slabPos += n;
        this.offLen.set(2 * id + 1, cut < 0 ? n : n | SHORT);
      } else {
        this.offLen.set(2 * id + 1, key.length);
        this.offLen.set(2 * id, WIDE);
        this.wide.set(id, key);
      }
      if (this.grown) {
        this.grown = false;
        this.rebuild(2 * this.slots.length, 0);
      }
    }
    return id;
  }

  /** The table is fuller than its load allows: made again, larger, once the new key is stored. */
  private grown = false;

  /**
   * The id of `key` with hash `h`, or the id it is given (`fresh`: the caller stores its octets
   * at once, before anything else is placed).
   */
  private place(key: string, h: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    const tagMask = this.tagMask;
    const tag = h & tagMask;
    const taken = this.taken;
    let i = h & mask;
    for (; ; i = (i + 1) & mask) {
      if ((taken[i >>> 5] & (1 << (i & 31))) === 0) break;
      const s = slots[i];
      if ((s & tagMask) === tag && this.same((s & this.idMask) - 1, key)) {
        this.fresh = false;
        return (s & this.idMask) - 1;
      }
    }
    if (this.size + 1 >= this.idMask) {
      // (more keys than the ids of a slot hold: the table again, with wider ids)
      this.rebuild(slots.length, 31);
      return this.place(key, h);
    }
    const id = this.size++;
    slots[i] = tag | (id + 1);
    taken[i >>> 5] |= 1 << (i & 31);
    this.fresh = true;
    // (load up to 0.7: the tags sit beside the ids, so a probe past another key costs one comparison)
    if (10 * this.size > 7 * (mask + 1)) this.grown = true;
    return id;
  }

  /**
   * Runs intern's and find's rare branches on a table of its own, once per process, before a
   * real table is filled: a probe past a taken slot, a key found again, a new slab. Their first
   * run in the CLI's zone comes after intern is optimized (a branch that has not run has no type
   * feedback), and each threw that code away (3 recompiles of intern). No state is shared.
   */
  private static warm(): void {
    const k = new OwnerKeys(0);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 200; i++) k.intern(`w${i}.warm.`);
      for (let i = 0; i < 200; i++) k.find(`w${i}.warm.`);
      k.find('none.');
      k.slabPos = SLAB - 1;
      k.intern(`slab${round}.warm.`);
      k.useSuffix('warm.');
      k.intern(`s${round}.warm.`);
    }
  }

  /** Adds a key not present (find gave -1); returns its id. */
  add(key: string): number {
    return this.intern(key);
  }

  /** The table made again with `n` slots (and `idBits` bits for an id, 0: as now), every key hashed again from its octets. */
  private rebuild(n: number, idBits: number): void {
    if (idBits > 0) {
      this.idMask = 2 ** idBits - 1;
      this.tagMask = ~this.idMask;
    }
    const slots = new Int32Array(n);
    const taken = new Int32Array(n >>> 5);
    const mask = n - 1;
    for (let id = 0; id < this.size; id++) {
      const h = this.hashOf(id);
      let i = h & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = (h & this.tagMask) | (id + 1);
      taken[i >>> 5] |= 1 << (i & 31);
    }
    this.slots = slots;
    this.taken = taken;
  }

  /** hash(key(id)), without making the key (but for a key held whole that came before the suffix was set). */
  private hashOf(id: number): number {
    const off = this.offLen.get(2 * id);
    if (off === WIDE) return this.hash(this.wide.get(id)!);
    const l = this.offLen.get(2 * id + 1);
    if (!(l & SHORT) && id < this.beforeSuffix) return this.hash(this.key(id));
    const slab = this.slabs[Math.floor(off / SLAB)];
    const at = off % SLAB;
    let h = 0x811c9dc5;
    for (let i = at; i < at + (l & LENGTH); i++) h = Math.imul(h ^ slab[i], 0x01000193);
    return l & SHORT ? shortMix(h) : h >>> 0;
  }

  /** The key of an id, as a string. */
  key(id: number): string {
    const off = this.offLen.get(2 * id);
    if (off === WIDE) return this.wide.get(id)!;
    const at = off % SLAB;
    const l = this.offLen.get(2 * id + 1);
    const k = String.fromCharCode.apply(null, this.slabs[Math.floor(off / SLAB)].subarray(at, at + (l & LENGTH)) as unknown as number[]);
    return l & SHORT ? k + this.suffix : k;
  }

  /**
   * False when no suffix of the key at a label boundary (the key itself included) has its
   * suffixHash in `hashes`: the key is then at or below none of the names hashed. True when one
   * has, or when the key has a backslash (its label boundaries are not told by its dots alone).
   */
  maybeBelow(id: number, hashes: SuffixHashes, known?: KnownSuffix): boolean {
    const off = this.offLen.get(2 * id);
    if (off === WIDE) return true;
    const slab = this.slabs[Math.floor(off / SLAB)];
    const at = off % SLAB;
    const l = this.offLen.get(2 * id + 1);
    let h = 0x811c9dc5;
    let i = at + (l & LENGTH) - 1;
    // (the key ends with `known`, a label boundary: its suffixes were looked up once)
    if (known !== undefined) {
      if (known.hit) return true;
      h = known.state;
      // (a key held short ends with the suffix: `known` is it when of its length)
      if (!(l & SHORT)) i -= known.length;
      else if (known.length !== this.suffix.length) return maybeBelowKey(this.key(id), hashes);
    } else if (l & SHORT) return maybeBelowKey(this.key(id), hashes);
    for (; i >= at; i--) {
      const b = slab[i];
      if (b === 0x5c) return true;
      h = Math.imul(h ^ b, 0x01000193);
      if ((i === at || slab[i - 1] === 0x2e) && hashes.has(h >>> 0, 0)) return true;
    }
    return false;
  }

  /**
   * keyAtOrBelow(key(id), zoneKey) without making the key: equal to `zoneKey`, or ending in `.` +
   * `zoneKey` where that dot is not escaped.
   */
  atOrBelow(id: number, zoneKey: string): boolean {
    if (zoneKey === '.') return true;
    const off = this.offLen.get(2 * id);
    const n = this.offLen.get(2 * id + 1);
    // (a key held short is below the suffix: the zone's apex, for most keys)
    if (n & SHORT) return zoneKey === this.suffix || keyAtOrBelow(this.key(id), zoneKey);
    if (off === WIDE) return keyAtOrBelow(this.wide.get(id)!, zoneKey);
    const z = zoneKey.length;
    if (n < z) return false;
    const slab = this.slabs[Math.floor(off / SLAB)];
    const from = (off % SLAB) + n - z;
    for (let i = 0; i < z; i++) if (slab[from + i] !== zoneKey.charCodeAt(i)) return false;
    if (n === z) return true;
    return slab[from - 1] === 0x2e && (n === z + 1 || slab[from - 2] !== 0x5c);
  }
}
