import { Message } from 'vscode-languageserver/node';
import { LazyText, setLazyText } from './lazyText';

/**
 * A large didOpen read over `--stdio` whose text is decoded when first read (Node only: the
 * reader, lsp/stdioReader.ts, holds the body's bytes). Decoding the 54 MB didOpen of a
 * million-record zone (UTF-8, then `JSON.parse`) costs ~100 ms, much of it first touches of
 * ~28k fresh pages (the decoded body and the text), and a hover sent right behind it waited for
 * all of it. Here the message is handed over at once from its *skeleton*: the body with the
 * text's string literal replaced by a marker, parsed by `JSON.parse`; `textDocument.text` is a
 * getter that parses the whole body, as the reader would have (`text()`: the very same
 * `JSON.parse(body.toString('utf8'))`), when something first reads it. Until then the document
 * store (lsp/documents.ts) answers a hover from a decoded *prefix* of the text (`prefix()`): the
 * bytes up to just after a `\n` escape, parsed as a JSON string of their own, are exactly the
 * start of the text (a JSON string decodes escape by escape, and UTF-8 decoding starts afresh
 * after an ASCII byte).
 *
 * The skeleton is used only when it is a didOpen whose `textDocument` has a string `uri` and
 * `languageId`, a number `version`, and the marker as `text` (the last member: the body ends
 * with its closing quote and `}`s). When the whole body is parsed, its message must be the
 * skeleton's with that text; if it is not (an unescaped quote inside the text's bytes, i.e.
 * members after it, or bytes that are not JSON), the error is reported as the reader reports
 * one and the document is dropped: a message the reader would not have delivered whole. A
 * prefix that does not parse (such a quote, a bad escape) is not used.
 * `DANE_ZONE_LAZY_OPEN=off` turns this off (stdioReader.ts).
 */

/** Bodies from this length on are read lazily (when they are such a didOpen). */
export const LAZY_OPEN_MIN = 4 * 1024 * 1024;
/** Where the text's key must be (after the uri, language and version). */
const HEAD_MAX = 64 * 1024;
const KEY = Buffer.from('"text":"', 'latin1');
const NEWLINE_ESCAPE = Buffer.from('\\n', 'latin1');
const QUOTE = 0x22, BACKSLASH = 0x5c;
/** lineStart remembers where every this many lines start. */
const LINE_MARK = 4096;
/** Bytes lineStart passes over: characters but control bytes, quote, backslash and parentheses (1). */
const PLAIN = new Uint8Array(256).fill(1, 0x20);
PLAIN[QUOTE] = PLAIN[BACKSLASH] = PLAIN[0x28] = PLAIN[0x29] = 0;
/** The escapes it passes over besides `\n`: `\t`, `\"`, `\/`, `\b`, `\f`. */
const ESCAPE = new Uint8Array(256);
for (const c of [0x74, QUOTE, 0x2f, 0x62, 0x66]) ESCAPE[c] = 1;
/** The text's string literal in the skeleton (no JSON text the reader meets holds it: a U+0000 must be escaped). */
const MARK = '\u0000dane-zone: the text is read later\u0000';
const MARK_JSON = Buffer.from(JSON.stringify(MARK).slice(1, -1), 'latin1');

/** The didOpen in `body` with its text read lazily, or undefined (not such a message: parse it whole). `fail` reports a body that turns out unreadable. */
export function lazyDidOpen(body: Buffer, fail: (e: Error) => void): Message | undefined {
  const key = body.subarray(0, HEAD_MAX).indexOf(KEY);
  if (key <= 0 || (body[key - 1] !== 0x2c && body[key - 1] !== 0x7b)) return undefined; // (after `,` or `{`: a key)
  const start = key + KEY.length;
  // The last quote, followed only by `}` and white space, and not escaped.
  let end = body.length - 1;
  while (end > start && (body[end] === 0x7d || body[end] === 0x20 || body[end] === 0x0a || body[end] === 0x0d || body[end] === 0x09)) end--;
  if (end <= start || body[end] !== QUOTE || backslashesBefore(body, end) % 2 === 1) return undefined;
  let skeleton: { method?: unknown; params?: { textDocument?: Record<string, unknown> } };
  try {
    skeleton = JSON.parse(Buffer.concat([body.subarray(0, start), MARK_JSON, body.subarray(end)]).toString('utf8'));
  } catch {
    return undefined;
  }
  const doc = skeleton?.params?.textDocument;
  if (skeleton.method !== 'textDocument/didOpen' || !doc || typeof doc !== 'object' || doc.text !== MARK ||
    typeof doc.uri !== 'string' || typeof doc.languageId !== 'string' || typeof doc.version !== 'number') return undefined;
  const lazy = new LazyOpenText(body, start, end, skeleton, fail, process.env.DANE_ZONE_LAZY_WINDOW !== 'off');
  setLazyText(doc, lazy);
  return skeleton as Message;
}

