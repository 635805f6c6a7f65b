import { nameToWire, parseName } from '../names';
import { parseTypeMnemonic } from '../rrtypes';
import { FieldKind, RdataField } from '../rrtypeSchema';
import { algorithmByName, certTypeByName } from '../registries';
import { Token } from '../types';
import { parseEuiInto, parseIlnp64Into, parseIPv4Into, parseIPv6Into } from './addr';
import { base64, hex } from './blockFields';
import { writeBase32HexUnpadded, writeBase64, writeHex } from './codec';
import { Ctx, fieldIssue, issue, missing, plain, show } from './context';
import { parseApl, parseLoc } from './loc';
import { parseSvcParams } from './svcb';
import { ianaFieldParsers } from './ianaFields';
import { NOT_NUMBER, parseDuration, parseUnsigned, StringMode, writeString } from './text';
import { WireWriter, writeName, writeSimpleName } from './writer';
import { maxOf } from '../arrays';

/**
 * One parser per field kind. Each reads its token(s) from ctx (at least one token is there
 * unless the kind may be empty), writes wire octets, and returns false after reporting an
 * issue. Kinds listed in REST take every remaining token.
 */
export type FieldParser = (ctx: Ctx, field: RdataField, k: number) => boolean;

/** Kinds that read to the end of the record. */
export const REST: ReadonlySet<FieldKind> = new Set<FieldKind>([
  'strings', 'base64', 'hex', 'bitmap', 'loc', 'apl', 'svcparams', 'ipseckey-key', 'wks-services', 'nxt-bitmap', 'hip',
  'a6', 'amtrelay', 'base64-or-dash',
]);

/** Kinds that may have no token at all. */
export const MAY_BE_EMPTY: ReadonlySet<FieldKind> = new Set<FieldKind>([
  'bitmap', 'apl', 'svcparams', 'wks-services', 'ipseckey-key', 'nxt-bitmap',
]);

function uint(max: number, size: 1 | 2 | 4): FieldParser {
  return (ctx, field, k) => {
    const t = plain(ctx, field);
    if (!t) return false;
    const v = parseUnsigned(t.text, max);
    if (v < 0) {
      return fieldIssue(ctx, t, field, v === NOT_NUMBER ? `is not a decimal number 0..${max}` : `is out of range 0..${max}`);
    }
    ctx.nums[k] = v;
    writeUint(ctx.w, v, size);
    return true;
  };
}

function writeUint(w: WireWriter, v: number, size: 1 | 2 | 4): void {
  if (size === 1) w.u8(v);
  else if (size === 2) w.u16(v);
  else w.u32(v);
}

/** A number, or a mnemonic from `lookup`. */
function numberOrMnemonic(max: number, size: 1 | 2, lookup: (s: string) => number | undefined, what: string): FieldParser {
  return (ctx, field, k) => {
    const t = plain(ctx, field);
    if (!t) return false;
    let v = parseUnsigned(t.text, max);
    if (v === NOT_NUMBER) {
      const m = lookup(t.text);
      if (m === undefined) return fieldIssue(ctx, t, field, `is neither a number 0..${max} nor a known ${what}`);
      v = m;
    } else if (v < 0) return fieldIssue(ctx, t, field, `is out of range 0..${max}`);
    ctx.nums[k] = v;
    writeUint(ctx.w, v, size);
    return true;
  };
}

const duration: FieldParser = (ctx, field, k) => {
  const t = plain(ctx, field);
  if (!t) return false;
  const v = parseDuration(t.text);
  if (typeof v === 'string') return fieldIssue(ctx, t, field, v);
  ctx.nums[k] = v;
  ctx.w.u32(v);
  return true;
};

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** RRSIG time (RFC 4034 §3.2): YYYYMMDDHHmmSS in UTC, or decimal seconds (≤ 10 digits). */
export function parseSigTime(text: string): number | string {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return 'is not a time: write YYYYMMDDHHmmSS (UTC) or seconds since 1970';
  }
  if (n === 14) {
    const num = (a: number, b: number) => Number(text.slice(a, b));
    const y = num(0, 4), mo = num(4, 6), d = num(6, 8), h = num(8, 10), mi = num(10, 12), s = num(12, 14);
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    if (mo < 1 || mo > 12 || d < 1 || d > DAYS[mo - 1] + (mo === 2 && leap ? 1 : 0)) return 'is not a valid date';
    // 60 seconds: a leap second, as BIND accepts.
    if (h > 23 || mi > 59 || s > 60) return 'is not a valid time of day';
    // Any year maps into the 32-bit field by serial-number arithmetic (RFC 4034 §3.1.5):
    // BIND loads year 0010 the same way.
    const t = new Date(0);
    t.setUTCFullYear(y, mo - 1, d);
    t.setUTCHours(h, mi, s, 0);
    const v = Math.floor(t.getTime() / 1000) % 4294967296;
    return v < 0 ? v + 4294967296 : v;
  }
  if (n > 0 && n <= 10) {
    const v = Number(text);
    return v <= 0xffffffff ? v : 'is larger than 4294967295 seconds';
  }
  return `has ${n} digits: write YYYYMMDDHHmmSS (14 digits) or seconds since 1970 (up to 10 digits)`;
}

