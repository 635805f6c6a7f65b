import { execFile, spawn } from 'node:child_process';
import * as path from 'node:path';
import { getZoneLanguageService, GitPublication } from '../core';

/**
 * When each TLSA record of a zone file was first committed in git, for timed rotation
 * (`tlsa-rotation-too-early`, the safe-after time in hovers and rotation comments; the check
 * itself is the core's, certs/published.ts). The sibling of gitBaseline.ts, and like it the
 * only place besides it that runs git.
 *
 * How: the commits that touched the file along the first-parent line (`git log --first-parent
 * --format="%H %ct" -- FILE`, newest first; a merge counts as when the branch landed), the
 * file's text at each through one `git cat-file --batch`, and the TLSA records of each version
 * (core.tlsaRecordKeysOf). Walking back from HEAD, a record's time is the committer date of the
 * oldest commit of its unbroken run up to HEAD; the walk stops once every record of HEAD has a
 * commit without it. Bounded: at most MAX_COMMITS commits, MAX_BYTES of file text and
 * DEADLINE_MS in all (a record still present where the walk stopped gets the oldest time seen,
 * which only makes it look newer). Kept per file and HEAD commit, so git runs again only when
 * HEAD moves (asked at most every KEEP_MS): never over the whole history on a keystroke.
 *
 * Nothing for untrusted workspaces (the caller does not ask), files outside a repository,
 * files with no commit, or when git is missing: each is said once in the log.
 */

const core = getZoneLanguageService();

const MAX_COMMITS = 500;
const MAX_BYTES = 64 * 1024 * 1024;
const DEADLINE_MS = 5000;
/** How long an answer is kept before HEAD is asked again. */
const KEEP_MS = 5000;

function git(cwd: string, args: string[], timeout = DEADLINE_MS): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout, maxBuffer: 4 * 1024 * 1024, encoding: 'utf8', windowsHide: true }, (err, stdout) => {
      resolve(err ? undefined : stdout);
    });
  });
}

/** `git cat-file --batch`: the blobs asked for, one at a time (undefined once it failed or closed). */
class CatFile {
  private readonly proc;
  /** What came and is not taken yet (joined only when an answer can be complete: no quadratic copying). */
  private chunks: Buffer[] = [];
  private length = 0;
  private need = 1;
  private waiting?: (b: Buffer | undefined) => void;
  private dead = false;

  constructor(cwd: string) {
    this.proc = spawn('git', ['cat-file', '--batch'], { cwd, stdio: ['pipe', 'pipe', 'ignore'], windowsHide: true });
    this.proc.on('error', () => this.fail());
    this.proc.on('close', () => this.fail());
    this.proc.stdin.on('error', () => this.fail());
    this.proc.stdout.on('data', (d: Buffer) => {
      this.chunks.push(d);
      this.length += d.length;
      if (this.length >= this.need) this.take();
    });
  }

  private fail(): void {
    this.dead = true;
    this.answer(undefined);
  }

  private answer(b: Buffer | undefined): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.(b);
  }

  /** A complete answer goes to the waiting reader: `<oid> blob <size>` LF, the bytes, LF; or a `missing` line. */
  private take(): void {
    if (!this.waiting || this.length === 0) return;
    const buf = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.length);
    this.chunks = [buf];
    const nl = buf.indexOf(10);
    if (nl < 0) { this.need = this.length + 1; return; }
    const m = /^\S+ blob (\d+)$/.exec(buf.subarray(0, nl).toString('utf8'));
    const end = m ? nl + 1 + Number(m[1]) + 1 : nl + 1; // not a blob (`… missing`): an empty answer
    if (buf.length < end) { this.need = end; return; }
    const rest = buf.subarray(end);
    this.chunks = rest.length ? [rest] : [];
    this.length = rest.length;
    this.need = 1;
    this.answer(m ? buf.subarray(nl + 1, end - 1) : Buffer.alloc(0));
  }

  get(spec: string): Promise<Buffer | undefined> {
    if (this.dead) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.proc.stdin.write(`${spec}\n`);
      this.take();
    });
  }

  close(): void {
    this.proc.stdin.end();
    if (!this.dead) this.proc.kill();
  }
}

export class GitHistory {
  private readonly cache = new Map<string, { at: number; head?: string; value: Promise<GitPublication | undefined> }>();
  private readonly said = new Set<string>();

  /** `log` hears, once per file (or once in all for an untrusted workspace), why there is no timing. */
  constructor(private readonly log: (message: string) => void = () => undefined) {}

