import { analyzeCertificates, CertAnalysis } from '../core/certs/checks';
import { hasCertLinks } from '../core/certs/link';
import { applyDisableDirectives, viewOfParsed } from '../core/dane/checks';
import { ParsedZone } from '../core/model';
import { ZoneDiagnostic, ZoneIO } from '../core/types';
import { uriToPath } from './uri';
import { DaneZoneSettings } from './settings';

/**
 * The certificate stage in the server (stage 3 of the diagnostics, asynchronous): which
 * documents link certificates to TLSA records, and the last analysis of each (hovers and
 * refactorings read it). Files are read through the server's ZoneIO, so in an untrusted
 * workspace only files inside the workspace folders can be linked.
 */

export interface CertStageResult {
  /** Severities not overridden; `disable=` comments applied. */
  diagnostics: ZoneDiagnostic[];
  analysis: CertAnalysis;
}

function mayLink(parsed: ParsedZone, settings: DaneZoneSettings): boolean {
  if (Object.keys(settings.certificates.hosts).length > 0) return true;
  return parsed.daneDirectives.some((d) => d.items.some((i) => i.key === 'cert' || i.key === 'next'));
}

export class CertificateService {
  private readonly latest = new Map<string, { version: number; analysis: CertAnalysis }>();

  constructor(private readonly io: () => ZoneIO) {}

  /** True when the document links certificates (directives or host settings) and has TLSA records. */
  applies(parsed: ParsedZone, settings: DaneZoneSettings): boolean {
    if (!mayLink(parsed, settings)) return false;
    return hasCertLinks(viewOfParsed(parsed), { hosts: settings.certificates.hosts });
  }

  /** Runs the stage on one version of a document; remembers the analysis for hovers and actions. */
  async run(uri: string, version: number, text: string, parsed: ParsedZone, settings: DaneZoneSettings): Promise<CertStageResult> {
    const io = this.io();
    const view = viewOfParsed(parsed);
    const readBytes = io.readBytes ? io.readBytes.bind(io) : () => { throw new Error('this editor cannot read certificate files'); };
    const analysis = await analyzeCertificates(
      view,
      { hosts: settings.certificates.hosts, expiryDays: settings.certificates.expiryDays, zoneFile: uriToPath(uri) },
      { resolvePath: io.resolvePath.bind(io), readBytes },
      io.now(),
    );
    this.latest.set(uri, { version, analysis });
    return { analysis, diagnostics: applyDisableDirectives(text, analysis.diagnostics, parsed.daneDirectives) };
  }

  /** The last analysis of the document (of this or an earlier version); undefined when it links nothing. */
  analysisOf(uri: string): CertAnalysis | undefined {
    return this.latest.get(uri)?.analysis;
  }

  /** The document no longer links anything, or closed. */
  forget(uri: string): void {
    this.latest.delete(uri);
  }
}
