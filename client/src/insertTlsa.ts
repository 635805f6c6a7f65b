/**
 * "DANE Zone: Insert TLSA Records from a Certificate…" for both clients (desktop and browser):
 * the file is read by the editor (`vscode.workspace.fs`) and sent to the server as base64.
 */
import * as vscode from 'vscode';
import { BaseLanguageClient, ExecuteCommandRequest, State } from 'vscode-languageclient/node';
import { LANGUAGE_ID, toBase64 } from './common';

const SERVER_INSERT_TLSA_COMMAND = 'daneZone.server.insertTlsa';
const SERVER_TLSA_HOST_AT_COMMAND = 'daneZone.server.tlsaHostAt';
type InsertPattern = 'ee' | 'issuer' | 'next';

async function readForServer(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return toBase64(await vscode.workspace.fs.readFile(uri));
  } catch (e) {
    void vscode.window.showWarningMessage(`DANE Zone: cannot read ${uri.scheme === 'file' ? uri.fsPath : uri.toString(true)}: ${(e as Error).message}`);
    return undefined;
  }
}

/**
 * `file` as the zone file's `cert=` link would write it: relative to the zone's folder when both
 * are on the same file system (file:, or the browser's vscode-vfs:, vscode-remote:…), else the
 * absolute path of a local file; undefined when it cannot be named from the zone.
 */
export function linkPath(zone: vscode.Uri, file: vscode.Uri): string | undefined {
  if (file.scheme === zone.scheme && file.authority === zone.authority) {
    const from = zone.path.split('/').filter(Boolean).slice(0, -1);
    const to = file.path.split('/').filter(Boolean);
    let i = 0;
    while (i < from.length && i < to.length - 1 && from[i] === to[i]) i++;
    return [...from.slice(i).map(() => '..'), ...to.slice(i)].join('/');
  }
  return file.scheme === 'file' ? file.fsPath : undefined;
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
export function insertTlsaCommand(clientOf: () => BaseLanguageClient | undefined, outputOf: () => vscode.LogOutputChannel | undefined) {
  return (docUri?: string, host?: string, file?: vscode.Uri | string, pattern?: InsertPattern, nextFile?: vscode.Uri | string) =>
    insertTlsaFromCertificate(clientOf(), outputOf(), docUri, host, file, pattern, nextFile);
}

/** The TLSA owner's port and protocol (`_25._tcp` when not given). */
interface Service { port?: number; protocol?: string }

/**
 * The quick fix "Add a rotation pair … from a file…" on a single TLSA record with no linked
 * certificate (server: lsp/features/insertTlsa.ts, issue 16/8): asks which pair — the next key
 * (then the current and the next key's files) or the issuing CA (then the chain file) — and
 * inserts it as the command above does, with the link line. `pattern` and the files may be
 * passed (tests).
 */
export function rotationFromFileCommand(clientOf: () => BaseLanguageClient | undefined, outputOf: () => vscode.LogOutputChannel | undefined) {
  return async (docUri: string, host: string, service?: Service, pattern?: 'issuer' | 'next', file?: vscode.Uri | string, nextFile?: vscode.Uri | string): Promise<unknown> => {
    let chosen = pattern;
    if (!chosen) {
      const picked = await vscode.window.showQuickPick([
        { label: 'Next key', description: '3 1 1 + 3 1 1', detail: 'the record of the key the server switches to next, beside the current one: choose the current and then the next key\'s file', pattern: 'next' as const },
        { label: 'Issuing CA', description: '3 1 1 + 2 1 1', detail: 'the CA that issues the server\'s certificates (from its chain file): survives a renewal under the same CA; the server must send that CA in its chain', pattern: 'issuer' as const },
      ], { title: `Rotation pair for _${service?.port ?? 25}._${service?.protocol ?? 'tcp'}.${host}`, ignoreFocusOut: true });
      if (!picked) return undefined;
      chosen = picked.pattern;
    }
    return insertTlsaFromCertificate(clientOf(), outputOf(), docUri, host, file, chosen, nextFile, service);
  };
}

async function insertTlsaFromCertificate(
  client: BaseLanguageClient | undefined, output: vscode.LogOutputChannel | undefined,
  docUri?: string, host?: string, file?: vscode.Uri | string, pattern?: InsertPattern, nextFile?: vscode.Uri | string, service?: Service,
): Promise<unknown> {
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
  const fileUri = typeof file === 'string' ? vscode.Uri.parse(file) : file ?? (await pickFile(pattern === 'next'
    ? `The current certificate or key of ${name} (the one its TLSA record is for)`
    : pattern === 'issuer' ? `The certificate chain of ${name}, with its issuing CA` : `Certificate, chain, public or private key, or CSR for ${name}`));
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
    arguments: [uri, name, bytes, { pattern: chosen, next, link: linkPath(zone, fileUri), nextLink: nextUri ? linkPath(zone, nextUri) : undefined, ...service }],
  })) as { applied?: boolean; message?: string } | null;
  if (result && result.applied === false && result.message) output?.info(`TLSA records not inserted: ${result.message}`);
  return result;
}
