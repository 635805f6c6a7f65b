import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StringMode, writeStringRange } from '../../server/src/core/rdata/text';
import { WireWriter } from '../../server/src/core/rdata/writer';

/**
 * writeStringRange writes a run of common characters (printable ASCII but `\` and `"`) with one
 * test a character, up to the room left in the current character-string. Here it is held to
 * the character-at-a-time loop it replaced (copied below as it was): the same octets and the
 * same message for random strings of runs, escapes, control and non-ASCII characters, across
 * the 255-octet splits, in every mode, quoted or not, and inside a longer text.
 */

const AS_IS = new Uint8Array(128);
for (let c = 0x20; c < 0x7f; c++) AS_IS[c] = c === 0x5c || c === 0x22 ? 0 : 1;

function reference(w: WireWriter, text: string, from: number, to: number, quoted: boolean, mode: StringMode): string | undefined {
  const n = to - from;
  w.ensure(n * 3 + 2 + (n >> 6));
  const b = w.buf;
  let p = w.pos;
  let lenAt = -1;
  if (mode !== StringMode.Raw) lenAt = p++;
  let len = 0;
  const max = mode === StringMode.Raw ? Infinity : 255;
  const put = (v: number): void => { b[p++] = v; };
  for (let i = from; i < to; i++) {
    let c = text.charCodeAt(i);
    if (c < 128 && AS_IS[c] === 1 && len < max) {
      b[p++] = c;
      len++;
      continue;
    }
    if (c === 0x5c) {
      if (i + 1 >= to) return 'ends with a lone backslash: write `\\\\` for a backslash';
      const d = text.charCodeAt(i + 1);
      if (d >= 0x30 && d <= 0x39) {
        const d2 = i + 2 < to ? text.charCodeAt(i + 2) - 0x30 : -1;
        const d3 = i + 3 < to ? text.charCodeAt(i + 3) - 0x30 : -1;
        if (!(d2 >= 0 && d2 <= 9 && d3 >= 0 && d3 <= 9)) {
          return `has the escape \`\\${text.slice(i + 1, Math.min(i + 4, to))}\`: a numeric escape needs exactly three digits (\\DDD)`;
        }
        c = (d - 0x30) * 100 + d2 * 10 + d3;
        if (c > 255) return `has the escape \`\\${text.slice(i + 1, i + 4)}\`, which is not an octet (\\000..\\255)`;
        i += 3;
      } else {
        i++;
        c = d;
        if (c >= 0x80) {
          i--;
          continue;
        }
      }
    } else if (c < 0x20 || c === 0x7f) {
      if (!(quoted && c === 0x09)) return `contains the control character \\${String(c).padStart(3, '0')}: write it as \\${String(c).padStart(3, '0')}`;
    } else if (c === 0x22 && !quoted) {
      return 'contains an unescaped `"`: write `\\"`, or quote the whole string';
    } else if (c >= 0x80) {
      let cp = c;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
        const lo = text.charCodeAt(i + 1);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          cp = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
          i++;
        }
      }
      const start = len;
      if (cp < 0x800) {
        put(0xc0 | (cp >> 6)); put(0x80 | (cp & 63));
        len += 2;
      } else if (cp < 0x10000) {
        put(0xe0 | (cp >> 12)); put(0x80 | ((cp >> 6) & 63)); put(0x80 | (cp & 63));
        len += 3;
      } else {
        put(0xf0 | (cp >> 18)); put(0x80 | ((cp >> 12) & 63)); put(0x80 | ((cp >> 6) & 63)); put(0x80 | (cp & 63));
        len += 4;
      }
      if (mode !== StringMode.Raw && len > 255) {
        if (mode === StringMode.Single) return 'is longer than 255 octets (a character-string holds at most 255): split it into several strings';
        const k = len - start;
        b.copyWithin(p - k + 1, p - k, p);
        b[lenAt] = start;
        lenAt = p - k;
        p++;
        len = k;
      }
      continue;
    }
    if (mode !== StringMode.Raw && len === 255) {
      if (mode === StringMode.Single) return 'is longer than 255 octets (a character-string holds at most 255): split it into several strings';
      b[lenAt] = 255;
      lenAt = p++;
      len = 0;
    }
    b[p++] = c;
    len++;
  }
  if (lenAt >= 0) b[lenAt] = len;
  w.pos = p;
  return undefined;
}

