import { Hover, HoverParams } from 'vscode-languageserver/node';
import { CertAnalysis, getZoneLanguageService, Lines, ParsedZone, tlsaSpans, TYPE_TLSA } from '../../core';
import { ServerContext, ServerFeature } from '../context';
import { linesOf } from '../documents';
import { ShiftedLines } from '../earlyView';
import { markup, offsetOf, toRange } from '../convert';

const core = getZoneLanguageService();

/**
 * The certificate line of a hover on a linked TLSA record's association data (which linked
 * certificate it matches, from the last certificate analysis), with the data's span.
 */
export function certHoverAt(parsed: ParsedZone, certs: CertAnalysis | undefined, offset: number, now?: Date): { contents: string; start: number; end: number } | undefined {
  if (!certs || certs.rrsets.length === 0) return undefined;
  const r = core.recordAt(parsed, offset);
  if (!r || r.typeCode !== TYPE_TLSA || r.includeFile !== undefined) return undefined;
  const data = tlsaSpans(r.rdata).data;
  if (!data || offset < data.start || offset > data.end) return undefined;
  const contents = core.certHover(certs, r, now);
  return contents ? { contents, start: data.start, end: data.end } : undefined;
}

/**
 * A hover asked before the document's first parse (right after opening a large zone) on a
 * record's type, class or TTL: answered from that record's entry alone (core/documentEarly.ts:
 * what the hover on the whole parse says); undefined for anything else, which waits for the parse.
 */
function earlyHover(ctx: ServerContext, params: HoverParams): Hover | undefined {
  const state = ctx.documents.get(params.textDocument.uri);
  if (!state?.unparsed || !params.position) return undefined;
  if (state.earlyMarks?.version !== state.version) state.earlyMarks = { version: state.version, marks: [0] };
  // (a large didOpen's text not decoded yet: a decoded start of it that holds the line, longer while the entry runs past its end)
  // (or a window of it from the line, decoded on its own: its lines shifted to the whole text's, its entries read from its start)
  for (let view = state.earlyView(params.position.line); ; view = state.earlyView(params.position.line, view.document)) {
    const inner = linesOf(view.document, ctx.documents.encoding);
    const lines = view.firstLine === undefined ? inner : new ShiftedLines(inner, view.firstLine);
    const offset = offsetOf(lines, params.position);
    if (offset === undefined) return undefined;
    const h = core.earlyHover(view.document.getText(), offset, ctx.documents.optionsOf(state), view.firstLine === undefined ? state.earlyMarks : { marks: [0] }, view.partial);
    if (h === null) continue;
    if (!h || !h.contents) return undefined;
    return { contents: markup(h.contents, ctx.client.textDocument?.hover?.contentFormat), range: toRange(lines, { start: h.start, end: h.end }) };
  }
}

export const hoverFeature: ServerFeature = {
  name: 'hover',
  capabilities: () => ({ hoverProvider: true }),
  register(ctx) {
    ctx.connection.onHover(
      ctx.guard<HoverParams, Hover | null>('hover', null, (params) => {
        const early = earlyHover(ctx, params);
        if (early) return early;
        const a = ctx.analysisOf(params.textDocument.uri);
        if (!a) return null;
        const offset = offsetOf(a.lines, params.position);
        if (offset === undefined) return null;
        let h = core.hover(a.parsed, { length: a.textLength }, offset); // (the length only: a huge text is not joined for a hover)
        const cert = certHoverAt(a.parsed, ctx.certificates.analysisOf(params.textDocument.uri), offset, ctx.io.now());
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
