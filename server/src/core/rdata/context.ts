import { Severity } from '../types';
import { Token } from '../types';
import { RdataField, RRTypeInfo } from '../rrtypeSchema';
import { WireWriter } from './writer';

/** A problem in one record's RDATA: code (rules.ts), exact span, and what to do. */
export interface RdataIssue {
  start: number;
  end: number;
  code: string;
  message: string;
  /** Default: error (the record is rejected). DANE checks also report warnings and notes here. */
  severity?: Severity;
  /** Payload for a quick fix (Diagnostic.data). */
  data?: unknown;
}

/** Parse state of one record's RDATA. */
export interface Ctx {
  tokens: Token[];
  /** Index of the next unread token. */
  i: number;
  origin: string | undefined;
  recordEnd: number;
  info: RRTypeInfo;
  w: WireWriter;
  issues: RdataIssue[];
  /** Numeric value of each field parsed so far (by field index; -1 when absent or invalid), for fields that depend on earlier ones. */
  nums: number[];
}

export const INVALID = 'invalid-rdata';

/** Shortens a token text for messages. */
export function show(text: string): string {
  return text.length > 40 ? text.slice(0, 37) + '…' : text;
}

export function issue(ctx: Ctx, span: { start: number; end: number }, message: string, code = INVALID): false {
  ctx.issues.push({ start: span.start, end: span.end, code, message });
  return false;
}

/** An issue on a token about a field: "<field> `<text>` <predicate>". */
export function fieldIssue(ctx: Ctx, tok: Token, field: RdataField, predicate: string): false {
  return issue(ctx, tok, `${field.name} \`${show(tok.text)}\` ${predicate}`);
}

/** The token for a field that is not a string: quotes are not allowed there (Knot rejects them). */
export function plain(ctx: Ctx, field: RdataField): Token | undefined {
  const t = ctx.tokens[ctx.i++];
  if (t.quoted) {
    fieldIssue(ctx, t, field, 'must not be quoted: remove the quotes');
    return undefined;
  }
  return t;
}

/** Takes the next token, or reports the field as missing (zero-length span at the record end). */
export function next(ctx: Ctx, field: RdataField): Token | undefined {
  const t = ctx.tokens[ctx.i];
  if (t !== undefined) {
    ctx.i++;
    return t;
  }
  missing(ctx, field);
  return undefined;
}

export function missing(ctx: Ctx, field: RdataField): false {
  const all = ctx.info.fields.map((x) => x.name).join(', ');
  return issue(ctx, { start: ctx.recordEnd, end: ctx.recordEnd },
    `the ${field.name} is missing (${KIND_HINT[field.kind] ?? field.kind}): ${ctx.info.name} data is ${all}`);
}

/** What a field kind looks like, for "missing" messages. */
export const KIND_HINT: Record<string, string> = {
  u8: 'a number 0..255',
  u16: 'a number 0..65535',
  u32: 'a number 0..4294967295',
  ttl: 'seconds, or a duration like 1h',
  time: 'YYYYMMDDHHmmSS or seconds since 1970',
  name: 'a domain name',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  string: 'a character-string',
  strings: 'one or more character-strings',
  text: 'a string',
  base64: 'base64',
  hex: 'hexadecimal',
  salt: 'hexadecimal or `-`',
  base32hex: 'base32hex',
  type: 'a record type such as A or TYPE65',
  algorithm: 'an algorithm number or mnemonic such as 13 or ECDSAP256SHA256',
  'cert-type': 'a certificate type number or mnemonic such as PKIX',
  loc: 'a position like 52 22 23 N 4 53 32 E -2m',
  'ipseckey-gateway': '`.`, an address or a name, as the gateway type says',
  'ipseckey-key': 'base64',
  eui48: 'six hex pairs like 00-00-5e-00-53-2a',
  eui64: 'eight hex pairs like 00-00-5e-ef-10-00-00-2a',
  ilnp64: 'four groups of four hex digits like 2001:0db8:1140:1000',
  'wks-protocol': 'tcp, udp or a protocol number',
  hip: 'a HIT in hex and a public key in base64',
};
