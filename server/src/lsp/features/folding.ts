import { FoldingRange, FoldingRangeParams } from 'vscode-languageserver/node';
import { getZoneLanguageService } from '../../core';
import { ServerFeature } from '../context';
import { toFoldingRange } from '../convert';

const core = getZoneLanguageService();

export const foldingFeature: ServerFeature = {
  name: 'foldingRange',
  capabilities: () => ({ foldingRangeProvider: true }),
  register(ctx) {
    const limit = ctx.client.textDocument?.foldingRange?.rangeLimit;
    ctx.connection.onFoldingRanges(
      ctx.guard<FoldingRangeParams, FoldingRange[]>('foldingRange', [], (params) => {
        const a = ctx.analysisOf(params.textDocument.uri);
        if (!a) return [];
        const folds = core.foldingRanges(a.parsed, a.lines);
        const shown = typeof limit === 'number' && limit >= 0 && folds.length > limit ? folds.slice(0, limit) : folds;
        return shown.map(toFoldingRange);
      }),
    );
  },
};
