/**
 * The browser client's side of the worker's file reads (server/src/browser/protocol.ts): the
 * Web Worker has no file system, so the server asks the editor, which reads through
 * `vscode.workspace.fs` (a local folder on vscode.dev, the repository on github.dev, the remote
 * host in code-server). Linked certificates (`; dane-zone cert=`), `$INCLUDE` targets and
 * MTA-STS policy files are read this way. In an untrusted workspace only files inside its
 * folders are read (the server checks too).
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient/node';
import { toBase64 } from './common';

const READ_FILE = 'daneZone/readFile';
const STAT_FILE = 'daneZone/stat';
const READ_DIRECTORY = 'daneZone/readDirectory';

type Answer<T> = T | { error: string };

/** Why a read failed, in a few words (as the Node server says it). */
function reason(e: unknown): string {
  if (e instanceof vscode.FileSystemError) {
    switch (e.code) {
      case 'FileNotFound': return 'no such file';
      case 'FileIsADirectory': return 'is a directory, not a file';
      case 'FileNotADirectory': return 'a part of the path is not a directory';
      case 'NoPermissions': return 'permission denied';
      case 'Unavailable': return 'the file system is unavailable';
    }
  }
  return e instanceof Error ? e.message : String(e);
}

/** Refuses a file outside the workspace folders while the workspace is not trusted. */
function allowed(uri: vscode.Uri): boolean {
  return vscode.workspace.isTrusted || vscode.workspace.getWorkspaceFolder(uri) !== undefined;
}

async function guarded<T>(raw: unknown, fn: (uri: vscode.Uri) => Promise<Answer<T>>): Promise<Answer<T>> {
  const p = raw as { uri?: unknown } | undefined;
  if (typeof p?.uri !== 'string') return { error: 'no file named' };
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(p.uri, true);
  } catch (e) {
    return { error: `not a file name (${reason(e)})` };
  }
  if (!allowed(uri)) return { error: 'not read: the workspace is not trusted and this file is outside its folders' };
  try {
    return await fn(uri);
  } catch (e) {
    return { error: reason(e) };
  }
}

/** Answers the worker's file requests on `client` (call before it starts). */
export function answerFileRequests(client: BaseLanguageClient): vscode.Disposable[] {
  return [
    client.onRequest(READ_FILE, (params: unknown) => guarded(params, async (uri) => {
      const max = Number((params as { maxBytes?: unknown }).maxBytes) || 64 * 1024 * 1024;
      const st = await vscode.workspace.fs.stat(uri);
      if (st.type & vscode.FileType.Directory) return { error: 'is a directory, not a file' };
      if (st.size > max) return { error: `too large (${st.size} bytes; the limit is ${max} bytes)` };
      const data = await vscode.workspace.fs.readFile(uri);
      return { base64: toBase64(data), size: data.length, mtime: st.mtime };
    })),
    client.onRequest(STAT_FILE, (params: unknown) => guarded(params, async (uri) => {
      const st = await vscode.workspace.fs.stat(uri);
      return { size: st.size, mtime: st.mtime, directory: (st.type & vscode.FileType.Directory) !== 0 };
    })),
    client.onRequest(READ_DIRECTORY, (params: unknown) => guarded(params, async (uri) => {
      const entries = await vscode.workspace.fs.readDirectory(uri);
      return { entries: entries.map(([name, type]) => ({ name, directory: (type & vscode.FileType.Directory) !== 0 })) };
    })),
  ];
}
