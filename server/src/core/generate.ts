import { Token, ZoneDiagnostic } from './types';

/**
 * BIND's `$GENERATE range lhs [ttl] [class] type rhs`: range is `start-stop[/step]`; in lhs
 * and rhs `$` is the iterator, `${offset[,width[,base]]}` formats it (base d, o, x, X, n, N:
 * n/N are reversed nibbles as in ip6.arpa), `\$` is a literal dollar. The expanded records
 * carry the template's token spans, so their problems point at the directive.
 */

export const MAX_GENERATE = 65536;
/**
 * One budget per document for what $GENERATE and $INCLUDE add to it: records made by
 * $GENERATE or read from included files, and the characters of included files and of
 * generated tokens (the parser's ScanState carries both counts, also back out of includes).
 */
export const MAX_EXPANDED_RECORDS = 1_000_000;
export const MAX_EXPANDED_CHARS = 64 * 1024 * 1024;
/** Widest `${offset,width,base}` field: a domain name is at most 255 octets (RFC 1035 §2.3.4). */
export const MAX_GENERATE_WIDTH = 255;

/** What a document has already spent of its expansion budget. */
export interface ExpansionSpent {
  records: number;
  chars: number;
}

export interface GenerateResult {
  records: Token[][];
  diagnostics: ZoneDiagnostic[];
  /** Characters of the generated tokens (charged to the budget). */
  chars: number;
}

function err(tok: { start: number; end: number }, message: string, code = 'syntax'): ZoneDiagnostic {
  return { code, severity: 'error', start: tok.start, end: tok.end, message };
}

export function expandGenerate(args: Token[], nameToken: Token, spent: ExpansionSpent = { records: 0, chars: 0 },
  limit: ExpansionSpent = { records: MAX_EXPANDED_RECORDS, chars: MAX_EXPANDED_CHARS }): GenerateResult {
  const out: GenerateResult = { records: [], diagnostics: [], chars: 0 };
  if (args.length < 4) {
    out.diagnostics.push(err(nameToken, '$GENERATE takes a range, an owner template, [ttl] [class], a type and a data template'));
    return out;
  }
  const m = /^(\d+)-(\d+)(?:\/(\d+))?$/.exec(args[0].text);
  if (!m) {
    out.diagnostics.push(err(args[0], `$GENERATE range \`${args[0].text}\` must be start-stop or start-stop/step`));
    return out;
  }
  const startN = Number(m[1]);
  const stop = Number(m[2]);
  const step = m[3] === undefined ? 1 : Number(m[3]);
  if (stop < startN || step < 1) {
    out.diagnostics.push(err(args[0], `$GENERATE range \`${args[0].text}\`: stop must be ≥ start and the step ≥ 1`));
    return out;
  }
  const count = Math.floor((stop - startN) / step) + 1;
  if (count > MAX_GENERATE) {
    out.diagnostics.push(err(args[0], `$GENERATE range \`${args[0].text}\` makes ${count} records; the limit here is ${MAX_GENERATE}`));
    return out;
  }
  if (spent.records + count > limit.records) {
    out.diagnostics.push(err(args[0], `$GENERATE range \`${args[0].text}\` would bring the records this file makes with $GENERATE and $INCLUDE to ${spent.records + count}; the limit for one file is ${limit.records}: nothing was generated`));
    return out;
  }
  const templates = args.slice(1);
  // Check every template once (a bad modifier fails for every value alike).
  for (const t of templates) {
    const r = substitute(t.text, startN);
    if (typeof r !== 'string') {
      out.diagnostics.push(err(t, `$GENERATE: ${r.error}`));
      return out;
    }
  }
  const charBudget = limit.chars - spent.chars;
  // lhs is the first template token, rhs the last ones after the type; ttl/class/type are copied.
  for (let v = startN; v <= stop; v += step) {
    const tokens: Token[] = [];
    for (let i = 0; i < templates.length; i++) {
      const t = templates[i];
      const r = substitute(t.text, v) as string;
      out.chars += r.length;
      tokens.push({ ...t, text: r });
    }
    if (out.chars > charBudget) {
      out.diagnostics.push(err(args[0], `$GENERATE range \`${args[0].text}\` would bring the text this file makes with $GENERATE and $INCLUDE over ${limit.chars} characters: nothing was generated`));
      return { records: [], diagnostics: out.diagnostics, chars: 0 };
    }
    out.records.push(tokens);
  }
  return out;
}

function substitute(text: string, value: number): string | { error: string } {
  if (text.indexOf('$') < 0) return text;
  let s = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && text[i + 1] === '$') { s += '\\$'; i++; continue; }
    if (c === '\\') { s += text.slice(i, i + 2); i++; continue; }
    if (c !== '$') { s += c; continue; }
    if (text[i + 1] === '{') {
      const close = text.indexOf('}', i);
      if (close < 0) return { error: `unclosed \`\${\` in \`${text}\`` };
      // BIND rejects an empty modifier: `${}` gives no offset to apply
      if (close === i + 2) return { error: `empty modifier \`\${}\` in \`${text}\`: write \${offset[,width[,base]]}, such as \${0}, or a bare \`$\`` };
      const spec = text.slice(i + 2, close).split(',');
      const base = spec[2] ?? 'd';
      // Plain decimal digits only (BIND reads them with %d and %u): `1e9` or `0x10` is no width.
      if (spec.length > 3 || !/^(?:[+-]?\d{1,10})?$/.test(spec[0]) || !/^\d{0,10}$/.test(spec[1] ?? '') || !/^[doxXnN]$/.test(base)) {
        return { error: `bad modifier \`\${${spec.join(',')}}\`: write \${offset,width,base} with decimal offset and width and base d, o, x, X, n or N` };
      }
      const offset = Number(spec[0] || '0');
      const width = Number(spec[1] || '0');
      if (Math.abs(offset) > 0x7fffffff) return { error: `offset ${spec[0]} in \`\${${spec.join(',')}}\` is out of range (at most ${0x7fffffff})` };
      if (width > MAX_GENERATE_WIDTH) {
        return { error: `width ${width} in \`\${${spec.join(',')}}\` is too wide: a domain name is at most 255 octets, so the width is at most ${MAX_GENERATE_WIDTH}` };
      }
      s += format(value + offset, width, base);
      i = close;
    } else s += String(value);
  }
  return s;
}

function format(v: number, width: number, base: string): string {
  if (base === 'n' || base === 'N') {
    let hex = Math.abs(v).toString(16);
    if (base === 'N') hex = hex.toUpperCase();
    hex = hex.padStart(width, '0');
    return hex.split('').reverse().join('.');
  }
  const radix = base === 'o' ? 8 : base === 'd' ? 10 : 16;
  let r = Math.abs(v).toString(radix);
  if (base === 'X') r = r.toUpperCase();
  return (v < 0 ? '-' : '') + r.padStart(width, '0');
}