/** How many backslashes come right before `at`. */
function backslashesBefore(body: Buffer, at: number): number {
  let n = 0;
  while (at - n - 1 >= 0 && body[at - n - 1] === BACKSLASH) n++;
  return n;
}

export class LazyOpenText implements LazyText {
  private body?: Buffer;
  private whole?: string;
  private error?: Error;
  /** The skeleton as JSON (its text the marker), to compare the whole body's message with. */
  private readonly expected: string;
  /** lineStart's marks: where line k * LINE_MARK starts (`at`: in the body; -1: a byte it does not read comes before) and the last parenthesis before it. */
  private readonly lineMarks: { at: number; lastParen: number }[];

  /** `lines`: lineStart counts lines (false: DANE_ZONE_LAZY_WINDOW=off, it never does: no window is decoded, earlyWindow.ts). */
  constructor(body: Buffer, private readonly start: number, private readonly end: number, skeleton: object, private readonly fail: (e: Error) => void, private readonly lines = true) {
    this.body = body;
    this.expected = JSON.stringify(skeleton);
    this.lineMarks = [{ at: start, lastParen: -1 }];
  }

  /** An upper bound of the text's length in UTF-16 units (every unit takes a byte or more). */
  get maxLength(): number {
    return this.end - this.start;
  }

  /** True once the whole text is decoded (or found unreadable). */
  get decoded(): boolean {
    return this.body === undefined;
  }

  /** The whole text, as the whole body's JSON.parse gives it; throws when the body is not the skeleton's message. */
  text(): string {
    if (this.whole !== undefined) return this.whole;
    if (this.error) throw this.error;
    const body = this.body!;
    this.body = undefined;
    try {
      const message = JSON.parse(body.toString('utf8')) as { params?: { textDocument?: { text?: unknown } } };
      const text = message?.params?.textDocument?.text;
      if (typeof text !== 'string') throw new Error('didOpen read lazily: no text');
      // (every other member as the skeleton read it: compared without the text)
      message.params!.textDocument!.text = MARK;
      if (JSON.stringify(message) !== this.expected) {
        throw new Error('didOpen read lazily: the message is not what its start and end said');
      }
      this.whole = text;
      return text;
    } catch (e) {
      this.error = e instanceof Error ? e : new Error(String(e));
      this.fail(this.error);
      throw this.error;
    }
  }

  /**
   * The start of the text: its bytes up to just after the first `\n` escape at or after
   * `minBytes` of them, decoded on their own (undefined: the whole text is decoded, or no such
   * escape, or those bytes are not a JSON string's). `bytes`: how many of the text's bytes it took.
   */
  prefix(minBytes: number): { text: string; bytes: number } | undefined {
    return this.slice(0, minBytes);
  }

  /**
   * The text from the line that starts `from` bytes into it (0, or just after a `\n` escape:
   * lineStart's) to just after the first `\n` escape at or after `minBytes` more bytes, decoded on
   * its own as prefix() decodes a start (the same characters as in the whole text: a JSON string
   * decodes escape by escape, and UTF-8 starts afresh after an ASCII byte). `bytes`: where it ends.
   */
  slice(from: number, minBytes: number): { text: string; bytes: number } | undefined {
    const body = this.body;
    if (!body || from < 0 || this.start + from > this.end) return undefined;
    let cut = -1;
    for (let at = this.start + from + Math.max(0, minBytes - 2); at < this.end;) {
      const k = body.indexOf(NEWLINE_ESCAPE, at);
      if (k < 0 || k + 2 > this.end) break;
      // (an escape only after an even run of backslashes: `\\n` is a backslash and an `n`)
      if (backslashesBefore(body, k) % 2 === 0) { cut = k + 2; break; }
      at = k + 1;
    }
    if (cut < 0) return undefined;
    // The string literal from a quote written over the byte before it (the opening quote, or the
    // `n` of the escape before), closed by a quote written over the byte after the cut (both put back after).
    const open = this.start + from - 1;
    const savedOpen = body[open], saved = body[cut];
    body[open] = QUOTE;
    body[cut] = QUOTE;
    let literal: string;
    try {
      literal = body.toString('utf8', open, cut + 1);
    } finally {
      body[cut] = saved;
      body[open] = savedOpen;
    }
    try {
      return { text: JSON.parse(literal) as string, bytes: cut - this.start };
    } catch {
      return undefined;
    }
  }

