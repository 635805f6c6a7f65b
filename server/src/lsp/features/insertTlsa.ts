import {
  CodeAction,
  CodeActionKind,
  CodeActionParams,
  ExecuteCommandParams,
} from 'vscode-languageserver/node';
import { CertAnalysis, DaneFixData, fromBase64, getZoneLanguageService, isAtOrBelow, nameKey, TYPE_A, TYPE_AAAA, TYPE_MX, TYPE_TLSA } from '../../core';
import { ServerContext, ServerFeature } from '../context';
import { kindWanted, offsetOf, SOURCE, toRange, workspaceEdit } from '../convert';
import { VersionAnalysis } from '../documents';

const core = getZoneLanguageService();

/** The file bytes the client sends (base64; no Buffer, so this also runs in a Web Worker). */
function base64Bytes(s: string): Uint8Array {
  const bytes = fromBase64(s);
  if (typeof bytes === 'string') throw new Error(`the file's bytes did not arrive as base64: ${bytes}`);
  return bytes;
}

/**
 * "Insert a TLSA RRset for an MX host from a certificate file" (issue: certificates linked to
 * TLSA records). The client asks which file (a file picker), reads it and sends its bytes
 * with `workspace/executeCommand` INSERT_TLSA_COMMAND [uri, host, base64]; the server computes
 * the records (`3 1 1` by default) with the core and applies them with `workspace/applyEdit`.
 * Code actions on MX records whose in-zone target has no `_25._tcp` TLSA RRset offer it.
 */

export const INSERT_TLSA_COMMAND = 'daneZone.server.insertTlsa';
/** [uri, position] → { host?: string }: the MX host the cursor's MX, TLSA or address line is about (to prefill the prompt). */
export const TLSA_HOST_AT_COMMAND = 'daneZone.server.tlsaHostAt';
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

/** The client command behind "Add a rotation pair from a file…": [uri, host, { port, protocol }] → asks next key or issuing CA, then the file(s). */
export const CLIENT_ROTATION_FROM_FILE_COMMAND = 'daneZone.addRotationPairFromFile';

/**
 * Quick fix for `tlsa-single-record` on an RRset no certificate is linked to (issue 16/8): "Add
 * a rotation pair from a file…". The client asks which pair (the next key, or the issuing CA
 * from the server's chain) and for the file(s), then runs INSERT_TLSA_COMMAND: the server
 * computes the records with the certificate actions, skips the one already there, and writes
 * the `; dane-zone cert=` (`next=`) link. A linked RRset gets the rotation pairs of its files
 * instead (certs/rotation.ts).
 */
export function rotationFromFileCodeActions(a: VersionAnalysis, uri: string, params: CodeActionParams, certs?: CertAnalysis): CodeAction[] {
  if (!kindWanted(CodeActionKind.QuickFix, params.context?.only)) return [];
  const out: CodeAction[] = [];
  for (const d of Array.isArray(params.context?.diagnostics) ? params.context.diagnostics : []) {
    if (d?.source !== SOURCE || d.code !== 'tlsa-single-record') continue;
    const data = d.data as DaneFixData | undefined;
    if (!data || typeof data !== 'object' || data.fix !== 'tlsa-rotation-pair' || typeof data.owner !== 'string') continue;
    const key = nameKey(data.owner);
    if (certs?.rrsets.some((s) => s.ownerKey === key)) continue;
    const parts = core.tlsaOwnerParts(data.owner);
    if (!parts || parts.port === undefined) continue;
    const host = parts.base.replace(/\.$/, '');
    out.push({
      title: `Add a rotation pair for _${parts.port}._${parts.protocol.toLowerCase()}.${host} from a file… (next key or issuing CA)`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      command: {
        title: 'Add a rotation pair from a file',
        command: CLIENT_ROTATION_FROM_FILE_COMMAND,
        arguments: [uri, host, { port: parts.port, protocol: parts.protocol.toLowerCase() }],
      },
    });
  }
  return out;
}

/** What the client chose beside the file (4th argument of INSERT_TLSA_COMMAND). */
export interface InsertTlsaOptions {
  /** `ee` (default): 3 1 1; `issuer`: 3 1 1 + the issuing CA's 2 1 1; `next`: 3 1 1 of the file and of `next`. */
  pattern?: 'ee' | 'issuer' | 'next';
  /** The next key's file (base64), for `next`. */
  next?: string;
  /** Paths relative to the zone file for the `; dane-zone cert= next=` line. */
  link?: string;
  nextLink?: string;
  /** The TLSA owner's port and protocol (default `_25._tcp`). */
  port?: number;
  protocol?: string;
}

