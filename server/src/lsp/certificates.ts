import { applyDisableDirectives, CertAnalysis, getZoneLanguageService, LoadedFile, ParsedZone, ZoneDiagnostic, ZoneIO } from '../core';
import { uriToPath } from './uri';
import { DaneZoneSettings } from './settings';

const core = getZoneLanguageService();

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

/** The files an analysis read (or tried to): the ones to watch. */
export function linkedFiles(analysis: CertAnalysis): string[] {
  return [...new Set(analysis.rrsets.flatMap((s) => s.links.flatMap((l) => (l.path === undefined ? [] : [l.path]))))];
}

export class CertificateService {
  private readonly latest = new Map<string, { version: number; analysis: CertAnalysis }>();
  /** Loaded files across runs and documents, by path + size + mtime (a replaced file is read again). */
  private readonly files = new Map<string, Promise<LoadedFile>>();

  /** `linked` hears which files each document links after each run (the watcher), and `[]` when it links none. */
  constructor(private readonly io: () => ZoneIO, private readonly linked?: (uri: string, files: string[]) => void) {}

  /** A linked file changed on disk: read it again on the next run. */
  fileChanged(file: string): void {
    core.forgetCachedFile(this.files, file);
  }

  /** True when the document links certificates (directives or host settings) and has TLSA records. */
  applies(parsed: ParsedZone, settings: DaneZoneSettings): boolean {
    if (!mayLink(parsed, settings)) return false;
    return core.hasCertLinks(core.viewOfParsed(parsed), { hosts: settings.certificates.hosts });
  }

  /** Runs the stage on one version of a document; remembers the analysis for hovers and actions. */
  async run(uri: string, version: number, text: string, parsed: ParsedZone, settings: DaneZoneSettings): Promise<CertStageResult> {
    const io = this.io();
    const view = core.viewOfParsed(parsed);
    const readBytes = io.readBytes ? io.readBytes.bind(io) : () => { throw new Error('this editor cannot read certificate files'); };
    const analysis = await core.analyzeCertificates(
      view,
      { hosts: settings.certificates.hosts, expiryDays: settings.certificates.expiryDays, zoneFile: uriToPath(uri), fileCache: this.files },
      { resolvePath: io.resolvePath.bind(io), readBytes, statFile: io.statFile?.bind(io) },
      io.now(),
    );
    this.latest.set(uri, { version, analysis });
    this.linked?.(uri, linkedFiles(analysis));
    return { analysis, diagnostics: applyDisableDirectives(text, analysis.diagnostics, parsed.daneDirectives) };
  }

  /** The last analysis of the document (of this or an earlier version); undefined when it links nothing. */
  analysisOf(uri: string): CertAnalysis | undefined {
    return this.latest.get(uri)?.analysis;
  }

  /** The document no longer links anything, or closed. */
  forget(uri: string): void {
    this.latest.delete(uri);
    this.linked?.(uri, []);
  }
}