const sigTime: FieldParser = (ctx, field, k) => {
  const t = plain(ctx, field);
  if (!t) return false;
  const v = parseSigTime(t.text);
  if (typeof v === 'string') return fieldIssue(ctx, t, field, v);
  ctx.nums[k] = v;
  ctx.w.u32(v);
  return true;
};

export function nameField(ctx: Ctx, t: Token, field: RdataField): boolean {
  if (t.quoted) return fieldIssue(ctx, t, field, 'must not be quoted: a domain name is written without quotes');
  if (writeSimpleName(ctx.w, t.text, ctx.origin, nameToWire)) return true;
  const r = parseName(t.text, ctx.origin);
  if (r.name === undefined) return issue(ctx, t, `${field.name}: ${r.error ?? 'invalid name'}`, r.code ?? 'invalid-name');
  writeName(ctx.w, r.name);
  return true;
}

const name: FieldParser = (ctx, field) => nameField(ctx, ctx.tokens[ctx.i++], field);

function fixed(size: number, parse: (s: string, out: Uint8Array, off: number) => boolean, what: string): FieldParser {
  return (ctx, field) => {
    const t = plain(ctx, field);
    if (!t) return false;
    ctx.w.ensure(size);
    if (!parse(t.text, ctx.w.buf, ctx.w.pos)) return fieldIssue(ctx, t, field, `is not ${what}`);
    ctx.w.pos += size;
    return true;
  };
}

const string: FieldParser = (ctx, field) => {
  const t = ctx.tokens[ctx.i++];
  const e = writeString(ctx.w, t.text, t.quoted, StringMode.Single);
  return e === undefined || fieldIssue(ctx, t, field, e);
};

const text: FieldParser = (ctx, field) => {
  const t = ctx.tokens[ctx.i++];
  const e = writeString(ctx.w, t.text, t.quoted, StringMode.Raw);
  return e === undefined || fieldIssue(ctx, t, field, e);
};

const strings: FieldParser = (ctx, field) => {
  const toks = ctx.tokens;
  let ok = true;
  for (; ctx.i < toks.length; ctx.i++) {
    const t = toks[ctx.i];
    const e = writeString(ctx.w, t.text, t.quoted, StringMode.Split);
    if (e !== undefined) ok = fieldIssue(ctx, t, field, e);
  }
  return ok;
};

/** Data in one token after a length octet (NSEC3 salt: `-` means empty). */
function lengthPrefixed(decode: (w: WireWriter, s: string) => string | undefined, dash: boolean, what: string): FieldParser {
  return (ctx, field) => {
    const t = plain(ctx, field);
    if (!t) return false;
    const w = ctx.w;
    const at = w.pos;
    w.u8(0);
    if (dash && t.text === '-') return true;
    const e = decode(w, t.text);
    if (e !== undefined) return fieldIssue(ctx, t, field, `${e} (${what}${dash ? ', or `-` for none' : ''})`);
    const len = w.pos - at - 1;
    if (len > 255) return fieldIssue(ctx, t, field, `is ${len} octets long; the limit is 255`);
    w.buf[at] = len;
    return true;
  };
}

const NSEC3_SHA1 = 1;
const base32hexField = lengthPrefixed(writeBase32HexUnpadded, false, 'unpadded base32hex');

/** NSEC3 next hashed owner (RFC 5155 §3.3): unpadded base32hex; a SHA-1 hash is 20 octets (as BIND checks). */
const nsec3Hash: FieldParser = (ctx, field, k) => {
  const at = ctx.w.pos;
  const t = ctx.tokens[ctx.i];
  if (!base32hexField(ctx, field, k)) return false;
  const len = ctx.w.buf[at];
  if (ctx.info.code === 50 && ctx.nums[0] === NSEC3_SHA1 && len !== 20) {
    return fieldIssue(ctx, t, field, `is ${len} octets long: a SHA-1 hash (algorithm 1) is 20 octets, 32 base32hex characters`);
  }
  return true;
};

function typeCode(ctx: Ctx, t: Token, field: RdataField): number | undefined {
  const r = t.quoted ? undefined : parseTypeMnemonic(t.text);
  if (r === undefined) {
    fieldIssue(ctx, t, field, 'is not a record type: write a mnemonic such as A, or TYPEnnn (0..65535)');
    return undefined;
  }
  return r.code;
}