/** The in-zone host the record at `offset` is about: an MX target, a TLSA owner's host, an address owner. */
export function tlsaHostAt(a: VersionAnalysis, offset: number): string | undefined {
  const parsed = a.parsed;
  const r = core.recordAt(parsed, offset);
  if (!r || r.includeFile !== undefined) return undefined;
  let host: string | undefined;
  if (r.typeCode === TYPE_MX) host = core.mxTargets({ ...parsed, records: [r] })[0]?.host;
  else if (r.typeCode === TYPE_TLSA) host = core.tlsaOwnerParts(r.owner)?.base;
  else if (r.typeCode === TYPE_A || r.typeCode === TYPE_AAAA) host = r.owner;
  if (!host || host === '.' || (parsed.zoneOrigin && !isAtOrBelow(host, parsed.zoneOrigin))) return undefined;
  return host.replace(/\.$/, '');
}

const PATTERNS: Record<NonNullable<InsertTlsaOptions['pattern']>, { usage: number; selector: number; matchingType: number }[]> = {
  ee: [{ usage: 3, selector: 1, matchingType: 1 }],
  issuer: [{ usage: 3, selector: 1, matchingType: 1 }, { usage: 2, selector: 1, matchingType: 1 }],
  next: [{ usage: 3, selector: 1, matchingType: 1 }],
};

async function insertCommand(ctx: ServerContext, params: ExecuteCommandParams): Promise<InsertTlsaResult> {
  const [uri, host, base64, rawOptions] = Array.isArray(params.arguments) ? params.arguments : [];
  const options = (rawOptions && typeof rawOptions === 'object' ? rawOptions : {}) as InsertTlsaOptions;
  if (typeof uri !== 'string' || typeof host !== 'string' || typeof base64 !== 'string') {
    return { applied: false, message: 'expected the document URI, the MX host name and the file contents (base64)' };
  }
  if (base64.length > (MAX_CERT_BYTES * 4) / 3 + 4) return { applied: false, message: `the file is larger than ${MAX_CERT_BYTES} bytes: choose a certificate, key or CSR file` };
  const state = ctx.documents.get(uri);
  const a = ctx.analysisOf(uri);
  if (!state || !a || a.version !== state.version) return { applied: false, message: `${uri} is not open or could not be read` };
  const bytes = base64Bytes(base64);
  const pattern = options.pattern && PATTERNS[options.pattern] ? options.pattern : 'ee';
  if (pattern === 'next' && typeof options.next !== 'string') return { applied: false, message: 'a current + next pair needs the next key\'s file' };
  const text = (x: unknown) => (typeof x === 'string' && x !== '' ? x : undefined);
  const r = await core.insertTlsaRRsetAction(a.text, a.parsed.records, {
    host, bytes, origin: a.parsed.zoneOrigin, combos: PATTERNS[pattern],
    port: Number.isInteger(options.port) && options.port! >= 0 && options.port! <= 65535 ? options.port : undefined,
    protocol: typeof options.protocol === 'string' && /^[a-z0-9-]{1,15}$/i.test(options.protocol) ? options.protocol : undefined,
    next: pattern === 'next' ? base64Bytes(options.next!) : undefined,
    linkPath: text(options.link), nextLinkPath: pattern === 'next' ? text(options.nextLink) : undefined,
  });
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
  capabilities: () => ({ executeCommandProvider: { commands: [INSERT_TLSA_COMMAND, TLSA_HOST_AT_COMMAND] } }),
  register(ctx) {
    ctx.connection.onExecuteCommand(
      ctx.guard<ExecuteCommandParams, InsertTlsaResult | { host?: string } | null>('executeCommand', null, (params) => {
        if (params?.command === TLSA_HOST_AT_COMMAND) {
          const [uri, position] = Array.isArray(params.arguments) ? params.arguments : [];
          const a = typeof uri === 'string' ? ctx.analysisOf(uri) : undefined;
          const offset = a ? offsetOf(a.lines, position as never) : undefined;
          return { host: a && offset !== undefined ? tlsaHostAt(a, offset) : undefined };
        }
        if (params?.command !== INSERT_TLSA_COMMAND) return null;
        return insertCommand(ctx, params);
      }),
    );
  },
};
