import { execFile } from 'node:child_process';
import * as path from 'node:path';

/**
 * The version of a zone file committed in git (HEAD), for the `soa-serial-unchanged` check.
 * Asked of `git` once per file and kept until the file is saved (a commit usually follows a
 * save); nothing when the file is not in a repository, git is missing, or the workspace is
 * untrusted (the caller does not ask then).
 */

const TIMEOUT_MS = 3000;
const MAX_BYTES = 16 * 1024 * 1024;

function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: TIMEOUT_MS, maxBuffer: MAX_BYTES, encoding: 'utf8', windowsHide: true }, (err, stdout) => {
      resolve(err ? undefined : stdout);
    });
  });
}

/** How long an answer is kept: a commit made meanwhile is seen after this long. */
const KEEP_MS = 5000;

export class GitBaseline {
  private readonly cache = new Map<string, { at: number; value: Promise<{ text: string; label: string } | undefined> }>();

  /** The committed text of `file` with a label such as "the version committed in git (HEAD)". */
  get(file: string): Promise<{ text: string; label: string } | undefined> {
    const hit = this.cache.get(file);
    if (hit && Date.now() - hit.at < KEEP_MS) return hit.value;
    const value = this.load(file);
    this.cache.set(file, { at: Date.now(), value });
    return value;
  }

  forget(file: string): void {
    this.cache.delete(file);
  }

  private async load(file: string): Promise<{ text: string; label: string } | undefined> {
    const dir = path.dirname(file);
    const top = (await git(dir, ['rev-parse', '--show-toplevel']))?.trim();
    if (!top) return undefined;
    const rel = path.relative(top, file).split(path.sep).join('/');
    if (rel.startsWith('..')) return undefined;
    const text = await git(top, ['show', `HEAD:${rel}`]);
    if (text === undefined) return undefined;
    return { text, label: 'the version committed in git (HEAD)' };
  }
}
