import { getZoneLanguageService, LinePosition, Lines } from '../core';
import { EditorText } from './editorText';
import { LazyText } from './lazyText';

const core = getZoneLanguageService();

/**
 * What a hover asked before the first parse reads of a large didOpen's text that is not decoded
 * yet (lazyOpen.ts; documents.ts DocumentState.earlyView/earlyDocument, features/hover.ts): a
 * decoded start of the text that holds the line (earlyStart), or a window from the line (below).
 */

/** How many of a lazy text's bytes the first decoded start of it takes, and the margin of the next. */
const EARLY_BYTES = 64 * 1024;

/** A didOpen's text not decoded yet (lazyText.ts), and what the document needs of the message meanwhile. */
export interface LazyOpen {
  text: LazyText;
  languageId: string;
  version: number;
  /** The editor text of the start decoded for hovers so far, and how many bytes it took. */
  early?: { document: EditorText; bytes: number };
  /** Windows of the text decoded for hovers on lines that start does not hold. */
  windows?: EarlyWindows;
}

/**
 * The editor text of a decoded start of a lazy text that holds `line` and the two after it (its
 * positions there are the whole text's), longer than `tooShort` (a start given before, too short
 * for the hover); undefined: none will do (read the whole text).
 */
export function earlyStart(lazy: LazyOpen, uri: string, line: number, tooShort?: EditorText): EarlyView | undefined {
  for (let tries = 0; !lazy.text.decoded && tries < 8; tries++) {
    const e = lazy.early;
    if (e && e.document !== tooShort && e.document.lineCount > line + 2) return { document: e.document, partial: true };
    // (the bytes of the lines wanted at the bytes per line so far, and more than a start found too short)
    const want = !e ? EARLY_BYTES : Math.max(e.bytes + 1, Math.ceil((e.bytes / e.document.lineCount) * (line + 3) * 1.05) + EARLY_BYTES,
      e.document === tooShort ? e.bytes + Math.max(EARLY_BYTES, e.bytes >> 3) : 0);
    const p = lazy.text.prefix(want);
    if (!p) break;
    lazy.early = { document: new EditorText(uri, lazy.languageId, lazy.version, p.text), bytes: p.bytes };
  }
  return undefined;
}

/**
 * A window of a lazy text from `line` when the start decoded so far does not hold the line, and
 * `tooShort` is none or the last window (a longer one then); undefined: none (a start, then).
 */
export function earlyWindow(lazy: LazyOpen, uri: string, line: number, tooShort?: EditorText): EarlyView | undefined {
  const start = lazy.early?.document;
  if (lazy.text.decoded || (tooShort && tooShort !== lazy.windows?.lastDocument) || (start && start !== tooShort && start.lineCount > line + 2)) return undefined;
  lazy.windows ??= new EarlyWindows(lazy.text, (text) => new EditorText(uri, lazy.languageId, lazy.version, text));
  return lazy.windows.view(line, tooShort);
}

/**
 * A window: a hover asked right behind a large didOpen on a line far into its text is answered
 * from a *window* of the text that starts at that line, decoded on its
 * own, in place of the start of the text up to it (documents.ts earlyDocument: for the bench's
 * hover on line 126,689 of the 1M zone a 7.3 MB start, ~12-20 ms to decode and ~4-8 ms for its
 * line starts). The hover (features/hover.ts, core/documentEarly.ts earlyHover) reads entries
 * from the window's start, so that start must be an entry start; its positions are the whole
 * text's shifted by its first line (ShiftedLines), the characters of a line being the same:
 *   - LazyText.lineStart counts the lines in the encoded bytes (a byte loop, ~1 ns a byte) and
 *     says that the text before the line holds no backslash and no carriage return, and where its
 *     last parenthesis is. In such text a line end ends an entry unless a parenthesis is open (a
 *     quoted string runs over a line end only behind a backslash; a comment ends with its line);
 *   - with no parenthesis before the line, its start is an entry start. Else the start of the
 *     text up to the line after the last parenthesis (at most VERIFY_MAX bytes) is decoded, and
 *     that line must start an entry (core/entrySkim.ts entryStartAt, which follows the lexer):
 *     then so does every line after it up to the hovered one.
 * Anything else: no window (the start of the text, as before).
 */

