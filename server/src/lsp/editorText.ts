import { LinePosition } from '../core';

/**
 * The editor's text of one open document as pieces (each ending just after a line break, except
 * the last) with their own line starts, so an edit costs O(piece + number of pieces), not
 * O(document): `TextDocument.update` copied the whole text and shifted every later line offset
 * on each keystroke (~50 ms on a 54 MB zone). The whole string is joined only when asked for,
 * once per version (`snapshot`). Positions follow `TextDocument` exactly (line breaks `\n`,
 * `\r\n`, `\r`; neither `positionAt` nor `offsetAt` points past a line's end, e.g. between `\r` and `\n`):
 * test/unit/editorText.test.ts compares the two after random edits.
 */

/** How many changes changedSince can look back over. */
const CHANGE_LOG = 64;

/** Pieces are cut at the first line break after this many characters. */
const PIECE = 16 * 1024;

/** A range of a change, UTF-16 positions. */
export interface TextRange {
  start: LinePosition;
  end: LinePosition;
}

/** A content change as LSP sends it: ranged, or the whole text. */
export type TextChangeEvent = { range: TextRange; text: string } | { text: string; range?: undefined };

/** Offsets (within `s`) of the line starts after `s`'s first character position, per the TextDocument rules; `s` never ends in a lone `\r` unless last. */
function lineStartsOf(s: string, atEnd: boolean): Int32Array {
  if (s.indexOf('\r') < 0) {
    // Only `\n` (most files): found by the native search, counted first, then written.
    let n = 0;
    for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
    if (n > 0 && !atEnd && s.charCodeAt(s.length - 1) === 10) n--;
    const starts = new Int32Array(n);
    for (let i = s.indexOf('\n'), k = 0; k < n; i = s.indexOf('\n', i + 1)) starts[k++] = i + 1;
    return starts;
  }
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 13) {
      if (i + 1 < s.length && s.charCodeAt(i + 1) === 10) i++;
      if (i + 1 < s.length || atEnd) out.push(i + 1);
    } else if (c === 10) {
      if (i + 1 < s.length || atEnd) out.push(i + 1);
    }
  }
  return Int32Array.from(out);
}

/** Cuts `s` into pieces of about PIECE characters, each ending just after a `\n` (the last one: anywhere). */
function cut(s: string): string[] {
  const out: string[] = [];
  let at = 0;
  while (s.length - at > PIECE) {
    const nl = s.indexOf('\n', at + PIECE);
    if (nl < 0) break;
    out.push(s.slice(at, nl + 1));
    at = nl + 1;
  }
  if (at < s.length || out.length === 0) out.push(s.slice(at));
  return out;
}

/** The text of one version, joined when first asked for. */
export class TextSnapshot {
  private joined?: string;
  constructor(private readonly pieces: readonly string[], readonly length: number) {}
  get text(): string {
    return (this.joined ??= this.pieces.length === 1 ? this.pieces[0] : this.pieces.join(''));
  }
}

export class EditorText {
  private pieces: string[] = [];
  /** Per piece: the line starts inside it after its start (relative). Every piece starts a line. */
  private starts: Int32Array[] = [];
  /** Per piece: its offset, and the number of lines before it. */
  private offsets: number[] = [];
  private linesBefore: number[] = [];
  /**
   * The pieces [0, built) have their line starts and lines before them; after a whole new text,
   * the others get them when a position past them is first asked for (a hover right after a
   * large zone is opened reads only the pieces before it). Every edit makes them all first.
   */
  private built = 0;
  private total = 0;
  private lines = 1;
  private snap?: TextSnapshot;
  /** Counts changes; the last CHANGE_LOG changes' lowest offsets (changedSince). */
  private changes = 0;
  private readonly changeLog: number[] = [];

  constructor(readonly uri: string, readonly languageId: string, public version: number, text: string) {
    this.set(text);
  }

  get length(): number {
    return this.total;
  }

