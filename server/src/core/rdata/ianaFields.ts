import { RdataField } from '../rrtypeSchema';
import { Token } from '../types';
import { parseIPv4Into, parseIPv6Into } from './addr';
import { hexValue } from './codec';
import { Ctx, fieldIssue, issue, missing, plain } from './context';

/**
 * Field kinds of the rarer IANA types (NSAP, ATMA, A6, AMTRELAY, DOA, IPN, DSYNC), in the
 * presentation forms BIND reads. fields.ts merges these into its table.
 */

type FieldParser = (ctx: Ctx, field: RdataField, k: number) => boolean;

export interface SharedParsers {
  nameField(ctx: Ctx, t: Token, field: RdataField): boolean;
  base64: FieldParser;
}

/** Hex digits with `.` allowed between them (NSAP, ATMA format 0): octets, or an error message. */
function dottedHex(text: string): number[] | string {
  const out: number[] = [];
  let half = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) continue;
    const v = hexValue(c);
    if (v < 0) return `has \`${text[i]}\`, which is not a hexadecimal digit`;
    if (half < 0) half = v; else { out.push((half << 4) | v); half = -1; }
  }
  if (half >= 0) return 'has an odd number of hex digits: each octet takes two';
  if (out.length === 0) return 'has no hex digits';
  return out;
}

/** NSAP (RFC 1706 §5): `0x` then hex digits, dots allowed anywhere after the `0x`. */
const nsap: FieldParser = (ctx, field) => {
  const t = plain(ctx, field);
  if (!t) return false;
  if (!/^0x/i.test(t.text)) return fieldIssue(ctx, t, field, 'must start with `0x` (RFC 1706 §5), like 0x47.0005.80.005a00');
  const octets = dottedHex(t.text.slice(2));
  if (typeof octets === 'string') return fieldIssue(ctx, t, field, octets);
  for (const o of octets) ctx.w.u8(o);
  return true;
};

/** ATMA: `+` and E.164 digits (format 1), else an AESA in hex (format 0), as BIND reads it. */
const atma: FieldParser = (ctx, field) => {
  const t = plain(ctx, field);
  if (!t) return false;
  const w = ctx.w;
  if (t.text.startsWith('+')) {
    const digits = t.text.slice(1);
    if (!/^[0-9]+$/.test(digits)) return fieldIssue(ctx, t, field, 'is not `+` followed by E.164 digits');
    w.u8(1);
    for (let i = 0; i < digits.length; i++) w.u8(digits.charCodeAt(i));
    return true;
  }
  const octets = dottedHex(t.text);
  if (typeof octets === 'string') return fieldIssue(ctx, t, field, `${octets} (an ATM AESA in hex, or \`+\` and E.164 digits)`);
  w.u8(0);
  for (const o of octets) w.u8(o);
  return true;
};

const scratch = new Uint8Array(16);

/** A6 (RFC 2874 §3.1.1) after the prefix length (field 0): suffix octets, then the prefix name. */
function a6(shared: SharedParsers): FieldParser {
  return (ctx, field) => {
    const plen = ctx.nums[0];
    const plenTok = ctx.tokens[0];
    if (plen < 0) { ctx.i = ctx.tokens.length; return false; }
    if (plen > 128) { ctx.i = ctx.tokens.length; return issue(ctx, plenTok, `prefix length ${plen} is out of range 0..128`); }
    if (plen < 128) {
      const t = plain(ctx, field);
      if (!t) return false;
      if (!parseIPv6Into(t.text, scratch, 0)) return fieldIssue(ctx, t, { ...field, name: 'address suffix' }, 'is not an IPv6 address');
      const octets = 16 - (plen >> 3);
      // the pad bits ahead of the suffix are cleared, as BIND does
      scratch[16 - octets] &= 0xff >> (plen & 7);
      ctx.w.bytes(scratch.subarray(16 - octets));
    }
    if (plen === 0) return true;
    const nameTok = ctx.tokens[ctx.i++];
    if (nameTok === undefined) return missing(ctx, { ...field, name: 'prefix name', kind: 'name' });
    return shared.nameField(ctx, nameTok, { ...field, name: 'prefix name' });
  };
}