  private sayOnce(key: string, message: string): void {
    if (this.said.has(key)) return;
    this.said.add(key);
    this.log(message);
  }

  /** The asker for the certificate stage: nothing (said once) while the workspace is untrusted. */
  forWorkspace(trusted: () => boolean): (file: string) => Promise<GitPublication | undefined> {
    return (file) => {
      if (trusted()) return this.get(file);
      this.sayOnce('\0untrusted', 'untrusted workspace: git is not run, so TLSA records have no publication times (no tlsa-rotation-too-early)');
      return Promise.resolve(undefined);
    };
  }

  /** When the TLSA records of `file` were first committed; undefined when that cannot be known. Never throws. */
  get(file: string): Promise<GitPublication | undefined> {
    const hit = this.cache.get(file);
    if (hit && Date.now() - hit.at < KEEP_MS) return hit.value;
    const entry: { at: number; head?: string; value: Promise<GitPublication | undefined> } = { at: Date.now(), head: hit?.head, value: Promise.resolve(undefined) };
    entry.value = this.refresh(file, entry, hit);
    this.cache.set(file, entry);
    return entry.value;
  }

  private async refresh(file: string, entry: { head?: string }, hit: { head?: string; value: Promise<GitPublication | undefined> } | undefined): Promise<GitPublication | undefined> {
    const out = (await git(path.dirname(file), ['rev-parse', '--show-toplevel', 'HEAD']))?.trim().split('\n');
    if (!out || out.length < 2) {
      this.sayOnce(file, `${file} is not in a git repository with commits (or git is missing): its TLSA records have no publication times (no tlsa-rotation-too-early)`);
      return undefined;
    }
    const [top, head] = out;
    entry.head = head;
    if (hit && hit.head === head) return hit.value; // HEAD did not move: the same history
    try {
      return await this.load(file, top, head);
    } catch (e) {
      this.sayOnce(file, `reading the git history of ${file} failed (${e instanceof Error ? e.message : String(e)}): no tlsa-rotation-too-early`);
      return undefined;
    }
  }

  private async load(file: string, top: string, head: string): Promise<GitPublication | undefined> {
    const rel = path.relative(top, file).split(path.sep).join('/');
    if (rel.startsWith('..')) return undefined;
    const deadline = Date.now() + DEADLINE_MS;
    const log = await git(top, ['log', '--first-parent', `--max-count=${MAX_COMMITS}`, '--format=%H %ct', head, '--', rel]);
    const commits = (log ?? '').split('\n').filter((l) => /^[0-9a-f]+ \d+$/.test(l)).map((l) => {
      const [hash, ct] = l.split(' ');
      return { hash, ms: Number(ct) * 1000 };
    });
    if (commits.length === 0) {
      this.sayOnce(file, `${file} has no git commit: its TLSA records have no publication times (no tlsa-rotation-too-early)`);
      return undefined;
    }
    const times = new Map<string, number>();
    const open = new Set<string>();
    const cat = new CatFile(top);
    // A git that hangs (a lock, a slow disk) is stopped at the deadline: the pending read gets undefined.
    const stop = setTimeout(() => cat.close(), Math.max(0, deadline - Date.now()));
    let bytes = 0;
    try {
      for (const [i, c] of commits.entries()) {
        const blob = await cat.get(`${c.hash}:${rel}`);
        const cut = (last = c.hash) => this.sayOnce(`${file}\0cut`, `the git history of ${file} was read back to commit ${last.slice(0, 12)} only (limits: ${MAX_COMMITS} commits, ${MAX_BYTES >> 20} MiB, ${DEADLINE_MS / 1000} s): older TLSA records count as published then`);
        if (blob === undefined) {
          // Not even HEAD's version: no times at all (every record would look unpublished).
          if (i === 0) throw new Error('git cat-file gave no answer');
          cut(commits[i - 1].hash);
          break;
        }
        bytes += blob.length;
        const keys = core.tlsaRecordKeysOf(blob.toString('utf8'), { fileName: file });
        if (i === 0) {
          for (const k of keys) { open.add(k); times.set(k, c.ms); }
        } else {
          for (const k of [...open]) {
            if (keys.has(k)) times.set(k, c.ms);
            else open.delete(k);
          }
        }
        if (open.size === 0) break;
        if (bytes > MAX_BYTES || Date.now() > deadline || i === MAX_COMMITS - 1) {
          cut();
          break;
        }
      }
    } finally {
      clearTimeout(stop);
      cat.close();
    }
    return { firstCommitted: times };
  }
}
