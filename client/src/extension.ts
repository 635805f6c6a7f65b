/**
 * The VS Code side of DANE Zone: starts the bundled language server (dist/server.js) over
 * IPC for `dns-zone` documents, passes it the workspace-trust state, and offers the
 * "DANE Zone: Restart Language Server" command. Everything else (diagnostics, hover,
 * completion, code actions…) comes from the server; highlighting comes from the TextMate
 * grammar in syntaxes/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
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
  BUMP_SERIAL_COMMAND, CHECK_LIVE_COMMAND, CLIENT_ID, CLIENT_NAME, clientOptions, commonCommands, INSERT_TLSA_COMMAND, LANGUAGE_ID, RESTART_COMMAND,
} from './common';

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

const SERVER_INSERT_TLSA_COMMAND = 'daneZone.server.insertTlsa';
const SERVER_TLSA_HOST_AT_COMMAND = 'daneZone.server.tlsaHostAt';
type InsertPattern = 'ee' | 'issuer' | 'next';

async function readForServer(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('base64');
  } catch (e) {
    void vscode.window.showWarningMessage(`DANE Zone: cannot read ${uri.fsPath}: ${(e as Error).message}`);
    return undefined;
  }
}

/** `file` as the zone file's `cert=` link would write it: relative to the zone's folder (absolute elsewhere). */
function linkPath(zone: vscode.Uri, file: vscode.Uri): string | undefined {
  if (file.scheme !== 'file') return undefined;
  if (zone.scheme !== 'file') return file.fsPath;
  const rel = path.relative(path.dirname(zone.fsPath), file.fsPath);
  return rel.split(path.sep).join('/');
}

const pickFile = async (title: string): Promise<vscode.Uri | undefined> => (await vscode.window.showOpenDialog({
  title, canSelectMany: false,
  filters: { 'Certificates and keys': ['pem', 'crt', 'cer', 'der', 'key', 'pub', 'csr', 'p7b'], 'All files': ['*'] },
}))?.[0];

/**
 * "DANE Zone: Insert TLSA Records from a Certificate…": asks for the MX host (prefilled from
 * the MX, TLSA or address record under the cursor), the certificate, chain, key or CSR file (a
 * file picker), and which records — `3 1 1` + the issuing CA's `2 1 1`, current + next key (a
 * second file), or `3 1 1` alone — unless the caller passes them; reads the files here and lets
 * the server insert the records the `_25._tcp.<host>` RRset lacks, with a `; dane-zone cert=`
 * (and `next=`) link line.
 */
async function insertTlsaFromCertificate(docUri?: string, host?: string, file?: vscode.Uri | string, pattern?: InsertPattern, nextFile?: vscode.Uri | string): Promise<unknown> {
  const editor = vscode.window.activeTextEditor;
  const uri = docUri ?? (editor && editor.document.languageId === LANGUAGE_ID && client ? client.code2ProtocolConverter.asUri(editor.document.uri) : undefined);
  if (!uri) {
    void vscode.window.showInformationMessage('DANE Zone: open a zone file to insert TLSA records into.');
    return undefined;
  }
  if (!client || client.state !== State.Running) {
    void vscode.window.showWarningMessage('DANE Zone: the language server is not running.');
    return undefined;
  }
  let name = host;
  if (!name) {
    let prefill: string | undefined;
    if (editor && client.code2ProtocolConverter.asUri(editor.document.uri) === uri) {
      const at = (await client.sendRequest(ExecuteCommandRequest.type, {
        command: SERVER_TLSA_HOST_AT_COMMAND, arguments: [uri, client.code2ProtocolConverter.asPosition(editor.selection.active)],
      }).catch(() => undefined)) as { host?: string } | undefined;
      prefill = at?.host;
    }
    name = await vscode.window.showInputBox({ prompt: 'MX host name for the TLSA records (e.g. mx1.example.com)', value: prefill, ignoreFocusOut: true });
  }
  if (!name) return undefined;
  const interactive = file === undefined;
  const fileUri = typeof file === 'string' ? vscode.Uri.parse(file) : file ?? (await pickFile(`Certificate, chain, public or private key, or CSR for ${name}`));
  if (!fileUri) return undefined;
  let chosen = pattern;
  if (!chosen && interactive) {
    const picked = await vscode.window.showQuickPick([
      { label: '3 1 1 + 2 1 1', description: 'server key + issuing CA', detail: 'survives a renewal under the same CA; the server must send that CA in its chain', pattern: 'issuer' as const },
      { label: '3 1 1 + 3 1 1', description: 'current key + next key', detail: 'for a planned key rollover: choose the next key\'s file next', pattern: 'next' as const },
      { label: '3 1 1', description: 'server key only', detail: 'one record: add the next key or the CA before the next change (tlsa-single-record)', pattern: 'ee' as const },
    ], { title: `TLSA records for _25._tcp.${name}`, ignoreFocusOut: true });
    if (!picked) return undefined;
    chosen = picked.pattern;
  }
  chosen ??= 'ee';
  let nextUri = typeof nextFile === 'string' ? vscode.Uri.parse(nextFile) : nextFile;
  if (chosen === 'next' && !nextUri) nextUri = await pickFile(`The next key (or its certificate or CSR) for ${name}`);
  if (chosen === 'next' && !nextUri) return undefined;
  const bytes = await readForServer(fileUri);
  const next = nextUri ? await readForServer(nextUri) : undefined;
  if (bytes === undefined || (nextUri && next === undefined)) return undefined;
  const zone = vscode.Uri.parse(uri);
  const result = (await client.sendRequest(ExecuteCommandRequest.type, {
    command: SERVER_INSERT_TLSA_COMMAND,
    arguments: [uri, name, bytes, { pattern: chosen, next, link: linkPath(zone, fileUri), nextLink: nextUri ? linkPath(zone, nextUri) : undefined }],
  })) as { applied?: boolean; message?: string } | null;
  if (result && result.applied === false && result.message) output?.info(`TLSA records not inserted: ${result.message}`);
  return result;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(output);

  context.subscriptions.push(
    ...commonCommands((reason) => restart(context, reason), () => client, () => output),
    vscode.commands.registerCommand(INSERT_TLSA_COMMAND, insertTlsaFromCertificate),
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