const PIECES = ['a', 'Z', '0', ' ', '~', '!', '#', '[', ']', '\t', '"', '\\', '\\\\', '\\"', '\\065', '\\255', '\\256', '\\06', '\\0',
  '\\a', '\\\u00e9', '\u0001', '\u001f', '\u007f', '\u00e9', '\u20ac', '\ud83d\ude00', '\ud83d', '\ude00', '\u0080'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomString(r: () => number): string {
  let s = '';
  const parts = Math.floor(r() * 8);
  for (let k = 0; k < parts; k++) {
    // runs of common characters around the 255-octet splits, and single pieces
    if (r() < 0.4) s += 'x'.repeat(Math.floor(r() * (r() < 0.5 ? 300 : 20)));
    else if (r() < 0.5) s += 'abc def'.repeat(36 + Math.floor(r() * 4)).slice(0, 250 + Math.floor(r() * 10));
    else s += PIECES[Math.floor(r() * PIECES.length)];
  }
  return s;
}

function run(f: typeof writeStringRange, text: string, from: number, to: number, quoted: boolean, mode: StringMode, clean = false): string {
  const w = new WireWriter();
  w.u8(0xaa); // (written after an octet already there, as a record's second string is)
  const message = f(w, text, from, to, quoted, mode, clean);
  return message !== undefined ? `error: ${message}` : Buffer.from(w.buf.subarray(0, w.pos)).toString('hex');
}

test('writeStringRange writes what the character-at-a-time loop wrote', () => {
  const r = rng(7);
  const modes = [StringMode.Single, StringMode.Split, StringMode.Raw];
  let written = 0;
  let split = 0;
  for (let i = 0; i < 20000; i++) {
    const body = randomString(r);
    const pre = r() < 0.5 ? '' : 'pre"\\';
    const text = pre + body + (r() < 0.5 ? '' : 'post\\');
    const from = pre.length;
    const to = from + body.length;
    const quoted = r() < 0.5;
    const mode = modes[Math.floor(r() * modes.length)];
    const got = run(writeStringRange, text, from, to, quoted, mode);
    assert.equal(got, run(reference, text, from, to, quoted, mode), `${JSON.stringify(body)} quoted=${quoted} mode=${mode}`);
    if (!got.startsWith('error')) {
      written++;
      if (mode === StringMode.Split && got.length > 2 * 258) split++;
    }
  }
  assert.ok(written > 4000 && split > 300, `written ${written}, split ${split}`);
});

test('writeStringRange told the range is clean (no backslash, no quote) writes what the loop wrote', () => {
  // (what the RDATA fast path tells it for a quoted string the lexer read with no backslash in it)
  const r = rng(11);
  const modes = [StringMode.Single, StringMode.Split, StringMode.Raw];
  let written = 0;
  let other = 0;
  for (let i = 0; i < 20000; i++) {
    const body = randomString(r).replace(/[\\"]/g, '');
    const text = '"' + body + '"\\';
    const mode = modes[Math.floor(r() * modes.length)];
    const quoted = r() < 0.8;
    const got = run(writeStringRange, text, 1, 1 + body.length, quoted, mode, true);
    assert.equal(got, run(reference, text, 1, 1 + body.length, quoted, mode), `${JSON.stringify(body)} quoted=${quoted} mode=${mode}`);
    if (!got.startsWith('error')) written++;
    if (/[^\x20-\x7e]/.test(body)) other++;
  }
  assert.ok(written > 4000 && other > 4000, `written ${written}, with characters outside printable ASCII ${other}`);
});
