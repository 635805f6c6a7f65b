/**
 * Where the entry that holds an offset starts, found without the lexer's pass over every entry
 * before it (the hover asked right after a large zone is opened: core/documentEarly.ts). Lines
 * end entries except inside parentheses; what hides a parenthesis or a line end is a comment, a
 * quoted string (a backslash in it escapes even a line end) or a backslash in a plain token. So
 * only those characters are visited, found with the native `indexOf`: between two of them every
 * line end outside parentheses ends an entry. The rules are the lexer's (lexer.ts scanEntry):
 *   - a plain token runs to white space, a line end, `;`, `(` or `)`; a backslash in it escapes
 *     the next character, except a line end (which it does not join);
 *   - a quote opens a string only where a token starts (after white space, a line end, `(`, `)`,
 *     another string, at the entry's start): elsewhere it is part of a plain token; the string
 *     runs to the next quote, or to a line end (unterminated), a backslash escaping any character;
 *   - `;` starts a comment to the line end; `(` opens a group (a second one does not nest), `)`
 *     closes it.
 * test/unit/entrySkim.test.ts compares it with the lexer at every offset of random texts.
 */

const LF = 10, CR = 13, SPACE = 32, TAB = 9, QUOTE = 34, SEMI = 59, LPAREN = 40, RPAREN = 41, BSLASH = 92;

/**
 * The start of the entry holding `offset` (the entry whose terminating line end is the first at or
 * after it, as documentEarly.ts reads them), scanning from `from`, an entry start at or before it.
 * Undefined when a carriage return lies between (a lone one ends a line too: the lexer decides).
 */
export function entryStartAt(text: string, from: number, offset: number): number | undefined {
  const n = text.length;
  if (offset > n) offset = n;
  // (searches read only up to the offset: a view of the text from `from`, which no copy makes)
  const view = text.slice(from, Math.min(n, offset + 2));
  const find = (c: string, at: number): number => {
    const k = view.indexOf(c, at - from);
    return k < 0 ? -1 : k + from;
  };
  const cr = find('\r', from);
  if (cr >= 0 && cr < offset) return undefined;
  let i = from;
  let depth = 0;
  /** The start of the entry being read at `i` (while depth is 0: the last line start seen outside parentheses). */
  let entry = from;
  let quoteEnd = -1;
  let escaped = -1;
  // The next position of each character that matters (-1: none left), found again once passed.
  let nQuote = -2, nSemi = -2, nOpen = -2, nClose = -2, nSlash = -2;
  for (;;) {
    if (nQuote !== -1 && nQuote < i) nQuote = find('"', i);
    if (nSemi !== -1 && nSemi < i) nSemi = find(';', i);
    if (nOpen !== -1 && nOpen < i) nOpen = find('(', i);
    if (nClose !== -1 && nClose < i) nClose = find(')', i);
    if (nSlash !== -1 && nSlash < i) nSlash = find('\\', i);
    let s = n;
    // Quotes and comments matter only for what they hide: a parenthesis, or a line end (behind a
    // backslash in a string). With none of those left before the offset, the line ends ahead
    // end entries (depth 0), or none does (depth 1, no `)`): no need to visit them.
    const plain = (nClose < 0 || nClose >= offset) && (depth === 1 || ((nOpen < 0 || nOpen >= offset) && (nSlash < 0 || nSlash >= offset)));
    if (!plain) {
      if (nQuote >= 0 && nQuote < s) s = nQuote;
      if (nSemi >= 0 && nSemi < s) s = nSemi;
    }
    if (nOpen >= 0 && nOpen < s) s = nOpen;
    if (nClose >= 0 && nClose < s) s = nClose;
    if (nSlash >= 0 && nSlash < s) s = nSlash;
    // Line ends before the next such character (and before the offset) end entries, outside parentheses.
    const stop = s < offset ? s : offset;
    if (depth === 0 && stop > i) {
      let lf = text.lastIndexOf('\n', stop - 1);
      if (lf + 1 === n) lf = lf > 0 ? text.lastIndexOf('\n', lf - 1) : -1; // (no entry starts at the very end)
      if (lf >= i) entry = lf + 1;
    }
    if (s >= offset) return entry;
    const c = text.charCodeAt(s);
    if (c === BSLASH) {
      const e = text.charCodeAt(s + 1);
      if (e === LF || e === CR) i = s + 1;
      else { escaped = s + 1; i = s + 2; }
    } else if (c === SEMI) {
      const lf = find('\n', s);
      i = lf < 0 ? n : lf;
    } else if (c === LPAREN) {
      depth = 1;
      i = s + 1;
    } else if (c === RPAREN) {
      depth = 0;
      i = s + 1;
    } else {
      // A quote: a string where a token starts, else part of a plain token.
      const p = s === 0 ? LF : text.charCodeAt(s - 1);
      const starts = s === from || s === quoteEnd ||
        (escaped !== s - 1 && (p === SPACE || p === TAB || p === LF || p === LPAREN || p === RPAREN));
      if (!starts) { i = s + 1; continue; }
      // Most strings: the next quote comes before any backslash and line end.
      const q = find('"', s + 1);
      if (q >= 0 && (nSlash < 0 || nSlash > q)) {
        const lf = find('\n', s + 1);
        if (lf < 0 || lf > q) { i = quoteEnd = q + 1; continue; }
      }
      let j = s + 1;
      for (;;) {
        if (j >= n) { i = n; break; }
        const d = text.charCodeAt(j);
        if (d === BSLASH) { j += 2; continue; }
        if (d === QUOTE) { i = quoteEnd = j + 1; break; }
        if (d === LF) { i = j; break; }
        j++;
      }
    }
  }
}
