/**
 * What the desktop client (extension.ts, the server in a Node process) and the browser client
 * (browserExtension.ts, the server in a Web Worker) share: ids, the client options, and the
 * commands that only talk to the server. Imports `vscode-languageclient/node`; the web bundle
 * maps it to `vscode-languageclient/browser` (scripts/bundle.js), whose API here is the same.
 */
import * as vscode from 'vscode';
import {
  BaseLanguageClient,
  ExecuteCommandRequest,
  LanguageClientOptions,
  Middleware,
  RevealOutputChannelOn,
  State,
} from 'vscode-languageclient/node';
import { sectionSettings, withRenamedSettings } from './renamedSettings';

/** The client id: VS Code reads `daneZone.trace.server` for it. */
export const CLIENT_ID = 'daneZone';
export const CLIENT_NAME = 'DANE Zone';
export const SETTINGS_SECTION = 'daneZone';
export const LANGUAGE_ID = 'dns-zone';
export const RESTART_COMMAND = 'daneZone.restartServer';
export const BUMP_SERIAL_COMMAND = 'daneZone.bumpSerial';
export const CHECK_LIVE_COMMAND = 'daneZone.checkLive';
export const INSERT_TLSA_COMMAND = 'daneZone.insertTlsaFromCertificate';
/** The quick fix "Add a rotation pair … from a file…" on an unlinked single TLSA record (insertTlsa.ts). */
export const ROTATION_FROM_FILE_COMMAND = 'daneZone.addRotationPairFromFile';
/** The server's command behind it (server/src/lsp/features/serial.ts SERVER_BUMP_COMMAND). */
const SERVER_BUMP_COMMAND = 'daneZone.server.bumpSerial';

/** What the server reads from `initialize` (server/src/lsp/languageServer.ts). */
export interface InitializationOptions {
  /** False in an untrusted workspace: no network checks, no file reads outside the workspace. */
  trusted: boolean;
  /** The `daneZone` settings at start (the server pulls fresh ones per document later). */
  settings: unknown;
}

/** Bytes as base64 (no Buffer: the browser client runs this too). */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** The options of both clients; `documentSelector` differs (the desktop's: file: and untitled: only). */
export function clientOptions(channel: vscode.LogOutputChannel, documentSelector: LanguageClientOptions['documentSelector'], middleware?: Middleware): LanguageClientOptions {
  return {
    documentSelector,
    synchronize: { configurationSection: SETTINGS_SECTION },
    // A function: evaluated again at every (re)start, so a restart after trust is granted sees it.
    initializationOptions: (): InitializationOptions => ({
      trusted: vscode.workspace.isTrusted,
      settings: sectionSettings(SETTINGS_SECTION),
    }),
    outputChannel: channel,
    traceOutputChannel: channel,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    middleware: {
      ...middleware,
      // The server pulls its settings per document: renamed keys get their old key's value when unset (renamedSettings.ts).
      workspace: {
        ...middleware?.workspace,
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) return result;
          return result.map((r: unknown, i) => {
            const item = params.items[i];
            if (item?.section !== SETTINGS_SECTION || r === null || typeof r !== 'object' || Array.isArray(r)) return r;
            const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
            return withRenamedSettings(vscode.workspace.getConfiguration(SETTINGS_SECTION, scope), { ...(r as Record<string, unknown>) });
          });
        },
      },
    },
  };
}

/**
 * "DANE Zone: Bump SOA Serial": the server computes the bump for the active zone file and
 * applies it with workspace/applyEdit. Resolves with the server's answer (for tests).
 */
export async function bumpSerial(client: BaseLanguageClient | undefined, output: vscode.LogOutputChannel | undefined): Promise<unknown> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== LANGUAGE_ID) {
    void vscode.window.showInformationMessage('DANE Zone: open a zone file to bump its SOA serial.');
    return undefined;
  }
  if (!client || client.state !== State.Running) {
    void vscode.window.showWarningMessage('DANE Zone: the language server is not running.');
    return undefined;
  }
  const uri = client.code2ProtocolConverter.asUri(editor.document.uri);
  const result = (await client.sendRequest(ExecuteCommandRequest.type, { command: SERVER_BUMP_COMMAND, arguments: [uri] })) as
    { applied?: boolean; message?: string } | null;
  if (result && result.applied === false && result.message) output?.info(`serial not bumped: ${result.message}`);
  return result;
}

/**
 * The commands both clients register the same way: restart, bump serial, and a restart when
 * trust is granted (trust is only ever granted while a window is open: the server then lifts its
 * limits — network checks, files outside the workspace).
 */
export function commonCommands(
  restart: (reason: string) => unknown,
  client: () => BaseLanguageClient | undefined,
  output: () => vscode.LogOutputChannel | undefined,
): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(RESTART_COMMAND, () => restart('Restart command')),
    vscode.commands.registerCommand(BUMP_SERIAL_COMMAND, () => bumpSerial(client(), output())),
    vscode.workspace.onDidGrantWorkspaceTrust(() => restart('Workspace trust granted')),
  ];
}
