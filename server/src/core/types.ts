/**
 * Plain data shared by the whole core. Positions are UTF-16 offsets into the
 * document text (what JavaScript string indices are); the LSP layer converts
 * them to line/character with a line index.
 */

import type { NativeVerifier } from './webcrypto';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A half-open range [start, end) of UTF-16 offsets in one document. */
export interface Span {
  start: number;
  end: number;
}

export interface ZoneDiagnostic extends Span {
  /** Stable code from the rules table (rules.ts). */
  code: string;
  severity: Severity;
  message: string;
  /** Payload for a quick fix (LSP Diagnostic.data). */
  data?: unknown;
  /**
   * When the problem is inside an $INCLUDEd file: that file's path. The span is then the
   * $INCLUDE directive in this document, and `includedAt` says where in the included file.
   */
  includedFrom?: string;
  /** Other places in this document the problem concerns (LSP relatedInformation). */
  related?: RelatedSpan[];
}

/** A place in the same document that a diagnostic relates to, with what it is. */
export interface RelatedSpan extends Span {
  message: string;
}

/** One token of the master-file grammar. */
export interface Token extends Span {
  /** The raw text, escapes untouched; without the surrounding quotes for quoted strings. */
  text: string;
  quoted: boolean;
}

/**
 * I/O the core may need, passed in (never reached for). The CLI and the server give a
 * Node implementation; tests give in-memory fakes.
 */
export interface ZoneIO {
  /** Reads a file as text; throws an Error with a readable message when it cannot. */
  readFile(path: string): string;
  /** Reads a file's bytes (certificates, keys), with readFile's limits and confinement; `maxBytes` lowers the size limit. Throws like readFile. */
  readBytes?(path: string, maxBytes?: number): Uint8Array;
  /** Size and modification time of a file (cache keys for linked certificates), with readFile's confinement; throws like readFile. */
  statFile?(path: string): { size: number; mtimeMs: number };
  /**
   * The entries of a directory (file-name completion, workspace symbols), with readFile's
   * confinement; throws like readFile. `directory` follows symbolic links; `link` says the
   * entry is one.
   */
  listDir?(dir: string): { name: string; directory: boolean; link?: boolean }[];
  /** Resolves `path` relative to the directory of `fromFile` (or returns it when absolute). */
  resolvePath(fromFile: string | undefined, path: string): string;
  /** The current time (for RRSIG expiry checks). */
  now(): Date;
  /** The platform's own signature verification for DNSSEC validation (WebCrypto without it). */
  verifier?: NativeVerifier;
}
