/**
 * The live check: what the world sees of a domain's MX hosts (DNSSEC status of MX, A/AAAA and
 * TLSA, drift against the zone file, the certificate each address presents over STARTTLS).
 *
 *   checkLive(target, io, options) → LiveReport        (check.ts; io: createNodeLiveIO() or a fake)
 *   liveDiagnostics(report, parsedZone) → diagnostics   (source `dane-live`, for the language server)
 *   liveText / liveJson / liveExitCode                   (format.ts, for the CLI)
 *
 * Importing this module touches no network; only checkLive does, with the io it is given.
 */
export { checkLive, DEFAULT_TIMEOUTS } from './check';
export { authenticates } from './assess';
export type { LiveCheckOptions, LiveTimeouts } from './check';
export { liveDiagnostics, LIVE_SOURCE, LIVE_CODES } from './diagnostics';
export type { LiveDiagnostic } from './diagnostics';
export { liveText, liveJson, liveExitCode, LIVE_EXIT } from './format';
export type { LiveZone } from './zoneFile';
export * from './types';
