/**
 * The master-file directives ($ORIGIN, $TTL, $INCLUDE, $GENERATE) and the `; dane-zone`
 * comments, for the parser (parser.ts). Rare lines: they work on token objects.
 */
import { DaneDirective, ParsedZone, ParseOptions, ZoneDirective } from './model';
import { parseName } from './names';
import { parseTtl, tooLargeMessage } from './ttl';
import { Span, Token, ZoneDiagnostic } from './types';
import { expandGenerate } from './generate';
import { LineIndex } from './lineIndex';
import type { ScanState } from './scanState';

export const MAX_INCLUDE_DEPTH = 16;
const DANE_DIRECTIVE = /^;+\s*dane-zone\s+(.*)$/;

export function error(code: string, span: Span, message: string): ZoneDiagnostic {
  return { code, severity: 'error', start: span.start, end: span.end, message };
}

export interface IncludeContext {
  file: string;
  span: Span;
}

/** What the directives need of the parser that met them. */
export interface DirectiveHost {
  readonly text: string;
  readonly options: ParseOptions;
  readonly out: ParsedZone;
  readonly includeStack: string[];
  readonly include?: IncludeContext;
  readonly maxRecords: number;
  readonly maxChars: number;
  diag(d: ZoneDiagnostic): void;
  /** Parses another text (an included file) into `sub`, stopping when `go` says so. */
  parseChild(text: string, options: ParseOptions, sub: ParsedZone, stack: string[], include: IncludeContext, state: ScanState, go: (s: ScanState) => boolean): void;
  /** Builds records from tokens made by $GENERATE. */
  generated(tokens: Token[], d: ZoneDirective, state: ScanState): void;
}

/** Recognizes `; dane-zone key=value ...` comments (not inside $INCLUDEd files). */
export function daneDirective(p: DirectiveHost, c: Span): void {
  if (p.include) return;
  const m = DANE_DIRECTIVE.exec(p.text.slice(c.start, Math.min(c.end, c.start + 4096)));
  if (!m) return;
  const d: DaneDirective = { start: c.start, end: c.end, settings: {}, items: [] };
  const word = /([A-Za-z][\w-]*)=(\S*)/g;
  const body = m[1];
  const base = c.start + m[0].length - body.length;
  for (let w = word.exec(body); w; w = word.exec(body)) {
    const key = w[1].toLowerCase();
    d.settings[key] = w[2];
    d.items.push({ key, value: w[2], start: base + w.index, end: base + w.index + w[0].length });
  }
  p.out.daneDirectives.push(d);
}

export function directive(p: DirectiveHost, span: Span, tokens: Token[], state: ScanState): void {
  const [nameToken, ...args] = tokens;
  const name = nameToken.text.toUpperCase();
  const d: ZoneDirective = { start: span.start, end: span.end, name, nameToken, args };
  if (!p.include) p.out.directives.push(d);
  switch (name) {
    case '$ORIGIN': {
      if (!expectArgs(p, d, 1, 1, '$ORIGIN takes one domain name')) return;
      const r = parseName(args[0].text, state.origin);
      if (r.name === undefined || args[0].quoted) {
        p.diag(error(r.code ?? 'invalid-name', args[0], `$ORIGIN: ${r.error ?? 'a name cannot be quoted'}`));
        return;
      }
      state.origin = r.name;
      if (state.zoneOrigin === undefined && !state.sawRecord && !p.include) state.zoneOrigin = r.name;
      return;
    }
    case '$TTL': {
      if (!expectArgs(p, d, 1, 1, '$TTL takes one TTL value')) return;
      const t = parseTtl(args[0].text);
      if ('error' in t) { p.diag(error('invalid-ttl', args[0], `$TTL: ${t.error}`)); return; }
      if (t.tooLarge !== undefined) p.diag({ ...error('ttl-too-large', args[0], `$TTL: ${tooLargeMessage(t.tooLarge)}`), severity: 'warning' });
      state.defaultTtl = t.value;
      return;
    }
    case '$INCLUDE':
      includeFile(p, d, state);
      return;
    case '$GENERATE':
      generate(p, d, state);
      return;
    default:
      p.diag(error('unknown-directive', nameToken,
        `unknown directive \`${nameToken.text}\`: the master-file directives are $ORIGIN, $TTL, $INCLUDE and $GENERATE`));
  }
}

function expectArgs(p: DirectiveHost, d: ZoneDirective, min: number, max: number, what: string): boolean {
  if (d.args.length < min) {
    p.diag(error('syntax', d.nameToken, `${what}; none given`));
    return false;
  }
  if (d.args.length > max) {
    const extra = d.args[max];
    p.diag(error('syntax', { start: extra.start, end: d.args[d.args.length - 1].end }, `${what}; remove the extra text`));
    return false;
  }
  return true;
}

