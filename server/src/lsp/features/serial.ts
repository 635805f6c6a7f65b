import {
  ClientCapabilities,
  CodeAction,
  CodeActionKind,
  CodeActionParams,
  ExecuteCommandParams,
  TextDocumentSyncKind,
  TextEdit as LspTextEdit,
  WillSaveTextDocumentParams,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import { getZoneLanguageService } from '../../core';
import { settingsFor } from '../configuration';
import { ServerContext, ServerFeature } from '../context';
import { kindWanted, offsetOf, toRange, workspaceEdit } from '../convert';
import { VersionAnalysis } from '../documents';

const core = getZoneLanguageService();

/**
 * SOA serial bumps (core: ../../core/features/serial):
 * - `workspace/executeCommand` SERVER_BUMP_COMMAND with the document URI: the server computes
 *   the bump and sends it back with `workspace/applyEdit` (the client command
 *   `daneZone.bumpSerial` calls it for the active editor);
 * - `textDocument/willSaveWaitUntil`: with `daneZone.serial.bumpOnSave` = `on` the bump is
 *   returned as the save's edit; `ask` asks first (window/showMessageRequest);
 * - serialCodeActions: the "Bump SOA serial to N" action on the SOA record, for the code
 *   action handler to merge in (one handler per method: see codeActions.ts).
 */

/**
 * The server-side command. Not `daneZone.bumpSerial` itself: vscode-languageclient registers
 * every executeCommandProvider command in VS Code, which would clash with the client's own
 * `daneZone.bumpSerial` (that one knows the active editor).
 */
export const SERVER_BUMP_COMMAND = 'daneZone.server.bumpSerial';

/** The serial setting's answer for `ask`. */
const BUMP = 'Bump serial';

export interface BumpCommandResult {
  applied: boolean;
  serial?: number;
  message?: string;
}

/** The clock: the real one (tests use increment-style or future serials, which do not depend on it). */
const clock = (): Date => new Date();

/** The "Bump SOA serial to N" action when the requested range touches the SOA record. */
export function serialCodeActions(a: VersionAnalysis, params: CodeActionParams, client: ClientCapabilities, now: Date = clock()): CodeAction[] {
  if (!kindWanted(CodeActionKind.RefactorRewrite, params.context?.only)) return [];
  const from = offsetOf(a.lines, params.range?.start);
  const to = offsetOf(a.lines, params.range?.end);
  if (from === undefined || to === undefined) return [];
  if (!core.touchesSoa(a.parsed, { start: Math.min(from, to), end: Math.max(from, to) })) return [];
  const b = core.bumpSerial(a.parsed, now);
  if (!b.ok) return [];
  const edit = { range: toRange(a.lines, b.edit), newText: b.edit.newText };
  return [{ title: core.bumpTitle(b), kind: CodeActionKind.RefactorRewrite, edit: workspaceEdit(params.textDocument.uri, a.version, [edit], client) }];
}

/** The URI in the command's arguments: `[uri]` or `[{ uri }]`. */
function uriArgument(args: unknown[] | undefined): string | undefined {
  const first = Array.isArray(args) ? args[0] : undefined;
  if (typeof first === 'string') return first;
  if (first && typeof first === 'object' && typeof (first as { uri?: unknown }).uri === 'string') return (first as { uri: string }).uri;
  return undefined;
}

async function bumpCommand(ctx: ServerContext, params: ExecuteCommandParams): Promise<BumpCommandResult> {
  const uri = uriArgument(params.arguments);
  if (!uri) return { applied: false, message: 'no document given: open a zone file and run the command in it' };
  const state = ctx.documents.get(uri);
  const a = ctx.analysisOf(uri);
  if (!state || !a || a.version !== state.version) return { applied: false, message: `${uri} is not open or could not be read` };
  const b = core.bumpSerial(a.parsed, clock());
  if (!b.ok) {
    void ctx.connection.window.showWarningMessage(`DANE Zone: ${b.message}`);
    return { applied: false, message: b.message };
  }
  const edit = workspaceEdit(uri, a.version, [{ range: toRange(a.lines, b.edit), newText: b.edit.newText }], ctx.client);
  const r = await ctx.connection.workspace.applyEdit({ label: core.bumpTitle(b), edit });
  if (!r.applied) return { applied: false, message: r.failureReason ?? 'the editor did not apply the edit (the document changed?)' };
  if (b.note) void ctx.connection.window.showInformationMessage(`DANE Zone: serial ${b.from} → ${b.to}: ${b.note}`);
  return b.note ? { applied: true, serial: b.to, message: b.note } : { applied: true, serial: b.to };
}

/**
 * A fingerprint of the text each document had when last saved through willSaveWaitUntil
 * (after our bump): a document saved again unchanged is not bumped again. Fingerprints, not
 * texts, so a few huge zones do not stay in memory.
 */
const savedText = new Map<string, string>();
const MAX_REMEMBERED = 256;

/** Length and 32-bit FNV-1a of the UTF-16 code units. */
function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `${text.length}:${(h >>> 0).toString(16)}`;
}

function remember(uri: string, text: string): void {
  savedText.delete(uri);
  savedText.set(uri, fingerprint(text));
  if (savedText.size > MAX_REMEMBERED) savedText.delete(savedText.keys().next().value as string);
}

async function willSave(ctx: ServerContext, params: WillSaveTextDocumentParams): Promise<LspTextEdit[]> {
  const uri = params.textDocument.uri;
  const settings = await settingsFor(ctx.connection, uri);
  const mode = settings.serial.bumpOnSave;
  if (mode === 'off') return [];
  const state = ctx.documents.get(uri);
  const a = ctx.analysisOf(uri);
  if (!state || !a || a.version !== state.version) return [];
  if (savedText.get(uri) === fingerprint(a.text)) return [];
  const b = core.bumpSerial(a.parsed, clock());
  if (!b.ok) {
    ctx.log.info(`serial not bumped on save of ${uri}: ${b.message}`);
    remember(uri, a.text);
    return [];
  }
  if (mode === 'ask') {
    const choice = await ctx.connection.window.showInformationMessage(`DANE Zone: bump the SOA serial to ${b.to} before saving?`, { title: BUMP }, { title: 'Not now' });
    const now = ctx.documents.get(uri);
    if (choice?.title !== BUMP || !now || now.version !== a.version) {
      remember(uri, a.text);
      return [];
    }
  }
  remember(uri, a.text.slice(0, b.edit.start) + b.edit.newText + a.text.slice(b.edit.end));
  return [{ range: toRange(a.lines, b.edit), newText: b.edit.newText }];
}

export const serialFeature: ServerFeature = {
  name: 'serial',
  // willSaveWaitUntil is part of textDocumentSync, which Object.assign replaces as a whole:
  // repeat the server's own sync options (languageServer.ts) with it.
  capabilities: () => ({
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, willSaveWaitUntil: true },
    executeCommandProvider: { commands: [SERVER_BUMP_COMMAND] },
  }),
  register(ctx) {
    ctx.connection.onExecuteCommand(
      ctx.guard<ExecuteCommandParams, BumpCommandResult | null>('executeCommand', null, (params) => {
        if (params?.command !== SERVER_BUMP_COMMAND) return null;
        return bumpCommand(ctx, params);
      }),
    );
    ctx.connection.onWillSaveTextDocumentWaitUntil(
      ctx.guard<WillSaveTextDocumentParams, LspTextEdit[]>('willSaveWaitUntil', [], (params) => willSave(ctx, params)),
    );
  },
};
