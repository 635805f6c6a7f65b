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

const SPACE = 0x20, TAB = 0x09, CR = 0x0d, LF = 0x0a, SEMI = 0x3b, LPAREN = 0x28, RPAREN = 0x29, QUOTE = 0x22, BSLASH = 0x5c;

function err(code: string, start: number, end: number, message: string): ZoneDiagnostic {
  return { code, severity: 'error', start, end, message };
}

/** A `\r` not followed by `\n` ends a line (old Mac files; BIND loads them, as editors show them). */
function loneCR(text: string, k: number): boolean {
  return text.charCodeAt(k) === CR && text.charCodeAt(k + 1) !== LF;
}

/**
 * Reads one entry starting at `pos` (the start of a line). Returns the entry and the
 * position just after its terminating newline (or text.length). Entries with no tokens
 * (blank lines, comment lines) are returned with an empty token list.
 */
export function readEntry(text: string, pos: number, sink: LexSink): { entry: Entry; next: number } {
  const n = text.length;
  const start = pos;
  const tokens: Token[] = [];
  let depth = 0;
  let openAt = -1;
  let multiLine = false;
  const first = pos < n ? text.charCodeAt(pos) : LF;
  const blankOwner = first === SPACE || first === TAB;
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
      return { entry: { start, end: n, blankOwner, tokens, multiLine }, next: n };
    }
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB || (c === CR && !loneCR(text, i))) { i++; continue; }
    if (c === LF || c === CR) {
      if (depth > 0) { multiLine = true; i++; continue; }
      let end = i;
      if (end > start && text.charCodeAt(end - 1) === CR) end--;
      work.steps += examined;
      return { entry: { start, end, blankOwner, tokens, multiLine }, next: i + 1 };
    }
    if (c === SEMI) {
      let j = i + 1;
      while (j < n && text.charCodeAt(j) !== LF && !loneCR(text, j)) j++;
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
      let j = i + 1;
      let closed = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === BSLASH) { j += 2; continue; }
        if (d === QUOTE) { closed = true; break; }
        if (d === LF || loneCR(text, j)) break;
        j++;
      }
      examined += j - i;
      if (j > n) j = n;
      if (!closed) {
        let e = j;
        if (e > i && text.charCodeAt(e - 1) === CR) e--;
        sink.diagnostics.push(err('unterminated-string', i, e, 'quoted string is not closed before the end of the line: add the closing `"`'));
        tokens.push({ text: text.slice(i + 1, e), start: i, end: e, quoted: true });
        i = j;
      } else {
        tokens.push({ text: text.slice(i + 1, j), start: i, end: j + 1, quoted: true });
        i = j + 1;
      }
      continue;
    }
    // plain token: up to white space, `;`, `(`, `)`; a backslash escapes the next character
    let j = i;
    let stray = false;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d === BSLASH) {
        const e = text.charCodeAt(j + 1);
        if (e === LF || e === CR) {
          // BIND and Knot reject a backslash before a line end: it does not join lines.
          sink.diagnostics.push(err('syntax', j, j + 1,
            'a backslash at the end of a line does not continue the line (BIND and Knot reject it): remove it, or write `\\\\` for a backslash'));
          stray = true;
          break;
        }
        j = j + 2 > n ? n : j + 2;
        continue;
      }
      if (d === SPACE || d === TAB || d === LF || d === CR || d === SEMI || d === LPAREN || d === RPAREN) break;
      j++;
    }
    examined += j - i;
    if (j > i) tokens.push({ text: text.slice(i, j), start: i, end: j, quoted: false });
    i = stray ? j + 1 : j;
  }
}
