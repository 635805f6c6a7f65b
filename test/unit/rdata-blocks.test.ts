import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIELD_PARSERS } from '../../server/src/core/rdata/fields';
import { Ctx, fieldIssue, issue, show } from '../../server/src/core/rdata/context';
import { hexValue, writeBase64, writeHex } from '../../server/src/core/rdata/codec';
import { WireWriter } from '../../server/src/core/rdata/writer';
import { typeByCode } from '../../server/src/core/rrtypes';
import { RdataField } from '../../server/src/core/rrtypeSchema';
import { Token } from '../../server/src/core/types';

/**
 * The base64 and hex fields that take the rest of a record (DNSKEY keys, RRSIG signatures, DS
 * digests, …) first decode the joined pieces when none is quoted, and only when that fails read
 * them character by character to say what is wrong. Here they are held to the reader they
 * replaced (copied below as it was: every character checked, then the joined value decoded):
 * the same octets and the same issues for random pieces, valid and not, quoted or not.
 */

type Decode = (w: WireWriter, s: string) => string | undefined;

function reference(decode: Decode, valid: (c: number) => boolean, what: string) {
  return (ctx: Ctx, field: RdataField): boolean => {
    const toks = ctx.tokens;
    const from = ctx.i;
    if (from >= toks.length) return true;
    let ok = true;
    let joined = '';
    for (; ctx.i < toks.length; ctx.i++) {
      const t = toks[ctx.i];
      if (t.quoted) { ok = fieldIssue(ctx, t, field, `must not be quoted (${what})`); continue; }
      const text = t.text;
      for (let k = 0; k < text.length; k++) {
        if (!valid(text.charCodeAt(k))) { ok = fieldIssue(ctx, t, field, `has \`${text[k]}\`, which is not a ${what} character`); break; }
      }
      joined += text;
    }
    if (!ok) return false;
    const e = decode(ctx.w, joined);
    if (e === undefined) return true;
    const span = { start: toks[from].start, end: toks[toks.length - 1].end };
    return issue(ctx, span, `${field.name} \`${show(joined)}\` ${e} (${what}${ctx.i - from > 1 ? ', the pieces joined' : ''})`);
  };
}

const isBase64Char = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f || c === 0x3d;
const isHexChar = (c: number): boolean => hexValue(c) >= 0;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const HEX = '0123456789abcdefABCDEF';
const ODD = ['=', '==', '-', '!', ' ', '\u00e9', 'g', 'G', '_', '.'];

function piece(r: () => number, alphabet: string): string {
  let s = '';
  const n = r() < 0.2 ? Math.floor(r() * 4) : 4 * Math.floor(r() * 12) + (r() < 0.3 ? Math.floor(r() * 4) : 0);
  for (let k = 0; k < n; k++) s += r() < 0.03 ? ODD[Math.floor(r() * ODD.length)] : alphabet[Math.floor(r() * alphabet.length)];
  if (r() < 0.2) s += r() < 0.5 ? '=' : '==';
  return s;
}

function run(parse: (ctx: Ctx, field: RdataField, k: number) => boolean, tokens: Token[], field: RdataField, from: number): string {
  const w = new WireWriter();
  w.u8(0x5a); // (the fields before it, written already)
  const ctx: Ctx = { tokens, i: from, origin: undefined, recordEnd: 999, info: typeByCode(48)!, w, issues: [], nums: [] };
  const ok = parse(ctx, field, 3);
  return JSON.stringify({ ok, i: ctx.i, issues: ctx.issues, wire: ok ? Buffer.from(w.buf.subarray(0, w.pos)).toString('hex') : undefined });
}

test('rest-of-record base64 and hex read as the character-by-character reader did', () => {
  const r = rng(11);
  const cases: [string, (ctx: Ctx, field: RdataField, k: number) => boolean, ReturnType<typeof reference>, string, RdataField][] = [
    ['base64', FIELD_PARSERS.base64, reference(writeBase64, isBase64Char, 'base64'), B64, typeByCode(48)!.fields[3]],
    ['hex', FIELD_PARSERS.hex, reference(writeHex, isHexChar, 'hexadecimal'), HEX, typeByCode(43)!.fields[3]],
  ];
  for (const [name, parse, ref, alphabet, field] of cases) {
    let decoded = 0;
    let refused = 0;
    for (let n = 0; n < 6000; n++) {
      const tokens: Token[] = [];
      const from = Math.floor(r() * 2);
      let at = 0;
      for (let k = 0; k < from; k++) { tokens.push({ text: '257', start: at, end: at + 3, quoted: false }); at += 4; }
      const pieces = Math.floor(r() * 4);
      for (let k = 0; k < pieces; k++) {
        const text = piece(r, alphabet);
        const quoted = r() < 0.05;
        tokens.push({ text, start: at, end: at + text.length + (quoted ? 2 : 0), quoted });
        at += text.length + 3;
      }
      const got = run(parse, tokens, field, from);
      assert.equal(got, run(ref, tokens, field, from), `${name}: ${JSON.stringify(tokens.map((t) => (t.quoted ? `"${t.text}"` : t.text)))}`);
      if (got.includes('"ok":true') && pieces > 0) decoded++; else refused++;
    }
    assert.ok(decoded > 300 && refused > 1000, `${name}: decoded ${decoded}, refused ${refused}`);
  }
});
