import { CancellationToken, ClientCapabilities, Connection, ServerCapabilities } from 'vscode-languageserver/node';
import { DocumentStore, VersionAnalysis } from './documents';
import type { CertificateService } from './certificates';
import type { DaneZoneSettings } from './settings';
import type { HostFileNames } from './hostFileNames';
import type { ZoneDiagnostic, ZoneIO } from '../core';

/**
 * What a feature handler gets from the server, and the shape of a feature. New features
 * (hover, completion, code actions, …) are one file in ./features and one line in the
 * FEATURES table of ./features/index.ts.
 */

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export type Handler<P, R> = (params: P, token: CancellationToken) => R | Promise<R>;

export interface ServerContext {
  readonly connection: Connection;
  /** Where the server runs (Node or a Web Worker): document names, links, workspace files. */
  readonly host: HostFileNames;
  readonly documents: DocumentStore;
  /** The server's file access (confined to the workspace when it is untrusted). */
  readonly io: ZoneIO;
  readonly client: ClientCapabilities;
  readonly log: Logger;
  /**
   * Wraps a request handler so a failure is logged and answered with `fallback` (an empty
   * result): one feature failing never takes down the server or leaves the client waiting.
   */
  guard<P, R>(name: string, fallback: R, handler: Handler<P, R>): Handler<P, R>;
  /** Stage-1 analysis of the document's current version; undefined when unknown, too large or failing. */
  analysisOf(uri: string): VersionAnalysis | undefined;
  /** False in an untrusted workspace (initializationOptions.trusted): no network checks then. */
  readonly trusted: boolean;
  /** The certificate stage: the last analysis of each document that links certificates. */
  readonly certificates: CertificateService;
  /** The document's settings (sanitized). */
  settingsOf(uri: string): Promise<DaneZoneSettings>;
  /** Publishes the live check's diagnostics with the document's others until its text changes. */
  setLiveDiagnostics(uri: string, version: number, diagnostics: ZoneDiagnostic[]): void;
}

export interface ServerFeature {
  readonly name: string;
  /** What this feature adds to the initialize result, given what the client can do. */
  capabilities(client: ClientCapabilities): ServerCapabilities;
  /** Registers the handler(s) on ctx.connection, each wrapped with ctx.guard. */
  register(ctx: ServerContext): void;
}

export function describeError(e: unknown): string {
  if (e instanceof Error) return e.stack ?? `${e.name}: ${e.message}`;
  return String(e);
}
