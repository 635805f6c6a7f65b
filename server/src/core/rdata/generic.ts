import { typeName } from '../rrtypes';
import { FieldKind, RRTypeInfo } from '../rrtypeSchema';
import { Token } from '../types';
import { writeHex } from './codec';
import { INVALID, RdataIssue, show } from './context';
import { parseUnsigned } from './text';
import { WireWriter } from './writer';

/**
 * RFC 3597 §5 generic RDATA: `\# <length> <hex…>`. The hex may be split over tokens (each an
 * even number of digits, as Knot requires). For a known type the octets must also be valid
 * RDATA of that type (they are treated as that type afterwards: RFC 3597 §5).
 */
export function parseGeneric(typeCode: number, info: RRTypeInfo | undefined, tokens: Token[], recordEnd: number, w: WireWriter): { wire?: Uint8Array; issues: RdataIssue[] } {
  const issues: RdataIssue[] = [];
  const fail = (span: { start: number; end: number }, message: string) => {
    issues.push({ start: span.start, end: span.end, code: INVALID, message });
    return { issues };
  };
  const lenTok = tokens[1];
  if (lenTok === undefined) {
    return fail({ start: recordEnd, end: recordEnd }, 'the length is missing after `\\#`: write `\\# <length in octets> <hex data>` (RFC 3597)');
  }
  const len = lenTok.quoted ? -1 : parseUnsigned(lenTok.text, 65535);
  if (len < 0) return fail(lenTok, `\`\\# ${show(lenTok.text)}\`: the length must be a number of octets 0..65535`);
  w.reset();
  for (let i = 2; i < tokens.length; i++) {
    const t = tokens[i];
    const e = t.quoted ? 'must not be quoted' : writeHex(w, t.text);
    if (e !== undefined) return fail(t, `RFC 3597 data \`${show(t.text)}\` ${e} (hexadecimal)`);
  }
  const last = tokens[tokens.length - 1];
  if (w.pos !== len) {
    if (w.pos === 0) return fail({ start: recordEnd, end: recordEnd }, `\`\\# ${len}\` announces ${len} octets but no hex data follows`);
    return fail(lenTok, `\`\\# ${len}\` announces ${len} octet${len === 1 ? '' : 's'} but the hex data has ${w.pos}: fix the length or the data`);
  }
  const wire = w.take();
  if (info && !info.genericOnly) {
    const e = checkWire(info, wire);
    if (e !== undefined) {
      return fail({ start: tokens[0].start, end: last.end }, `this RFC 3597 data is not valid ${info.name} data: ${e}`);
    }
  }
  return { wire, issues };
}

const FIXED: Partial<Record<FieldKind, number>> = {
  u8: 1, algorithm: 1, 'wks-protocol': 1,
  u16: 2, 'cert-type': 2, type: 2,
  u32: 4, ttl: 4, time: 4, ipv4: 4,
  ipv6: 16, eui48: 6, eui64: 8, ilnp64: 8,
};

/** Kinds that take whatever octets are left (possibly none). */
const OPAQUE_REST: ReadonlySet<FieldKind> = new Set<FieldKind>(['text', 'wks-services', 'nxt-bitmap', 'ipseckey-key']);

/** Kinds that take the octets left, at least one (their text form cannot be empty; Knot rejects `\# 0` for them too). */
const NONEMPTY_REST: ReadonlySet<FieldKind> = new Set<FieldKind>(['base64', 'hex']);

/**
 * Checks that `d` is well-formed RDATA for the type: fixed fields present, names and
 * length-prefixed items inside the data, nothing left over. Returns a problem or undefined.
 */
export function checkWire(info: RRTypeInfo, d: Uint8Array): string | undefined {
  if (info.name === 'HIP') return checkHip(d);
  const n = d.length;
  let p = 0;
  const vals: number[] = [];
  for (let k = 0; k < info.fields.length; k++) {
    const f = info.fields[k];
    const size = FIXED[f.kind];
    if (size !== undefined) {
      if (p + size > n) return `the ${f.name} needs ${size} octet${size === 1 ? '' : 's'}; ${p === n ? 'the data ends before it' : `only ${n - p} left`}`;
      vals[k] = size === 1 ? d[p] : size === 2 ? (d[p] << 8) | d[p + 1] : 0;
      p += size;
      continue;
    }
    if (OPAQUE_REST.has(f.kind)) { p = n; continue; }
    if (NONEMPTY_REST.has(f.kind)) {
      if (p === n) return `the ${f.name} is empty`;
      p = n;
      continue;
    }
    if (p === n && f.optional) continue;
    let r: number | string;
    switch (f.kind) {
      case 'name': r = walkName(d, p); break;
      case 'string': case 'salt': case 'base32hex': r = walkString(d, p); break;
      case 'strings': r = p === n ? 'no character-string' : walkStrings(d, p); break;
      case 'bitmap': r = checkBitmap(d, p); break;
      case 'apl': r = checkApl(d, p); break;
      case 'svcparams': r = checkSvcParams(d, p); break;
      case 'loc': r = n - p === 16 || (p < n && d[p] !== 0) ? n : 'version-0 LOC data is exactly 16 octets'; break;
      case 'ipseckey-gateway': r = checkGateway(d, p, vals[1]); break;
      default: r = n; // no wire rule known: accept
    }
    if (typeof r === 'string') return `${f.name}: ${r}`;
    p = r;
  }
  if (p < n) return `${n - p} octet${n - p === 1 ? '' : 's'} left over after the ${info.fields[info.fields.length - 1]?.name ?? 'data'}`;
  return undefined;
}

