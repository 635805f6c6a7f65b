/**
 * The lexer's scanEntry as it was at 139d8bf (before the digest decoded while scanned and the
 * blank after a plain token passed over in the token's loop), kept verbatim as the reference
 * test/unit/lexer-reference.test.ts holds the current one to. Finds are always on (the
 * lexer-finds test compares those with the loop).
 */
import { EntryScan, LexSink, PLAIN, QUOTED, UNCLOSED, scanEntry } from '../../server/src/core/lexer';
import { ZoneDiagnostic } from '../../server/src/core/types';
import { work } from '../../server/src/core/work';

export interface Scanned {
  entries: unknown[];
  comments: unknown[];
  diagnostics: unknown[];
  steps: number;
}

export function snapshot(s: EntryScan): unknown {
  return {
    start: s.start, end: s.end, next: s.next, blank: s.blankOwner, multi: s.multiLine, replaced: s.replaced,
    starts: Array.from(s.starts.subarray(0, s.count)), ends: Array.from(s.ends.subarray(0, s.count)),
    kinds: Array.from(s.kinds.subarray(0, s.count)),
  };
}

/** Scans `text` entry by entry from 0, then again from every third entry start in reverse order (one scan object for both). */
export function scanAll(text: string, scan = scanEntry, s = new EntryScan()): Scanned {
  const sink = { comments: [] as unknown[], diagnostics: [] as unknown[] };
  const entries: unknown[] = [];
  const starts: number[] = [];
  const before = work.steps;
  for (let pos = 0; pos < text.length;) {
    starts.push(pos);
    scan(text, pos, sink as never, s);
    entries.push(snapshot(s));
    pos = s.next;
  }
  for (let i = starts.length - 1; i >= 0; i -= 3) {
    scan(text, starts[i], sink as never, s);
    entries.push(snapshot(s));
  }
  return { entries, comments: sink.comments, diagnostics: sink.diagnostics, steps: work.steps - before };
}

const SPACE = 0x20, TAB = 0x09, CR = 0x0d, LF = 0x0a, SEMI = 0x3b, LPAREN = 0x28, RPAREN = 0x29, QUOTE = 0x22, BSLASH = 0x5c, FFFD = 0xfffd;
const lexerFinds = true;

function err(code: string, start: number, end: number, message: string): ZoneDiagnostic {
  return { code, severity: 'error', start, end, message };
}

function loneCR(text: string, k: number): boolean {
  return text.charCodeAt(k) === CR && text.charCodeAt(k + 1) !== LF;
}

const PLAIN_STOP = new Uint8Array(128);
const QUOTED_STOP = new Uint8Array(128);
for (const c of [SPACE, TAB, LF, CR, SEMI, LPAREN, RPAREN]) PLAIN_STOP[c] = 1;
PLAIN_STOP[BSLASH] = 2;
QUOTED_STOP[LF] = 1;
QUOTED_STOP[CR] = 1;
QUOTED_STOP[BSLASH] = 2;
QUOTED_STOP[QUOTE] = 3;

export function referenceScanEntry(text: string, pos: number, sink: LexSink, out: EntryScan): EntryScan {
  const n = text.length;
  const start = pos;
  // (the same text, most often: then one comparison of references, and what the scan found ahead
  // stays true for every range of it: the document parses ~15,600 chunks of one text)
  if (out.text !== text) out.retext(text);
  out.given = undefined;
  out.count = 0;
  out.start = start;
  out.replaced = false;
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
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d >= 128) {
        if (d === FFFD) out.replaced = true;
        j++;
        continue;
      }
      const stop = PLAIN_STOP[d];
      if (stop === 0) { j++; continue; }
      if (stop === 1) break;
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
    i = stray ? j + 1 : j;
  }
}
