import { hexValue } from './rdata/codec';
import { Span, Token, ZoneDiagnostic } from './types';
import { work } from './work';

/**
 * The master-file lexer (RFC 1035 §5.1): splits text into entries (one logical line:
 * newlines inside parentheses do not end an entry) made of tokens. It never fails: every
 * problem becomes a diagnostic and scanning goes on. Linear in the input.
 */

export interface Entry extends Span {
  /** True when the entry starts with white space (blank owner: the previous owner applies). */
  blankOwner: boolean;
  tokens: Token[];
  /** True when the entry spans more than one line (a parenthesised record). */
  multiLine: boolean;
}

export interface LexSink {
  comments?: Span[];
  diagnostics: ZoneDiagnostic[];
}

const SPACE = 0x20, TAB = 0x09, CR = 0x0d, LF = 0x0a, SEMI = 0x3b, LPAREN = 0x28, RPAREN = 0x29, QUOTE = 0x22, BSLASH = 0x5c, FFFD = 0xfffd;

function err(code: string, start: number, end: number, message: string): ZoneDiagnostic {
  return { code, severity: 'error', start, end, message };
}

/** A `\r` not followed by `\n` ends a line (old Mac files; BIND loads them, as editors show them). */
function loneCR(text: string, k: number): boolean {
  return text.charCodeAt(k) === CR && text.charCodeAt(k + 1) !== LF;
}

/**
 * ASCII characters that end or interrupt a plain token (1: white space, line ends, `;`, `(`,
 * `)`; 2: the backslash) and a quoted string (3: the quote, 2: the backslash, 1: line ends).
 * One table load per character instead of a chain of comparisons.
 */
const PLAIN_STOP = new Uint8Array(128);
const QUOTED_STOP = new Uint8Array(128);
for (const c of [SPACE, TAB, LF, CR, SEMI, LPAREN, RPAREN]) PLAIN_STOP[c] = 1;
PLAIN_STOP[BSLASH] = 2;
QUOTED_STOP[LF] = 1;
QUOTED_STOP[CR] = 1;
QUOTED_STOP[BSLASH] = 2;
QUOTED_STOP[QUOTE] = 3;

/**
 * The octet two ASCII hex digits `a`, `b` make, at (a << 7) | b (-1: not two hex digits): a
 * digest is decoded while it is scanned, one load a pair (see EntryScan.hexAt).
 */
const HEX_PAIR = new Int16Array(128 * 128).fill(-1);
for (let a = 0; a < 128; a++) {
  for (let b = 0; b < 128; b++) if (hexValue(a) >= 0 && hexValue(b) >= 0) HEX_PAIR[(a << 7) | b] = (hexValue(a) << 4) | hexValue(b);
}

/** Token kinds in an EntryScan. */
export const PLAIN = 0, QUOTED = 1, UNCLOSED = 2;

/**
 * One entry's tokens as positions, no objects (the parser's fast path): per token its span in
 * the text (quotes included) and its kind. Filled by scanEntry and reused for every entry;
 * token objects and strings are made only when a consumer asks (`textOf`, `token`, `tokens`).
 */
export class EntryScan {
  text = '';
  /** The entry: its span, the position after its line end, whether its owner is blank, whether it spans lines. */
  start = 0;
  end = 0;
  next = 0;
  blankOwner = false;
  multiLine = false;
  /** Some token holds U+FFFD (what decoding put for bytes that were not UTF-8). */
  replaced = false;
  count = 0;
  starts = new Int32Array(32);
  ends = new Int32Array(32);
  kinds = new Uint8Array(32);
  /** Tokens made elsewhere ($GENERATE): `textOf`/`token` answer from them. */
  given?: Token[];
  /**
   * A plain token after a one-character token, from the fifth on (where TLSA's and DS's digest
   * follows its one-digit matching or digest type), is decoded as hex while it is scanned: its
   * first `hexLength` pairs of hex digits (at most hexBytes.length) as octets in `hexBytes`.
   * `hexAt` is that token's index (-1: none in this entry). The token is all hex digits, and
   * these octets are all of it, when `2 * hexLength` is its length (rdata/fastScan.ts: the
   * digest is then not read again).
   */
  hexAt = -1;
  hexLength = 0;
  readonly hexBytes = new Uint8Array(64);
  /**
   * The next backslash, line feed, carriage return and U+FFFD in `text` at or after some
   * position, as `[from, at]` pairs (`at` = text.length: none; valid for a position in
   * [from, at]), found with the native `indexOf` and kept while the scan moves forward: a
   * quoted string or comment is then read without a step per character (see `nextStop`).
   */
  private readonly finds = new Int32Array(8).fill(-1);

  /** A new text: what `finds` knew is about the old one. */
  retext(text: string): void {
    this.text = text;
    this.finds.fill(-1);
  }

  /** The first position ≥ `from` of `code` (slot `k` of `finds`), text.length when none. */
  private find(text: string, code: string, k: number, from: number): number {
    const f = this.finds;
    if (f[k] >= 0 && f[k] <= from && from <= f[k + 1]) return f[k + 1];
    const at = text.indexOf(code, from);
    f[k] = from;
    f[k + 1] = at < 0 ? text.length : at;
    work.searched += f[k + 1] - from;
    return f[k + 1];
  }

