/**
 * The core's one door. The front ends (`lsp/`, `cli/`, `live/`) import the core only from
 * here: the language service (getZoneLanguageService(), in the manner of
 * vscode-css-languageservice's getCSSLanguageService()) for everything that computes — parse,
 * analyse, open a document and apply edits to it, the feature queries, the asynchronous
 * stages — and the shared vocabulary (types, names, RR-type constants, bytes, edits, rules)
 * as plain exports. Modules under `core/` stay private to the core; test/unit/boundary.test.ts
 * fails when a front end reaches past this file.
 */
import { analyzeCertificates, checkCertificates, forgetCachedFile } from './certs/checks';
import { earlyHover } from './documentEarly';
import { entryStartAt } from './entrySkim';
import { certHover, certQuickFixes, certRecordActions, insertTlsaRRsetAction } from './certs/actions';
import { matchingData, recordSpecFor } from './certs/hash';
import { hasCertLinks } from './certs/link';
import { certificatesStage } from './certs/stage';
import { tlsaRecordKeysOf } from './certs/published';
import { describeMaterial, loadKeyMaterial, parseCertificate } from './certs/load';
import { matchRecord } from './certs/match';
import { signedBy } from './certs/verify';
import { checkSerialChange } from './checks/serialChange';
import { viewOfParsed } from './dane/view';
import { quickFixes, tlsaRefactors } from './dane/fixes';
import { mailQuickFixes } from './dane/mailFixes';
import { ZoneDocument } from './document';
import { dnssecStage } from './dnssec/stage';
import { validateDnssec } from './dnssec/validate';
import { completion } from './features/completion';
import { pathCompletion } from './features/pathCompletion';
import { foldingRanges } from './features/folding';
import { formatZone } from './features/format';
import { hover } from './features/hover';
import { inlayHints } from './features/inlayHints';
import { commentAt, daneDirectiveAt, firstRecordEndingAtOrAfter, mxTargets, recordAt, tlsaOwnerParts } from './features/locate';
import { definitions, documentLinks, ownerSymbols, prepareRename, references, rename } from './features/navigation';
import { bumpSerial, bumpTitle, touchesSoa } from './features/serial';
import { documentSymbols } from './features/symbols';
import { missingTtlFixes } from './features/ttlFixes';
import { parseZone } from './parser';
import { addAsyncStages, analyzeZone, checkText, hasAsyncWork, runAsyncStage } from './pipeline/run';
import { viewOfZone } from './pipeline/view';

const SERVICE = Object.freeze({
  // ---- documents and the analysis pipeline
  /** Parses a zone (records, directives, comments, parse diagnostics). `onRecord` streams. */
  parseZone,
  /** The pipeline on one text (pipeline/stages.ts): parse + every synchronous stage + finalize (`disable=`, severities). */
  analyzeZone,
  /** The same pipeline with the parser streaming (records not kept): the CLI. */
  checkText,
  /** Whether an asynchronous stage has work for a checkText result, and running them into it. */
  hasAsyncWork,
  addAsyncStages,
  /** One asynchronous stage on a view of the zone, finalized (undefined when it does not apply). */
  runAsyncStage,
  /** The view stages read, of a whole parse. */
  viewOfZone,
  /** An open document that re-analyses only what an edit touched (`update(edits)`). */
  openDocument: (text: string, options?: ConstructorParameters<typeof ZoneDocument>[1], sliced?: boolean): ZoneDocument => new ZoneDocument(text, options, sliced),

  // ---- feature queries (offsets in, plain data out)
  hover,
  /** A hover before an open document's first parse: only where it depends on the record's own type/class/TTL token (else undefined: ask the parse). */
  earlyHover,
  /** Where the entry that holds an offset starts, read from an entry start before it (undefined: a carriage return in between). */
  entryStartAt,
  completion,
  /** File names after `cert=`, `next=` and `$INCLUDE` (through ZoneIO.listDir); undefined outside a path. */
  pathCompletion,
  documentSymbols,
  foldingRanges,
  inlayHints,
  formatZone,
  definitions,
  references,
  prepareRename,
  rename,
  documentLinks,
  ownerSymbols,
  bumpSerial,
  bumpTitle,
  touchesSoa,
  recordAt,
  commentAt,
  daneDirectiveAt,
  firstRecordEndingAtOrAfter,
  mxTargets,
  tlsaOwnerParts,
  /** `soa-serial-unchanged`: a zone against an earlier version of itself. */
  checkSerialChange,

  // ---- code actions (pure edits)
  quickFixes,
  tlsaRefactors,
  certQuickFixes,
  /** Fixes of the mail checks that need the parse (CA family records; the server key's 3 1 1 with certificates). */
  mailQuickFixes,
  /** `missing-ttl`: write the inherited TTL on the record, or add `$TTL` at the top (from the parse: the diagnostic has no data). */
  missingTtlFixes,
  certRecordActions,
  certHover,
  insertTlsaRRsetAction,

  // ---- the DNSSEC stage (asynchronous): signatures, chains, DS/CDS, ZONEMD of a signed zone
  /** The pipeline's DNSSEC stage (the server runs it with a DnssecCache per document: lsp/dnssec.ts). */
  dnssecStage,
  /** Validates a signed zone; with a DnssecCache per document only what changed is checked again. */
  validateDnssec,

  // ---- the certificate stage (asynchronous) and certificate material
  /** The pipeline's certificate stage (the server keeps its analysis for hovers and code actions). */
  certificatesStage,
  /** The TLSA records of one version of a zone file, as keys (the git history of timed rotation: lsp/gitHistory.ts). */
  tlsaRecordKeysOf,
  viewOfParsed,
  hasCertLinks,
  analyzeCertificates,
  checkCertificates,
  /** Drops a changed file from a certificate file cache (the watcher saw it change). */
  forgetCachedFile,
  loadKeyMaterial,
  describeMaterial,
  parseCertificate,
  recordSpecFor,
  matchingData,
  matchRecord,
  signedBy,
});