function includeFile(p: DirectiveHost, d: ZoneDirective, state: ScanState): void {
  if (!expectArgs(p, d, 1, 2, '$INCLUDE takes a file name and an optional origin')) return;
  let origin = state.origin;
  if (d.args.length === 2) {
    const r = parseName(d.args[1].text, state.origin);
    if (r.name === undefined) {
      p.diag(error(r.code ?? 'invalid-name', d.args[1], `$INCLUDE origin: ${r.error}`));
      return;
    }
    origin = r.name;
  }
  const io = p.options.io;
  const from = p.include?.file ?? p.options.fileName;
  const span = p.include?.span ?? d;
  if (!io) {
    p.diag(error('include-unresolved', d.args[0], `$INCLUDE ${d.args[0].text}: files cannot be read here`));
    return;
  }
  let path: string;
  let text: string;
  try {
    path = io.resolvePath(from, unescapeText(d.args[0].text));
  } catch (e) {
    p.diag(error('include-unresolved', d.args[0], `$INCLUDE ${d.args[0].text}: ${(e as Error).message}`));
    return;
  }
  if (p.includeStack.includes(path)) {
    p.diag(error('include-unresolved', d.args[0], `$INCLUDE ${path}: include cycle (${[...p.includeStack, path].join(' → ')})`));
    return;
  }
  if (p.includeStack.length >= MAX_INCLUDE_DEPTH) {
    p.diag(error('include-unresolved', d.args[0], `$INCLUDE ${path}: includes nested more than ${MAX_INCLUDE_DEPTH} deep`));
    return;
  }
  if (state.expanded >= p.maxRecords) {
    // Said once inside included files (their parents stop reading too), on every line of the document itself.
    if (state.expanded > p.maxRecords && p.include) return;
    state.expanded = p.maxRecords + 1;
    p.diag(error('include-unresolved', d.args[0], `$INCLUDE ${path}: not read: the records this file makes with $INCLUDE and $GENERATE reached the limit of ${p.maxRecords}`));
    return;
  }
  try {
    text = io.readFile(path);
  } catch (e) {
    p.diag(error('include-unresolved', d.args[0], `$INCLUDE ${path}: ${(e as Error).message}`));
    return;
  }
  if (state.expandedChars + text.length > p.maxChars) {
    p.diag(error('include-unresolved', d.args[0],
      `$INCLUDE ${path}: not read: it would bring the text this file reads with $INCLUDE and makes with $GENERATE to ${state.expandedChars + text.length} characters; the limit for one file is ${p.maxChars}`));
    return;
  }
  state.expandedChars += text.length;
  const sub: ParsedZone = { records: [], directives: [], comments: [], daneDirectives: [], multiLine: [], diagnostics: [] };
  const childState: ScanState = { ...state, origin };
  // Stop reading the included file once the document's record budget is spent (reported once).
  p.parseChild(text, { ...p.options, fileName: path }, sub, [...p.includeStack, path], { file: path, span }, childState, (s) => s.expanded <= p.maxRecords);
  state.expanded = childState.expanded;
  state.expandedChars = childState.expandedChars;
  state.sawRecord = childState.sawRecord;
  state.zoneOrigin = childState.zoneOrigin;
  for (const r of sub.records) p.out.records.push(r);
  // Problems inside the included file are shown on the $INCLUDE line, with file:line.
  const lines = sub.diagnostics.length ? new LineIndex(text) : undefined;
  for (const x of sub.diagnostics) {
    const where = x.includedFrom ? '' : `${path}:${lines!.positionAt(x.start).line + 1}: `;
    p.out.diagnostics.push({ ...x, start: span.start, end: span.end, message: where + x.message, includedFrom: x.includedFrom ?? path });
  }
  // RFC 1035 §5.1: the origin and, like BIND and Knot, the current owner are restored after
  // the included file: a blank owner after $INCLUDE is the owner from before it (state.lastOwner
  // is left as it was). The TTL defaults it set stay in force only inside it.
  state.lastTtl = childState.lastTtl;
  state.lastClass = childState.lastClass;
}

function generate(p: DirectiveHost, d: ZoneDirective, state: ScanState): void {
  const result = expandGenerate(d.args, d.nameToken, { records: state.expanded, chars: state.expandedChars }, { records: p.maxRecords, chars: p.maxChars });
  state.expandedChars += result.chars;
  for (const x of result.diagnostics) p.diag(x);
  // Like BIND and Knot, a blank owner after $GENERATE is the owner from before it.
  const ownerBefore = state.lastOwner;
  for (const tokens of result.records) p.generated(tokens, d, state);
  if (result.records.length) state.lastOwner = ownerBefore;
}

/** Master-file escapes in a file name: `\DDD` is the octet DDD, `\X` is X. */
function unescapeText(text: string): string {
  if (text.indexOf('\\') < 0) return text;
  return text.replace(/\\(\d{3}|.)/g, (_, e: string) => (e.length === 3 ? String.fromCharCode(Number(e)) : e));
}
