import type { ClientCapabilities, Connection, DidChangeWatchedFilesParams } from 'vscode-languageserver/node';
import type { ZoneIO } from '../core';
import type { ZoneAnalyzer } from './analyzer';
import type { CertificateService } from './certificates';
import type { Logger, ServerFeature } from './context';
import type { GitBaseline } from './gitBaseline';
import type { GitHistory } from './gitHistory';
import type { HostFileNames } from './hostFileNames';

export type { HostFileNames } from './hostFileNames';

/**
 * What the language server needs from where it runs. The LSP layer (this folder) is the same
 * in Node and in a Web Worker; the parts that differ are given to `startServer` as a host:
 * `server/src/node/serverHost.ts` (files through node:fs, git, the live check, stat polling) and
 * `server/src/browser/host.ts` (files read by the editor through `vscode.workspace.fs`, answered
 * over the connection; no git, no live check). Nothing in this folder imports a Node module
 * except through a host, so both bundles are built from the same files.
 */
export interface ServerHost extends HostFileNames {
  /** `node` or `browser` (the start-up log line says which). */
  readonly name: string;
  /** The product version (serverInfo). */
  readonly version: string;
  /** The analysis model when the host picks one (DANE_ZONE_ANALYZER on Node). */
  readonly analyzer?: ZoneAnalyzer;
  /** Features only this host offers (Node: the live check), after the common table of ./features. */
  readonly features: readonly ServerFeature[];
  /** The file access of the server: confined to `folders` when the workspace is not trusted. */
  createIO(env: IOEnvironment): ZoneIO;
  /** Follows changes of the files linked to TLSA records (or does nothing). */
  watchLinkedFiles(o: LinkedFileWatchOptions): LinkedFileWatcher;
  /** The certificate stage's service (the browser's settles reads answered by the client first). */
  certificates?(...args: ConstructorParameters<typeof CertificateService>): CertificateService;
  /** The committed version of zone files (`soa-serial-unchanged`); absent where there is no git. */
  gitBaseline?(): GitBaseline;
  /** When TLSA records were first committed (timed rotation, `tlsa-rotation-too-early`); absent where there is no git. */
  gitHistory?(log: (message: string) => void): GitHistory;
}

export interface IOEnvironment {
  connection: Connection;
  folders: readonly string[];
  trusted: boolean;
  log: Logger;
  /** Files read late (the browser's reads are answered asynchronously): documents that read them are checked again. */
  filesArrived(files: string[]): void;
}

export interface LinkedFileWatchOptions {
  connection: Connection;
  client: () => ClientCapabilities;
  log: Logger;
  /** False in an untrusted workspace: then only files inside `folders()` are looked at. */
  trusted: () => boolean;
  folders: () => readonly string[];
  /** A watched file changed: `uris` are the documents that link it. */
  changed: (file: string, uris: string[]) => void;
  /** Files are watched from now on: their documents check them once more. */
  recheck: (uris: string[]) => void;
}

export interface LinkedFileWatcher {
  start(): void;
  setLinked(uri: string, files: Iterable<string>): void;
  onDidChangeWatchedFiles(params: DidChangeWatchedFilesParams): void;
  dispose(): void;
}
