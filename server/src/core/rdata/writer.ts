/**
 * A growable byte buffer reused across records: RDATA is written in place and copied out
 * once (`take`). Not re-entrant; parseRdata resets it per record.
 */
export class WireWriter {
  buf: Uint8Array = new Uint8Array(4096);
  pos = 0;
  /** Where the octets of this record start in `buf` (0, or a place in the shared slab: `inSlab`). */
  base = 0;
  /** The writer's own buffer while it writes in the shared slab. */
  private own?: Uint8Array;

  reset(): void {
    this.pos = this.base;
  }

  /**
   * The next record is written straight into the shared slab, where `takeAt` then leaves it
   * (no copy): a new slab first when this one has less than `room` octets free (more may be
   * written: `ensure` then moves the octets out, and taking them copies them as usual). Over
   * MAX_IN_SLAB octets of room, the writer's own buffer is used.
   */
  inSlab(room: number): void {
    if (room > MAX_IN_SLAB) {
      if (this.own !== undefined) { this.buf = this.own; this.own = undefined; }
      this.base = this.pos = 0;
      return;
    }
    if (slabPos + room > slab.length) nextSlab(room);
    if (this.own === undefined && this.buf !== slab) this.own = this.buf;
    this.buf = slab;
    this.base = this.pos = slabPos;
  }

  /** Makes room for `n` more octets. */
  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  u16(v: number): void {
    this.ensure(2);
    this.buf[this.pos++] = v >>> 8;
    this.buf[this.pos++] = v & 0xff;
  }

  u32(v: number): void {
    this.ensure(4);
    const b = this.buf;
    b[this.pos++] = (v >>> 24) & 0xff;
    b[this.pos++] = (v >>> 16) & 0xff;
    b[this.pos++] = (v >>> 8) & 0xff;
    b[this.pos++] = v & 0xff;
  }

  bytes(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  /**
   * A copy of the octets written since `from`. Small copies are views into a shared slab
   * (one ArrayBuffer per 64 KiB instead of one per record: much less allocation and GC on
   * big zones), so use `byteOffset`/`byteLength` with `.buffer`, and never write into them.
   */
  take(from = this.base): Uint8Array {
    const n = this.pos - from;
    if (n > MAX_SLAB_ITEM) return this.buf.slice(from, this.pos);
    const at = this.takeAt(from);
    return new Uint8Array(slab.buffer, at, n); // (the constructor: cheaper than subarray)
  }

  /**
   * Copies the octets written since `from` (at most MAX_SLAB_ITEM of them) into the shared
   * slab, without a view object: returns where they are in `wireSlab()` (the slab of this
   * moment: ask it before anything else is taken), or -1 when they are too many (use `take`).
   */
  takeAt(from = this.base): number {
    const n = this.pos - from;
    if (this.buf === slab && from === slabPos) {
      // written in place (inSlab)
      slabPos = this.pos;
      return from;
    }
    if (n > MAX_SLAB_ITEM) return -1;
    if (slabPos + n > slab.length) nextSlab(n);
    const at = slabPos;
    const out = slab;
    const b = this.buf;
    for (let i = 0; i < n; i++) out[at + i] = b[from + i];
    slabPos += n;
    return at;
  }
}

/** The slab the last `takeAt` copied into. */
export function wireSlab(): Uint8Array {
  return slab;
}

const SLAB_SIZE = 64 * 1024, FIRST_SLAB_SIZE = 1024;
const MAX_SLAB_ITEM = 512;
const MAX_IN_SLAB = 4096;
let slab = new Uint8Array(0);
let slabPos = 0;

/**
 * A new shared slab with room for `n` octets. The first ones are small, doubling to SLAB_SIZE:
 * the code that asks for one (inlined in the parser's per-record code) then runs it a few times
 * while it is still learning, and its optimized form is not thrown away at the first full slab.
 */
function nextSlab(n: number): void {
  slab = new Uint8Array(Math.max(n, Math.min(SLAB_SIZE, Math.max(FIRST_SLAB_SIZE, 2 * slab.length))));
  slabPos = 0;
}

/** Writes a normalized absolute name (names.ts form: ASCII, `\X` / `\DDD` escapes) in uncompressed wire form. */
export function writeName(w: WireWriter, name: string): void {
  w.ensure(name.length + 2);
  const b = w.buf;
  let p = w.pos;
  if (name === '.') {
    b[p] = 0;
    w.pos = p + 1;
    return;
  }
  let lenAt = p++;
  let len = 0;
  for (let i = 0; i < name.length; i++) {
    let c = name.charCodeAt(i);
    if (c === 0x2e) {
      b[lenAt] = len;
      lenAt = p++;
      len = 0;
      continue;
    }
    if (c === 0x5c) {
      const d = name.charCodeAt(i + 1);
      if (d >= 0x30 && d <= 0x39) {
        c = (d - 0x30) * 100 + (name.charCodeAt(i + 2) - 0x30) * 10 + (name.charCodeAt(i + 3) - 0x30);
        i += 3;
      } else {
        c = d;
        i += 1;
      }
    }
    b[p++] = c;
    len++;
  }
  b[lenAt] = 0; // the trailing dot opened the root label
  w.pos = p;
}

/** Characters a label may hold unescaped (names.ts's set, ASCII part). */
const PLAIN = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  PLAIN[c] = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) ||
    c === 0x2d || c === 0x5f || c === 0x2f || c === 0x2a ? 1 : 0;
}

let cachedOrigin: string | undefined;
let cachedOriginWire: Uint8Array = new Uint8Array(1);

/**
 * Fast path for the common name: plain characters and single dots, absolute or relative to
 * `origin`. Writes its wire form and returns true; returns false (writing nothing) for
 * anything else (`@`, escapes, errors), which the caller then hands to names.ts parseName.
 * Agrees with parseName on every name it accepts.
 */
export function writeSimpleName(w: WireWriter, text: string, origin: string | undefined, originWire: (o: string) => Uint8Array): boolean {
  return writeSimpleNameRange(w, text, 0, text.length, origin, originWire);
}

/** writeSimpleName of `text.slice(from, to)`, without making that string. */
export function writeSimpleNameRange(w: WireWriter, text: string, from: number, to: number, origin: string | undefined, originWire: (o: string) => Uint8Array): boolean {
  const n = to - from;
  if (n === 0 || n > 254) return false;
  w.ensure(n + 258);
  const b = w.buf;
  const start = w.pos;
  let lenAt = start;
  let p = start + 1;
  let len = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) {
      if (len === 0) return false;
      b[lenAt] = len;
      lenAt = p++;
      len = 0;
      continue;
    }
    if (c >= 128 || PLAIN[c] === 0 || ++len > 63) return false;
    b[p++] = c;
  }
  if (len === 0) {
    // absolute: the trailing dot opened the root label
    b[lenAt] = 0;
    if (p - start > 255) return false;
    w.pos = p;
    return true;
  }
  if (origin === undefined) return false;
  b[lenAt] = len;
  if (origin !== cachedOrigin) {
    cachedOriginWire = originWire(origin);
    cachedOrigin = origin;
  }
  const o = cachedOriginWire;
  const m = o.length;
  if (p - start + m > 255) return false;
  // (a byte loop: `set` costs more than copying a name's few octets)
  for (let k = 0; k < m; k++) b[p + k] = o[k];
  w.pos = p + m;
  return true;
}