  /**
   * Where line `line` starts in the text's bytes (from its start), counted over bytes that are
   * characters (no control byte, no quote) and the escapes `\n`, `\t`, `\"`, `\/`, `\b`, `\f` only:
   * then every `\n` escape is a line break and nothing else is one, and the text before the line
   * holds no backslash, carriage return or character written as `\u` (which could be one of those,
   * or a parenthesis), and the body's bytes before it are what JSON.parse would read (it checks no
   * further: a JSON string from there on). Undefined when some other byte comes first, or the text
   * has fewer lines. `lastParen`: the last `(` or `)` before it (bytes from the text's start; -1: none).
   * Resumes from the marks an earlier call left (every LINE_MARK lines).
   */
  lineStart(line: number): { bytes: number; lastParen: number } | undefined {
    const body = this.body;
    if (!body || !this.lines || !(line >= 0)) return undefined;
    const marks = this.lineMarks;
    const k = Math.min(Math.floor(line / LINE_MARK), marks.length - 1);
    let { at } = marks[k];
    if (at < 0) return undefined;
    SCAN[0] = marks[k].lastParen;
    for (let n = k * LINE_MARK; n < line;) {
      const step = Math.min(line, (Math.floor(n / LINE_MARK) + 1) * LINE_MARK) - n;
      at = passLines(body, at, this.end, step);
      if (at < 0) {
        // (not read on: no line after this one is counted)
        if (marks.length === Math.floor(n / LINE_MARK) + 1) marks.push({ at: -1, lastParen: -1 });
        return undefined;
      }
      n += step;
      if (n === marks.length * LINE_MARK) marks.push({ at, lastParen: SCAN[0] });
    }
    const lastParen = SCAN[0];
    return { bytes: at - this.start, lastParen: lastParen < 0 ? -1 : lastParen - this.start };
  }
}

/** passLines' last parenthesis (-1: none): read on from it, and what it leaves. */
const SCAN = new Int32Array(1);

/**
 * LazyOpenText.lineStart's loop (a function of its own, which V8 optimizes as a whole): from byte
 * `i`, a line start, over `count` `\n` escapes and the bytes lineStart passes over (PLAIN, ESCAPE);
 * where the last line counted starts, or -1 when another byte or the text's end (`end`, its closing
 * quote: not plain, so the inner loop stops there) comes first.
 */
function passLines(body: Buffer, i: number, end: number, count: number): number {
  let lastParen = SCAN[0];
  let at = i;
  for (let n = 0; n < count;) {
    while (PLAIN[body[i]] === 1) i++;
    if (i >= end) { at = -1; break; }
    const c = body[i];
    if (c === 0x28 || c === 0x29) {
      lastParen = i++;
      continue;
    }
    const e = c === BACKSLASH && i + 1 < end ? body[i + 1] : -1;
    if (e === 0x6e) {
      i += 2;
      n++;
      at = i;
    } else if (e >= 0 && ESCAPE[e] === 1) {
      i += 2;
    } else {
      at = -1;
      break;
    }
  }
  SCAN[0] = lastParen;
  return at;
}

/**
 * Runs lineStart's loop over a small text with every kind of byte it passes (and its end), often
 * enough for V8 to optimize it (~1-2 ms, once, when the server starts): the count for the first
 * hover then runs at its steady speed (the 1M zone's 7.3 MB before line 126,689: ~6 ms, against
 * ~11-20 ms when it starts unoptimized).
 */
export function warmLineCount(): void {
  const body = Buffer.from(JSON.stringify('x (\n) ; y\n' + 'a\tb "c" d/\b\f é\n'.repeat(40)), 'utf8');
  for (let k = 0; k < 60; k++) {
    SCAN[0] = -1;
    passLines(body, 1, body.length - 1, 45);
  }
}
