/**
 * The parser's fast path for RDATA: the common shapes are encoded straight from the lexer's
 * scan (token positions in the text: no token object, no string per token) when they are valid
 * and the general path would find nothing to say about them. Anything else (an error, a
 * warning, a rare form) returns undefined and the general path (rdata/hooks.ts: parseRdata, or
 * the type's own parser) reads the record and explains; so the fast path never changes a wire
 * form or a diagnostic, only how fast a clean record is read (test/unit/rdata-fastScan.test.ts
 * compares the two).
 *
 * Shapes: A, AAAA, NS, CNAME, PTR, DNAME, MX (their plain tokens); TXT (its strings); TLSA and
 * SMIMEA with numeric, assigned usage and selector, matching type 1 or 2 and a digest of that
 * type's length in hex; DS and CDS with numeric fields and a digest in hex.
 */
import { EntryScan, PLAIN, QUOTED } from '../lexer';
import { nameToWire, parseName } from '../names';
import { digestLength, TlsaField, tlsaValueClass } from '../dane/tlsaValues';
import { parseIPv4Range, parseIPv6Range } from './addr';
import { hexValue } from './codec';
import { StringMode, writeStringRange } from './text';
import { WireWriter, writeName, writeSimpleNameRange } from './writer';

const TYPE_A = 1, TYPE_NS = 2, TYPE_CNAME = 5, TYPE_PTR = 12, TYPE_MX = 15, TYPE_TXT = 16, TYPE_AAAA = 28, TYPE_DNAME = 39;
const TYPE_DS = 43, TYPE_TLSA = 52, TYPE_SMIMEA = 53, TYPE_CDS = 59;
const MAX_RDATA = 65535;

const w = new WireWriter();

/**
 * Writes the wire form of the common shapes A, AAAA, NS, CNAME, PTR, DNAME (one token) and MX
 * (two) into `out` (reset first: from `out.base`), from the unquoted token texts `a` = ta[a0, a1) and
 * `b` = tb[b0, b1) (not `\#`). False when this is not one of them or not valid (then `w`
 * holds nothing useful and the general path explains).
 */
export function writeCommon(
  out: WireWriter, typeCode: number, n: number,
  ta: string, a0: number, a1: number, tb: string, b0: number, b1: number, origin: string | undefined,
): boolean {
  out.reset();
  switch (typeCode) {
    case TYPE_A:
      if (n !== 1) return false;
      out.ensure(4);
      if (!parseIPv4Range(ta, a0, a1, out.buf, out.pos)) return false;
      out.pos += 4;
      return true;
    case TYPE_AAAA:
      if (n !== 1) return false;
      out.ensure(16);
      if (!parseIPv6Range(ta, a0, a1, out.buf, out.pos)) return false;
      out.pos += 16;
      return true;
    case TYPE_NS: case TYPE_CNAME: case TYPE_PTR: case TYPE_DNAME:
      return n === 1 && writeNameRange(out, ta, a0, a1, origin);
    case TYPE_MX: {
      if (n !== 2) return false;
      const pref = unsignedRange(ta, a0, a1, 65535);
      if (pref < 0) return false;
      out.u16(pref);
      return writeNameRange(out, tb, b0, b1, origin);
    }
    default:
      return false;
  }
}

/** An unsigned decimal (digits only) up to `max` in text[from, to); -1 when it is not one. */
function unsignedRange(text: string, from: number, to: number, max: number): number {
  if (to <= from) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
    if (v > max) return -1;
  }
  return v;
}

/** Writes the name text[from, to) at w.pos: the fast path, else names.ts. False when the name is invalid. */
function writeNameRange(out: WireWriter, text: string, from: number, to: number, origin: string | undefined): boolean {
  if (writeSimpleNameRange(out, text, from, to, origin, nameToWire)) return true;
  const r = parseName(text.slice(from, to), origin);
  if (r.name === undefined) return false;
  writeName(out, r.name);
  return true;
}

/** Token `i` of the scan is `\#` (the RFC 3597 generic form: the general path reads it). */
function generic(s: EntryScan, i: number): boolean {
  const p = s.starts[i];
  return s.kinds[i] === PLAIN && s.ends[i] - p === 2 && s.text.charCodeAt(p) === 0x5c && s.text.charCodeAt(p + 1) === 0x23;
}

