import * as fs from 'node:fs';
import * as path from 'node:path';
import { ZoneIO } from '../core/types';

/**
 * The Node implementation of ZoneIO (core/types.ts), shared by the CLI and the language
 * server. Reads are synchronous (the parser is), bounded in size, limited to regular files,
 * and optionally confined to a set of folders (untrusted workspaces).
 */

export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

export interface NodeIOOptions {
  /** Largest file readFile accepts, in bytes (default 64 MiB). */
  maxBytes?: number;
  /** Where relative paths go when there is no including file (default: the process's cwd). */
  baseDir?: string;
  /**
   * When set, only files inside these folders may be read (symbolic links are resolved
   * first); anything else is refused with `refusal` as the message.
   */
  allowedRoots?: readonly string[];
  refusal?: string;
  /**
   * Tests only: called between the confinement check and the open, with the checked real path
   * (a test swaps a symbolic link in here to show the open does not follow it out).
   */
  afterCheck?: (real: string) => void;
  /** The clock (tests pass a fixed one). */
  now?: () => Date;
}

export const UNTRUSTED_REFUSAL =
  'not read: the workspace is not trusted and this file is outside its folders (trust the workspace to allow $INCLUDE of outside files)';

function size(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MiB`;
}

/** Why a file operation failed, in a few words (no path, no errno noise). */
export function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOENT': return 'no such file';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory, not a file';
    case 'ENOTDIR': return 'a part of the path is not a directory';
    case 'ELOOP': return 'too many symbolic links';
    case 'ENAMETOOLONG': return 'file name too long';
    case 'EMFILE':
    case 'ENFILE': return 'too many open files';
    default: return err?.message ?? String(e);
  }
}

/**
 * Reads a regular file as UTF-8 text (a leading byte-order mark is dropped, as editors do).
 * Throws an Error whose message says what went wrong, without the path (callers name it).
 */
export function readFileText(file: string, maxBytes = DEFAULT_MAX_BYTES, open?: OpenChecks): string {
  const buf = readFileBytes(file, maxBytes, open);
  const start = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  return buf.toString('utf8', start);
}

/**
 * Reads a regular file's bytes (the checks of readFileText: no FIFO or device is opened, the
 * size is checked before anything is read). Throws an Error without the path.
 */
export function readFileBytes(file: string, maxBytes = DEFAULT_MAX_BYTES, open: OpenChecks = {}): Buffer {
  // Look before opening: opening a FIFO or a device could block or never end.
  let pre: fs.Stats;
  try {
    pre = open.noFollow ? fs.lstatSync(file) : fs.statSync(file);
  } catch (e) {
    throw new Error(describeFsError(e));
  }
  if (pre.isDirectory()) throw new Error('is a directory, not a file');
  if (!pre.isFile()) throw new Error('not a regular file');
  open.afterCheck?.(file);
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (open.noFollow ? fs.constants.O_NOFOLLOW ?? 0 : 0));
  } catch (e) {
    throw new Error(describeFsError(e));
  }
  try {
    let st: fs.Stats;
    try { st = fs.fstatSync(fd); } catch (e) { throw new Error(describeFsError(e)); }
    if (st.isDirectory()) throw new Error('is a directory, not a file');
    if (!st.isFile()) throw new Error('not a regular file');
    open.verify?.(fd, st);
    if (st.size > maxBytes) throw new Error(`too large (${size(st.size)}; the limit is ${size(maxBytes)})`);
    const buf = Buffer.allocUnsafe(st.size);
    let got = 0;
    try {
      while (got < st.size) {
        const n = fs.readSync(fd, buf, got, st.size - got, got);
        if (n === 0) break; // the file shrank while we read it
        got += n;
      }
    } catch (e) {
      throw new Error(describeFsError(e));
    }
    return got === st.size ? buf : buf.subarray(0, got);
  } finally {
    try { fs.closeSync(fd); } catch { /* nothing to do */ }
  }
}

/** How readFileBytes opens a file whose path was checked (untrusted workspaces). */
export interface OpenChecks {
  /** Open without following a symbolic link in the last component (O_NOFOLLOW). */
  noFollow?: boolean;
  /** Called with the open descriptor and its fstat; throws to refuse what was opened. */
  verify?: (fd: number, st: fs.Stats) => void;
  /** Tests only: runs between the checks and the open. */
  afterCheck?: (file: string) => void;
}

/** readFileText with the file named in the error message: `FILE: no such file`. */
export function readTextFile(file: string, maxBytes = DEFAULT_MAX_BYTES): string {
  try {
    return readFileText(file, maxBytes);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}

function realOrResolved(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    // Not there (yet): resolve the parent, which may be a link, and keep the base name.
    const abs = path.resolve(p);
    const parent = path.dirname(abs);
    if (parent === abs) return abs;
    return path.join(realOrResolved(parent), path.basename(abs));
  }
}

/** True when `file` is `root` or inside it (both absolute, already resolved). */
export function isInside(file: string, root: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (rel !== '..' && !rel.startsWith('..' + path.sep) && !path.isAbsolute(rel));
}

export function createNodeIO(options: NodeIOOptions = {}): ZoneIO {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const roots = options.allowedRoots?.map(realOrResolved);
  const clock = options.now ?? (() => new Date());
  const refuse = (): never => { throw new Error(options.refusal ?? UNTRUSTED_REFUSAL); };
  const inside = (p: string): boolean => roots!.some((r) => isInside(p, r));
  /**
   * Untrusted workspaces: the path is resolved (links followed) and checked, then the resolved
   * path is opened without following a link, and what was opened is checked again: its real
   * path (Linux: /proc/self/fd) must be inside, or (elsewhere) it must be the file now at the
   * checked path (same device and inode). A link swapped in between the check and the open
   * cannot make the server read a file outside the workspace.
   */
  const confine = (file: string): { path: string; checks?: OpenChecks } => {
    if (!roots) return { path: file };
    const real = realOrResolved(file);
    if (!inside(real)) refuse();
    const verify = (fd: number, st: fs.Stats): void => {
      let opened: string | undefined;
      try { opened = fs.readlinkSync(`/proc/self/fd/${fd}`); } catch { /* not Linux */ }
      if (opened !== undefined && path.isAbsolute(opened)) {
        if (!inside(opened)) refuse();
        return;
      }
      let now: fs.Stats | undefined;
      try { now = fs.statSync(real); } catch { /* gone */ }
      if (!now || now.dev !== st.dev || now.ino !== st.ino) refuse();
    };
    return { path: real, checks: { noFollow: true, verify, afterCheck: options.afterCheck } };
  };
  return {
    readFile(file: string): string {
      const c = confine(file);
      return readFileText(c.path, maxBytes, c.checks);
    },
    readBytes(file: string, limit?: number): Uint8Array {
      const c = confine(file);
      return readFileBytes(c.path, limit === undefined ? maxBytes : Math.min(limit, maxBytes), c.checks);
    },
    statFile(file: string): { size: number; mtimeMs: number } {
      confine(file);
      const st = fs.statSync(file);
      return { size: st.size, mtimeMs: st.mtimeMs };
    },
    listDir(dir: string): { name: string; directory: boolean }[] {
      confine(dir);
      return fs.readdirSync(dir, { withFileTypes: true }).map((e) => {
        let directory = e.isDirectory();
        const link = e.isSymbolicLink();
        if (link) {
          try { directory = fs.statSync(path.join(dir, e.name)).isDirectory(); } catch { /* a dangling link: a file */ }
        }
        return { name: e.name, directory, link };
      });
    },
    resolvePath(fromFile: string | undefined, p: string): string {
      if (p.length === 0) throw new Error('empty file name');
      if (p.includes('\0')) throw new Error('a file name cannot contain NUL');
      if (path.isAbsolute(p)) return path.normalize(p);
      const base = fromFile ? path.dirname(path.resolve(options.baseDir ?? process.cwd(), fromFile)) : options.baseDir ?? process.cwd();
      return path.resolve(base, p);
    },
    now: clock,
  };
}

export interface PackageInfo {
  name: string;
  version: string;
  homepage?: string;
}

let pkgCache: PackageInfo | undefined;

/**
 * The product's package.json (name, version, homepage), found by walking up from this
 * module: works from out/server/src/node/ and from a bundle in dist/.
 */
export function packageInfo(): PackageInfo {
  if (pkgCache) return pkgCache;
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      if (pkg.name === 'dane-zone') {
        const repo = pkg.repository as { url?: string } | string | undefined;
        const repoUrl = typeof repo === 'string' ? repo : repo?.url;
        const homepage = typeof pkg.homepage === 'string' ? pkg.homepage : repoUrl?.replace(/^git\+/, '').replace(/\.git$/, '');
        pkgCache = { name: 'dane-zone', version: String(pkg.version ?? '0.0.0'), homepage };
        return pkgCache;
      }
    } catch {
      /* not here: go up */
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  pkgCache = { name: 'dane-zone', version: '0.0.0' };
  return pkgCache;
}
