/**
 * How the server's host names files (the part of ServerHost, ./host.ts, that feature handlers
 * reach through `ctx.host`): paths on Node, the documents' URIs in a Web Worker.
 */
export interface HostFileNames {
  /** A document or folder URI → the name its ZoneIO reads it by; undefined when there is none (untitled:). */
  pathOf(uri: string): string | undefined;
  /** The inverse, for links and workspace symbols. */
  uriOf(path: string): string;
  /** True when `path` names a file without a base (for links in documents that have no name). */
  isAbsolute(path: string): boolean;
  /** The name of the entry `name` of the folder `dir` (workspace symbols list the folders). */
  joinPath(dir: string, name: string): string;
}