  get lineCount(): number {
    this.build(this.pieces.length - 1);
    return this.lines;
  }

  /** This version's text (joined once per version, when asked). */
  snapshot(): TextSnapshot {
    return (this.snap ??= new TextSnapshot(this.pieces.slice(), this.total));
  }

  getText(): string {
    return this.snapshot().text;
  }

  /** Applies LSP content changes in order (each against the text after the previous ones). */
  update(changes: readonly TextChangeEvent[], version: number): void {
    for (const c of changes) {
      if (c.range) this.replace(this.offsetAt(c.range.start), this.offsetAt(c.range.end), c.text);
      else this.set(c.text);
    }
    this.version = version;
  }

  /** Identifies the text as it is now, for changedSince. */
  get stamp(): number {
    return this.changes;
  }

  /**
   * The lowest offset a change since `stamp` touched: the text before it, and so every position
   * there, is as it was then (0: anything may have changed, or too many changes to tell).
   */
  changedSince(stamp: number): number {
    const n = this.changes - stamp;
    if (n <= 0) return Infinity;
    if (n > this.changeLog.length) return 0;
    let low = Infinity;
    for (let k = this.changeLog.length - n; k < this.changeLog.length; k++) low = Math.min(low, this.changeLog[k]);
    return low;
  }

  private changed(start: number): void {
    this.changes++;
    this.changeLog.push(start);
    if (this.changeLog.length > CHANGE_LOG) this.changeLog.shift();
  }

  /** Replaces [start, end) (offsets; swapped when reversed, clamped). */
  replace(a: number, b: number, text: string): void {
    this.build(this.pieces.length - 1);
    const start = Math.max(0, Math.min(Math.min(a, b), this.total));
    const end = Math.max(start, Math.min(Math.max(a, b), this.total));
    if (start === end && text === '') return;
    // (positions before `start` stay: those at it may not, e.g. a `\n` typed after a `\r`)
    this.changed(start);
    // (The piece before ends with `\n`: nothing typed here joins with it.)
    const from = this.pieceAt(start);
    let last = this.pieceAt(end);
    const base = this.offsets[from];
    let s = this.pieces.slice(from, last + 1).join('');
    s = s.slice(0, start - base) + text + s.slice(end - base);
    // Every piece but the last ends just after a `\n`: take in the next piece when this one no longer does.
    while (last + 1 < this.pieces.length && !s.endsWith('\n')) s += this.pieces[++last];
    const fresh = s === '' ? [] : cut(s);
    const isLast = last + 1 === this.pieces.length;
    const freshStarts = fresh.map((p, k) => lineStartsOf(p, isLast && k === fresh.length - 1));
    this.pieces.splice(from, last + 1 - from, ...fresh);
    this.starts.splice(from, last + 1 - from, ...freshStarts);
    if (this.pieces.length === 0) { this.pieces.push(''); this.starts.push(new Int32Array(0)); }
    this.recount();
  }

