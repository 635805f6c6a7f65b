import { applySeverities } from '../core/analysis';
import { applyDisableDirectives, checkDane, DaneCollector, DaneOptions, DaneZoneView } from '../core/dane/checks';
import { CertCheckOptions, checkCertificates } from '../core/certs/checks';
import { hasCertLinks } from '../core/certs/link';
import { ZoneChecker } from '../core/checks/zone';
import { DnssecCollector } from '../core/dnssec/stage';
import { LineIndex } from '../core/lineIndex';
import { parseZone } from '../core/parser';
import { SeverityOverrides } from '../core/rules';
import { ZoneDiagnostic, ZoneIO } from '../core/types';
import { ParsedZone } from '../core/model';

/**
 * `dane-zone check` on one text: the parser in streaming mode (records are checked as they
 * are read and then dropped, so memory stays flat on million-record zones), then the
 * zone-wide checks. Same diagnostics as analyzeZone (core/analysis.ts), different memory
 * profile; test/unit/cli.test.ts holds the two together.
 */

export interface CheckOptions extends DaneOptions {
  origin?: string;
  fileName?: string;
  io: ZoneIO;
  severity?: SeverityOverrides;
  /** Certificate links from settings (host → path) and the expiry window. */
  certificates?: Omit<CertCheckOptions, 'zoneFile'>;
  /** Warn about RRSIGs that expire within this many seconds (default 7 days). */
  rrsigExpiryWindowSeconds?: number;
}

export interface CheckResult {
  text: string;
  /** All diagnostics, sorted by position (stable). */
  diagnostics: ZoneDiagnostic[];
  /** Built on first use (only needed when there is something to report). */
  lines(): LineIndex;
  /** Set when the zone links certificates to TLSA records: the input of addCertificateDiagnostics. */
  certificates?: DaneZoneView;
  /** Set when the zone holds DNSSEC records: the input of addDnssecDiagnostics. */
  dnssec?: DnssecCollector;
  /** The `; dane-zone` directives (for `disable=` in the asynchronous stages). */
  daneDirectives?: ParsedZone['daneDirectives'];
}

export function checkText(text: string, options: CheckOptions): CheckResult {
  const checker = new ZoneChecker({ io: options.io, rrsigExpiryWindowSeconds: options.rrsigExpiryWindowSeconds });
  const dane = new DaneCollector((key) => checker.hasType(key, 1) || checker.hasType(key, 28));
  const dnssec = new DnssecCollector();
  const parseOptions = { origin: options.origin, fileName: options.fileName, io: options.io };
  const parsed = parseZone(text, {
    ...parseOptions,
    onRecord: (r) => {
      checker.add(r);
      dane.add(r);
      dnssec.add(r);
    },
  });
  // The DNSSEC records came after records that were not kept: read the zone again for them.
  if (dnssec.needsSecondPass()) parseZone(text, { ...parseOptions, onRecord: (r) => dnssec.addAgain(r) });
  const zone = checker.finish(parsed.zoneOrigin);
  const view = dane.view(parsed);
  const daneDiags = checkDane(view, options);
  const all = applySeverities(applyDisableDirectives(text, parsed.diagnostics.concat(zone, daneDiags), parsed.daneDirectives), options.severity);
  // Parse diagnostics are in file order, zone-wide ones sorted: merge (Array#sort is stable).
  const diagnostics = all.sort((a, b) => a.start - b.start);
  let index: LineIndex | undefined;
  const result: CheckResult = { text, diagnostics, lines: () => (index ??= new LineIndex(text)) };
  if (hasCertLinks(view, options.certificates)) result.certificates = view;
  if (dnssec.signed() && parsed.zoneOrigin) {
    result.dnssec = dnssec;
    dnssec.apex = parsed.zoneOrigin;
  }
  result.daneDirectives = parsed.daneDirectives;
  return result;
}

/**
 * The certificate stage (asynchronous: hashing is WebCrypto's), for a result that has links:
 * adds their diagnostics, with the severity overrides and `disable=` comments applied.
 */
export async function addCertificateDiagnostics(result: CheckResult, options: CheckOptions): Promise<void> {
  const view = result.certificates;
  const io = options.io;
  if (!view || !io.readBytes) return;
  const readBytes = io.readBytes.bind(io);
  const found = await checkCertificates(view, { ...options.certificates, zoneFile: options.fileName }, { resolvePath: io.resolvePath.bind(io), readBytes }, io.now());
  const extra = applySeverities(applyDisableDirectives(result.text, found, view.daneDirectives), options.severity);
  if (extra.length > 0) result.diagnostics = result.diagnostics.concat(extra).sort((a, b) => a.start - b.start);
}

/** The DNSSEC stage (asynchronous: WebCrypto), for a result of a signed zone: adds its diagnostics. */
export async function addDnssecDiagnostics(result: CheckResult, options: CheckOptions): Promise<void> {
  const collected = result.dnssec;
  if (!collected) return;
  const found = await collected.validate();
  const extra = applySeverities(applyDisableDirectives(result.text, found, result.daneDirectives ?? []), options.severity);
  if (extra.length > 0) result.diagnostics = result.diagnostics.concat(extra).sort((a, b) => a.start - b.start);
}
