import { fileURLToPath } from 'node:url';

/** A file: URI → path; undefined for other schemes (untitled:, …) or malformed URIs (same as languageServer.ts uriToPath). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
