import { AnalysisOptions, applyDisableDirectives, CertAnalysis, getZoneLanguageService, GitPublication, LoadedFile, ParsedZone, ZoneDiagnostic, ZoneIO } from '../core';
import { uriToPath } from './uri';
import { DaneZoneSettings } from './settings';

const core = getZoneLanguageService();

/**
 * The pipeline's certificate stage in the server (stage 3 of the diagnostics, asynchronous): which
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
  constructor(
    private readonly io: () => ZoneIO,
    private readonly linked?: (uri: string, files: string[]) => void,
    /** When the file's TLSA records were first committed in git (gitHistory.ts): timed rotation; undefined: none. */
    private readonly published?: (file: string) => Promise<GitPublication | undefined>,
    /** A document URI → the name `io` reads it by (the host's; file: URIs → paths by default). */
    private readonly pathOf: (uri: string) => string | undefined = uriToPath,
  ) {}

  /** A linked file changed on disk: read it again on the next run. */
  fileChanged(file: string): void {
    core.forgetCachedFile(this.files, file);
  }

  private options(uri: string | undefined, settings: DaneZoneSettings): AnalysisOptions {
    const { hosts, expiryDays } = settings.certificates;
    return { fileName: uri === undefined ? undefined : this.pathOf(uri), io: this.io(), certificates: { hosts, expiryDays, fileCache: this.files } };
  }

  /** True when the document links certificates (directives or host settings) and has TLSA records. */
  applies(parsed: ParsedZone, settings: DaneZoneSettings): boolean {
    if (!mayLink(parsed, settings)) return false;
    return core.certificatesStage.applies(core.viewOfZone(parsed), this.options(undefined, settings));
  }

  /** Runs the stage on one version of a document; remembers the analysis for hovers and actions. */
  async run(uri: string, version: number, text: string, parsed: ParsedZone, settings: DaneZoneSettings): Promise<CertStageResult> {
    const options = this.options(uri, settings);
    const file = options.fileName;
    const published = file && this.published ? await this.published(file).catch(() => undefined) : undefined;
    if (published) options.certificates = { ...options.certificates, published };
    const { result: analysis } = await core.certificatesStage.run(core.viewOfZone(parsed), options);
    if (!analysis) throw new Error('the certificate stage gave no analysis');
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
