import {
  ClientCapabilities,
  Diagnostic,
  DiagnosticSeverity,
  DocumentSymbol,
  FoldingRange,
  FoldingRangeKind,
  MarkupContent,
  MarkupKind,
  Position,
  Range,
  SymbolInformation,
  SymbolKind,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import { Lines, RULES, Severity, Span, ZoneDiagnostic, ZoneFold, ZoneSymbol, ZoneSymbolKind } from '../core';
import { LIVE_CODES } from '../live/diagnostics';

/** Core data (offsets, plain objects) → LSP types. The only place that knows both. */

export const SOURCE = 'dane-zone';

export function toRange(lines: Lines, span: Span): Range {
  const start = lines.positionAt(span.start);
  const end = span.end > span.start ? lines.positionAt(span.end) : start;
  return { start, end };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The message, naming the included file when the problem is inside one. */
export function diagnosticMessage(d: ZoneDiagnostic): string {
  if (d.includedFrom && !d.message.includes(d.includedFrom)) return `in ${d.includedFrom}: ${d.message}`;
  return d.message;
}

export function sourceOf(d: ZoneDiagnostic): string {
  const own = (d as { source?: unknown }).source;
  return typeof own === 'string' && own !== '' ? own : SOURCE;
}

/** `uri`: the document, for the related locations of a diagnostic that has some. */
export function toDiagnostic(lines: Lines, d: ZoneDiagnostic, uri?: string): Diagnostic {
  const out: Diagnostic = {
    range: toRange(lines, d),
    severity: SEVERITY[d.severity] ?? DiagnosticSeverity.Error,
    code: d.code,
    // A diagnostic that names its own source (the live check's `dane-live`) keeps it.
    source: sourceOf(d),
    message: diagnosticMessage(d),
  };
  const href = RULES.get(d.code)?.href ?? LIVE_CODES[d.code]?.href;
  if (href) out.codeDescription = { href };
  if (d.data !== undefined) out.data = d.data;
  if (uri !== undefined && d.related && d.related.length > 0) {
    out.relatedInformation = d.related.map((r) => ({ location: { uri, range: toRange(lines, r) }, message: r.message }));
  }
  return out;
}

const SYMBOL_KIND: Record<ZoneSymbolKind, SymbolKind> = {
  owner: SymbolKind.Namespace,
  record: SymbolKind.Field,
  origin: SymbolKind.Package,
  include: SymbolKind.File,
  generate: SymbolKind.Constructor,
  truncated: SymbolKind.Null,
};

export function toDocumentSymbol(lines: Lines, s: ZoneSymbol): DocumentSymbol {
  const range = toRange(lines, s.span);
  let selectionRange = toRange(lines, s.selection);
  if (!contains(range, selectionRange)) selectionRange = { start: range.start, end: range.start };
  const out: DocumentSymbol = { name: s.name || '?', kind: SYMBOL_KIND[s.kind], range, selectionRange };
  if (s.detail) out.detail = s.detail;
  if (s.children.length > 0) out.children = s.children.map((c) => toDocumentSymbol(lines, c));
  return out;
}

/** Flat symbols for clients without hierarchical document symbols. */
export function toSymbolInformation(lines: Lines, uri: string, symbols: ZoneSymbol[], container?: string, out: SymbolInformation[] = []): SymbolInformation[] {
  for (const s of symbols) {
    const info: SymbolInformation = { name: s.name || '?', kind: SYMBOL_KIND[s.kind], location: { uri, range: toRange(lines, s.span) } };
    if (container) info.containerName = container;
    out.push(info);
    if (s.children.length > 0) toSymbolInformation(lines, uri, s.children, s.name, out);
  }
  return out;
}

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

function contains(outer: Range, inner: Range): boolean {
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

export function toFoldingRange(f: ZoneFold): FoldingRange {
  return { startLine: f.startLine, endLine: f.endLine, kind: f.kind === 'comment' ? FoldingRangeKind.Comment : FoldingRangeKind.Region };
}

/** True when `kind` is asked for by a code-action request's `only` (kinds are hierarchical: `refactor` covers `refactor.rewrite`). */
export function kindWanted(kind: string, only: readonly unknown[] | undefined): boolean {
  if (!Array.isArray(only) || only.length === 0) return true;
  return only.some((o) => typeof o === 'string' && (o === kind || kind.startsWith(o + '.')));
}

/** A versioned document edit where the client takes them, else plain changes. */
export function workspaceEdit(uri: string, version: number, edits: TextEdit[], client: ClientCapabilities): WorkspaceEdit {
  if (client.workspace?.workspaceEdit?.documentChanges !== true) return { changes: { [uri]: edits } };
  return { documentChanges: [{ textDocument: { uri, version }, edits }] };
}

/**
 * The UTF-16 offset of an LSP position, or undefined for anything that is not a position
 * (the client may send garbage; a handler then answers with an empty result). Positions past
 * the end of a line or of the document are clamped, as LSP says. O(1) on the document's
 * line table: no pass over the text.
 */
export function offsetOf(lines: Lines, position: Position | undefined): number | undefined {
  if (!position || typeof position !== 'object') return undefined;
  const { line, character } = position;
  if (!Number.isFinite(line) || !Number.isFinite(character)) return undefined;
  return lines.offsetAt({ line: Math.max(0, Math.floor(line)), character: Math.max(0, Math.floor(character)) });
}

/** Markdown, or the same text as plain text for a client that only lists plaintext. */
export function markup(value: string, formats: readonly MarkupKind[] | undefined): MarkupContent {
  const markdown = !Array.isArray(formats) || formats.length === 0 || formats.includes(MarkupKind.Markdown);
  return { kind: markdown ? MarkupKind.Markdown : MarkupKind.PlainText, value };
}