  positionAt(offset: number): LinePosition {
    offset = Math.max(0, Math.min(offset, this.total));
    const k = this.pieceAt(offset);
    this.build(k);
    const st = this.starts[k];
    const rel = offset - this.offsets[k];
    // The last line start in the piece at or before `rel` (the piece's own start is one).
    let lo = 0;
    let hi = st.length - 1;
    let n = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (st[mid] <= rel) { n = mid; lo = mid + 1; } else hi = mid - 1;
    }
    const lineStart = n < 0 ? 0 : st[n];
    // Never between a line's end and its line break (as TextDocument: ensureBeforeEOL).
    let at = rel;
    const piece = this.pieces[k];
    for (let c = piece.charCodeAt(at - 1); at > lineStart && (c === 10 || c === 13); c = piece.charCodeAt(--at - 1)) { /* back to the line's end */ }
    return { line: this.linesBefore[k] + n + 1, character: at - lineStart };
  }

  offsetAt(position: LinePosition): number {
    if (position.line < 0) return 0;
    this.buildLine(position.line + 1);
    if (position.line >= this.lines) return this.total;
    const lineOffset = this.lineStart(position.line);
    if (position.character <= 0) return lineOffset;
    const next = position.line + 1 < this.lines ? this.lineStart(position.line + 1) : this.total;
    let offset = Math.min(lineOffset + position.character, next);
    // Never past the line's end (TextDocument's ensureBeforeEOL).
    while (offset > lineOffset && this.isLineBreak(offset - 1)) offset--;
    return offset;
  }

  /** The offset where `line` starts. */
  lineStart(line: number): number {
    if (line <= 0) return 0;
    this.buildLine(line);
    if (line >= this.lines) return this.total;
    let lo = 0;
    let hi = this.built - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.linesBefore[mid] <= line) lo = mid; else hi = mid - 1;
    }
    const n = line - this.linesBefore[lo];
    return this.offsets[lo] + (n === 0 ? 0 : this.starts[lo][n - 1]);
  }

  charCodeAt(offset: number): number {
    const k = this.pieceAt(offset);
    return this.pieces[k].charCodeAt(offset - this.offsets[k]);
  }

  private isLineBreak(offset: number): boolean {
    const c = this.charCodeAt(offset);
    return c === 10 || c === 13;
  }

  private set(text: string): void {
    this.changed(0);
    this.pieces = cut(text);
    const n = this.pieces.length;
    this.starts = new Array(n);
    this.linesBefore = new Array(n);
    this.offsets = new Array(n);
    let at = 0;
    for (let k = 0; k < n; k++) {
      this.offsets[k] = at;
      at += this.pieces[k].length;
    }
    this.total = at;
    this.built = 0;
    // (more lines than any position can name until the pieces are all built: `lines` is exact then)
    this.lines = Number.MAX_SAFE_INTEGER;
    this.snap = new TextSnapshot([text], text.length); // (the string as given: nothing to join)
  }

  /** Builds the line starts of the pieces up to `k` (and the line count once all are). */
  private build(k: number): void {
    const n = this.pieces.length;
    for (let j = this.built; j <= k && j < n; j++) {
      this.starts[j] = lineStartsOf(this.pieces[j], j === n - 1);
      this.linesBefore[j] = j === 0 ? 0 : this.linesBefore[j - 1] + 1 + this.starts[j - 1].length;
      this.built = j + 1;
      if (j === n - 1) this.lines = this.linesBefore[j] + 1 + this.starts[j].length;
    }
  }

  /** Builds the line starts of up to `n` more pieces (while the open goes on: an edit then finds them made); true when all are. */
  buildSome(n: number): boolean {
    this.build(this.built + n - 1);
    return this.built === this.pieces.length;
  }

  /** Builds the pieces up to the one where `line` starts (all of them if it is past the last line). */
  private buildLine(line: number): void {
    while (this.built < this.pieces.length && (this.built === 0 || this.linesBefore[this.built - 1] + this.starts[this.built - 1].length < line)) {
      this.build(this.built);
    }
  }

  /** Offsets and line counts before each piece (O(pieces)); a new version's snapshot. */
  private recount(): void {
    this.snap = undefined;
    const n = this.pieces.length;
    this.built = n;
    this.offsets = new Array(n);
    this.linesBefore = new Array(n);
    let at = 0;
    let lines = 0;
    for (let k = 0; k < n; k++) {
      this.offsets[k] = at;
      this.linesBefore[k] = lines;
      at += this.pieces[k].length;
      // The piece's own first line, then one per line start inside it.
      lines += 1 + this.starts[k].length;
    }
    this.total = at;
    this.lines = lines;
  }

  /** The piece holding `offset` (the last one for the end of the text). */
  private pieceAt(offset: number): number {
    let lo = 0;
    let hi = this.pieces.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.offsets[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
}