/** The bytes a first window takes (more until it holds the line and the two after it), and at most. */
const WINDOW_BYTES = 4 * 1024;
const WINDOW_MAX = 1024 * 1024;
/** The furthest parenthesis (bytes into the text) after which line starts are checked. */
const VERIFY_MAX = 1024 * 1024;

/** What a hover before the first parse reads: the editor text, a decoded start of it, or a window. */
export interface EarlyView {
  document: EditorText;
  /** Only a part of the text (partial=true in core.earlyHover). */
  partial: boolean;
  /** A window: the line of the whole text its first line is (its offsets are its own). */
  firstLine?: number;
}

/** The windows of one lazy text given to hovers. */
export class EarlyWindows {
  /** The last window, and the bytes it was asked for (a longer one when it was too short). */
  private last?: { line: number; document: EditorText; minBytes: number };
  /** A line no window holds (a longer one is not tried again). */
  private failed?: number;
  /** The last parenthesis checked, and whether the line after it starts an entry. */
  private checked?: { paren: number; entryStart: boolean };

  constructor(private readonly lazy: LazyText, private readonly editorText: (text: string) => EditorText) {}

  /** The window given last (a hover that finds it too short asks `view` again with it). */
  get lastDocument(): EditorText | undefined {
    return this.last?.document;
  }

  /** A window from `line` holding it and the two lines after it, longer than `tooShort` (the last window, found too short); undefined: none. */
  view(line: number, tooShort?: EditorText): EarlyView | undefined {
    if (this.failed === line) return undefined;
    const at = this.lazy.lineStart(line);
    if (!at || !this.entryStartsAfter(at.lastParen)) return undefined;
    const last = this.last;
    for (let min = last && last.line === line && last.document === tooShort ? last.minBytes * 2 : WINDOW_BYTES; min <= WINDOW_MAX; min *= 2) {
      const w = this.lazy.slice(at.bytes, min);
      if (!w) break;
      const document = this.editorText(w.text);
      if (document.lineCount <= 2) continue;
      this.last = { line, document, minBytes: min };
      return { document, partial: true, firstLine: line };
    }
    this.failed = line;
    return undefined;
  }

  /** Whether the line after the one holding the parenthesis at byte `paren` (-1: none, the text's first line) starts an entry. */
  private entryStartsAfter(paren: number): boolean {
    if (paren < 0) return true;
    if (this.checked?.paren === paren) return this.checked.entryStart;
    let entryStart = false;
    if (paren < VERIFY_MAX) {
      // (the start up to the end of the parenthesis' line, and with the next line: entryStartAt reads past the offset)
      const head = this.lazy.prefix(paren + 1);
      const more = head && this.lazy.prefix(head.bytes + 1);
      entryStart = !!more && core.entryStartAt(more.text, 0, head.text.length) === head.text.length;
    }
    this.checked = { paren, entryStart };
    return entryStart;
  }
}

/** The lines of a window whose first line is line `first` of the whole text (offsets stay the window's). */
export class ShiftedLines implements Lines {
  constructor(private readonly inner: Lines, private readonly first: number) {}
  get text(): string {
    return this.inner.text;
  }
  get lineCount(): number {
    return this.first + this.inner.lineCount;
  }
  lineStart(line: number): number {
    return this.inner.lineStart(line - this.first);
  }
  lineEnd(line: number): number {
    return this.inner.lineEnd(line - this.first);
  }
  lineAt(offset: number): number {
    return this.first + this.inner.lineAt(offset);
  }
  positionAt(offset: number): LinePosition {
    const p = this.inner.positionAt(offset);
    return { line: this.first + p.line, character: p.character };
  }
  offsetAt(position: LinePosition): number {
    return this.inner.offsetAt({ line: position.line - this.first, character: position.character });
  }
}
