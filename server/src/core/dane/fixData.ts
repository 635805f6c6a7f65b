/**
 * The JSON-safe `data` DANE diagnostics carry for their quick fixes: written by the checks
 * (tlsaRdata.ts, checks.ts), read back by fixes.ts.
 */
import { Span } from '../types';

/** One replacement of a diagnostic's fix: `oldText` guards against a stale document. */
export interface Replacement {
  start: number;
  end: number;
  oldText: string;
  newText: string;
}

/** `tlsa-mnemonic`: `value` is the number for the field the diagnostic is on; `replace` covers every acronym of the record. */
export interface MnemonicFixData {
  fix: 'tlsa-mnemonic';
  value: number;
  replace: Replacement[];
}

/** `tlsa-owner` with a leading zero in the port label: `_025` → `_25`. */
export interface PortFixData {
  fix: 'tlsa-port';
  port: number;
  replace: Replacement[];
}

/** `tlsa-smtp-pkix`: usage 1 → 3 or 0 → 2 with the same selector, matching type and data. */
export interface PkixToDaneFixData {
  fix: 'tlsa-pkix-to-dane';
  from: number;
  to: number;
  replace: Replacement[];
}

/**
 * `tlsa-single-record`: what a rotation-pair action needs (the action itself needs the
 * certificate/key files and lives elsewhere).
 */
export interface RotationPairData {
  fix: 'tlsa-rotation-pair';
  typeName: 'TLSA';
  /** Absolute owner name. */
  owner: string;
  ttl?: number;
  usage: number;
  selector: number;
  matchingType: number;
  /** The record's association data in lowercase hex. */
  association: string;
  /** The single usable record. */
  record: Span;
  /** Where a new record would go: the end of the RRset's last record. */
  insertAt: number;
}

/**
 * A diagnostic whose fixes are plain edits known when it is made (move an RRset, declare the
 * zone inline-signed): one action per entry, each guarded by its replacements' `oldText`.
 * `\n` in a newText becomes the document's line break.
 */
export interface EditsFixData {
  fix: 'edits';
  actions: { title: string; replace: Replacement[]; preferred?: boolean }[];
}

/**
 * A fix that replaces the diagnostic's own range (so it stays right while the finding moves with
 * edits elsewhere), when the text there still reads `oldText` (e.g. target-is-cname: point at
 * the alias's target).
 */
export interface ReplaceDiagnosticFixData {
  fix: 'replace-diagnostic';
  title: string;
  oldText: string;
  newText: string;
}

export type DaneFixData = MnemonicFixData | PortFixData | PkixToDaneFixData | RotationPairData | EditsFixData | ReplaceDiagnosticFixData;