/** AMTRELAY (RFC 8777 §4.3) after the precedence: D-bit, relay type, relay. */
function amtrelay(shared: SharedParsers): FieldParser {
  return (ctx, field) => {
    const dTok = plain(ctx, field);
    if (!dTok) return false;
    if (dTok.text !== '0' && dTok.text !== '1') return fieldIssue(ctx, dTok, { ...field, name: 'discovery-optional bit' }, 'must be 0 or 1');
    const typeTok = ctx.tokens[ctx.i++];
    if (typeTok === undefined) return missing(ctx, { ...field, name: 'relay type', kind: 'u8' });
    const type = /^[0-9]{1,3}$/.test(typeTok.text) ? Number(typeTok.text) : -1;
    if (type < 0 || type > 3) return fieldIssue(ctx, typeTok, { ...field, name: 'relay type' }, 'must be 0 (none), 1 (IPv4), 2 (IPv6) or 3 (domain name)');
    const w = ctx.w;
    w.u8((dTok.text === '1' ? 0x80 : 0) | type);
    const relay = ctx.tokens[ctx.i];
    if (type === 0) {
      // no relay: `.` or nothing (BIND writes `.`)
      if (relay !== undefined && relay.text === '.' && !relay.quoted) ctx.i++;
      return true;
    }
    if (relay === undefined) return missing(ctx, { ...field, name: 'relay', kind: type === 3 ? 'name' : type === 1 ? 'ipv4' : 'ipv6' });
    ctx.i++;
    if (type === 3) return shared.nameField(ctx, relay, { ...field, name: 'relay' });
    const size = type === 1 ? 4 : 16;
    w.ensure(size);
    const ok = !relay.quoted && (type === 1 ? parseIPv4Into(relay.text, w.buf, w.pos) : parseIPv6Into(relay.text, w.buf, w.pos));
    if (!ok) return fieldIssue(ctx, relay, { ...field, name: 'relay' }, `is not an ${type === 1 ? 'IPv4' : 'IPv6'} address (relay type ${type})`);
    w.pos += size;
    return true;
  };
}

/** DOA data: base64, or `-` for none. */
function base64OrDash(shared: SharedParsers): FieldParser {
  return (ctx, field, k) => {
    const t = ctx.tokens[ctx.i];
    if (t.text === '-' && !t.quoted && ctx.i === ctx.tokens.length - 1) { ctx.i++; return true; }
    return shared.base64(ctx, field, k);
  };
}

/** Decimal 0..2^64-1 in 8 octets. */
const u64: FieldParser = (ctx, field) => {
  const t = plain(ctx, field);
  if (!t) return false;
  if (!/^[0-9]{1,20}$/.test(t.text)) return fieldIssue(ctx, t, field, 'is not a decimal number');
  const v = BigInt(t.text);
  if (v > 0xffffffffffffffffn) return fieldIssue(ctx, t, field, 'is out of range 0..18446744073709551615');
  ctx.w.u32(Number(v >> 32n));
  ctx.w.u32(Number(v & 0xffffffffn));
  return true;
};

const DSYNC_SCHEMES: Record<string, number> = { NOTIFY: 1 };

const dsyncScheme: FieldParser = (ctx, field, k) => {
  const t = plain(ctx, field);
  if (!t) return false;
  const v = /^[0-9]{1,3}$/.test(t.text) ? Number(t.text) : DSYNC_SCHEMES[t.text.toUpperCase()] ?? -1;
  if (v < 0 || v > 255) return fieldIssue(ctx, t, field, `is neither a number 0..255 nor a known scheme (NOTIFY)`);
  ctx.nums[k] = v;
  ctx.w.u8(v);
  return true;
};

export function ianaFieldParsers(shared: SharedParsers) {
  return { nsap, atma, a6: a6(shared), amtrelay: amtrelay(shared), 'base64-or-dash': base64OrDash(shared), u64, 'dsync-scheme': dsyncScheme };
}

