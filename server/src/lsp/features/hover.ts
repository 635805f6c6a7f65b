import { Hover, HoverParams, MarkupContent, MarkupKind, Position } from 'vscode-languageserver/node';
import { hover } from '../../core/features/hover';
import { certHover } from '../../core/certs/actions';
import { CertAnalysis } from '../../core/certs/checks';
import { recordAt } from '../../core/features/locate';
import { ParsedZone } from '../../core/model';
import { tlsaSpans, TYPE_TLSA } from '../../core/dane/tlsaRdata';
import { Lines } from '../../core/lineIndex';
import { ServerFeature } from '../context';
import { toRange } from '../convert';

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

/**
 * The certificate line of a hover on a linked TLSA record's association data (which linked
 * certificate it matches, from the last certificate analysis), with the data's span.
 */
export function certHoverAt(parsed: ParsedZone, certs: CertAnalysis | undefined, offset: number): { contents: string; start: number; end: number } | undefined {
  if (!certs || certs.rrsets.length === 0) return undefined;
  const r = recordAt(parsed, offset);
  if (!r || r.typeCode !== TYPE_TLSA || r.includeFile !== undefined) return undefined;
  const data = tlsaSpans(r.rdata).data;
  if (!data || offset < data.start || offset > data.end) return undefined;
  const contents = certHover(certs, r);
  return contents ? { contents, start: data.start, end: data.end } : undefined;
}

export const hoverFeature: ServerFeature = {
  name: 'hover',
  capabilities: () => ({ hoverProvider: true }),
  register(ctx) {
    ctx.connection.onHover(
      ctx.guard<HoverParams, Hover | null>('hover', null, (params) => {
        const a = ctx.analysisOf(params.textDocument.uri);
        if (!a) return null;
        const offset = offsetOf(a.lines, params.position);
        if (offset === undefined) return null;
        let h = hover(a.parsed, a.text, offset);
        const cert = certHoverAt(a.parsed, ctx.certificates.analysisOf(params.textDocument.uri), offset);
        if (cert) h = h && h.contents ? { ...h, contents: `${h.contents}\n\n---\n\n${cert.contents}` } : cert;
        if (!h || !h.contents) return null;
        return {
          contents: markup(h.contents, ctx.client.textDocument?.hover?.contentFormat),
          range: toRange(a.lines, { start: h.start, end: h.end }),
        };
      }),
    );
  },
};
