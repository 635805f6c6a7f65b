/**
 * A deterministic count of the work the lexer and parser did: characters the lexer examined
 * (each pass over a character counts, so re-scanning shows) plus tokens the parser handled.
 * Property tests assert that it grows linearly with the input, which no busy machine can
 * disturb; real timings belong to the benchmark.
 */
export const work = {
  steps: 0,
  /**
   * Characters the lexer's native searches (`EntryScan.find`: `indexOf` for the next backslash,
   * line end, U+FFFD) ran over; kept apart from `steps`, which counts what the character loop
   * would examine. Tests assert that a document's chunk-by-chunk parse keeps it linear.
   */
  searched: 0,
};

/**
 * Cooperative slicing of a long synchronous run (the zone stages' full runs in the editor): the
 * run is a generator (`Steps`) whose loops ask `slice.due()` now and then and `yield` when it says
 * so; the language server resumes it once per slice, between which the event loop answers
 * hovers, completions and newer edits. `finish` runs one to its end at once (the CLI, tests,
 * `zoneDiagnostics()`): with the `NEVER` slice, a loop's only extra cost is the call to `due()`.
 */
export type Steps<R> = Generator<void, R, void>;

/** Runs `steps` to the end, synchronously. */
export function finish<R>(steps: Steps<R>): R {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * For tests: when `items` > 0, a slice ends after that many `due()` calls whatever the clock says
 * (so a small zone takes many slices, deterministically).
 */
export const slicing = { items: 0 };

/** When a run should yield: at `until` (Date.now() milliseconds), checked every few calls. */
export class Slice {
  until = Infinity;
  private calls = 0;

  /** Starts a slice of `ms` milliseconds. */
  start(ms: number): this {
    this.until = Date.now() + ms;
    this.calls = 0;
    return this;
  }

  due(): boolean {
    if (this.until === Infinity) return false;
    const n = ++this.calls;
    if (slicing.items > 0) return n >= slicing.items;
    return (n & 31) === 0 && Date.now() >= this.until;
  }
}

/** A slice that never ends: a run given it never yields (do not `start` it). */
export const NEVER: Slice = new Slice();
