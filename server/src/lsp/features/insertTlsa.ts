import {
  CodeAction,
  CodeActionKind,
  CodeActionParams,
  ExecuteCommandParams,
} from 'vscode-languageserver/node';
import { getZoneLanguageService, isAtOrBelow, nameKey } from '../../core';
import { ServerContext, ServerFeature } from '../context';
import { kindWanted, offsetOf, toRange, workspaceEdit } from '../convert';
import { VersionAnalysis } from '../documents';

const core = getZoneLanguageService();

/**
 * "Insert a TLSA RRset for an MX host from a certificate file" (issue: certificates linked to
 * TLSA records). The client asks which file (a file picker), reads it and sends its bytes
 * with `workspace/executeCommand` INSERT_TLSA_COMMAND [uri, host, base64]; the server computes
 * the records (`3 1 1` by default) with the core and applies them with `workspace/applyEdit`.
 * Code actions on MX records whose in-zone target has no `_25._tcp` TLSA RRset offer it.
 */

export const INSERT_TLSA_COMMAND = 'daneZone.server.insertTlsa';
/** The client command (file picker) that the code actions invoke. */
export const CLIENT_INSERT_TLSA_COMMAND = 'daneZone.insertTlsaFromCertificate';

const MAX_CERT_BYTES = 1024 * 1024;

export interface InsertTlsaResult {
  applied: boolean;
  title?: string;
  message?: string;
}


/** In-zone MX targets that have no `_25._tcp` TLSA RRset yet. */
export function hostsWithoutTlsa(a: VersionAnalysis): string[] {
  const parsed = a.parsed;
  const owners = new Set<string>();
  for (const r of parsed.records) if (r.typeCode === 52) owners.add(r.ownerKey);
  return core.mxTargets(parsed)
    .filter((t) => (!parsed.zoneOrigin || isAtOrBelow(t.host, parsed.zoneOrigin)) && !owners.has(nameKey(`_25._tcp.${t.host}`)))
    .map((t) => t.host);
}

/** Code actions on the MX records (in the requested range) of hosts without TLSA records. */
export function insertTlsaCodeActions(a: VersionAnalysis, uri: string, params: CodeActionParams): CodeAction[] {
  if (!kindWanted(CodeActionKind.RefactorRewrite, params.context?.only)) return [];
  const from = offsetOf(a.lines, params.range?.start);
  const to = offsetOf(a.lines, params.range?.end);
  if (from === undefined || to === undefined) return [];
  const missing = new Set(hostsWithoutTlsa(a).map(nameKey));
  if (missing.size === 0) return [];
  const out: CodeAction[] = [];
  for (const t of core.mxTargets(a.parsed)) {
    if (!missing.has(nameKey(t.host))) continue;
    if (!t.mx.some(({ record }) => !record.includeFile && record.start <= to && from <= record.end)) continue;
    const host = t.host.replace(/\.$/, '');
    out.push({
      title: `Insert _25._tcp.${host} TLSA records from a certificate or key file…`,
      kind: CodeActionKind.RefactorRewrite,
      command: { title: 'Insert TLSA records from a certificate', command: CLIENT_INSERT_TLSA_COMMAND, arguments: [uri, host] },
    });
  }
  return out;
}

async function insertCommand(ctx: ServerContext, params: ExecuteCommandParams): Promise<InsertTlsaResult> {
  const [uri, host, base64] = Array.isArray(params.arguments) ? params.arguments : [];
  if (typeof uri !== 'string' || typeof host !== 'string' || typeof base64 !== 'string') {
    return { applied: false, message: 'expected the document URI, the MX host name and the file contents (base64)' };
  }
  if (base64.length > (MAX_CERT_BYTES * 4) / 3 + 4) return { applied: false, message: `the file is larger than ${MAX_CERT_BYTES} bytes: choose a certificate, key or CSR file` };
  const state = ctx.documents.get(uri);
  const a = ctx.analysisOf(uri);
  if (!state || !a || a.version !== state.version) return { applied: false, message: `${uri} is not open or could not be read` };
  const bytes = Uint8Array.from(Buffer.from(base64, 'base64'));
  const r = await core.insertTlsaRRsetAction(a.text, a.parsed.records, { host, bytes, origin: a.parsed.zoneOrigin });
  if ('error' in r) {
    void ctx.connection.window.showWarningMessage(`DANE Zone: ${r.error}`);
    return { applied: false, message: r.error };
  }
  const now = ctx.documents.get(uri);
  if (!now || now.version !== a.version) return { applied: false, message: 'the document changed meanwhile: run the command again' };
  const applied = await ctx.connection.workspace.applyEdit({ label: r.title, edit: workspaceEdit(uri, a.version, r.edits.map((e) => ({ range: toRange(a.lines, e), newText: e.newText })), ctx.client) });
  if (!applied.applied) return { applied: false, message: applied.failureReason ?? 'the editor did not apply the edit' };
  return { applied: true, title: r.title };
}

export const insertTlsaFeature: ServerFeature = {
  name: 'insertTlsa',
  capabilities: () => ({ executeCommandProvider: { commands: [INSERT_TLSA_COMMAND] } }),
  register(ctx) {
    ctx.connection.onExecuteCommand(
      ctx.guard<ExecuteCommandParams, InsertTlsaResult | null>('executeCommand', null, (params) => {
        if (params?.command !== INSERT_TLSA_COMMAND) return null;
        return insertCommand(ctx, params);
      }),
    );
  },
};