/**
 * The wire form of a record of type `typeCode` whose RDATA is tokens `from`.. of the scan, in
 * the returned writer (from its `base` to its `pos`; take it with `take`/`takeAt` before anything else writes a wire form), when it is one of
 * the shapes above and clean; undefined otherwise (then the general path must read it).
 */
export function scanRdata(typeCode: number, s: EntryScan, from: number, origin: string | undefined): WireWriter | undefined {
  const m = s.count - from;
  if (m <= 0 || s.given !== undefined || generic(s, from)) return undefined;
  const text = s.text;
  // Written where it is kept (the shared slab): room for what a record of this size can take.
  w.inSlab(3 * (s.ends[s.count - 1] - s.starts[from]) + 520);
  if (typeCode === TYPE_TXT) return strings(s, from) ? w : undefined;
  if (typeCode === TYPE_TLSA || typeCode === TYPE_SMIMEA) return tlsa(s, from) ? w : undefined;
  if (typeCode === TYPE_DS || typeCode === TYPE_CDS) return ds(s, from) ? w : undefined;
  if (m > 2 || s.kinds[from] !== PLAIN || (m === 2 && s.kinds[from + 1] !== PLAIN)) return undefined;
  const b = m === 2 ? from + 1 : from;
  return writeCommon(w, typeCode, m, text, s.starts[from], s.ends[from], text, s.starts[b], s.ends[b], origin) ? w : undefined;
}

/**
 * TXT: every token a closed string or a plain one, none glued to a closing quote, each a valid
 * character-string (split at 255 octets, as parseRdata's `strings` field does), 65535 octets at most.
 */
function strings(s: EntryScan, from: number): boolean {
  w.reset();
  const text = s.text;
  for (let i = from; i < s.count; i++) {
    const k = s.kinds[i];
    if (k !== PLAIN && k !== QUOTED) return false;
    if (i > from && s.kinds[i - 1] !== PLAIN && s.starts[i] === s.ends[i - 1]) return false;
    const q = k === QUOTED ? 1 : 0;
    const a = s.starts[i] + q, b = s.ends[i] - q;
    // (a closed string with no backslash holds no `"` either)
    if (writeStringRange(w, text, a, b, q === 1, StringMode.Split, q === 1 && s.noBackslash(a, b)) !== undefined) return false;
  }
  return w.pos - w.base <= MAX_RDATA;
}

/** A usage, selector or matching type: 1..3 digits, at most 255 (-1 otherwise). */
function octetField(s: EntryScan, i: number): number {
  if (s.kinds[i] !== PLAIN || s.ends[i] - s.starts[i] > 3) return -1;
  const v = unsignedRange(s.text, s.starts[i], s.ends[i], 255);
  return v;
}

/** Per value 0..255 of a TLSA field, 1 when tlsaValueClass calls it assigned (one load, not a call by field name). */
function assignedValues(field: TlsaField): Uint8Array {
  const t = new Uint8Array(256);
  for (let v = 0; v < 256; v++) t[v] = tlsaValueClass(field, v) === 'assigned' ? 1 : 0;
  return t;
}
const ASSIGNED_USAGE = assignedValues('usage');
const ASSIGNED_SELECTOR = assignedValues('selector');
const ASSIGNED_MATCHING = assignedValues('matchingType');

/**
 * TLSA/SMIMEA as parseTlsaRdata finds nothing to say: numeric usage and selector of assigned
 * values, matching type 1 or 2 (0 publishes the whole certificate: checked there), then plain
 * hex tokens with exactly the digest's length.
 */