const type: FieldParser = (ctx, field, k) => {
  const t = ctx.tokens[ctx.i++];
  const code = typeCode(ctx, t, field);
  if (code === undefined) return false;
  ctx.nums[k] = code;
  ctx.w.u16(code);
  return true;
};

// NSEC-style type bitmap (RFC 4034 §4.1.2): one bit per type, grouped in 256-type windows.
const bits = new Uint8Array(8192);
const windowLength = new Uint8Array(256);

const bitmap: FieldParser = (ctx, field) => {
  const toks = ctx.tokens;
  let ok = true;
  let lo = 256;
  let hi = -1;
  for (; ctx.i < toks.length; ctx.i++) {
    const code = typeCode(ctx, toks[ctx.i], field);
    if (code === undefined) { ok = false; continue; }
    const win = code >> 8;
    const octet = (code & 0xff) >> 3;
    bits[code >> 3] |= 0x80 >> (code & 7);
    if (windowLength[win] < octet + 1) windowLength[win] = octet + 1;
    if (win < lo) lo = win;
    if (win > hi) hi = win;
  }
  const w = ctx.w;
  for (let win = lo; win <= hi; win++) {
    const len = windowLength[win];
    if (len === 0) continue;
    if (ok) {
      w.u8(win);
      w.u8(len);
      w.bytes(bits.subarray(win * 32, win * 32 + len));
    }
    bits.fill(0, win * 32, win * 32 + len);
    windowLength[win] = 0;
  }
  return ok;
};

// IPSECKEY (RFC 4025 §2.3-2.5): the gateway form depends on the gateway type, the key on the algorithm.
const GATEWAY_TYPE = 1;
const GATEWAY_ALGORITHM = 2;

const gatewayV4 = fixed(4, parseIPv4Into, 'an IPv4 address (gateway type 1)');
const gatewayV6 = fixed(16, parseIPv6Into, 'an IPv6 address (gateway type 2)');

const ipseckeyGateway: FieldParser = (ctx, field, k) => {
  const kind = ctx.nums[GATEWAY_TYPE];
  if (kind < 0) {
    ctx.i++;
    return false; // the gateway type was already reported
  }
  switch (kind) {
    case 0: {
      const t = ctx.tokens[ctx.i++];
      return (t.text === '.' && !t.quoted) || fieldIssue(ctx, t, field, 'must be `.` when the gateway type is 0 (no gateway)');
    }
    case 1:
      return gatewayV4(ctx, field, k);
    case 2:
      return gatewayV6(ctx, field, k);
    case 3:
      return nameField(ctx, ctx.tokens[ctx.i++], field);
    default: {
      ctx.i++;
      const gt = ctx.tokens[GATEWAY_TYPE];
      return issue(ctx, gt, `gateway type \`${show(gt.text)}\` is not defined: use 0 (none), 1 (IPv4), 2 (IPv6) or 3 (domain name)`);
    }
  }
};

const ipseckeyKey: FieldParser = (ctx, field) => {
  const alg = ctx.nums[GATEWAY_ALGORITHM];
  const toks = ctx.tokens;
  if (alg === 0 && ctx.i < toks.length) {
    const first = toks[ctx.i];
    const last = toks[toks.length - 1];
    ctx.i = toks.length;
    return issue(ctx, { start: first.start, end: last.end }, 'with algorithm 0 there is no public key: remove it, or set the algorithm');
  }
  if (alg > 0 && ctx.i >= toks.length) return missing(ctx, field);
  return base64(ctx, field);
};

// WKS (RFC 1035 §3.4.2): protocol and a bitmap of ports.
const WKS_PROTOCOLS: Record<string, number> = { tcp: 6, udp: 17 };
const WKS_SERVICES: Record<string, number> = {
  echo: 7, discard: 9, daytime: 13, ftp: 21, ssh: 22, telnet: 23, smtp: 25, time: 37, domain: 53, finger: 79,
  http: 80, kerberos: 88, pop3: 110, sunrpc: 111, nntp: 119, ntp: 123, imap: 143, snmp: 161, ldap: 389, https: 443,
  submission: 587, ldaps: 636, imaps: 993, pop3s: 995,
};

const wksProtocol = numberOrMnemonic(255, 1, (s) => WKS_PROTOCOLS[s.toLowerCase()], 'protocol (tcp, udp)');

const wksServices: FieldParser = (ctx, field) => {
  const ports: number[] = [];
  let ok = true;
  for (; ctx.i < ctx.tokens.length; ctx.i++) {
    const t = ctx.tokens[ctx.i];
    let v = parseUnsigned(t.text, 65535);
    if (v === NOT_NUMBER) v = WKS_SERVICES[t.text.toLowerCase()] ?? NOT_NUMBER;
    if (v < 0 || t.quoted) { ok = fieldIssue(ctx, t, field, 'is neither a port number 0..65535 nor a known service name'); continue; }
    ports.push(v);
  }
  if (!ok) return false;
  writeBits(ctx.w, ports);
  return true;
};

