/**
 * The zone stages' results in the incremental document (document.ts): per stage its
 * diagnostics, whether it must run in full, and — for a stage that re-checks by owner name
 * (`ZoneStage.incremental`, e.g. the DANE stage) — the owner keys whose facts changed since it
 * last ran, and what it keeps between runs.
 */
import { ParsedZone } from './model';
import { AnalysisOptions } from './pipeline/stage';
import { ZONE_STAGES } from './pipeline/stages';
import { readFacts, ZoneView } from './pipeline/view';
import { gatherView } from './pipeline/gatherView';
import { ZoneDiagnostic } from './types';
import { Slice, Steps } from './work';

/** A full run resumes for about this long per recheckNext() (then yields: see Slice). */
const STEP_MS = 8;

type Part = Pick<ParsedZone, 'records' | 'directives' | 'daneDirectives'>;

/** A stage's declared facts of some parts, by owner key ('' for the zone-wide ones), each list sorted. */
function factsByKey(stage: number, parts: readonly Part[]): Map<string, string[]> {
  const facts: string[] = [];
  const keys: string[] = [];
  for (const p of parts) readFacts(ZONE_STAGES[stage].reads, p, facts, keys);
  const out = new Map<string, string[]>();
  facts.forEach((f, n) => {
    const l = out.get(keys[n]);
    if (l) l.push(f); else out.set(keys[n], [f]);
  });
  for (const l of out.values()) l.sort();
  return out;
}

const same = (a: readonly string[] | undefined, b: readonly string[] | undefined): boolean =>
  (a?.length ?? 0) === (b?.length ?? 0) && (a ?? []).every((x, n) => x === b![n]);

export class StageResults {
  /** Per zone stage (ZONE_STAGES order): its diagnostics, moved in place with the edits. */
  diags: ZoneDiagnostic[][] = ZONE_STAGES.map(() => []);
  private dirty: boolean[] = ZONE_STAGES.map(() => true);
  private readonly keys: Set<string>[] = ZONE_STAGES.map(() => new Set());
  private state: unknown[] = ZONE_STAGES.map(() => undefined);
  /**
   * The full run under way (in slices: recheckNext resumes it). Any edit drops it: its view and
   * the positions it read are of an older text; its stage stays dirty and runs again from the
   * start, so a result is never one of a text that no longer is.
   */
  private running?: Steps<void>;
  private readonly slice = new Slice();

  /** Every stage runs in full next time. */
  reset(): void {
    this.running = undefined;
    this.dirty = ZONE_STAGES.map(() => true);
    for (const k of this.keys) k.clear();
  }

  /** Some stage has work to do. */
  get pending(): boolean {
    return this.dirty.includes(true) || this.keys.some((k) => k.size > 0);
  }

  /** An edit replaced the parts `before` with `after`: the stages whose declared facts differ run again (by owner where they can). */
  replaced(before: readonly Part[], after: readonly Part[]): void {
    this.running = undefined;
    ZONE_STAGES.forEach((stage, n) => {
      if (this.dirty[n]) return;
      const a = factsByKey(n, before);
      const b = factsByKey(n, after);
      for (const key of new Set([...a.keys(), ...b.keys()])) {
        if (same(a.get(key), b.get(key))) continue;
        if (key === '' || !stage.incremental) { this.dirty[n] = true; return; }
        this.keys[n].add(key);
      }
    });
  }

  /** A result of stage `n` touches an edit: its owner is re-checked (or the stage, for a zone-wide result). */
  touched(n: number, d: ZoneDiagnostic): void {
    this.running = undefined;
    const key = ZONE_STAGES[n].incremental?.keyOf(this.state[n], d);
    if (key === undefined) this.dirty[n] = true;
    else this.keys[n].add(key);
  }

  /**
   * Runs the first stage with work pending: by owner on `ownerView` (the document's owner
   * index), or in full on the records of `wholeView()` (a whole parse: asked for only then) and
   * the owner index. A full run goes on in slices of about STEP_MS over successive calls.
   */
  recheckNext(wholeView: () => ZoneView, ownerView: ZoneView, options: AnalysisOptions): void {
    if (!this.running) this.start(wholeView, ownerView, options);
    if (!this.running) return;
    this.slice.start(STEP_MS);
    if (this.running.next().done) this.running = undefined;
  }

  private start(wholeView: () => ZoneView, ownerView: ZoneView, options: AnalysisOptions): void {
    const n = ZONE_STAGES.findIndex((_, i) => this.dirty[i] || this.keys[i].size > 0);
    if (n < 0) return;
    const stage = ZONE_STAGES[n];
    {
      const keys = this.keys[n];
      if (!this.dirty[n] && keys.size > 0 && stage.incremental) {
        const r = stage.incremental.update(ownerView, options, this.state[n], keys);
        keys.clear();
        if (r) {
          if (r.removed.length > 0) {
            const gone = new Set(r.removed);
            this.diags[n] = this.diags[n].filter((d) => !gone.has(d));
          }
          for (const d of r.added) this.diags[n].push(d);
          return;
        }
        this.dirty[n] = true;
      }
      if (!this.dirty[n]) return;
      keys.clear();
      this.running = this.fullRun(n, wholeView, ownerView, options);
    }
  }

  /** Stage n in full; it stays dirty until the run ends (an edit meanwhile drops the run). */
  private *fullRun(n: number, wholeView: () => ZoneView, ownerView: ZoneView, options: AnalysisOptions): Steps<void> {
    const stage = ZONE_STAGES[n];
    const slice = this.slice;
    const view = yield* gatherView(ownerView, wholeView, stage.reads, slice);
    if (stage.incremental) {
      const r = stage.incremental.fullSteps ? yield* stage.incremental.fullSteps(view, options, slice) : stage.incremental.full(view, options);
      this.diags[n] = r.diagnostics;
      this.state[n] = r.state;
    } else {
      this.diags[n] = stage.steps ? yield* stage.steps(view, options, slice) : stage.run(view, options);
    }
    this.dirty[n] = false;
  }
}
