// The processes of a real-editor run: every process started, and every descendant seen while it
// runs (extension hosts, language servers, ...), recorded as pid + start time so that teardown
// never signals a recycled pid; free ports; waiting for a server to answer; the harness's own
// failure (Fatal), reported in one line.
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';

/** The repository root (this file is compiled to out/test/support/e2e/). */
export const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** A failure of the harness itself (not of a test case): reported in one line. */
export class Fatal extends Error {}
export function fatal(msg: string): never {
  throw new Fatal(msg);
}

/** One line for an error: a Fatal's message, else the stack. */
export function describeError(e: unknown): string {
  return e instanceof Fatal ? e.message : (e instanceof Error && e.stack) || String(e);
}

const tracked = new Map<number, string>(); // pid -> start time (clock ticks since boot, /proc/PID/stat field 22)
// Process groups we created (spawn detached): Linux never hands out a pid that is still in use
// as a group id, so a process in one of these groups is ours even after its leader exited.
const groups = new Set<number>();

interface ProcStat {
  ppid: number;
  pgrp: number;
  start: string;
}

function procStat(pid: number | string): ProcStat | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), pgrp: Number(f[2]), start: f[19] };
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const st = procStat(e);
    if (st && st.ppid === pid) out.push(Number(e));
  }
  return out;
}

/** True while pid is alive and is the very process we recorded (not a reused pid). */
function isOurs(pid: number): boolean {
  const st = procStat(pid);
  return !!st && st.start === tracked.get(pid);
}

/** Records the live descendants of the live processes we started, and the members of our groups. */
export function recordDescendants(): void {
  if (groups.size) {
    for (const e of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(e) || tracked.has(Number(e))) continue;
      const st = procStat(e);
      if (st && groups.has(st.pgrp)) tracked.set(Number(e), st.start);
    }
  }
  const queue = [...tracked.keys()].filter(isOurs);
  while (queue.length) {
    for (const c of childrenOf(queue.shift()!)) {
      if (tracked.has(c) && isOurs(c)) continue;
      const st = procStat(c);
      if (!st) continue;
      tracked.set(c, st.start);
      queue.push(c);
    }
  }
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  logFile: string;
  onLine?: (line: string) => void;
}

/** Starts a long-running process in its own process group, logging to logFile. */
export function startProcess(cmd: string, args: string[], { env, logFile, onLine }: StartOptions): ChildProcess {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid !== undefined) {
    const st = procStat(child.pid);
    if (st) tracked.set(child.pid, st.start);
    groups.add(child.pid);
  }
  let buf = '';
  const onData = (d: Buffer) => {
    fs.writeSync(log, d);
    if (!onLine) return;
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const timer = setInterval(recordDescendants, 500);
  timer.unref();
  child.on('exit', () => clearInterval(timer));
  return child;
}

/** Stops everything we started: SIGTERM, then SIGKILL after 3 s; only pids verified as ours. */
export async function killAll(): Promise<{ stopped: number; left: number[] }> {
  recordDescendants();
  const pids = [...tracked.keys()].filter(isOurs);
  for (const sig of ['SIGTERM', 'SIGKILL'] as const) {
    recordDescendants(); // children started since the last snapshot
    for (const pid of [...tracked.keys()]) {
      if (!isOurs(pid)) continue;
      if (!pids.includes(pid)) pids.push(pid);
      try {
        process.kill(pid, sig);
      } catch {
        /* gone meanwhile */
      }
    }
    const until = Date.now() + 3000;
    while (Date.now() < until && pids.some(isOurs)) await new Promise((r) => setTimeout(r, 100));
    if (!pids.some(isOurs)) break;
  }
  const left = pids.filter(isOurs);
  tracked.clear();
  groups.clear();
  return { stopped: pids.length - left.length, left };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves with the status of the first answer from `url`; rejects (Fatal) after `timeoutMs` or when `isDead()`. */
export function waitForHttp(url: string, timeoutMs: number, isDead?: () => boolean): Promise<number | undefined> {
  const until = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (isDead && isDead()) return reject(new Fatal(`server exited before answering ${url}`));
      const req = http.get(url, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', () => {
        if (Date.now() > until) reject(new Fatal(`no answer from ${url} within ${timeoutMs / 1000} s`));
        else setTimeout(attempt, 250);
      });
      req.setTimeout(2000, () => req.destroy());
    };
    attempt();
  });
}
