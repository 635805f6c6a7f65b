import { ParsedZone } from '../core';
import { CertificateService, CertStageResult, linkedFiles } from '../lsp/certificates';
import type { DaneZoneSettings } from '../lsp/settings';
import type { ClientFiles } from './io';

/**
 * The certificate stage in the Web Worker: the linked files are read by the client, so a run
 * first asks whether the files read before changed (size and date), and a run that found files
 * not read yet waits for them and runs again; the diagnostics published are those of the files
 * themselves, never "being read".
 */
export class ClientCertificateService extends CertificateService {
  constructor(private readonly clientFiles: ClientFiles, ...rest: ConstructorParameters<typeof CertificateService>) {
    super(...rest);
  }

  override async run(uri: string, version: number, text: string, parsed: ParsedZone, settings: DaneZoneSettings): Promise<CertStageResult> {
    const before = this.analysisOf(uri);
    if (before) {
      const files = linkedFiles(before);
      await this.clientFiles.refresh(files);
    }
    let result = await super.run(uri, version, text, parsed, settings);
    // A link to a link (cert= then next=) may need a second round; each round reads new files only.
    for (let round = 0; round < 3 && this.clientFiles.pending; round++) {
      await this.clientFiles.settled();
      for (const f of linkedFiles(result.analysis)) this.fileChanged(f);
      result = await super.run(uri, version, text, parsed, settings);
    }
    return result;
  }
}