function tlsa(s: EntryScan, from: number): boolean {
  if (s.count - from < 4) return false;
  const usage = octetField(s, from);
  const selector = octetField(s, from + 1);
  const mt = octetField(s, from + 2);
  if (usage < 0 || selector < 0 || (mt !== 1 && mt !== 2)) return false;
  if (ASSIGNED_USAGE[usage] === 0 || ASSIGNED_SELECTOR[selector] === 0 || ASSIGNED_MATCHING[mt] === 0) return false;
  const size = digestLength(mt);
  if (size === undefined || hexDigits(s, from + 3) !== 2 * size) return false;
  w.reset();
  w.ensure(3 + size);
  const buf = w.buf;
  let p = w.pos;
  buf[p++] = usage;
  buf[p++] = selector;
  buf[p++] = mt;
  return scannedHex(s, from + 3, size, p) || hexData(s, from + 3, p);
}

/**
 * DS and CDS as the general path reads them without a word: numeric key tag, algorithm and
 * digest type, then the digest in plain hex tokens (split anywhere, an even number of digits in
 * all). An algorithm mnemonic goes to the general path.
 */
function ds(s: EntryScan, from: number): boolean {
  if (s.count - from < 4 || s.kinds[from] !== PLAIN || s.kinds[from + 1] !== PLAIN || s.kinds[from + 2] !== PLAIN) return false;
  const text = s.text;
  const tag = unsignedRange(text, s.starts[from], s.ends[from], 65535);
  const algorithm = unsignedRange(text, s.starts[from + 1], s.ends[from + 1], 255);
  const digestType = unsignedRange(text, s.starts[from + 2], s.ends[from + 2], 255);
  if (tag < 0 || algorithm < 0 || digestType < 0) return false;
  const digits = hexDigits(s, from + 3);
  if (digits <= 0 || (digits & 1) !== 0 || 4 + (digits >> 1) > MAX_RDATA) return false;
  w.reset();
  w.ensure(4 + (digits >> 1));
  const buf = w.buf;
  let p = w.pos;
  buf[p++] = tag >> 8;
  buf[p++] = tag & 0xff;
  buf[p++] = algorithm;
  buf[p++] = digestType;
  return scannedHex(s, from + 3, digits >> 1, p) || hexData(s, from + 3, p);
}

/** The characters of tokens `from`.. of the scan, -1 when one is not a plain token. */
function hexDigits(s: EntryScan, from: number): number {
  let digits = 0;
  for (let i = from; i < s.count; i++) {
    if (s.kinds[i] !== PLAIN) return -1;
    digits += s.ends[i] - s.starts[i];
  }
  return digits;
}

/**
 * When token `i`, the last one, is the `size` octets the lexer decoded while it scanned them
 * (EntryScan.hexAt: all of the token, in hex digits), copies them into w.buf from `p` (room
 * made) and sets w.pos. False otherwise (hexData then reads the digits; it agrees).
 */
function scannedHex(s: EntryScan, i: number, size: number, p: number): boolean {
  if (s.hexAt !== i || i !== s.count - 1 || s.hexLength !== size || s.ends[i] - s.starts[i] !== 2 * size) return false;
  const buf = w.buf, hb = s.hexBytes;
  for (let k = 0; k < size; k++) buf[p + k] = hb[k];
  w.pos = p + size;
  return true;
}

/**
 * Decodes the hex digits of tokens `from`.. (an even number of them in all: hexDigits) into
 * w.buf from `p` (room made), then sets w.pos; false at a character that is not a hex digit.
 */
function hexData(s: EntryScan, from: number, p: number): boolean {
  const text = s.text;
  const buf = w.buf;
  let half = -1;
  // Whitespace may split the data anywhere, even inside an octet (RFC 6698 §2.2, RFC 4034 §5.3; tlsaRdata.ts, fields.ts).
  for (let i = from; i < s.count; i++) {
    let k = s.starts[i];
    const end = s.ends[i];
    // (two digits an octet while no half octet is pending: most data is one token)
    if (half < 0) {
      for (; k + 1 < end; k += 2) {
        const hi = hexValue(text.charCodeAt(k));
        const lo = hexValue(text.charCodeAt(k + 1));
        if ((hi | lo) < 0) return false;
        buf[p++] = (hi << 4) | lo;
      }
    }
    for (; k < end; k++) {
      const v = hexValue(text.charCodeAt(k));
      if (v < 0) return false;
      if (half < 0) half = v;
      else { buf[p++] = (half << 4) | v; half = -1; }
    }
  }
  w.pos = p;
  return true;
}
