/**
 * The VS Code side of DANE Zone: starts the bundled language server (dist/server.js) over
 * IPC for `dns-zone` documents, passes it the workspace-trust state, and offers the
 * "DANE Zone: Restart Language Server" command. Everything else (diagnostics, hover,
 * completion, code actions…) comes from the server; highlighting comes from the TextMate
 * grammar in syntaxes/.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import {
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';

/** The client id: VS Code reads `daneZone.trace.server` for it. */
const CLIENT_ID = 'daneZone';
const CLIENT_NAME = 'DANE Zone';
const SETTINGS_SECTION = 'daneZone';
export const LANGUAGE_ID = 'dns-zone';
export const RESTART_COMMAND = 'daneZone.restartServer';

/** What the server reads from `initialize` (server/src/lsp/languageServer.ts). */
export interface InitializationOptions {
  /** False in an untrusted workspace: no network checks, no file reads outside the workspace. */
  trusted: boolean;
  /** The `daneZone` settings at start (the server pulls fresh ones per document later). */
  settings: unknown;
}

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;

/** The server module: the bundle in a packaged extension, the tsc output when running from source. */
function serverModule(context: vscode.ExtensionContext): string {
  const candidates = ['dist/server.js', 'out/server/src/lsp/server.js'].map((p) => context.asAbsolutePath(p));
  return candidates.find((p) => fs.existsSync(p)) ?? candidates[0];
}

function createClient(context: vscode.ExtensionContext, channel: vscode.LogOutputChannel): LanguageClient {
  const module = serverModule(context);
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: {
      module,
      transport: TransportKind.ipc,
      // Attach a debugger to port 6009 ("Attach to Node process") while the extension runs in debug mode.
      options: { execArgv: ['--nolazy', '--inspect=6009'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: LANGUAGE_ID },
      { scheme: 'untitled', language: LANGUAGE_ID },
    ],
    synchronize: { configurationSection: SETTINGS_SECTION },
    // A function: evaluated again at every (re)start, so a restart after trust is granted sees it.
    initializationOptions: (): InitializationOptions => ({
      trusted: vscode.workspace.isTrusted,
      settings: JSON.parse(JSON.stringify(vscode.workspace.getConfiguration(SETTINGS_SECTION))) as unknown,
    }),
    outputChannel: channel,
    traceOutputChannel: channel,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}

async function showStartError(err: unknown): Promise<void> {
  const message = err instanceof Error ? err.message : String(err);
  output?.error(`The language server could not start: ${message}`);
  const choice = await vscode.window.showErrorMessage(
    `DANE Zone: the language server could not start (${message}). Highlighting still works; checks do not.`,
    'Show Output',
    'Restart',
  );
  if (choice === 'Show Output') output?.show(true);
  else if (choice === 'Restart') await vscode.commands.executeCommand(RESTART_COMMAND);
}

/** Starts the server, or restarts it when it is running. Never throws: failures are shown. */
async function restart(context: vscode.ExtensionContext, reason: string): Promise<void> {
  if (!output) return;
  output.info(`${reason}: (re)starting the language server (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'untrusted'})`);
  try {
    if (client && client.state !== State.Stopped) {
      await client.restart();
    } else {
      if (client) await client.dispose().catch(() => undefined);
      client = createClient(context, output);
      await client.start();
    }
  } catch (err) {
    await showStartError(err);
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(output);

  context.subscriptions.push(
    vscode.commands.registerCommand(RESTART_COMMAND, () => restart(context, 'Restart command')),
    // Trust can only be granted (never withdrawn) while a window is open: restart so the server
    // lifts its limits (network checks, files outside the workspace).
    vscode.workspace.onDidGrantWorkspaceTrust(() => restart(context, 'Workspace trust granted')),
  );

  client = createClient(context, output);
  output.info(`Starting the language server (${serverModule(context)}; workspace ${vscode.workspace.isTrusted ? 'trusted' : 'untrusted'})`);
  try {
    await client.start();
  } catch (err) {
    // Not rethrown: the extension stays active so the restart command and highlighting work.
    void showStartError(err);
  }
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.dispose();
}
