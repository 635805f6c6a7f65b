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
  ExecuteCommandRequest,
  LanguageClient,
  LSPErrorCodes,
  ResponseError,
  WorkDoneProgress,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import {
  BUMP_SERIAL_COMMAND, CHECK_LIVE_COMMAND, CLIENT_ID, CLIENT_NAME, clientOptions, commonCommands, INSERT_TLSA_COMMAND, LANGUAGE_ID, RESTART_COMMAND, ROTATION_FROM_FILE_COMMAND,
} from './common';
import { insertTlsaCommand, rotationFromFileCommand } from './insertTlsa';

export { LANGUAGE_ID, RESTART_COMMAND, BUMP_SERIAL_COMMAND, CHECK_LIVE_COMMAND, INSERT_TLSA_COMMAND };

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
  const selector = [
    { scheme: 'file', language: LANGUAGE_ID },
    { scheme: 'untitled', language: LANGUAGE_ID },
  ];
  // daneZone.checkLive is the server's command (registered by the client library): shows its report.
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions(channel, selector, { executeCommand: checkLiveMiddleware }));
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

let liveOutput: vscode.OutputChannel | undefined;

/**
 * "DANE Zone: Check Deployed MX" (and the code lenses): the server's `daneZone.checkLive`, for
 * the lens's zone or the active one, under a progress notification with a Cancel button whose
 * message follows the server's steps (the request carries a workDoneToken; the server reports
 * on it). The "DANE Zone: Live Check" output is cleared and marked when a run starts, gets the
 * text report when it ends, and a "cancelled" line after Cancel (no error toast for that).
 * Resolves with the report (for tests); a refusal (untrusted workspace) is shown.
 */
async function checkLiveMiddleware(command: string, args: unknown[], next: (command: string, args: unknown[]) => unknown): Promise<unknown> {
  if (command !== CHECK_LIVE_COMMAND) return next(command, args);
  const c = client;
  let rest = args;
  if (typeof args[0] !== 'string') {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== LANGUAGE_ID || !c) {
      void vscode.window.showInformationMessage('DANE Zone: open a zone file to check its deployed MX hosts.');
      return undefined;
    }
    rest = [c.code2ProtocolConverter.asUri(editor.document.uri), ...args.slice(1)];
  }
  if (!c || c.state !== State.Running) {
    void vscode.window.showWarningMessage('DANE Zone: the language server is not running.');
    return undefined;
  }
  const what = typeof rest[1] === 'string' && rest[1] ? rest[1] : vscode.Uri.parse(String(rest[0])).path.split('/').pop() ?? 'the zone';
  const out = (liveOutput ??= vscode.window.createOutputChannel('DANE Zone: Live Check'));
  const stamp = () => new Date().toISOString().slice(11, 19);
  out.clear();
  out.appendLine(`[${stamp()}] checking the deployed MX of ${what}… (the report appears here when the check ends)`);
  const workDoneToken = `daneZone.checkLive/${Date.now()}/${Math.random().toString(36).slice(2)}`;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `DANE Zone: checking the deployed MX of ${what}`, cancellable: true },
    async (progress, cancel) => {
      const sub = c.onProgress(WorkDoneProgress.type, workDoneToken, (v) => {
        if (v.kind !== 'end' && v.message) progress.report({ message: v.message });
      });
      try {
        const report = await c.sendRequest(ExecuteCommandRequest.type, { command, arguments: rest, workDoneToken }, cancel);
        if (typeof report === 'string') {
          out.clear();
          out.append(report);
          out.show(true);
        }
        return report;
      } catch (err) {
        if (cancel.isCancellationRequested || (err instanceof ResponseError && err.code === LSPErrorCodes.RequestCancelled)) {
          out.appendLine(`[${stamp()}] cancelled: the live check of ${what} was stopped before it finished; no report, and no live diagnostics until the next run`);
          out.show(true);
          return undefined;
        }
        const message = err instanceof Error ? err.message : String(err);
        out.appendLine(`[${stamp()}] ${message}`);
        void vscode.window.showErrorMessage(message.startsWith('DANE Zone') ? message : `DANE Zone: ${message}`);
        return undefined;
      } finally {
        sub.dispose();
      }
    },
  );
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(output);

  context.subscriptions.push(
    ...commonCommands((reason) => restart(context, reason), () => client, () => output),
    vscode.commands.registerCommand(INSERT_TLSA_COMMAND, insertTlsaCommand(() => client, () => output)),
    vscode.commands.registerCommand(ROTATION_FROM_FILE_COMMAND, rotationFromFileCommand(() => client, () => output)),
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
