import { InlayHint, InlayHintParams, MarkupKind } from 'vscode-languageserver/node';
import { getZoneLanguageService } from '../../core';
import { describeError, ServerContext, ServerFeature } from '../context';
import { onSettingsChanged, settingsFor } from '../configuration';
import { offsetOf } from '../convert';

const core = getZoneLanguageService();

/**
 * Inlay hints: `DANE-EE SPKI SHA2-256` after the three numbers of each TLSA/SMIMEA record in
 * the requested range (see ../../core/features/inlayHints). Off with
 * `daneZone.inlayHints.enabled: false`; when the settings change, the client is asked to
 * request the hints again (workspace/inlayHint/refresh) if it supports that.
 */

export const inlayHintFeature: ServerFeature = {
  name: 'inlayHint',
  capabilities: () => ({ inlayHintProvider: { resolveProvider: false } }),
  register(ctx) {
    /** The `enabled` each document's hints were last answered with. */
    const answered = new Map<string, boolean>();

    ctx.connection.languages.inlayHint.on(
      ctx.guard<InlayHintParams, InlayHint[]>('inlayHint', [], async (params) => {
        const uri = params.textDocument.uri;
        const enabled = (await settingsFor(ctx.connection, uri)).inlayHints.enabled;
        answered.set(uri, enabled);
        if (!enabled) return [];
        const a = ctx.analysisOf(uri);
        if (!a) return [];
        const start = offsetOf(a.lines, params.range?.start);
        const end = offsetOf(a.lines, params.range?.end);
        if (start === undefined || end === undefined || end < start) return [];
        return core.inlayHints(a.parsed, a.text, { start, end }).map((h): InlayHint => {
          const hint: InlayHint = { position: a.lines.positionAt(h.offset), label: h.label };
          if (h.pad === 'left') hint.paddingLeft = true;
          else hint.paddingRight = true;
          if (h.tooltip) hint.tooltip = { kind: MarkupKind.Markdown, value: h.tooltip };
          return hint;
        });
      }),
    );

    if (ctx.client.workspace?.inlayHint?.refreshSupport) {
      onSettingsChanged(ctx.connection, () => void refreshIfToggled(ctx, answered));
    }
  },
};

/**
 * After a settings change: asks the client for new hints when `inlayHints.enabled` changed for
 * a document it has hints for. (The settings are pulled once per open document, shared with
 * the diagnostics run that the change starts anyway.)
 */
async function refreshIfToggled(ctx: ServerContext, answered: Map<string, boolean>): Promise<void> {
  try {
    let changed = false;
    await Promise.all([...answered].map(async ([uri, was]) => {
      if (!ctx.documents.get(uri)) {
        answered.delete(uri);
        return;
      }
      if ((await settingsFor(ctx.connection, uri)).inlayHints.enabled !== was) changed = true;
    }));
    if (changed) await ctx.connection.languages.inlayHint.refresh();
  } catch (e) {
    ctx.log.warn(`inlay hint refresh failed: ${describeError(e)}`);
  }
}
