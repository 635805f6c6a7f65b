import type { CheckResult, LinePosition } from '../core';

/**
 * Line/character positions of offsets asked in increasing order, counted from the text as the
 * offsets come (from the parse's last line mark before the offset, when there are marks:
 * core/lineMarks.ts, CheckResult.lineMarks): no line table. The writers of `check` ask for the
 * diagnostics in file order, and on a million-line zone LineIndex's table (4 MB, 8 MB while it grows) is built at the very
 * end of the run, on top of its peak memory. The answers are LineIndex.positionAt's: lines end
 * at `\n`, `\r\n` or a lone `\r`; an offset inside `\r\n` maps to the end of its line; offsets
 * are clamped to the text. An offset before the last one asked starts the count again (from
 * another cursor behind it, or from the top: correct, only slower); callers with unsorted
 * offsets use a LineIndex instead.
 */
export class LineCursor {
  /** The line of the last answer, and its first offset. */
  private line = 0;
  private start = 0;
  /** The start of the line after it (Infinity: it is the last line), or -1 when not yet looked for. */
  private next = -1;
  /** The first `\r` at or after `start` (Infinity: none), or -1 when not yet looked for. */
  private cr = -1;

  constructor(private readonly text: string, private readonly marks?: CheckResult['lineMarks']) {}

  /**
   * The position of `offset`. `behind` (the cursor of the diagnostics' starts, for their ends) is
   * taken over when it is ahead of this one and not past `offset`; an offset before the last
   * answer otherwise starts again from the top.
   */
  positionAt(offset: number, behind?: LineCursor): LinePosition {
    const text = this.text;
    if (!(offset > 0)) offset = 0; // also NaN
    if (offset > text.length) offset = text.length;
    if (behind && behind.start <= offset && (behind.start > this.start || offset < this.start)) this.copy(behind);
    else if (offset < this.start) this.copy(new LineCursor(text));
    const marks = this.marks;
    if (marks !== undefined) {
      // (a line start ahead of this one, with its line: count from there; `cr` is looked for again when behind it)
      const m = marks.before(offset);
      if (m >= 0 && marks.offsetOf(m) > this.start) {
        this.line = marks.lineOf(m, text);
        this.start = marks.offsetOf(m);
        this.next = -1;
      }
    }
    if (this.next < 0) this.next = this.lineAfter(this.start);
    if (this.next <= offset && this.cr === Infinity) {
      // No `\r` ahead (the common case): count the `\n`s in a tight loop.
      let line = this.line + 1;
      let start = this.next;
      let lf = text.indexOf('\n', start);
      while (lf >= 0 && lf < offset) {
        line++;
        start = lf + 1;
        lf = text.indexOf('\n', start);
      }
      this.line = line;
      this.start = start;
      this.next = lf < 0 ? Infinity : lf + 1;
    }
    while (this.next <= offset) {
      this.line++;
      this.start = this.next;
      this.next = this.lineAfter(this.start);
    }
    let end = this.next === Infinity ? text.length : this.next;
    if (this.next !== Infinity) {
      if (end > 0 && text.charCodeAt(end - 1) === 0x0a) end--;
      if (end > 0 && text.charCodeAt(end - 1) === 0x0d) end--;
      end = Math.max(end, this.start);
    }
    return { line: this.line, character: Math.max(0, Math.min(offset, end) - this.start) };
  }

  private copy(c: LineCursor): void {
    this.line = c.line;
    this.start = c.start;
    this.next = c.next;
    this.cr = c.cr;
  }

  /** The start of the line after the one starting at `from`, or Infinity. */
  private lineAfter(from: number): number {
    const text = this.text;
    if (this.cr < from && this.cr !== Infinity) {
      const i = text.indexOf('\r', from);
      this.cr = i < 0 ? Infinity : i;
    }
    const lf = text.indexOf('\n', from);
    if (this.cr < (lf < 0 ? Infinity : lf)) {
      // A `\r` first: `\r\n` ends the line after the `\n`, a lone `\r` right after itself.
      return text.charCodeAt(this.cr + 1) === 0x0a ? this.cr + 2 : this.cr + 1;
    }
    return lf < 0 ? Infinity : lf + 1;
  }
}
