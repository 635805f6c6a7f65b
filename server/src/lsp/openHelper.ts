import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AnalysisOptions, OpeningTail } from '../core';
import type { OpeningHelper } from './opening';
import type { OpeningJob } from './openWorker';

/**
 * The main thread's side of lsp/openWorker.ts (Node only): one worker thread, started with the
 * server, one job at a time. A job the worker cannot take (busy, not started, options it cannot
 * be sent) is refused (undefined); a worker that fails answers undefined and is not used again.
 * The open never waits for it: the main thread's own parse goes on, and a late answer is dropped.
 * After a job the thread is ended (its heap, the text's copy among it, goes at once: an idle
 * thread would not collect it) and a new one started a few seconds later, ready for the next.
 */
export class WorkerOpeningHelper implements OpeningHelper {
  private worker?: Worker;
  private busy = false;
  private nextId = 1;
  private pending?: { id: number; resolve: (tail: OpeningTail | undefined) => void };
  private disposed = false;
  private restart?: NodeJS.Timeout;

  constructor(
    /** Documents shorter than this are parsed by the main thread alone (a worker would not win). */
    readonly minLength = 4 * 1024 * 1024,
    /** Where in the text the worker's part starts. */
    readonly fraction = 0.55,
    private readonly script = path.join(__dirname, 'openWorker.js'),
    /** How long after a job the next thread is started. */
    private readonly restartMs = 5000,
    /** Help whatever the machine's load (tests). */
    private readonly ignoreLoad = false,
  ) {
    this.start();
  }

  /** Starts the thread (and warms it), unless the machine is busy: then the next large document that is opened on a free core starts it. */
  private start(): void {
    this.restart = undefined;
    if (this.disposed || this.worker || !this.coreFree()) return;
    try {
      if (!fs.existsSync(this.script)) return; // (a bundle without the worker's script: the main thread alone)
      const w = new Worker(this.script);
      w.unref();
      w.on('message', (m: { id?: number; tail?: OpeningTail; error?: string }) => {
        if (m.id !== undefined && this.pending?.id === m.id) this.settle(m.tail);
      });
      w.on('error', () => this.stop(w));
      w.on('exit', () => this.stop(w));
      this.worker = w;
    } catch {
      this.worker = undefined;
    }
  }

  wants(length: number): boolean {
    if (length < this.minLength || this.busy || !this.coreFree()) return false;
    if (this.worker) return true;
    if (!this.restart) this.start(); // (not warm yet: it helps from the next one)
    return false;
  }

  tail(text: string, options: AnalysisOptions): Promise<OpeningTail | undefined> | undefined {
    const w = this.worker;
    if (!w || !this.wants(text.length)) return undefined;
    // (what the parse reads is data; file access and callbacks stay here: a text with $INCLUDE gets no tail)
    const { io: _io, onRecord: _onRecord, certificates: _certificates, ...plain } = options;
    const job: OpeningJob = { id: this.nextId++, text, options: plain, fraction: this.fraction };
    try {
      w.postMessage(job);
    } catch {
      return undefined;
    }
    this.busy = true;
    return new Promise((resolve) => { this.pending = { id: job.id, resolve }; });
  }

  private settle(tail: OpeningTail | undefined): void {
    const p = this.pending;
    this.pending = undefined;
    this.busy = false;
    p?.resolve(tail);
    if (p && this.worker) {
      // (its heap goes with it; the next one a little later, not while the open goes on)
      const w = this.worker;
      this.worker = undefined;
      void w.terminate();
      if (!this.disposed && !this.restart) {
        this.restart = setTimeout(() => this.start(), this.restartMs);
        this.restart.unref();
      }
    }
  }

  /**
   * A core is free for the worker: the load average of the last minute leaves one. On a busy
   * machine the worker's part comes after the main thread's whole parse and only costs it CPU
   * (the 1M bench zone on this project's shared 2-core machine, alternating runs at loads 1.3-4.2:
   * open -> first diagnostics 1.23-4.02 s, median 2.42, with it; 1.28-3.16 s, median 1.49, without).
   */
  private coreFree(): boolean {
    return this.ignoreLoad || os.loadavg()[0] <= (os.availableParallelism?.() ?? os.cpus().length) - 1;
  }

  /** A thread that failed or ended: not used again (one that failed is not restarted). */
  private stop(w: Worker): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    this.settle(undefined);
  }

  dispose(): void {
    this.disposed = true;
    if (this.restart) clearTimeout(this.restart);
    const w = this.worker;
    this.worker = undefined;
    this.settle(undefined);
    void w?.terminate();
  }
}
