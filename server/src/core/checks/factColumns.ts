/**
 * The streaming zone-wide checker's per-record facts (ZoneChecker, checks/zone.ts) in typed-array
 * chunks that are filled in order: a record's facts are written into the current chunks, with no
 * per-column bounds or growth test, and reading one takes a chunk lookup. 24 octets a record
 * (type and class, TTL, two RDATA hashes, where to report, the next record of its owner), where
 * one `at`/`ttlAt` span pair took 16 alone: the TTL span is kept as a distance and a length
 * beside the report span (`span`); the few records whose spans do not fit are kept in a Map.
 */
import { Span } from '../types';

// Chunks of 16k records; the first starts small and doubles, so a small zone takes little.
const BITS = 14, SIZE = 1 << BITS, MASK = SIZE - 1, FIRST = 1024;
/** `span` of a record whose spans are in `wide`. */
const WIDE = 0xffffffff;

export class FactColumns {
  /** Number of records. */
  size = 0;
  private readonly tcs: Uint32Array[] = [];
  private readonly ttls: Int32Array[] = [];
  private readonly h1s: Uint32Array[] = [];
  private readonly h2s: Uint32Array[] = [];
  /** Where to report: the start (`ats`); the length (bits 0-7), the TTL span's length (8-15) and its distance before `at` (16-31) (`spans`). */
  private readonly ats: Uint32Array[] = [];
  private readonly spans: Uint32Array[] = [];
  private readonly nexts: Int32Array[] = [];
  // The chunks being filled.
  private tc: Uint32Array = new Uint32Array(0);
  private tt: Int32Array = new Int32Array(0);
  private a1: Uint32Array = new Uint32Array(0);
  private a2: Uint32Array = new Uint32Array(0);
  private at0: Uint32Array = new Uint32Array(0);
  private sp: Uint32Array = new Uint32Array(0);
  private nx: Int32Array = new Int32Array(0);
  /** The spans of the records they do not fit in `spans` for (an $INCLUDE line, a TTL far from the type). */
  private readonly wide = new Map<number, [number, number, number, number]>();

  /** The index at which the chunks being filled are full. */
  private limit = 0;

  /** Room for record `i`: the first chunk doubled (copied), or new chunks. */
  private grow(i: number): void {
    if (i < SIZE) {
      const n = i === 0 ? FIRST : 2 * i;
      const more = <T extends Uint32Array | Int32Array>(list: T[], old: T, make: (n: number) => T): T => {
        const c = make(n);
        c.set(old);
        list[0] = c;
        return c;
      };
      const u32 = (k: number) => new Uint32Array(k), i32 = (k: number) => new Int32Array(k);
      this.tc = more(this.tcs, this.tc, u32);
      this.tt = more(this.ttls, this.tt, i32);
      this.a1 = more(this.h1s, this.a1, u32);
      this.a2 = more(this.h2s, this.a2, u32);
      this.at0 = more(this.ats, this.at0, u32);
      this.sp = more(this.spans, this.sp, u32);
      this.nx = more(this.nexts, this.nx, i32);
      this.limit = n;
      return;
    }
    this.tcs.push(this.tc = new Uint32Array(SIZE));
    this.ttls.push(this.tt = new Int32Array(SIZE));
    this.h1s.push(this.a1 = new Uint32Array(SIZE));
    this.h2s.push(this.a2 = new Uint32Array(SIZE));
    this.ats.push(this.at0 = new Uint32Array(SIZE));
    this.spans.push(this.sp = new Uint32Array(SIZE));
    this.nexts.push(this.nx = new Int32Array(SIZE));
    this.limit = i + SIZE;
  }

  /**
   * Appends a record's facts (its next record: none); returns its index. `atStart`..`atEnd`: where
   * to report it; `ttlStart`..`ttlEnd`: where to report its TTL.
   */
  push(typeClass: number, ttl: number, h1: number, h2: number, atStart: number, atEnd: number, ttlStart: number, ttlEnd: number): number {
    const i = this.size++;
    if (i === this.limit) this.grow(i);
    const j = i & MASK;
    this.tc[j] = typeClass;
    this.tt[j] = ttl;
    this.a1[j] = h1;
    this.a2[j] = h2;
    this.at0[j] = atStart;
    this.nx[j] = -1;
    const n = atEnd - atStart, m = ttlEnd - ttlStart, d = atStart - ttlStart;
    if (n >= 0 && n <= 0xff && m >= 0 && m <= 0xff && d >= 0 && d <= 0xffff && atStart >= 0) this.sp[j] = n | (m << 8) | (d << 16);
    else {
      this.sp[j] = WIDE;
      this.wide.set(i, [atStart, atEnd, ttlStart, ttlEnd]);
    }
    return i;
  }

  typeClass(i: number): number { return this.tcs[i >>> BITS][i & MASK]; }
  ttl(i: number): number { return this.ttls[i >>> BITS][i & MASK]; }
  h1(i: number): number { return this.h1s[i >>> BITS][i & MASK]; }
  h2(i: number): number { return this.h2s[i >>> BITS][i & MASK]; }
  /** The next record of the same owner, -1 when none (yet). */
  next(i: number): number { return this.nexts[i >>> BITS][i & MASK]; }
  setNext(i: number, next: number): void { this.nexts[i >>> BITS][i & MASK] = next; }

  /** Where to report a problem with the record. */
  at(i: number): Span {
    const s = this.spans[i >>> BITS][i & MASK];
    if (s === WIDE) { const w = this.wide.get(i)!; return { start: w[0], end: w[1] }; }
    const start = this.ats[i >>> BITS][i & MASK];
    return { start, end: start + (s & 0xff) };
  }

  /** Where to report a problem with the record's TTL. */
  ttlAt(i: number): Span {
    const s = this.spans[i >>> BITS][i & MASK];
    if (s === WIDE) { const w = this.wide.get(i)!; return { start: w[2], end: w[3] }; }
    const start = this.ats[i >>> BITS][i & MASK] - (s >>> 16);
    return { start, end: start + ((s >>> 8) & 0xff) };
  }
}
