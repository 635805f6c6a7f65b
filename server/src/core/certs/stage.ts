/**
 * The `certificates` stage of the pipeline (asynchronous): the TLSA records linked to
 * certificate files, read through `options.io` and hashed with WebCrypto (checks.ts).
 */
import { daneViewOf } from '../dane/view';
import { AsyncStage } from '../pipeline/stage';
import { TYPE_SMIMEA, TYPE_SOA, TYPE_TLSA } from '../rrtypes';
import { analyzeCertificates, CertAnalysis } from './checks';
import { hasCertLinks } from './link';
import { soaRefresh } from './published';

export const certificatesStage: AsyncStage<CertAnalysis> = {
  kind: 'async',
  name: 'certificates',
  // the TLSA RRsets and the `; dane-zone cert= next=` directives (always part of a view); the SOA for its refresh (timed rotation)
  reads: { records: [TYPE_TLSA, TYPE_SMIMEA, TYPE_SOA] },
  applies: (view, options) => hasCertLinks(daneViewOf(view), options.certificates ?? {}),
  async run(view, options) {
    const io = options.io;
    if (!io) return { diagnostics: [] };
    const readBytes = io.readBytes ? io.readBytes.bind(io) : () => { throw new Error('this editor cannot read certificate files'); };
    const result = await analyzeCertificates(
      daneViewOf(view),
      { ...options.certificates, zoneFile: options.fileName, soaRefresh: soaRefresh(view.records(TYPE_SOA)[0]) },
      { resolvePath: io.resolvePath.bind(io), readBytes, statFile: io.statFile?.bind(io) },
      io.now(),
    );
    return { diagnostics: result.diagnostics, result };
  },
};
