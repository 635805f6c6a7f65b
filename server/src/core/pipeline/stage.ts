/**
 * The shapes of the analysis pipeline's stages (the list itself is pipeline/stages.ts). Types
 * only, so checkers can declare their stage next to their code without an import cycle.
 */
import type { CertCheckOptions } from '../certs/checks';
import type { AnalysisOptionsLike } from '../checks/options';
import type { DaneOptions } from '../dane/checks';
import type { ParseOptions, ZoneRecord } from '../model';
import type { SeverityOverrides } from '../rules';
import type { ZoneDiagnostic } from '../types';
import type { Slice, Steps } from '../work';
import type { ZoneReads, ZoneView } from './view';

/** Everything a run of the pipeline may be told; each stage reads its part. All I/O comes through `io`. */
export interface AnalysisOptions extends ParseOptions, AnalysisOptionsLike, DaneOptions {
  /** Per-code severity overrides from settings (`off` silences a code): the finalize step. */
  severity?: SeverityOverrides;
  /** The certificate stage: links from settings, expiry window, file cache (the zone file is `fileName`). */
  certificates?: Omit<CertCheckOptions, 'zoneFile'>;
}

/** A check of one record on its own, run as each record is parsed (pushes what it finds to `out`). */
export type RecordCheck = (r: ZoneRecord, options: AnalysisOptions, out: ZoneDiagnostic[]) => void;

/**
 * The zone-wide stage (checks/zone.ts): per-record checks, then per-owner checks over compact
 * facts. Its runners are special (typed-array facts when streaming, per-owner re-checks in
 * the document), so there is one such stage; new per-owner rules go into checks/zone.ts.
 */
export interface OwnerStage {
  readonly kind: 'owner';
  readonly name: string;
  readonly recordChecks: readonly RecordCheck[];
}

/** A synchronous stage over the whole zone, reading only what `reads` declares. */
export interface ZoneStage {
  readonly kind: 'zone';
  readonly name: string;
  readonly reads: ZoneReads;
  /**
   * Diagnostics sorted by position; severities and `disable=` are the finalize step's job.
   * `streamed`: what the stage's own collector (`stream`) took from the streaming CLI's records.
   */
  run(view: ZoneView, options: AnalysisOptions, streamed?: StreamCollector): ZoneDiagnostic[];
  /** Optional: how the incremental document re-checks only the owner names an edit changed. */
  readonly incremental?: IncrementalZoneStage;
  /**
   * Optional: a collector the streaming CLI gives every record as it is parsed (while it is in
   * the cache), besides the view; its result goes to `run` as `streamed`.
   */
  stream?(): StreamCollector;
  /**
   * Optional: `run` in slices (core/work.ts), for the editor: yields whenever `slice.due()`;
   * the same diagnostics as `run`. A stage without it runs in one go.
   */
  steps?(view: ZoneView, options: AnalysisOptions, slice: Slice): Steps<ZoneDiagnostic[]>;
}

/**
 * A zone stage that can re-check by owner name. `full` is `run` that also returns what the stage
 * keeps to re-check parts later (`state`, opaque to the document). After edits, the document
 * passes the owner keys whose declared facts (ZoneReads) changed, and a view whose `recordsAt`
 * and `hasType` answer from its owner index (asking for `records()` costs a whole parse);
 * `update` returns the results to drop and those to add, or undefined when it must run in
 * full (something zone-wide changed). `keyOf` names the owner key a result belongs to (undefined:
 * zone-wide), for results an edit touches.
 */
export interface IncrementalZoneStage {
  full(view: ZoneView, options: AnalysisOptions): { diagnostics: ZoneDiagnostic[]; state: unknown };
  /** Optional: `full` in slices (core/work.ts), yielding whenever `slice.due()`; the same result. */
  fullSteps?(view: ZoneView, options: AnalysisOptions, slice: Slice): Steps<{ diagnostics: ZoneDiagnostic[]; state: unknown }>;
  update(view: ZoneView, options: AnalysisOptions, state: unknown, keys: ReadonlySet<string>): { removed: ZoneDiagnostic[]; added: ZoneDiagnostic[] } | undefined;
  keyOf(state: unknown, d: ZoneDiagnostic): string | undefined;
}

export interface AsyncStageResult<R = unknown> {
  diagnostics: ZoneDiagnostic[];
  /** What features (hover, code actions) read afterwards, e.g. the certificate analysis. */
  result?: R;
}

/**
 * What a stage keeps of each record while the CLI streams a zone, in its own compact form
 * (for a stage that reads every record: keeping them all would cost the memory streaming saves).
 */
export interface StreamCollector {
  add(r: ZoneRecord): void;
  /** After the parse: true when it must see every record again (`addAgain` then gets them). */
  needsSecondPass?(): boolean;
  addAgain?(r: ZoneRecord): void;
}

/**
 * An asynchronous stage (files, WebCrypto, the clock): runs after the synchronous ones and
 * never holds up their diagnostics. `applies` must be cheap: it decides whether to run at all.
 * With `stream`, the CLI gives `applies` and `run` what its collector kept (`streamed`) and the
 * view holds none of the records this stage reads.
 */
export interface AsyncStage<R = unknown> {
  readonly kind: 'async';
  readonly name: string;
  readonly reads: ZoneReads;
  stream?(): StreamCollector;
  applies(view: ZoneView, options: AnalysisOptions, streamed?: StreamCollector): boolean;
  run(view: ZoneView, options: AnalysisOptions, streamed?: StreamCollector): Promise<AsyncStageResult<R>>;
}

export type Stage = OwnerStage | ZoneStage | AsyncStage;
