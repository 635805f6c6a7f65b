import { ClientCapabilities, CodeAction, CodeActionKind, CodeActionParams } from 'vscode-languageserver/node';
import { LIVE_SOURCE } from '../../live/diagnostics';
import type { PublishKeyData } from '../../live/diagnostics';
import { VersionAnalysis } from '../documents';
import { kindWanted, toRange, workspaceEdit } from '../convert';

/**
 * The quick fix on the live check's diagnostics (apart from ./live.ts, which runs the check with
 * Node's sockets: the code actions are offered by every server, the Web Worker's included).
 */

/** Quick fix for `live-cert-mismatch`: publish the record that covers the key the server presents (the diagnostic's data). */
export function liveCodeActions(a: VersionAnalysis, uri: string, params: CodeActionParams, client: ClientCapabilities): CodeAction[] {
  if (!kindWanted(CodeActionKind.QuickFix, params.context?.only)) return [];
  const out: CodeAction[] = [];
  const diagnostics = Array.isArray(params.context?.diagnostics) ? params.context.diagnostics : [];
  for (const d of diagnostics) {
    if (d?.source !== LIVE_SOURCE || d.code !== 'live-cert-mismatch' || !Array.isArray(d.data)) continue;
    const line = d.range?.end?.line;
    if (typeof line !== 'number' || line < 0 || line >= a.lines.lineCount) continue;
    const lineEnd = a.lines.lineEnd(line);
    for (const x of d.data as unknown[]) {
      const p = x as PublishKeyData;
      if (!p || typeof p.owner !== 'string' || typeof p.record !== 'string' || !/^3 1 1 [0-9a-f]{64}$/.test(p.record) || !/^[A-Za-z0-9_.*-]+$/.test(p.owner)) continue;
      if (a.text.includes(p.record.slice(6))) continue; // already in the file
      const pos = toRange(a.lines, { start: lineEnd, end: lineEnd }).start;
      out.push({
        title: `Publish the presented key: ${p.owner} TLSA ${p.record.slice(0, 22)}…`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        edit: workspaceEdit(uri, a.version, [{ range: { start: pos, end: pos }, newText: `\n${p.owner} IN TLSA ${p.record}` }], client),
      });
    }
  }
  return out;
}
