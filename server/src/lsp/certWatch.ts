import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ClientCapabilities,
  Connection,
  DidChangeWatchedFilesNotification,
  DidChangeWatchedFilesParams,
  Disposable,
  FileSystemWatcher,
} from 'vscode-languageserver/node';
import { describeError, Logger } from './context';
import { uriToPath } from './uri';

/**
 * Watches the certificate/key files linked to TLSA records (`cert=` / `next=` and
 * `daneZone.certificates.hosts`), so that a renewed certificate on disk shows its mismatch
 * without an edit of the zone (issue 16). Where the client can watch files
 * (`workspace.didChangeWatchedFiles.dynamicRegistration`), the server registers one watcher
 * per linked path and the client's file watchers send `workspace/didChangeWatchedFiles`;
 * elsewhere the server polls the files' stat itself. Either way `changed(path, uris)` runs
 * for the documents linking the file, which re-run their certificate stage.
 */

/** How often the server's own watch looks at a file (clients without file watchers only). */
export const POLL_INTERVAL_MS = 1000;

/** Escapes glob syntax in a file name (`[`, `*`, `{`…) so the pattern names that file only. */
function globEscape(s: string): string {
  return s.replace(/[[\]*?{}!]/g, (c) => `[${c}]`);
}

export interface CertWatchOptions {
  connection: Connection;
  client: () => ClientCapabilities;
  log: Logger;
  /** False for paths that must not be looked at (untrusted workspace: outside its folders). */
  allowed: (file: string) => boolean;
  /** A watched file changed: `uris` are the documents that link it. */
  changed: (file: string, uris: string[]) => void;
  /**
   * Files are being watched from now on: their documents check them once more, for a change
   * between the read and the start of the watch (the file cache, keyed by size + mtime, makes
   * this a stat when nothing changed).
   */
  recheck: (uris: string[]) => void;
}

export class CertificateWatcher {
  private readonly byDoc = new Map<string, ReadonlySet<string>>();
  private ready = false;
  private watchedKey = '';
  private registration?: Promise<Disposable | undefined>;
  private readonly polled = new Map<string, (curr: fs.Stats, prev: fs.Stats) => void>();
  private pending?: NodeJS.Timeout;
  private disposed = false;

  constructor(private readonly o: CertWatchOptions) {}

  /** After `initialized`: registrations may be sent from now on. */
  start(): void {
    this.ready = true;
    this.sync();
  }

  /** The files a document links now (after its certificate stage ran; empty when it links none or closed). */
  setLinked(uri: string, files: Iterable<string>): void {
    const set = new Set([...files].filter((f) => this.o.allowed(f)));
    if (set.size === 0) this.byDoc.delete(uri);
    else this.byDoc.set(uri, set);
    this.sync();
  }

  /** The documents that link `file`. */
  linking(file: string): string[] {
    return [...this.byDoc].filter(([, s]) => s.has(file)).map(([uri]) => uri);
  }

  /** `workspace/didChangeWatchedFiles` from the client. */
  onDidChangeWatchedFiles(params: DidChangeWatchedFilesParams): void {
    const seen = new Set<string>();
    for (const ch of params.changes ?? []) {
      const file = uriToPath(ch.uri);
      if (!file || seen.has(file)) continue;
      seen.add(file);
      const uris = this.linking(file);
      if (uris.length) this.o.changed(file, uris);
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.pending) clearTimeout(this.pending);
    for (const [file, listener] of this.polled) fs.unwatchFile(file, listener);
    this.polled.clear();
    void this.registration?.then((d) => d?.dispose());
  }

  private files(): string[] {
    const all = new Set<string>();
    for (const s of this.byDoc.values()) for (const f of s) all.add(f);
    return [...all].sort();
  }

  /** Brings the registration (or the polls) in line with the linked files, once per turn of the event loop. */
  private sync(): void {
    if (!this.ready || this.disposed || this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      try {
        this.apply();
      } catch (e) {
        this.o.log.error(`watching certificate files failed: ${describeError(e)}`);
      }
    }, 0);
  }

  private apply(): void {
    const files = this.files();
    const key = files.join('\0');
    if (key === this.watchedKey) return;
    const before = new Set(this.watchedKey ? this.watchedKey.split('\0') : []);
    this.watchedKey = key;
    const added = new Set(files.filter((f) => !before.has(f)).flatMap((f) => this.linking(f)));
    // Once the watch is in place (the client acknowledged the registration, or the polls started).
    void Promise.resolve(this.watch(files)).then(() => { if (added.size && !this.disposed) this.o.recheck([...added]); });
  }

  /** Registers (or polls) `files`; resolves when the watch is in place. */
  private watch(files: string[]): Promise<unknown> | undefined {
    const caps = this.o.client().workspace?.didChangeWatchedFiles;
    if (caps?.dynamicRegistration) {
      const old = this.registration;
      void old?.then((d) => d?.dispose());
      if (files.length === 0) { this.registration = undefined; return undefined; }
      const watchers: FileSystemWatcher[] = files.map((f) => ({
        globPattern: caps.relativePatternSupport
          ? { baseUri: pathToFileURL(path.dirname(f)).href, pattern: globEscape(path.basename(f)) }
          : globEscape(f.split(path.sep).join('/')),
      }));
      this.registration = this.o.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers })
        .catch((e) => { this.o.log.warn(`could not register file watchers for linked certificates: ${describeError(e)}`); return undefined; });
      return this.registration;
    }
    // No watchers in the client: poll the files' stat (follows links, sees replace-by-rename).
    const want = new Set(files);
    for (const [file, listener] of this.polled) {
      if (!want.has(file)) { fs.unwatchFile(file, listener); this.polled.delete(file); }
    }
    for (const file of files) {
      if (this.polled.has(file)) continue;
      const listener = (curr: fs.Stats, prev: fs.Stats) => {
        if (curr.mtimeMs === prev.mtimeMs && curr.size === prev.size && curr.ino === prev.ino) return;
        const uris = this.linking(file);
        if (uris.length) this.o.changed(file, uris);
      };
      fs.watchFile(file, { interval: POLL_INTERVAL_MS, persistent: false }, listener);
      this.polled.set(file, listener);
    }
    return undefined;
  }
}
