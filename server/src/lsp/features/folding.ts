import { FoldingRange, FoldingRangeParams } from 'vscode-languageserver/node';
import { foldingRanges } from '../../core/features/folding';
import { ServerFeature } from '../context';
import { toFoldingRange } from '../convert';

export const foldingFeature: ServerFeature = {
  name: 'foldingRange',
  capabilities: () => ({ foldingRangeProvider: true }),
  register(ctx) {
    const limit = ctx.client.textDocument?.foldingRange?.rangeLimit;
    ctx.connection.onFoldingRanges(
      ctx.guard<FoldingRangeParams, FoldingRange[]>('foldingRange', [], (params) => {
        const a = ctx.analysisOf(params.textDocument.uri);
        if (!a) return [];
        const folds = foldingRanges(a.parsed, a.lines);
        const shown = typeof limit === 'number' && limit >= 0 && folds.length > limit ? folds.slice(0, limit) : folds;
        return shown.map(toFoldingRange);
      }),
    );
  },
};
