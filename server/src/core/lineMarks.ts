/**
 * Line numbers for the CLI (`dane-zone check`), from what the parse passed: the start of every
 * MARK_EVERY-th entry (the first after the first entry). The CLI's LineCursor (cli/lineCursor.ts)
 * counts lines from the last mark before an offset instead of from its previous answer, so a few
 * thousand findings in a million-line zone cost tens of thousands of `indexOf('\n')` calls, not a
 * million. Lines end at `\n`, `\r\n` or a lone `\r`, as in LineIndex.
 *
 * The parse only notes the marks' offsets (parser.ts, parseRange); their lines are worked out
 * when first asked. An entry that another entry follows ends at one line break, and holds more
 * only inside parentheses (a multi-line entry: the parse's `multiLine` spans, and `bare` for those
 * without a token) or after a backslash in a quoted string (lexer.ts, scanEntry): the entries
 * from one mark to the next span as many lines as they are, plus the breaks inside their
 * multi-line entries, unless a backslash comes among them; then their line breaks are counted.
 */

import type { Span } from './types';

/** Entries from one mark to the next (the first mark: after the first entry). */
export const MARK_EVERY = 64;

export class LineMarks {
  /** The marks' offsets (entry starts), in order; then their lines (`resolve`). */
  readonly offsets: number[] = [];
  private lines?: Int32Array;
  /** Multi-line entries without a token (the parse's `multiLine` has the others), as start, end pairs. */
  readonly bare: number[] = [];
  /** The parse's multi-line entries (spans without their last line break), set by parseZone. */
  multiLine: readonly Span[] = [];
  /** Set by the parse when its text has no backslash (its scan had looked: see parseRange). */
  noBackslash = false;

  /** The lines of the marks, worked out once from the text. */
  private resolve(text: string): Int32Array {
    const n = this.offsets.length;
    const lines = new Int32Array(n);
    // (the multi-line entries in file order: the parse's and the bare ones merged)
    const spans: number[] = [];
    for (let i = 0, j = 0; i < this.multiLine.length || j < this.bare.length;) {
      if (j >= this.bare.length || (i < this.multiLine.length && this.multiLine[i].start < this.bare[j])) {
        spans.push(this.multiLine[i].start, this.multiLine[i].end);
        i++;
      } else {
        spans.push(this.bare[j], this.bare[j + 1]);
        j += 2;
      }
    }
    const breaks = new Breaks(text);
    let line = 0, from = 0, k = 0;
    let backslash = this.noBackslash ? -1 : text.indexOf('\\');
    for (let m = 0; m < n; m++) {
      const to = this.offsets[m];
      if (backslash >= 0 && backslash < from) backslash = text.indexOf('\\', from);
      if (backslash >= 0 && backslash < to) {
        line += breaks.in(from, to);
        while (k < spans.length && spans[k] < to) k += 2;
      } else {
        line += m === 0 ? 1 : MARK_EVERY;
        for (; k < spans.length && spans[k] < to; k += 2) line += breaks.in(spans[k], spans[k + 1]);
      }
      lines[m] = line;
      from = to;
    }
    return lines;
  }

  /** The last mark at or before `offset`, -1 when none. */
  before(offset: number): number {
    let lo = 0, hi = this.offsets.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.offsets[mid] <= offset) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }

  offsetOf(mark: number): number {
    return this.offsets[mark];
  }

  /** The line of a mark; `text` is the parsed text. */
  lineOf(mark: number, text: string): number {
    return (this.lines ??= this.resolve(text))[mark];
  }
}

/**
 * The line breaks in ranges of a text asked in increasing order (`\r\n` is one; a range does not
 * end between `\r` and `\n`): `\n` found by indexOf, and `\r` in the range only (most zones have
 * none, and most ranges are short: a search of the rest of the text each would cost more).
 */
class Breaks {
  constructor(private readonly text: string) {}

  in(from: number, to: number): number {
    const text = this.text;
    let n = 0;
    for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
    const range = text.substring(from, to);
    for (let i = range.indexOf('\r'); i >= 0; i = range.indexOf('\r', i + 1)) if (text.charCodeAt(from + i + 1) !== 0x0a) n++;
    return n;
  }
}
