import {
  DocumentFormattingParams,
  DocumentRangeFormattingParams,
  TextEdit as LspTextEdit,
} from 'vscode-languageserver/node';
import { getZoneLanguageService, Span } from '../../core';
import { settingsFor } from '../configuration';
import { ServerContext, ServerFeature } from '../context';
import { offsetOf, toRange } from '../convert';

const core = getZoneLanguageService();

/**
 * Document and range formatting (core: ../../core/features/format): minimal edits that
 * align the records in columns and keep every comment; `daneZone.format.ownerStyle` says
 * whether inherited owners are kept, repeated or left blank.
 */

async function format(ctx: ServerContext, uri: string, range?: { start: unknown; end: unknown }): Promise<LspTextEdit[]> {
  if (typeof uri !== 'string') return [];
  const settings = await settingsFor(ctx.connection, uri);
  const state = ctx.documents.get(uri);
  const a = ctx.analysisOf(uri);
  // Edits are for the text of a.version: none for another version.
  if (!state || !a || a.version !== state.version) return [];
  let span: Span | undefined;
  if (range) {
    const from = offsetOf(a.lines, range.start as never);
    const to = offsetOf(a.lines, range.end as never);
    if (from === undefined || to === undefined) return [];
    span = { start: Math.min(from, to), end: Math.max(from, to) };
  }
  return core.formatZone(a.parsed, a.text, { ownerStyle: settings.format.ownerStyle }, span)
    .map((e) => ({ range: toRange(a.lines, e), newText: e.newText }));
}

export const formattingFeature: ServerFeature = {
  name: 'formatting',
  capabilities: () => ({ documentFormattingProvider: true, documentRangeFormattingProvider: true }),
  register(ctx) {
    ctx.connection.onDocumentFormatting(
      ctx.guard<DocumentFormattingParams, LspTextEdit[]>('formatting', [], (params) => format(ctx, params?.textDocument?.uri)),
    );
    ctx.connection.onDocumentRangeFormatting(
      ctx.guard<DocumentRangeFormattingParams, LspTextEdit[]>('rangeFormatting', [], (params) =>
        format(ctx, params?.textDocument?.uri, params?.range ?? { start: undefined, end: undefined })),
    );
  },
};
