import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fullReparseAnalyzer, incrementalAnalyzer } from '../lsp/analyzer';
import { CertificateWatcher } from '../lsp/certWatch';
import { liveFeature } from '../lsp/features/live';
import { GitBaseline } from '../lsp/gitBaseline';
import { GitHistory } from '../lsp/gitHistory';
import type { ServerHost } from '../lsp/host';
import { uriToPath } from '../lsp/uri';
import { createNodeIO, isInside, packageInfo } from './io';

/**
 * The language server's host on Node (lsp/host.ts): files through node:fs (./io.ts, confined to
 * the workspace folders when untrusted), linked certificates watched by the client's file
 * watchers or by stat polling (lsp/certWatch.ts), git for `soa-serial-unchanged` and the timed
 * rotation (lsp/gitBaseline.ts, lsp/gitHistory.ts), the live check.
 */

/** DANE_ZONE_ANALYZER=full|incremental picks the analysis model (for comparisons and debugging). */
function analyzerFromEnvironment() {
  const name = process.env.DANE_ZONE_ANALYZER;
  return [fullReparseAnalyzer, incrementalAnalyzer].find((a) => a.name === name);
}

export function nodeServerHost(): ServerHost {
  return {
    name: 'node',
    version: packageInfo().version,
    analyzer: analyzerFromEnvironment(),
    features: [liveFeature],
    pathOf: uriToPath,
    uriOf: (p) => pathToFileURL(p).href,
    isAbsolute: (p) => path.isAbsolute(p),
    joinPath: (dir, name) => path.join(dir, name),
    createIO: ({ folders, trusted }) => createNodeIO({ baseDir: folders[0], allowedRoots: trusted ? undefined : folders }),
    watchLinkedFiles: (o) => new CertificateWatcher({
      ...o,
      allowed: (file) => o.trusted() || o.folders().some((f) => isInside(path.resolve(file), path.resolve(f))),
    }),
    gitBaseline: () => new GitBaseline(),
    gitHistory: (log) => new GitHistory(log),
  };
}
