/**
 * The web extension (package.json "browser"): vscode.dev, github.dev and code-server's web
 * worker extension host. Starts the language server in a Web Worker (dist/web/server.js, the
 * same LSP layer and core as the desktop's, bundled for the browser) with
 * vscode-languageclient/browser, and answers its file reads (./browserFiles.ts). What needs a
 * desktop (the live check: DNS and SMTP from this machine) says so in one line when asked.
 */
import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/browser';
import { answerFileRequests } from './browserFiles';
import { insertTlsaCommand, rotationFromFileCommand } from './insertTlsa';
import { CHECK_LIVE_COMMAND, CLIENT_ID, CLIENT_NAME, clientOptions, commonCommands, INSERT_TLSA_COMMAND, LANGUAGE_ID, ROTATION_FROM_FILE_COMMAND } from './common';

/** The browser's Worker (this project has no DOM lib): what LanguageClient takes. */
type ServerWorker = ConstructorParameters<typeof LanguageClient>[2];
declare const Worker: new (url: string) => ServerWorker;

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;

/** Commands that need the desktop, with the one line they show in the browser. */
export const DESKTOP_ONLY = {
  [CHECK_LIVE_COMMAND]: 'The live check needs the desktop extension: it asks DNS resolvers and the MX hosts over SMTP from your machine, which a browser tab cannot do. Open the zone in VS Code on the desktop to run it.',
};

/**
 * A Worker for the server script. A worker cannot be created from a remote extension's URL
 * directly ("Creating workers from remote extensions is currently not supported" in
 * code-server): the script is fetched and the worker started from the URL it came from.
 */
async function createWorker(context: vscode.ExtensionContext): Promise<ServerWorker> {
  const script = vscode.Uri.joinPath(context.extensionUri, 'dist', 'web', 'server.js');
  try {
    return new Worker(script.toString(true));
  } catch (first) {
    const response = await fetch(script.toString(true));
    if (!response.ok) throw new Error(`${script.toString(true)}: HTTP ${response.status} (${String(first)})`);
    return new Worker(response.url);
  }
}

async function start(context: vscode.ExtensionContext, channel: vscode.LogOutputChannel): Promise<void> {
  const worker = await createWorker(context);
  // Any scheme: the browser's documents are vscode-vfs:, vscode-remote:, file: (a local folder)…
  const c = new LanguageClient(CLIENT_ID, CLIENT_NAME, worker, clientOptions(channel, [{ language: LANGUAGE_ID }]));
  for (const d of answerFileRequests(c)) context.subscriptions.push(d);
  client = c;
  await c.start();
  channel.info('The language server runs in a Web Worker (the web extension). Not here: the live check (Check Deployed MX) and the checks that need git (soa-serial-unchanged, tlsa-rotation-too-early): they need the desktop extension.');
  console.log('DANE Zone: the language server runs in a Web Worker');
}

async function restart(context: vscode.ExtensionContext, reason: string): Promise<void> {
  if (!output) return;
  output.info(`${reason}: restarting the language server in a new Web Worker`);
  const old = client;
  client = undefined;
  try {
    if (old) await old.dispose().catch(() => undefined);
    await start(context, output);
  } catch (err) {
    showStartError(err);
  }
}

function showStartError(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  output?.error(`The language server could not start: ${message}`);
  void vscode.window.showErrorMessage(`DANE Zone: the language server could not start (${message}). Highlighting still works; checks do not.`);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(output);
  context.subscriptions.push(
    ...commonCommands((reason) => restart(context, reason), () => client, () => output),
    vscode.commands.registerCommand(INSERT_TLSA_COMMAND, insertTlsaCommand(() => client, () => output)),
    vscode.commands.registerCommand(ROTATION_FROM_FILE_COMMAND, rotationFromFileCommand(() => client, () => output)),
    ...Object.entries(DESKTOP_ONLY).map(([command, message]) => vscode.commands.registerCommand(command, () => {
      void vscode.window.showInformationMessage(`DANE Zone: ${message}`);
      return message;
    })),
  );
  output.info(`Starting the language server in a Web Worker (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'untrusted'})`);
  try {
    await start(context, output);
  } catch (err) {
    // Not rethrown: the extension stays active so the restart command and highlighting work.
    showStartError(err);
  }
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.dispose();
}
