/**
 * A file: URI → path, as node:url's fileURLToPath gives it (POSIX; drive letters and UNC hosts on
 * Windows); undefined for other schemes (untitled:, vscode-vfs:, …) or malformed URIs. Written
 * without node:url so the LSP layer also bundles for the Web Worker (server/src/browser/), where
 * document names come from the host instead (`ServerHost.pathOf`, lsp/host.ts).
 */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  const windows = typeof process !== 'undefined' && process.platform === 'win32';
  const p = url.pathname;
  // An encoded separator would change which file is named.
  if (/%2f/i.test(p) || (windows && /%5c/i.test(p))) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(p);
  } catch {
    return undefined;
  }
  if (!windows) return url.hostname === '' ? decoded : undefined;
  const backslashed = decoded.replace(/\//g, '\\');
  if (url.hostname !== '') return `\\\\${url.hostname}${backslashed}`;
  return /^\\[A-Za-z]:/.test(backslashed) ? backslashed.slice(1) : undefined;
}
