/**
 * The requests the Web Worker's language server sends the browser client for files: the worker
 * has no file system, so the editor reads them (`vscode.workspace.fs`: local folders, github.dev's
 * repository, a code-server host alike). Binary data travels as base64. The client side is
 * client/src/browserFiles.ts; the method names are the same strings there.
 */
export const READ_FILE = 'daneZone/readFile';
export const STAT_FILE = 'daneZone/stat';
export const READ_DIRECTORY = 'daneZone/readDirectory';

export interface FileParams {
  uri: string;
  /** readFile: larger files are refused (`error`) without being sent. */
  maxBytes?: number;
}

/** An answer: the facts asked for, or why not (a readable sentence without the URI). */
export type FileAnswer<T> = T | { error: string };

export interface ReadFileResult {
  base64: string;
  size: number;
  mtime: number;
}

export interface StatResult {
  size: number;
  mtime: number;
  directory: boolean;
}

export interface ReadDirectoryResult {
  entries: { name: string; directory: boolean }[];
}
