import { DocumentSymbol, DocumentSymbolParams, SymbolInformation } from 'vscode-languageserver/node';
import { getZoneLanguageService } from '../../core';
import { ServerFeature } from '../context';
import { toDocumentSymbol, toSymbolInformation } from '../convert';

const core = getZoneLanguageService();

/** Outline entries beyond this are dropped (a `…` entry says so): editors choke on millions. */
export const MAX_OUTLINE_SYMBOLS = 20_000;

export const documentSymbolFeature: ServerFeature = {
  name: 'documentSymbol',
  capabilities: () => ({ documentSymbolProvider: { label: 'DNS zone' } }),
  register(ctx) {
    const hierarchical = ctx.client.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport === true;
    ctx.connection.onDocumentSymbol(
      ctx.guard<DocumentSymbolParams, DocumentSymbol[] | SymbolInformation[]>('documentSymbol', [], (params) => {
        const a = ctx.analysisOf(params.textDocument.uri);
        if (!a) return [];
        const symbols = core.documentSymbols(a.parsed, { maxSymbols: MAX_OUTLINE_SYMBOLS });
        if (hierarchical) return symbols.map((s) => toDocumentSymbol(a.lines, s));
        return toSymbolInformation(a.lines, params.textDocument.uri, symbols);
      }),
    );
  },
};