/** End offset of an uncompressed name starting at p, or a problem. */
export function walkName(d: Uint8Array, p: number): number | string {
  let total = 0;
  for (;;) {
    if (p >= d.length) return 'the name runs past the end of the data';
    const len = d[p];
    if (len & 0xc0) return 'compression pointers and extended labels are not allowed here';
    total += len + 1;
    if (total > 255) return 'the name is longer than 255 octets';
    p += len + 1;
    if (len === 0) return p;
  }
}

function walkString(d: Uint8Array, p: number): number | string {
  if (p >= d.length) return 'the data ends before it';
  const end = p + 1 + d[p];
  return end <= d.length ? end : 'its length octet points past the end of the data';
}

function walkStrings(d: Uint8Array, p: number): number | string {
  while (p < d.length) {
    const r = walkString(d, p);
    if (typeof r === 'string') return r;
    p = r;
  }
  return p;
}

/** NSEC type bitmap (RFC 4034 §4.1.2): increasing windows, 1..32 octets each, no trailing zero octet. */
function checkBitmap(d: Uint8Array, p: number): number | string {
  let last = -1;
  while (p < d.length) {
    if (p + 2 > d.length) return 'a window block is cut short';
    const win = d[p], len = d[p + 1];
    if (win <= last) return 'window blocks are not in increasing order';
    if (len < 1 || len > 32) return `window ${win} has a bitmap length of ${len} (1..32)`;
    if (p + 2 + len > d.length) return `window ${win} runs past the end of the data`;
    if (d[p + 1 + len] === 0) return `window ${win} ends with a zero octet`;
    last = win;
    p += 2 + len;
  }
  return p;
}

function checkApl(d: Uint8Array, p: number): number | string {
  while (p < d.length) {
    if (p + 4 > d.length) return 'an item is cut short';
    const family = (d[p] << 8) | d[p + 1];
    const prefix = d[p + 2];
    const len = d[p + 3] & 0x7f;
    const max = family === 1 ? 4 : family === 2 ? 16 : 127;
    if (len > max || (family === 1 && prefix > 32) || (family === 2 && prefix > 128)) return `an item of family ${family} has a bad length or prefix`;
    if (p + 4 + len > d.length) return 'an item runs past the end of the data';
    p += 4 + len;
  }
  return p;
}

function checkSvcParams(d: Uint8Array, p: number): number | string {
  let last = -1;
  while (p < d.length) {
    if (p + 4 > d.length) return 'a parameter is cut short';
    const key = (d[p] << 8) | d[p + 1];
    const len = (d[p + 2] << 8) | d[p + 3];
    if (key <= last) return 'parameters are not in strictly increasing key order';
    if (p + 4 + len > d.length) return `key${key} runs past the end of the data`;
    const bad =
      (key === 0 && (len === 0 || len % 2 !== 0)) ||
      ((key === 2 || key === 8) && len !== 0) ||
      (key === 3 && len !== 2) ||
      (key === 4 && (len === 0 || len % 4 !== 0)) ||
      (key === 6 && (len === 0 || len % 16 !== 0)) ||
      (key === 1 && !alpnOk(d, p + 4, p + 4 + len));
    if (bad) return `the value of key${key} has a bad length`;
    last = key;
    p += 4 + len;
  }
  return p;
}

function alpnOk(d: Uint8Array, p: number, end: number): boolean {
  if (p === end) return false;
  while (p < end) {
    if (d[p] === 0) return false;
    p += 1 + d[p];
  }
  return p === end;
}

function checkGateway(d: Uint8Array, p: number, kind: number | undefined): number | string {
  switch (kind) {
    case 0: return p;
    case 1: return p + 4 <= d.length ? p + 4 : 'an IPv4 gateway needs 4 octets';
    case 2: return p + 16 <= d.length ? p + 16 : 'an IPv6 gateway needs 16 octets';
    case 3: return walkName(d, p);
    default: return `gateway type ${kind} is not defined (0..3)`;
  }
}

function checkHip(d: Uint8Array): string | undefined {
  if (d.length < 4) return 'the header (HIT length, algorithm, key length) needs 4 octets';
  let p = 4 + d[0] + ((d[2] << 8) | d[3]);
  if (p > d.length) return 'the HIT and public key run past the end of the data';
  while (p < d.length) {
    const r = walkName(d, p);
    if (typeof r === 'string') return `rendezvous server: ${r}`;
    p = r;
  }
  return undefined;
}

/** Message for RDATA in text form for a type that only has the generic form. */
export function genericOnlyMessage(code: number, known: boolean): string {
  const name = typeName(code);
  return known
    ? `${name} has no text form for its data: write it as \`\\# <length> <hex>\` (RFC 3597)`
    : `${name} is not a type this checker knows, so its data must be in the RFC 3597 form \`\\# <length> <hex>\``;
}
