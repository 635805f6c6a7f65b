import { getZoneLanguageService, LineIndex, Lines, ParsedZone, ZoneIO } from '../../core';

const core = getZoneLanguageService();

/**
 * The zone files of the workspace folders, listed and read through the server's ZoneIO (its
 * size limits, and its confinement to the workspace folders when the workspace is untrusted),
 * parsed once per size + mtime. Workspace symbols search them.
 */

/** Zone file names, as package.json contributes them. */
const ZONE_FILE = /\.(zone|signed|arpa)$|^db\.|^named\.(root|ca)$|^root\.hints$/i;
const MAX_FILES = 500;
const MAX_DEPTH = 8;
export const MAX_ZONE_FILE_BYTES = 16 * 1024 * 1024;

export interface WorkspaceZoneFile {
  mtimeMs: number;
  size: number;
  parsed: ParsedZone;
  lines: Lines;
}

export class WorkspaceZones {
  /** Parsed zone files by path, reparsed when their mtime or size changes. */
  private readonly cache = new Map<string, WorkspaceZoneFile>();

  /**
   * `io` is read at each call: the server replaces its ZoneIO when trust or the folders change.
   * `join` names an entry of a listed folder as `io` reads it (a path on Node, a URI in a Web Worker: the host's).
   */
  constructor(private readonly io: () => ZoneIO, private readonly join: (dir: string, name: string) => string) {}

  /**
   * Zone files under the folders (at most 500, 8 levels deep; hidden entries, node_modules and
   * symbolic links skipped).
   */
  list(roots: readonly string[]): string[] {
    const out: string[] = [];
    const io = this.io();
    if (!io.listDir) return out;
    const listDir = io.listDir.bind(io);
    const walk = (dir: string, depth: number): void => {
      if (depth > MAX_DEPTH || out.length >= MAX_FILES) return;
      let entries: ReturnType<typeof listDir>;
      try {
        entries = listDir(dir);
      } catch {
        return; // unreadable, or outside the workspace when untrusted
      }
      for (const e of entries) {
        if (out.length >= MAX_FILES) return;
        if (e.name.startsWith('.') || e.name === 'node_modules' || e.link) continue;
        const p = this.join(dir, e.name);
        if (e.directory) walk(p, depth + 1);
        else if (ZONE_FILE.test(e.name)) out.push(p);
      }
    };
    for (const root of roots) walk(root, 0);
    return out;
  }

  /** The file parsed (from the cache when its size and mtime are unchanged); undefined when it cannot be read or is over 16 MiB. */
  parsed(file: string): WorkspaceZoneFile | undefined {
    const io = this.io();
    try {
      const st = io.statFile?.(file);
      if (!st || st.size > MAX_ZONE_FILE_BYTES) return undefined;
      const have = this.cache.get(file);
      if (have && have.mtimeMs === st.mtimeMs && have.size === st.size) return have;
      const text = io.readBytes ? new TextDecoder().decode(io.readBytes(file, MAX_ZONE_FILE_BYTES)) : io.readFile(file);
      // No io: $INCLUDEd files are symbols of their own when they are zone files.
      const entry = { mtimeMs: st.mtimeMs, size: st.size, parsed: core.parseZone(text, { fileName: file }), lines: new LineIndex(text) };
      this.cache.set(file, entry);
      return entry;
    } catch {
      return undefined;
    }
  }
}
