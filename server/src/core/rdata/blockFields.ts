/**
 * The rest-of-record base64 and hex fields (DNSKEY keys, RRSIG signatures, DS digests, ...), a
 * field parser each for rdata/fields.ts's table.
 */
import { RdataField } from '../rrtypeSchema';
import { hexValue, writeBase64, writeHex } from './codec';
import { Ctx, fieldIssue, issue, show } from './context';
import { WireWriter } from './writer';

/**
 * Rest-of-record data (base64 or hex). Whitespace may split the presentation form anywhere
 * (RFC 4034 §2.2 and §3.2, RFC 6698 §2.2, RFC 8976 §2.3): the pieces are joined and only the
 * joined value must be valid, as BIND, NSD, PowerDNS and dnspython read it (Knot demands
 * whole quartets / octets per piece, which no RFC asks for). A bad character is reported on
 * its own piece; a bad length or padding on the whole value.
 */
function blocks(decode: (w: WireWriter, s: string) => string | undefined, valid: (c: number) => boolean, what: string): (ctx: Ctx, field: RdataField) => boolean {
  return (ctx, field) => {
    const toks = ctx.tokens;
    const from = ctx.i;
    if (from >= toks.length) return true; // an optional field left out (required ones are checked before)
    // The common value first: plain pieces whose joined value decodes. Decoding reads every
    // character as `valid` would (writeBase64 and writeHex take nothing `valid` refuses), so the
    // loop below would find nothing to say; else it runs and explains.
    let joined = '';
    let i = from;
    while (i < toks.length && !toks[i].quoted) joined += toks[i++].text;
    if (i === toks.length) {
      const at = ctx.w.pos;
      if (decode(ctx.w, joined) === undefined) {
        ctx.i = i;
        return true;
      }
      ctx.w.pos = at;
    }
    let ok = true;
    joined = '';
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
export const base64 = blocks(writeBase64, isBase64Char, 'base64');
export const hex = blocks(writeHex, isHexChar, 'hexadecimal');
