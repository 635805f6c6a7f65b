/**
 * Running the pipeline (pipeline/stages.ts) on a whole text: analyzeZone (records kept: tests,
 * features, the reference for the incremental document) and checkText (the CLI: records
 * streamed and dropped, so memory stays flat on million-record zones). Same stages, same
 * finalize, same diagnostics (test/unit/pipeline.test.ts holds them together).
 */
import { ZoneChecker, checkZone } from '../checks/zone';
import { LineIndex } from '../lineIndex';
import { LineMarks } from '../lineMarks';
import { DaneDirective, ParsedZone } from '../model';
import { parseZone } from '../parser';
import { ZoneDiagnostic } from '../types';
import { disabledRanges, DisabledRange, finalize } from './finalize';
import { AnalysisOptions, AsyncStage, AsyncStageResult, RecordCheck, StreamCollector, ZoneStage } from './stage';
import { ALL_READS, ASYNC_STAGES, OWNER_STAGE, ZONE_STAGES } from './stages';
import { ViewCollector, viewOfZone, ZoneView } from './view';

export interface ZoneAnalysis {
  parsed: ParsedZone;
  /** Every diagnostic of the synchronous stages (parse first, then zone-wide, then each zone stage), finalized. */
  diagnostics: ZoneDiagnostic[];
}

/** The `disable=` ranges of a text (only read when some directive says `disable=`). */
export function disabledIn(text: string, parsed: { readonly daneDirectives: readonly DaneDirective[] }): DisabledRange[] {
  return parsed.daneDirectives.some((d) => d.items.some((i) => i.key === 'disable')) ? disabledRanges(text, parsed.daneDirectives) : [];
}

/** The zone stages' diagnostics, stage after stage (`streamed`: what their collectors took, when streaming). */
export function runZoneStages(view: ZoneView, options: AnalysisOptions, streamed?: ReadonlyMap<ZoneStage, StreamCollector>): ZoneDiagnostic[] {
  const out: ZoneDiagnostic[] = [];
  for (const stage of ZONE_STAGES) for (const d of stage.run(view, options, streamed?.get(stage))) out.push(d);
  return out;
}

/** Parses a zone and runs every synchronous stage on it. Pure: all I/O comes through options.io. */
export function analyzeZone(text: string, options: AnalysisOptions = {}): ZoneAnalysis {
  const parsed = parseZone(text, options);
  const all = [...parsed.diagnostics, ...checkZone(parsed, options), ...runZoneStages(viewOfZone(parsed), options)];
  return { parsed, diagnostics: finalize(all, disabledIn(text, parsed), options.severity) };
}

export interface CheckResult {
  text: string;
  /** All diagnostics, finalized and sorted by position (stable). */
  diagnostics: ZoneDiagnostic[];
  /** Built on first use (only needed when there is something to report). */
  lines(): LineIndex;
  /** Line starts the parse marked with their lines (for positions counted forward: cli/lineCursor.ts). */
  lineMarks?: LineMarks;
  /** What the asynchronous stages read (kept records only). */
  view: ZoneView;
  /** What the asynchronous stages with their own collector kept. */
  streamed: Map<AsyncStage, StreamCollector>;
}

/**
 * The pipeline with the parser in streaming mode: each record goes to the zone-wide checker
 * (compact facts) and to a collector that keeps only what the other stages declare they read.
 */
export function checkText(text: string, options: AnalysisOptions): CheckResult {
  const checker = new ZoneChecker(text.length);
  const collector = new ViewCollector(ALL_READS, (key, type) => checker.hasType(key, type), text, checker);
  const recordChecks = OWNER_STAGE.recordChecks;
  const streamed = new Map<AsyncStage, StreamCollector>();
  for (const stage of ASYNC_STAGES) if (stage.stream) streamed.set(stage, stage.stream());
  const zoneStreamed = new Map<ZoneStage, StreamCollector>();
  for (const stage of ZONE_STAGES) if (stage.stream) zoneStreamed.set(stage, stage.stream());
  const own = [...streamed.values(), ...zoneStreamed.values()];
  // (the first two record checks and collectors each from a call site of its own: one target a
  // site, so the optimizing compiler inlines them into the parse's loop instead of a call each)
  const check0 = recordChecks[0] ?? noCheck, check1 = recordChecks[1] ?? noCheck, moreChecks = recordChecks.slice(2);
  const own0 = own[0] ?? NO_COLLECTOR, own1 = own[1] ?? NO_COLLECTOR, moreOwn = own.slice(2);
  const found = checker.diagnostics;
  const lineMarks = new LineMarks();
  const parsed = parseZone(text, {
    ...options,
    onRecord: (r, entryStart) => {
      const index = checker.add(r);
      check0(r, options, found);
      check1(r, options, found);
      for (let i = 0; i < moreChecks.length; i++) moreChecks[i](r, options, found);
      collector.add(r, entryStart, index);
      own0.add(r);
      own1.add(r);
      for (let i = 0; i < moreOwn.length; i++) moreOwn[i].add(r);
    },
  }, lineMarks);
  // A collector that dropped records it turns out to need reads the zone again.
  const again = own.filter((c) => c.needsSecondPass?.());
  if (again.length > 0) parseZone(text, { origin: options.origin, fileName: options.fileName, io: options.io, onRecord: (r) => { for (const c of again) c.addAgain?.(r); } });
  const zone = checker.finish(parsed.zoneOrigin);
  const view = collector.view(parsed);
  const all = finalize(parsed.diagnostics.concat(zone, runZoneStages(view, options, zoneStreamed)), disabledIn(text, parsed), options.severity);
  // Parse diagnostics are in file order, the others sorted per stage: merge (Array#sort is stable).
  const diagnostics = all.sort((a, b) => a.start - b.start);
  let index: LineIndex | undefined;
  return { text, diagnostics, lines: () => (index ??= new LineIndex(text)), lineMarks, view, streamed };
}

const noCheck: RecordCheck = () => undefined;
const NO_COLLECTOR: StreamCollector = { add: () => undefined };

/** One asynchronous stage on a view, its diagnostics finalized (undefined when it does not apply). */
export async function runAsyncStage<R>(stage: AsyncStage<R>, view: ZoneView, text: string, options: AnalysisOptions, streamed?: StreamCollector): Promise<AsyncStageResult<R> | undefined> {
  if (!stage.applies(view, options, streamed)) return undefined;
  const r = await stage.run(view, options, streamed);
  return { ...r, diagnostics: finalize(r.diagnostics, disabledIn(text, view), options.severity) };
}

/** The asynchronous stages after checkText: their diagnostics merged into the result, in position order. */
export async function addAsyncStages(result: CheckResult, options: AnalysisOptions): Promise<void> {
  for (const stage of ASYNC_STAGES) {
    const r = await runAsyncStage(stage, result.view, result.text, options, result.streamed.get(stage));
    if (r && r.diagnostics.length > 0) result.diagnostics = result.diagnostics.concat(r.diagnostics).sort((a, b) => a.start - b.start);
  }
}

/** True when an asynchronous stage has work for this result (the CLI then waits for it). */
export function hasAsyncWork(result: CheckResult, options: AnalysisOptions): boolean {
  return ASYNC_STAGES.some((s) => s.applies(result.view, options, result.streamed.get(s)));
}
