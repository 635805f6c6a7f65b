import { Token, ZoneDiagnostic } from './types';

/**
 * BIND's `$GENERATE range lhs [ttl] [class] type rhs`: range is `start-stop[/step]`; in lhs
 * and rhs `$` is the iterator, `${offset[,width[,base]]}` formats it (base d, o, x, X, n, N:
 * n/N are reversed nibbles as in ip6.arpa), `\$` is a literal dollar. The expanded records
 * carry the template's token spans, so their problems point at the directive.
 */

export const MAX_GENERATE = 65536;
/** Records all $GENERATE lines of one document may make together. */
export const MAX_GENERATE_TOTAL = 1_000_000;

export interface GenerateResult {
  records: Token[][];
  diagnostics: ZoneDiagnostic[];
}

function err(tok: { start: number; end: number }, message: string, code = 'syntax'): ZoneDiagnostic {
  return { code, severity: 'error', start: tok.start, end: tok.end, message };
}

export function expandGenerate(args: Token[], nameToken: Token, alreadyGenerated = 0): GenerateResult {
  const out: GenerateResult = { records: [], diagnostics: [] };
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
  if (alreadyGenerated + count > MAX_GENERATE_TOTAL) {
    out.diagnostics.push(err(args[0], `$GENERATE range \`${args[0].text}\` would bring this file's generated records to ${alreadyGenerated + count}; the limit for one file is ${MAX_GENERATE_TOTAL}`));
    return out;
  }
  const templates = args.slice(1);
  // lhs is the first template token, rhs the last ones after the type; ttl/class/type are copied.
  for (let v = startN; v <= stop; v += step) {
    const tokens: Token[] = [];
    for (let i = 0; i < templates.length; i++) {
      const t = templates[i];
      const r = substitute(t.text, v);
      if (typeof r !== 'string') {
        out.diagnostics.push(err(t, `$GENERATE: ${r.error}`));
        return { records: [], diagnostics: out.diagnostics };
      }
      tokens.push({ ...t, text: r });
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
      const spec = text.slice(i + 2, close).split(',');
      const offset = Number(spec[0] || '0');
      const width = Number(spec[1] || '0');
      const base = spec[2] ?? 'd';
      if (!Number.isInteger(offset) || !Number.isInteger(width) || width < 0 || spec.length > 3 || !/^[doxXnN]$/.test(base)) {
        return { error: `bad modifier \`\${${spec.join(',')}}\`: write \${offset,width,base} with base d, o, x, X, n or N` };
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
