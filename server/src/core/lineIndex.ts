/**
 * Offset ↔ line/character conversion for one text, built once (O(n)) and then answered by
 * binary search (O(log lines)). Lines end at `\n`, `\r\n` or a lone `\r`, as in LSP;
 * characters are UTF-16 code units, as are the core's offsets (see types.ts).
 */

export interface LinePosition {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 column. */
  character: number;
}

const LF = 0x0a;
const CR = 0x0d;

/** Offset ↔ position conversion, whoever keeps the line table (LineIndex, or the editor's document). */
export interface Lines {
  readonly text: string;
  readonly lineCount: number;
  lineStart(line: number): number;
  lineEnd(line: number): number;
  lineAt(offset: number): number;
  positionAt(offset: number): LinePosition;
  offsetAt(position: LinePosition): number;
}

export class LineIndex implements Lines {
  /** Offset of the first character of each line; lineStarts[0] === 0. */
  private readonly lineStarts: Uint32Array;
  readonly lineCount: number;

  constructor(readonly text: string) {
    // indexOf is native and far faster than a charCodeAt loop on big zones; a lone `\r`
    // (rare) needs the careful scan.
    const starts = onlyLfBreaks(text) ? lfStarts(text) : anyBreakStarts(text);
    this.lineStarts = starts;
    this.lineCount = starts.length;
  }

  /** Offset of the start of `line` (clamped to the text). */
  lineStart(line: number): number {
    if (line <= 0) return 0;
    if (line >= this.lineCount) return this.text.length;
    return this.lineStarts[line];
  }

  /** Offset just after the last character of `line`, before its line break. */
  lineEnd(line: number): number {
    if (line < 0) return 0;
    if (line >= this.lineCount - 1) return this.text.length;
    let end = this.lineStarts[line + 1];
    if (end > 0 && this.text.charCodeAt(end - 1) === LF) end--;
    if (end > 0 && this.text.charCodeAt(end - 1) === CR) end--;
    return Math.max(end, this.lineStarts[line]);
  }

  /** The 0-based line holding `offset` (clamped to the text). */
  lineAt(offset: number): number {
    if (!(offset > 0)) return 0;
    if (offset > this.text.length) offset = this.text.length;
    let lo = 0;
    let hi = this.lineCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * Line and character of `offset` (clamped to the text). An offset inside a line break
   * (between `\r` and `\n`) maps to the end of that line.
   */
  positionAt(offset: number): LinePosition {
    if (!(offset > 0)) offset = 0; // also NaN
    const line = this.lineAt(offset);
    const start = this.lineStarts[line] ?? 0;
    const clamped = Math.min(Math.max(offset, 0), this.lineEnd(line));
    return { line, character: Math.max(0, clamped - start) };
  }

  /** Offset of a line/character position; characters past the line's end clamp to it. */
  offsetAt(position: LinePosition): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineCount) return this.text.length;
    const start = this.lineStarts[position.line];
    const end = this.lineEnd(position.line);
    return Math.min(start + Math.max(0, position.character), end);
  }
}

/** Grows a Uint32Array of line starts (a typed array is far smaller than number[]). */
class Starts {
  buf: Uint32Array;
  n = 1; // buf[0] = 0
  constructor(guess: number) {
    this.buf = new Uint32Array(Math.max(16, guess));
  }
  push(v: number): void {
    if (this.n === this.buf.length) {
      const next = new Uint32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = v;
  }
  done(): Uint32Array {
    return this.n === this.buf.length ? this.buf : this.buf.slice(0, this.n);
  }
}

/** True when every `\r` is part of a `\r\n` (then the `\n`s alone give the line starts). */
function onlyLfBreaks(text: string): boolean {
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) {
    if (text.charCodeAt(i + 1) !== LF) return false;
  }
  return true;
}

function lfStarts(text: string): Uint32Array {
  const s = new Starts(text.length / 40);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) s.push(i + 1);
  return s.done();
}

function anyBreakStarts(text: string): Uint32Array {
  const s = new Starts(text.length / 40);
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) s.push(i + 1);
    else if (c === CR) {
      if (i + 1 < n && text.charCodeAt(i + 1) === LF) i++;
      s.push(i + 1);
    }
  }
  return s.done();
}
