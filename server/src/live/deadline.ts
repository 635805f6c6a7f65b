/**
 * Deadlines, cancellation and a connection cap for the live check. A step's deadline holds
 * even when the I/O under it ignores its AbortSignal: the step's promise is raced against
 * the deadline, and the signal tells the I/O to stop.
 */

/** A step that ran out of time. */
export class DeadlineError extends Error {
  constructor(readonly what: string, readonly ms: number) {
    super(`${what}: no answer within ${formatMs(ms)}`);
    this.name = 'DeadlineError';
  }
}

/** The whole check was stopped (the caller's signal or the overall deadline). */
export class AbortedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'AbortedError';
  }
}

export function formatMs(ms: number): string {
  return ms >= 1000 && ms % 100 === 0 ? `${ms / 1000} s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}

/**
 * One 'abort' listener per signal, whatever the number of waiters: many concurrent lookups
 * and connections wait on the check's overall signal, and Node warns
 * (MaxListenersExceededWarning) past 10 listeners on one EventTarget (issue 17 item 8).
 * Returns the function that unsubscribes; `cb` runs at most once.
 */
const hubs = new WeakMap<AbortSignal, Set<() => void>>();

export function onAbort(signal: AbortSignal, cb: () => void): () => void {
  let set = hubs.get(signal);
  if (!set) {
    const s = new Set<() => void>();
    set = s;
    hubs.set(signal, s);
    signal.addEventListener('abort', () => {
      hubs.delete(signal);
      for (const f of [...s]) f();
      s.clear();
    }, { once: true });
  }
  const entry = (): void => cb();
  set.add(entry);
  const mine = set;
  return () => { mine.delete(entry); };
}

function reasonOf(signal: AbortSignal): Error {
  const r = signal.reason as unknown;
  if (r instanceof Error && (r.name === 'AbortedError' || r.name === 'DeadlineError')) return r;
  return new AbortedError(r instanceof Error ? r.message : typeof r === 'string' ? r : 'the check was cancelled');
}

/**
 * Runs `fn` with a signal that aborts after `ms` or when `parent` aborts, and settles by then
 * at the latest: with `fn`'s result, a DeadlineError, or the parent's AbortedError.
 */
export function withDeadline<T>(parent: AbortSignal, ms: number, what: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  if (parent.aborted) return Promise.reject(reasonOf(parent));
  const ctl = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const finish = (): void => {
      done = true;
      clearTimeout(timer);
      unsubscribe();
    };
    const onParent = (): void => {
      if (done) return;
      finish();
      const e = reasonOf(parent);
      ctl.abort(e);
      reject(e);
    };
    const timer = setTimeout(() => {
      if (done) return;
      finish();
      const e = new DeadlineError(what, ms);
      ctl.abort(e);
      reject(e);
    }, ms);
    const unsubscribe = onAbort(parent, onParent);
    let p: Promise<T>;
    try {
      p = fn(ctl.signal);
    } catch (e) {
      finish();
      reject(e);
      return;
    }
    p.then(
      (v) => { if (!done) { finish(); resolve(v); } },
      (e) => { if (!done) { finish(); reject(e); } },
    );
  });
}

/** A signal that aborts when `parent` does or after `ms` (the overall deadline), and a way to release its timer. */
export function deadlineSignal(parent: AbortSignal | undefined, ms: number, what: string): { signal: AbortSignal; dispose(): void } {
  const ctl = new AbortController();
  const onParent = (): void => ctl.abort(new AbortedError(parent?.reason instanceof Error ? parent.reason.message : 'the check was cancelled'));
  let unsubscribe = (): void => undefined;
  if (parent?.aborted) onParent();
  else if (parent) unsubscribe = onAbort(parent, onParent);
  const timer = setTimeout(() => ctl.abort(new AbortedError(`${what}: the overall deadline of ${formatMs(ms)} passed`)), ms);
  return {
    signal: ctl.signal,
    dispose: () => {
      clearTimeout(timer);
      unsubscribe();
    },
  };
}

/** At most `limit` holders at once; waiters are served in order and leave when their signal aborts. */
export class Semaphore {
  private active = 0;
  private readonly waiting: { grant: () => void }[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
    await this.acquire(signal);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  private acquire(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(reasonOf(signal));
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const entry = {
        grant: () => {
          unsubscribe();
          this.active++;
          resolve();
        },
      };
      const unsubscribe = onAbort(signal, () => {
        const i = this.waiting.indexOf(entry);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(reasonOf(signal));
      });
      this.waiting.push(entry);
    });
  }

  private release(): void {
    this.active--;
    const next = this.waiting.shift();
    if (next) next.grant();
  }
}