  /** The first backslash, line end (LF or CR) or U+FFFD at or after `from` (text.length: none). */
  nextStop(text: string, from: number): number {
    return Math.min(this.find(text, '\\', 0, from), this.nextLineEnd(text, from), this.find(text, '\uFFFD', 6, from));
  }

  /** True when `text`[from, to) holds no backslash (a look at what the scan found ahead, most often). */
  noBackslash(from: number, to: number): boolean {
    return this.find(this.text, '\\', 0, from) >= to;
  }

  /** The first LF or CR at or after `from` (text.length: none). */
  nextLineEnd(text: string, from: number): number {
    return Math.min(this.find(text, '\n', 2, from), this.find(text, '\r', 4, from));
  }

  push(start: number, end: number, kind: number): void {
    const i = this.count;
    if (i === this.starts.length) {
      const grow = <T extends Int32Array | Uint8Array>(a: T, b: T): T => { b.set(a); return b; };
      this.starts = grow(this.starts, new Int32Array(2 * i));
      this.ends = grow(this.ends, new Int32Array(2 * i));
      this.kinds = grow(this.kinds, new Uint8Array(2 * i));
    }
    this.starts[i] = start;
    this.ends[i] = end;
    this.kinds[i] = kind;
    this.count = i + 1;
  }

  /** Fills the scan from tokens made elsewhere (their text is theirs, not a slice of `text`). */
  setTokens(tokens: Token[], start: number, end: number): void {
    this.count = 0;
    this.given = tokens;
    this.hexAt = -1;
    this.start = start;
    this.end = end;
    this.blankOwner = false;
    this.multiLine = false;
    this.replaced = false;
    for (const t of tokens) this.push(t.start, t.end, t.quoted ? QUOTED : PLAIN);
  }

  quoted(i: number): boolean { return this.kinds[i] !== PLAIN; }

  /** The token's text, escapes untouched, without its quotes. */
  textOf(i: number): string {
    if (this.given) return this.given[i].text;
    const k = this.kinds[i];
    return k === PLAIN ? this.text.slice(this.starts[i], this.ends[i]) : this.text.slice(this.starts[i] + 1, this.ends[i] - (k === QUOTED ? 1 : 0));
  }

  token(i: number): Token {
    if (this.given) return this.given[i];
    return { text: this.textOf(i), start: this.starts[i], end: this.ends[i], quoted: this.kinds[i] !== PLAIN };
  }

  /** Token objects from `from` to the end (an array of exactly that size: records keep it). */
  tokens(from = 0): Token[] {
    const n = Math.max(0, this.count - from);
    const out = new Array<Token>(n);
    for (let i = 0; i < n; i++) out[i] = this.token(from + i);
    return out;
  }
}

/**
 * Quoted strings and comments are read with `indexOf` (EntryScan.nextStop) instead of a step
 * per character. Off only in tests, which compare the two (test/unit/lexer-finds.test.ts).
 */
let lexerFinds = true;
export function setLexerFinds(on: boolean): void {
  lexerFinds = on;
}

/** Digests decoded while scanned (EntryScan.hexAt). Off only in tests, which compare the two (test/unit/lexer-hex.test.ts). */
let hexDecoding = true;
export function setHexDecoding(on: boolean): void {
  hexDecoding = on;
}

/**
 * Reads one entry starting at `pos` (the start of a line). Returns the entry and the
 * position just after its terminating newline (or text.length). Entries with no tokens
 * (blank lines, comment lines) are returned with an empty token list.
 */
export function readEntry(text: string, pos: number, sink: LexSink): { entry: Entry; next: number } {
  const s = scanEntry(text, pos, sink, new EntryScan());
  return { entry: { start: s.start, end: s.end, blankOwner: s.blankOwner, tokens: s.tokens(), multiLine: s.multiLine }, next: s.next };
}

/**
 * Scans one entry starting at `pos` (the start of a line) into `out` (reset first): its span,
 * the position just after its terminating newline (or text.length), its tokens' positions.
 * Entries with no tokens (blank lines, comment lines) have `count` 0.
 */