/** A plain bit map (bit n = item n), as long as the highest item needs. */
function writeBits(w: WireWriter, items: number[]): void {
  if (items.length === 0) return;
  const len = (maxOf(items) >> 3) + 1;
  w.ensure(len);
  const at = w.pos;
  w.buf.fill(0, at, at + len);
  for (const v of items) w.buf[at + (v >> 3)] |= 0x80 >> (v & 7);
  w.pos += len;
}

const nxtBitmap: FieldParser = (ctx, field) => {
  const types: number[] = [];
  let ok = true;
  for (; ctx.i < ctx.tokens.length; ctx.i++) {
    const t = ctx.tokens[ctx.i];
    const code = typeCode(ctx, t, field);
    if (code === undefined) { ok = false; continue; }
    if (code < 1 || code > 127) { ok = fieldIssue(ctx, t, field, 'cannot be listed in an NXT record (types 1..127 only)'); continue; }
    types.push(code);
  }
  if (ok) writeBits(ctx.w, types);
  return ok;
};

// HIP (RFC 8005 §5): presentation "alg HIT key [servers]"; wire "HIT length, alg, key length, HIT, key, servers".
const scratch = new WireWriter();

const hip: FieldParser = (ctx, field) => {
  const toks = ctx.tokens;
  const hitTok = toks[ctx.i++];
  const keyTok = toks[ctx.i++];
  if (keyTok === undefined) return missing(ctx, { ...field, name: 'public key' });
  scratch.reset();
  const e1 = hitTok.quoted ? 'must not be quoted' : writeHex(scratch, hitTok.text);
  if (e1 !== undefined) return issue(ctx, hitTok, `HIT \`${show(hitTok.text)}\` ${e1} (hexadecimal)`);
  const hitLen = scratch.pos;
  if (hitLen > 255) return issue(ctx, hitTok, `HIT is ${hitLen} octets long; the limit is 255`);
  const e2 = keyTok.quoted ? 'must not be quoted' : writeBase64(scratch, keyTok.text);
  if (e2 !== undefined) return issue(ctx, keyTok, `public key \`${show(keyTok.text)}\` ${e2} (base64)`);
  const w = ctx.w;
  const alg = Math.max(0, ctx.nums[0]);
  w.pos = 0;
  w.u8(hitLen);
  w.u8(alg);
  w.u16(scratch.pos - hitLen);
  w.bytes(scratch.buf.subarray(0, scratch.pos));
  let ok = true;
  for (; ctx.i < toks.length; ctx.i++) ok = nameField(ctx, toks[ctx.i], { ...field, name: 'rendezvous server' }) && ok;
  return ok;
};

export const FIELD_PARSERS: Record<FieldKind, FieldParser> = {
  u8: uint(255, 1),
  u16: uint(65535, 2),
  u32: uint(0xffffffff, 4),
  ttl: duration,
  time: sigTime,
  name,
  ipv4: fixed(4, parseIPv4Into, 'an IPv4 address (four decimal octets 0..255, like 192.0.2.1)'),
  ipv6: fixed(16, parseIPv6Into, 'an IPv6 address (like 2001:db8::1)'),
  string,
  strings,
  text,
  base64,
  hex,
  salt: lengthPrefixed(writeHex, true, 'hexadecimal'),
  base32hex: nsec3Hash,
  type,
  bitmap,
  algorithm: numberOrMnemonic(255, 1, algorithmByName, 'DNSSEC algorithm (RSASHA256, ECDSAP256SHA256, ED25519, …)'),
  'cert-type': numberOrMnemonic(65535, 2, certTypeByName, 'certificate type (PKIX, SPKI, PGP, IPKIX, ISPKI, IPGP, ACPKIX, IACPKIX, URI, OID)'),
  loc: parseLoc,
  apl: parseApl,
  svcparams: parseSvcParams,
  'ipseckey-gateway': ipseckeyGateway,
  'ipseckey-key': ipseckeyKey,
  eui48: fixed(6, (s, o, p) => parseEuiInto(s, 6, o, p), 'an EUI-48: six hex pairs joined by `-` (like 00-00-5e-00-53-2a)'),
  eui64: fixed(8, (s, o, p) => parseEuiInto(s, 8, o, p), 'an EUI-64: eight hex pairs joined by `-` (like 00-00-5e-ef-10-00-00-2a)'),
  ilnp64: fixed(8, parseIlnp64Into, 'four groups of four hex digits joined by `:` (like 2001:0db8:1140:1000)'),
  'wks-protocol': wksProtocol,
  'wks-services': wksServices,
  'nxt-bitmap': nxtBitmap,
  hip,
  ...ianaFieldParsers({ nameField, base64 }),
};
