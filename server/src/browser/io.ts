import type { Connection } from 'vscode-languageserver/browser';
import { fromBase64, latin1, ZoneIO } from '../core';
import type { Logger } from '../lsp/context';
import { FileAnswer, FileParams, READ_DIRECTORY, READ_FILE, ReadDirectoryResult, ReadFileResult, STAT_FILE, StatResult } from './protocol';

/**
 * The Web Worker's ZoneIO: file names are URIs (the document's own scheme: file:, vscode-vfs:,
 * vscode-remote:, …) and the browser client reads them for the worker (./protocol.ts). The core
 * reads synchronously, the client answers asynchronously, so reads go through a cache: a file not
 * read yet throws "being read" and is asked for; when the answers are in, `arrived` re-runs the
 * checks of the documents (and the certificate stage waits for them first: ./certificates.ts).
 */

/** Largest file the worker asks for (the Node server's limit is the same). */
export const MAX_BYTES = 64 * 1024 * 1024;

export const PENDING = 'being read by the editor (the check runs again when it is in)';

export const UNTRUSTED_REFUSAL =
  'not read: the workspace is not trusted and this file is outside its folders (trust the workspace to allow files outside it)';

interface FileEntry {
  bytes?: Uint8Array;
  error?: string;
  size: number;
  mtime: number;
}

/** A scheme (two letters or more: `C:` is a Windows drive, not a scheme). */
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]+:/;