export function scanEntry(text: string, pos: number, sink: LexSink, out: EntryScan): EntryScan {
  const n = text.length;
  const start = pos;
  // (the same text, most often: then one comparison of references, and what the scan found ahead
  // stays true for every range of it: the document parses ~15,600 chunks of one text)
  if (out.text !== text) out.retext(text);
  out.given = undefined;
  out.count = 0;
  out.start = start;
  out.replaced = false;
  out.hexAt = -1;
  let depth = 0;
  let openAt = -1;
  let multiLine = false;
  const first = pos < n ? text.charCodeAt(pos) : LF;
  out.blankOwner = first === SPACE || first === TAB;
  let i = pos;
  let examined = 0;
  for (;;) {
    examined++;
    if (i >= n) {
      work.steps += examined;
      if (depth > 0) {
        sink.diagnostics.push(err('unbalanced-parenthesis', openAt, openAt + 1,
          '`(` is never closed: add `)` at the end of the record (the rest of the file was read as part of this record)'));
      }
      out.end = n;
      out.next = n;
      out.multiLine = multiLine;
      return out;
    }
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB || (c === CR && !loneCR(text, i))) { i++; continue; }
    if (c === LF || c === CR) {
      if (depth > 0) { multiLine = true; i++; continue; }
      let end = i;
      if (end > start && text.charCodeAt(end - 1) === CR) end--;
      work.steps += examined;
      out.end = end;
      out.next = i + 1;
      out.multiLine = multiLine;
      return out;
    }
    if (c === SEMI) {
      let j: number;
      if (lexerFinds) {
        // (to the line end: LF, or a CR not before an LF)
        j = out.nextLineEnd(text, i + 1);
        if (j < n && text.charCodeAt(j) === CR && !loneCR(text, j)) j++;
      } else {
        j = i + 1;
        while (j < n && text.charCodeAt(j) !== LF && !loneCR(text, j)) j++;
      }
      examined += j - i;
      let e = j;
      if (e > i && text.charCodeAt(e - 1) === CR) e--;
      sink.comments?.push({ start: i, end: e });
      i = j;
      continue;
    }
    if (c === LPAREN) {
      if (depth > 0) {
        sink.diagnostics.push(err('unbalanced-parenthesis', i, i + 1, 'nested `(`: parentheses do not nest in zone files; remove this one'));
      } else {
        depth = 1;
        openAt = i;
      }
      i++;
      continue;
    }
    if (c === RPAREN) {
      if (depth === 0) {
        sink.diagnostics.push(err('unbalanced-parenthesis', i, i + 1, '`)` without a matching `(`: remove it or open the group earlier'));
      } else depth = 0;
      i++;
      continue;
    }
    if (c === QUOTE) {
      if (lexerFinds) {
        // The common string: its closing quote comes before any backslash, line end or U+FFFD,
        // as the loop below would find it (native indexOf, no step per character).
        const q = text.indexOf('"', i + 1);
        if (q > i && q < out.nextStop(text, i + 1)) {
          examined += q - i;
          out.push(i, q + 1, QUOTED);
          i = q + 1;
          continue;
        }
      }
      let j = i + 1;
      let closed = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d < 128) {
          const stop = QUOTED_STOP[d];
          if (stop === 0) { j++; continue; }
          if (stop === 2) { if (text.charCodeAt(j + 1) === FFFD) out.replaced = true; j += 2; continue; }
          if (stop === 3) { closed = true; break; }
          if (d === LF || loneCR(text, j)) break;
        } else if (d === FFFD) out.replaced = true;
        j++;
      }
      examined += j - i;
      if (j > n) j = n;
      if (!closed) {
        let e = j;
        if (e > i && text.charCodeAt(e - 1) === CR) e--;
        sink.diagnostics.push(err('unterminated-string', i, e, 'quoted string is not closed before the end of the line: add the closing `"`'));
        out.push(i, e, UNCLOSED);
        i = j;
      } else {
        out.push(i, j + 1, QUOTED);
        i = j + 1;
      }
      continue;
    }
    // plain token: up to white space, `;`, `(`, `)`; a backslash escapes the next character
    let j = i;
    let stray = false;
    // (the blank that ends the token is passed over here: the loop's next turn would only do that)
    let blankAfter = false;
    const at = out.count;
    if (at >= 4 && out.ends[at - 1] - out.starts[at - 1] === 1 && hexDecoding) {
      // (maybe a digest: its pairs of hex digits decoded on the way; the loop below goes on
      // from the first pair that is not two hex digits, as if it had read these itself)
      const hb = out.hexBytes;
      let p = 0;
      for (const lim = Math.min(n - 1, i + 2 * hb.length); j < lim; j += 2) {
        const hi = text.charCodeAt(j), lo = text.charCodeAt(j + 1);
        if ((hi | lo) >= 128) break;
        const v = HEX_PAIR[(hi << 7) | lo];
        if (v < 0) break;
        hb[p++] = v;
      }
      out.hexAt = at;
      out.hexLength = p;
    }
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d >= 128) {
        if (d === FFFD) out.replaced = true;
        j++;
        continue;
      }
      const stop = PLAIN_STOP[d];
      if (stop === 0) { j++; continue; }
      if (stop === 1) {
        if (d === SPACE || d === TAB) blankAfter = true;
        break;
      }
      // a backslash: it escapes the next character
      const e = text.charCodeAt(j + 1);
      if (e === LF || e === CR) {
        // BIND and Knot reject a backslash before a line end: it does not join lines.
        sink.diagnostics.push(err('syntax', j, j + 1,
          'a backslash at the end of a line does not continue the line (BIND and Knot reject it): remove it, or write `\\\\` for a backslash'));
        stray = true;
        break;
      }
      if (e === FFFD) out.replaced = true;
      j = j + 2 > n ? n : j + 2;
    }
    examined += j - i;
    if (j > i) out.push(i, j, PLAIN);
    if (blankAfter) examined++;
    i = stray || blankAfter ? j + 1 : j;
  }
}
