import { ParsedZone, ZoneDirective, ZoneRecord } from '../model';
import { Span, Token } from '../types';

/**
 * The document outline: one entry per run of records with the same owner (records as its
 * children, each with its type and a summary of its data), plus the $ORIGIN, $INCLUDE and
 * $GENERATE directives in file order. Records read from an $INCLUDEd file are children of
 * that $INCLUDE (their own spans are in the other file, so they point at the directive).
 * Pure: offsets in, offsets out; the server turns them into LSP ranges.
 */

export type ZoneSymbolKind = 'owner' | 'record' | 'origin' | 'include' | 'generate' | 'truncated';

export interface ZoneSymbol {
  /** Never empty (editors reject empty symbol names). */
  name: string;
  detail: string;
  kind: ZoneSymbolKind;
  /** The whole extent in the document. */
  span: Span;
  /** The part to reveal and highlight; inside `span`. */
  selection: Span;
  children: ZoneSymbol[];
}

export interface SymbolOptions {
  /** Stop after this many symbols in all (huge zones); a `truncated` entry says so. Default: no limit. */
  maxSymbols?: number;
  /** Longest record detail, in characters (default 80). */
  maxDetail?: number;
}

const SHOWN_DIRECTIVES = new Set(['$ORIGIN', '$INCLUDE', '$GENERATE']);

/** A token as it would be written back (quoted strings re-quoted), long ones elided in the middle. */
function tokenSummary(t: Token): string {
  const s = t.quoted ? `"${t.text}"` : t.text;
  return s.length > 28 ? `${s.slice(0, 12)}…${s.slice(-8)}` : s;
}

/** The record data in one line: tokens joined by single spaces, at most `max` characters. */
export function rdataSummary(rdata: readonly Token[], max = 80): string {
  let out = '';
  for (const t of rdata) {
    const part = tokenSummary(t);
    const next = out ? `${out} ${part}` : part;
    if (next.length > max) return (out ? out + ' ' : '') + '…';
    out = next;
  }
  return out;
}

function ownerLabel(r: ZoneRecord): string {
  if (r.owner) return r.owner;
  if (r.ownerToken && r.ownerToken.text) return r.ownerToken.text;
  return '(no owner)';
}

function typeLabel(r: ZoneRecord): string {
  return r.typeName || r.typeToken?.text || '(no type)';
}

function recordSymbol(r: ZoneRecord, maxDetail: number, at?: Span): ZoneSymbol {
  const span = at ?? { start: r.start, end: r.end };
  const sel = at ?? (r.typeToken ? { start: r.typeToken.start, end: r.typeToken.end } : { start: r.start, end: r.start });
  return {
    name: typeLabel(r),
    detail: rdataSummary(r.rdata, maxDetail),
    kind: 'record',
    span,
    selection: clampInto(sel, span),
    children: [],
  };
}

function clampInto(s: Span, outer: Span): Span {
  const start = Math.min(Math.max(s.start, outer.start), outer.end);
  const end = Math.min(Math.max(s.end, start), outer.end);
  return { start, end };
}

function directiveSymbol(d: ZoneDirective): ZoneSymbol {
  const kind: ZoneSymbolKind = d.name === '$ORIGIN' ? 'origin' : d.name === '$INCLUDE' ? 'include' : 'generate';
  return {
    name: d.name,
    detail: d.args.map(tokenSummary).join(' '),
    kind,
    span: { start: d.start, end: d.end },
    selection: clampInto({ start: d.nameToken.start, end: d.nameToken.end }, d),
    children: [],
  };
}

export function documentSymbols(parsed: ParsedZone, options: SymbolOptions = {}): ZoneSymbol[] {
  const maxSymbols = options.maxSymbols ?? Infinity;
  const maxDetail = options.maxDetail ?? 80;
  const out: ZoneSymbol[] = [];
  let emitted = 0;
  let truncated = false;

  const directives = parsed.directives.filter((d) => SHOWN_DIRECTIVES.has(d.name));
  const byStart = new Map<number, ZoneSymbol>();
  const generatedCount = new Map<ZoneSymbol, number>();

  let group: ZoneSymbol | undefined;
  let groupKey = '';
  let groupTypes: string[] = [];
  const closeGroup = () => {
    if (group) group.detail = groupTypes.join(', ');
    group = undefined;
    groupTypes = [];
  };

  let di = 0;
  const emitDirectivesBefore = (offset: number) => {
    while (di < directives.length && directives[di].start <= offset) {
      const d = directives[di++];
      closeGroup();
      if (emitted >= maxSymbols) { truncated = true; continue; }
      const sym = directiveSymbol(d);
      out.push(sym);
      emitted++;
      byStart.set(d.start, sym);
    }
  };

  for (const r of parsed.records) {
    if (r.includeFile !== undefined) {
      // A record from an $INCLUDEd file: a child of the directive it came through.
      const at = r.includeSpan;
      if (!at) continue;
      emitDirectivesBefore(at.start);
      const inc = byStart.get(at.start);
      if (!inc) continue;
      if (emitted >= maxSymbols) { truncated = true; continue; }
      const child = recordSymbol(r, maxDetail, { start: at.start, end: at.end });
      child.name = `${ownerLabel(r)} ${typeLabel(r)}`;
      inc.children.push(child);
      emitted++;
      continue;
    }
    emitDirectivesBefore(r.start);
    const gen = byStart.get(r.start);
    if (gen && gen.kind === 'generate') {
      // Expanded from $GENERATE: counted on the directive, not listed one by one.
      generatedCount.set(gen, (generatedCount.get(gen) ?? 0) + 1);
      continue;
    }
    if (emitted >= maxSymbols) { truncated = true; continue; }
    const key = r.owner ? r.ownerKey : `\0${ownerLabel(r)}`;
    if (!group || key !== groupKey) {
      closeGroup();
      const sel = r.ownerToken ? { start: r.ownerToken.start, end: r.ownerToken.end } : { start: r.start, end: r.start };
      group = { name: ownerLabel(r), detail: '', kind: 'owner', span: { start: r.start, end: r.end }, selection: sel, children: [] };
      groupKey = key;
      out.push(group);
      emitted++;
      if (emitted >= maxSymbols) { truncated = true; continue; }
    }
    group.span.end = Math.max(group.span.end, r.end);
    group.children.push(recordSymbol(r, maxDetail));
    emitted++;
    const t = typeLabel(r);
    if (!groupTypes.includes(t)) groupTypes.push(t);
  }
  emitDirectivesBefore(Infinity);
  closeGroup();

  for (const [sym, n] of generatedCount) {
    sym.detail = `${sym.detail} (${n} record${n === 1 ? '' : 's'})`;
  }
  for (const sym of out) {
    if (sym.kind === 'include' && sym.children.length > 0) {
      const n = sym.children.length;
      sym.detail = `${sym.detail} (${n} record${n === 1 ? '' : 's'})`;
    }
  }
  if (truncated) {
    const last = out.length > 0 ? out[out.length - 1].span.end : 0;
    out.push({
      name: '…',
      detail: `outline truncated after ${maxSymbols} entries`,
      kind: 'truncated',
      span: { start: last, end: last },
      selection: { start: last, end: last },
      children: [],
    });
  }
  return out;
}
