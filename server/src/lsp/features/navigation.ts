import { EncodedLines } from '../positionEncoding';
import {
  DefinitionParams,
  DocumentHighlight,
  DocumentHighlightKind,
  DocumentHighlightParams,
  DocumentLink,
  DocumentLinkParams,
  Location,
  PrepareRenameParams,
  Range,
  ReferenceParams,
  RenameParams,
  ResponseError,
  SymbolInformation,
  SymbolKind,
  WorkspaceSymbolParams,
  ErrorCodes,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import { getZoneLanguageService, LineIndex, Lines, ParsedZone } from '../../core';
import { ServerContext, ServerFeature } from '../context';
import { WorkspaceZones } from './workspaceZones';
import { offsetOf, toRange } from '../convert';

const core = getZoneLanguageService();

/**
 * Go to definition, find references, document highlights, rename and document links
 * (core: ../../core/features/navigation). A refused rename answers with an error whose
 * message says why (the editor shows it).
 */

const MAX_SYMBOLS = 2000;

/** The last part of a file name (a path or a URI). */
const baseName = (file: string) => file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);

/** Owner names matching the query in the open zone documents and the zone files of the workspace folders. */
async function workspaceSymbols(ctx: ServerContext, zones: WorkspaceZones, query: string): Promise<SymbolInformation[]> {
  const out: SymbolInformation[] = [];
  const seen = new Set<string>();
  const add = (uri: string, parsed: ParsedZone, lines: Lines, file: string) => {
    for (const s of core.ownerSymbols(parsed, query, MAX_SYMBOLS - out.length)) {
      out.push({
        name: s.name,
        kind: SymbolKind.Namespace,
        location: { uri, range: toRange(lines, s.span) },
        containerName: `${s.types.join(', ')} — ${baseName(file)}`,
      });
    }
  };
  for (const state of ctx.documents.all()) {
    const a = ctx.analysisOf(state.uri);
    if (!a) continue;
    const file = ctx.host.pathOf(state.uri);
    if (file) seen.add(file);
    add(state.uri, a.parsed, a.lines, file ?? state.uri);
  }
  if (!ctx.client.workspace?.workspaceFolders) return out;
  let folders: { uri: string }[] = [];
  try {
    folders = (await ctx.connection.workspace.getWorkspaceFolders()) ?? [];
  } catch (e) {
    ctx.log.warn(`workspace symbols: the workspace folders are unknown (${(e as Error)?.message ?? e}); open documents only`);
  }
  const roots = folders.map((f) => ctx.host.pathOf(f.uri)).filter((r): r is string => r !== undefined);
  for (const file of zones.list(roots)) {
    if (out.length >= MAX_SYMBOLS) break;
    if (seen.has(file)) continue;
    const entry = zones.parsed(file);
    if (entry) add(ctx.host.uriOf(file), entry.parsed, ctx.documents.encoding === 'utf-16' ? entry.lines : new EncodedLines(entry.lines, ctx.documents.encoding), file);
  }
  return out;
}

export const navigationFeature: ServerFeature = {
  name: 'navigation',
  capabilities: (client) => ({
    definitionProvider: true,
    referencesProvider: true,
    documentHighlightProvider: true,
    renameProvider: client.textDocument?.rename?.prepareSupport ? { prepareProvider: true } : true,
    documentLinkProvider: { resolveProvider: false },
    workspaceSymbolProvider: true,
  }),
  register(ctx) {
    const zones = new WorkspaceZones(() => ctx.io, (dir, name) => ctx.host.joinPath(dir, name));
    const at = (uri: unknown, position: unknown) => {
      if (typeof uri !== 'string') return undefined;
      const a = ctx.analysisOf(uri);
      if (!a) return undefined;
      const offset = offsetOf(a.lines, position as never);
      return offset === undefined ? undefined : { a, offset, uri };
    };

    ctx.connection.onDefinition(
      ctx.guard<DefinitionParams, Location[]>('definition', [], (params) => {
        const p = at(params?.textDocument?.uri, params?.position);
        if (!p) return [];
        return core.definitions(p.a.parsed, p.offset).map((s) => ({ uri: p.uri, range: toRange(p.a.lines, s) }));
      }),
    );

    ctx.connection.onReferences(
      ctx.guard<ReferenceParams, Location[]>('references', [], (params) => {
        const p = at(params?.textDocument?.uri, params?.position);
        if (!p) return [];
        const include = params.context?.includeDeclaration !== false;
        return core.references(p.a.parsed, p.offset, include).map((r) => ({ uri: p.uri, range: toRange(p.a.lines, r.span) }));
      }),
    );

    ctx.connection.onDocumentHighlight(
      ctx.guard<DocumentHighlightParams, DocumentHighlight[]>('documentHighlight', [], (params) => {
        const p = at(params?.textDocument?.uri, params?.position);
        if (!p) return [];
        return core.references(p.a.parsed, p.offset).map((r) => ({
          range: toRange(p.a.lines, r.span),
          kind: r.definition ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
        }));
      }),
    );

    ctx.connection.onPrepareRename(
      ctx.guard<PrepareRenameParams, { range: Range; placeholder: string } | ResponseError<void> | null>('prepareRename', null, (params) => {
        const p = at(params?.textDocument?.uri, params?.position);
        if (!p) return null;
        const check = core.prepareRename(p.a.parsed, p.a.text, p.offset);
        if (!check.ok) return new ResponseError<void>(ErrorCodes.InvalidRequest, check.message);
        return { range: toRange(p.a.lines, check.span), placeholder: check.placeholder };
      }),
    );

    ctx.connection.onRenameRequest(
      ctx.guard<RenameParams, WorkspaceEdit | ResponseError<void> | null>('rename', null, (params) => {
        const p = at(params?.textDocument?.uri, params?.position);
        if (!p || typeof params.newName !== 'string') return null;
        const state = ctx.documents.get(p.uri);
        if (!state || state.version !== p.a.version) return null;
        const r = core.rename(p.a.parsed, p.a.text, p.offset, params.newName);
        if (!r.ok) return new ResponseError<void>(ErrorCodes.InvalidRequest, r.message);
        const edits = r.edits.map((e) => ({ range: toRange(p.a.lines, e), newText: e.newText }));
        if (ctx.client.workspace?.workspaceEdit?.documentChanges === true) {
          return { documentChanges: [{ textDocument: { uri: p.uri, version: p.a.version }, edits }] };
        }
        return { changes: { [p.uri]: edits } };
      }),
    );

    ctx.connection.onWorkspaceSymbol(
      ctx.guard<WorkspaceSymbolParams, SymbolInformation[]>('workspaceSymbol', [], (params) =>
        workspaceSymbols(ctx, zones, typeof params?.query === 'string' ? params.query : '')),
    );

    ctx.connection.onDocumentLinks(
      ctx.guard<DocumentLinkParams, DocumentLink[]>('documentLinks', [], (params) => {
        const uri = params?.textDocument?.uri;
        if (typeof uri !== 'string') return [];
        const a = ctx.analysisOf(uri);
        if (!a) return [];
        const file = ctx.host.pathOf(uri);
        const links = core.documentLinks(a.parsed, (p) => {
          if (!file && !ctx.host.isAbsolute(p)) throw new Error('the document has no file name');
          return ctx.io.resolvePath(file, p);
        });
        return links.filter((l) => l.target).map((l) => ({
          range: toRange(a.lines, l.span),
          target: ctx.host.uriOf(l.target!),
          tooltip: l.tooltip,
        }));
      }),
    );
  },
};