/** The core as one service object. */
export type ZoneLanguageService = typeof SERVICE;

/** The language service (stateless; every call may share it). */
export function getZoneLanguageService(): ZoneLanguageService {
  return SERVICE;
}

// ---- shared vocabulary: data types and small pure helpers

export type { Severity, Span, Token, ZoneDiagnostic, ZoneIO } from './types';
export type { NativeVerifier } from './webcrypto';
export type { DaneDirective, ParseOptions, ParsedZone, ZoneComment, ZoneDirective, ZoneRecord } from './model';
export type { AnalysisOptions, AsyncStage, AsyncStageResult, ZoneStage } from './pipeline/stage';
export type { CheckResult, ZoneAnalysis } from './pipeline/run';
export { ASYNC_STAGES, ZONE_STAGES } from './pipeline/stages';
export type { ZoneReads, ZoneView } from './pipeline/view';
export { ZoneDocument } from './document';
export { FirstPass, openingTail } from './documentOpening';
export type { OpeningTail } from './documentOpening';
export { applyDisableDirectives, applySeverities, finalize } from './pipeline/finalize';
export { DEFAULT_TLSA_MAX_TTL } from './dane/checks';
export type { DaneOptions } from './dane/checks';
export { groupTlsaRRsets } from './dane/view';
export type { DaneZoneView, TlsaRRset } from './dane/view';
export { LineIndex } from './lineIndex';
export { parseIPv4Into, parseIPv6Into } from './rdata/addr';
export type { LinePosition, Lines } from './lineIndex';
export { isAtOrBelow, nameKey, nameLabels, parseName, relativize } from './names';
export { effectiveSeverity, RULES } from './rules';
export type { RuleInfo, SeverityOverrides } from './rules';
export * from './rrtypes';
export * from './rrtypeSchema';
export * from './registries';
export * from './bytes';
export * from './edits';
export { append } from './arrays';
export { decodeTlsaWire, isTlsaType, tlsaSpans } from './dane/tlsaRdata';
export type { TlsaFields, TlsaSpans } from './dane/tlsaRdata';
export { describeTlsaValue, describeUnusable, tlsaUnusable, tlsaUsable } from './dane/tlsaValues';
export type { TlsaUnusable } from './dane/tlsaValues';
export { isTlsaLike } from './features/locate';
export type { DaneCodeAction } from './dane/fixes';
export type { DaneFixData } from './dane/fixData';
export type { CompletionKind, ZoneCompletion } from './features/completion';
export type { ZoneFold } from './features/folding';
export type { ZoneSymbol, ZoneSymbolKind } from './features/symbols';
export type { ZoneHover } from './features/hover';
export type { ZoneInlayHint } from './features/inlayHints';
export type { FormatOptions, OwnerStyle } from './features/format';
export type { SerialBump, SerialRefusal } from './features/serial';
export { DnssecCache } from './dnssec/validate';
export type { DnssecRecord } from './dnssec/validate';
export { DEFAULT_EXPIRY_DAYS } from './certs/checks';
export type { CertAnalysis, CertCheckOptions, CertIO, LoadedFile } from './certs/checks';
export type { CertificateLinkValue } from './certs/link';
export type { GitPublication } from './certs/published';
export { DEFAULT_CERT_MAX_BYTES } from './certs/load';
export type { CertificateInfo, KeyMaterial } from './certs/load';
export type { TlsaRecordSpec } from './certs/hash';
export type { RecordMatch, TlsaAssociation } from './certs/match';
