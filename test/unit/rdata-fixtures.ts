// Shared by the RDATA tests (rdata*.test.ts): a record's text from its type on, parsed by the
// real lexer and parseRdata, checked against its wire hex or its issue.
import assert from 'node:assert/strict';
import { readEntry } from '../../server/src/core/lexer';
import { parseRdata, RdataResult } from '../../server/src/core/rdata';
import { parseTypeMnemonic } from '../../server/src/core/rrtypes';

/**
 * Each case is the text of a record from its type on (`MX 10 mail`), tokenized by the real
 * lexer, with origin `example.`. Valid cases give the exact wire hex; invalid ones the issue
 * code and the text of the span it marks ('' = a zero-length span at the end of the record).
 */

export const ORIGIN = 'example.';
export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
export const EX = '076578616D706C6500'; // example.

/** `origin` null: no origin known. */
export function rd(text: string, origin: string | null = ORIGIN): { r: RdataResult; end: number } {
  const { entry } = readEntry(text, 0, { diagnostics: [] });
  const [typeTok, ...rest] = entry.tokens;
  const t = parseTypeMnemonic(typeTok.text);
  assert.ok(t, `type of ${text}`);
  return { r: parseRdata(t.code, rest, origin ?? undefined, entry.end), end: entry.end };
}

export function ok(text: string, wire: string, origin?: string | null): void {
  const { r } = rd(text, origin);
  assert.deepEqual(r.issues.map((i) => i.message), [], text);
  assert.equal(hex(r.wire!), wire, text);
}

export function bad(text: string, code: string, span: string, origin?: string | null): RdataResult {
  const { r, end } = rd(text, origin);
  assert.equal(r.wire, undefined, `${text} should be rejected`);
  assert.ok(r.issues.length > 0, text);
  const i = r.issues[0];
  assert.equal(i.code, code, `${text}: ${i.message}`);
  assert.equal(text.slice(i.start, i.end), span, `${text}: span of "${i.message}"`);
  if (span === '') assert.equal(i.start, end, `${text}: a missing field is reported at the end of the record`);
  assert.ok(i.message.length > 10, text);
  return r;
}

export const TLSA_HEX = '8755CDAA8FE24EF16CC0F2C918063185E433FAAF1415664911D9E30A924138C4';

export const upperHex = (s: string) => Buffer.from(s).toString('hex').toUpperCase();
export const b64hex = (s: string) => Buffer.from(s, 'base64').toString('hex').toUpperCase();

/** Seconds since 1970 of a YYYYMMDDHHmmSS time, modulo 2^32 (RFC 4034 §3.1.5 serial arithmetic). */
export function expirationHex(t: string): string {
  const d = new Date(0);
  d.setUTCFullYear(+t.slice(0, 4), +t.slice(4, 6) - 1, +t.slice(6, 8));
  d.setUTCHours(+t.slice(8, 10), +t.slice(10, 12), +t.slice(12, 14));
  const v = (d.getTime() / 1000) % 2 ** 32;
  return (v < 0 ? v + 2 ** 32 : v).toString(16).toUpperCase().padStart(8, '0');
}