/** Joins a base folder URI and a name as a URL resolves it (`%`, `#` and `?` in names stay literal). */
export function resolveUri(base: string, p: string): string {
  if (SCHEME.test(p)) return p;
  const escaped = p.replace(/\\/g, '/').replace(/%/g, '%25').replace(/#/g, '%23').replace(/\?/g, '%3F');
  return new URL(escaped, base).href;
}

/** True when `uri` is `folder` or inside it (both URIs). */
export function uriInside(uri: string, folder: string): boolean {
  const f = folder.endsWith('/') ? folder : `${folder}/`;
  let normalized: string;
  try {
    normalized = new URL(uri).href; // resolves `..` segments
  } catch {
    return false;
  }
  return normalized === folder || normalized.startsWith(f);
}

/** The files the worker has asked the client for, kept across rebuilds of the IO. */
export class ClientFiles {
  private readonly files = new Map<string, FileEntry>();
  private readonly dirs = new Map<string, { entries?: { name: string; directory: boolean }[]; error?: string }>();
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly awaited = new Set<string>();
  /** Told which files came in (the server re-checks the documents). */
  arrived: (files: string[]) => void = () => undefined;
  private connection?: Connection;
  private batch: string[] = [];

  constructor(private readonly log?: Logger) {}

  attach(connection: Connection): void {
    this.connection = connection;
  }

  /** True while a read is under way. */
  get pending(): boolean {
    return this.inflight.size > 0;
  }

  /** Resolves when every read asked for so far has its answer (the caller then runs again: no `arrived` for them). */
  async settled(): Promise<void> {
    while (this.inflight.size > 0) {
      for (const k of this.inflight.keys()) this.awaited.add(k);
      await Promise.all([...this.inflight.values()]);
    }
  }

  /** Forgets what was read of `uri` (changed: read it again). */
  forget(uri: string): void {
    this.files.delete(uri);
  }

  /** Asks the client for the size and date of each file read before; forgets those that changed. */
  async refresh(uris: readonly string[]): Promise<void> {
    await Promise.all(uris.map(async (uri) => {
      const had = this.files.get(uri);
      if (!had || this.inflight.has(uri)) return;
      const st = await this.ask<StatResult>(STAT_FILE, { uri });
      if ('error' in st ? had.error === undefined : st.size !== had.size || st.mtime !== had.mtime || had.error !== undefined) this.files.delete(uri);
    }));
  }

  bytes(uri: string, maxBytes: number): Uint8Array {
    const e = this.entry(uri);
    if (e.error !== undefined) throw new Error(e.error);
    if (e.size > maxBytes) throw new Error(`too large (${e.size} bytes; the limit is ${maxBytes} bytes)`);
    return e.bytes!;
  }

  stat(uri: string): { size: number; mtimeMs: number } {
    const e = this.entry(uri);
    if (e.error !== undefined) throw new Error(e.error);
    return { size: e.size, mtimeMs: e.mtime };
  }

  list(uri: string): { name: string; directory: boolean }[] {
    const d = this.dirs.get(uri);
    if (!d) {
      this.fetch(uri, async () => {
        const r = await this.ask<ReadDirectoryResult>(READ_DIRECTORY, { uri });
        // Listings are kept for a short while only: completion asks again as the user types.
        this.dirs.set(uri, 'error' in r ? { error: r.error } : { entries: r.entries });
        setTimeout(() => this.dirs.delete(uri), 5000);
      }, false);
      throw new Error(PENDING);
    }
    if (d.error !== undefined) throw new Error(d.error);
    return d.entries!;
  }

  private entry(uri: string): FileEntry {
    const e = this.files.get(uri);
    if (e) return e;
    this.fetch(uri, async () => {
      const r = await this.ask<ReadFileResult>(READ_FILE, { uri, maxBytes: MAX_BYTES });
      if ('error' in r) {
        this.files.set(uri, { error: r.error, size: -1, mtime: -1 });
        return;
      }
      const bytes = fromBase64(r.base64);
      this.files.set(uri, typeof bytes === 'string' ? { error: `unreadable answer from the editor (${bytes})`, size: -1, mtime: -1 } : { bytes, size: r.size, mtime: r.mtime });
    }, true);
    throw new Error(PENDING);
  }

  /** Starts `load` once per key; a file nobody waits for is announced by `arrived` (directory listings are not). */
  private fetch(key: string, load: () => Promise<void>, isFile: boolean): void {
    const k = `${isFile ? 'file' : 'dir'}:${key}`;
    if (this.inflight.has(k)) return;
    const p = load()
      .catch((e) => { if (isFile) this.files.set(key, { error: e instanceof Error ? e.message : String(e), size: -1, mtime: -1 }); })
      .finally(() => {
        this.inflight.delete(k);
        if (isFile && !this.awaited.delete(k)) this.batch.push(key);
        // One re-check for the reads that end together.
        if (this.inflight.size === 0 && this.batch.length > 0) {
          const files = this.batch;
          this.batch = [];
          this.arrived(files);
        }
      });
    this.inflight.set(k, p);
  }

  private async ask<T>(method: string, params: FileParams): Promise<FileAnswer<T>> {
    if (!this.connection) return { error: 'no editor to read files through' };
    try {
      return await this.connection.sendRequest<FileAnswer<T>>(method, params);
    } catch (e) {
      this.log?.warn(`${method} ${params.uri}: ${e instanceof Error ? e.message : String(e)}`);
      return { error: `the editor could not read it (${e instanceof Error ? e.message : String(e)})` };
    }
  }
}

export interface ClientIOOptions {
  files: ClientFiles;
  /** Workspace folder URIs; relative names of documents without a name resolve against the first. */
  folders: readonly string[];
  /** False: only files inside `folders` are read. */
  trusted: boolean;
}

/** A ZoneIO over the client's files. */
export function createClientIO(o: ClientIOOptions): ZoneIO {
  const confine = (uri: string): string => {
    if (!o.trusted && !o.folders.some((f) => uriInside(uri, f))) throw new Error(UNTRUSTED_REFUSAL);
    return uri;
  };
  const bytes = (uri: string, maxBytes = MAX_BYTES) => o.files.bytes(confine(uri), Math.min(maxBytes, MAX_BYTES));
  return {
    readFile(uri) {
      const b = bytes(uri);
      const start = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
      try {
        return new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(start));
      } catch {
        return latin1(b.subarray(start));
      }
    },
    readBytes: bytes,
    statFile: (uri) => o.files.stat(confine(uri)),
    listDir: (uri) => o.files.list(confine(uri)),
    resolvePath(fromFile, p) {
      if (p.length === 0) throw new Error('empty file name');
      if (p.includes('\0')) throw new Error('a file name cannot contain NUL');
      const base = fromFile ?? (o.folders[0] ? `${o.folders[0].replace(/\/$/, '')}/` : undefined);
      if (!base) {
        if (SCHEME.test(p)) return p;
        throw new Error('the document has no file name');
      }
      return resolveUri(base, p);
    },
    now: () => new Date(),
  };
}
