import { DidChangeWatchedFilesNotification, Disposable, FileSystemWatcher } from 'vscode-languageserver/node';
import { describeError } from '../lsp/context';
import type { LinkedFileWatcher, LinkedFileWatchOptions } from '../lsp/host';
import type { ClientFiles } from './io';
import { uriInside } from './io';

/**
 * Linked certificate files watched by the editor in the Web Worker: one registration of
 * `workspace/didChangeWatchedFiles` with a watcher per linked URI (a relative pattern: the file's
 * folder and its name), kept in line with what the documents link. A change forgets the file
 * the worker read (./io.ts) and checks the documents linking it again: a renewed certificate
 * shows without an edit of the zone. (The Node server's watcher, lsp/certWatch.ts, also polls
 * where the client cannot watch; the worker cannot poll a file system it does not have.)
 */

/** URIs compare by their decoded form: the editor and the worker may escape characters differently. */
const same = (uri: string): string => {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
};

/** Escapes glob syntax in a file name (`[`, `*`, `{`…) so the pattern names that file only. */
const globEscape = (s: string) => s.replace(/[[\]*?{}!]/g, (c) => `[${c}]`);

export class ClientFileWatcher implements LinkedFileWatcher {
  private readonly byDoc = new Map<string, ReadonlySet<string>>();
  private registration?: Promise<Disposable | undefined>;
  private watchedKey = '';
  private ready = false;

  constructor(private readonly o: LinkedFileWatchOptions, private readonly files: ClientFiles) {}

  start(): void {
    this.ready = true;
    this.sync();
  }

  setLinked(uri: string, files: Iterable<string>): void {
    const allowed = [...files].filter((f) => this.o.trusted() || this.o.folders().some((root) => uriInside(f, root)));
    if (allowed.length === 0) this.byDoc.delete(uri);
    else this.byDoc.set(uri, new Set(allowed));
    this.sync();
  }

  onDidChangeWatchedFiles(params: { changes?: { uri: string }[] }): void {
    const changed = new Set((params.changes ?? []).map((c) => same(c.uri)));
    const linked = new Set([...this.byDoc.values()].flatMap((s) => [...s]));
    for (const file of linked) {
      if (!changed.has(same(file))) continue;
      this.files.forget(file);
      const uris = [...this.byDoc].filter(([, s]) => s.has(file)).map(([doc]) => doc);
      this.o.changed(file, uris);
    }
  }

  dispose(): void {
    this.ready = false;
    void this.registration?.then((d) => d?.dispose());
  }

  private sync(): void {
    if (!this.ready) return;
    const files = [...new Set([...this.byDoc.values()].flatMap((s) => [...s]))].sort();
    const key = files.join('\0');
    if (key === this.watchedKey) return;
    this.watchedKey = key;
    const caps = this.o.client().workspace?.didChangeWatchedFiles;
    // Only relative patterns can name a file by URI (a plain glob is a path on the editor's disk).
    if (!caps?.dynamicRegistration || !caps.relativePatternSupport) return;
    void this.registration?.then((d) => d?.dispose());
    this.registration = undefined;
    if (files.length === 0) return;
    const watchers: FileSystemWatcher[] = files.map((f) => {
      const slash = f.lastIndexOf('/');
      return { globPattern: { baseUri: f.slice(0, slash), pattern: globEscape(same(f.slice(slash + 1))) } };
    });
    this.registration = this.o.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers })
      .catch((e) => { this.o.log.warn(`could not register file watchers for linked certificates: ${describeError(e)}`); return undefined; });
  }
}
