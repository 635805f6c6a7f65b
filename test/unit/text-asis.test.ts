/**
 * writeStringRange writes the common character (printable ASCII but `\` and `"`) in a short loop
 * of its own (rdata/text.ts AS_IS); the octets must be what the presentation text means: escapes
 * decoded, UTF-8 for the rest, split into character-strings of at most 255 octets (Split), one
 * string or an error past 255 (Single), no length octets (Raw). An independent encoder is the
 * oracle, on seeded random strings around the 255-octet boundary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StringMode, writeStringRange } from '../../server/src/core/rdata/text';
import { WireWriter } from '../../server/src/core/rdata/writer';

/** The octets `text` means (valid escapes only, as generated below). */
function octets(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0x30 && d <= 0x39) { out.push(Number(text.slice(i + 1, i + 4))); i += 3; } else { out.push(d); i += 1; }
    } else out.push(...Buffer.from(String.fromCodePoint(text.codePointAt(i)!), 'utf8'));
    if (c >= 0xd800 && c <= 0xdbff) i++;
  }
  return out;
}

function expected(text: string, mode: StringMode): number[] | undefined {
  const o = octets(text);
  if (mode === StringMode.Raw) return o;
  if (mode === StringMode.Single) return o.length > 255 ? undefined : [o.length, ...o];
  // Split: at 255 octets, never inside a character's UTF-8 octets
  const out: number[] = [];
  let cur: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let piece: string;
    if (c === 0x5c) { const d = text.charCodeAt(i + 1); piece = d >= 0x30 && d <= 0x39 ? text.slice(i, i + 4) : text.slice(i, i + 2); } else piece = String.fromCodePoint(text.codePointAt(i)!);
    i += piece.length - 1;
    const bytes = octets(piece);
    if (cur.length + bytes.length > 255) { out.push(cur.length, ...cur); cur = []; }
    cur.push(...bytes);
  }
  out.push(cur.length, ...cur);
  return out;
}

test('writeStringRange: the common characters and the rest, around 255 octets, in every mode', () => {
  let seed = 11;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const rare = ['\\"', '\\\\', '\\065', '\\255', '\\000', '\t', 'é', '€', '😀', '\\;', ' '];
  const w = new WireWriter();
  for (let k = 0; k < 3000; k++) {
    const n = [1, 10, 250, 254, 255, 256, 300, 510, 520][rnd(9)];
    let t = '';
    while (t.length < n) t += rnd(20) === 0 ? rare[rnd(rare.length)] : String.fromCharCode(0x23 + rnd(0x5b)).replace('\\', 'b');
    t = t.replace(/\\+$/, '');
    for (const mode of [StringMode.Split, StringMode.Single, StringMode.Raw]) {
      const quoted = rnd(2) === 0 || t.includes('\t');
      const text = `("${t}")`;
      w.reset();
      const err = writeStringRange(w, text, 2, 2 + t.length, quoted, mode);
      const want = expected(t, mode);
      if (want === undefined) { assert.ok(err !== undefined, t); continue; }
      assert.equal(err, undefined, t);
      assert.deepEqual(Array.from(w.buf.subarray(w.base, w.pos)), want, `${mode} ${JSON.stringify(t)}`);
    }
  }
});
