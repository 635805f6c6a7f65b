import { ZoneRecord } from '../model';
import { nameKey } from '../names';
import { AsyncStage } from '../pipeline/stage';
import { TYPE_DNSKEY } from '../rrtypes';
import { ZoneDiagnostic } from '../types';
import { NativeVerifier } from '../webcrypto';
import { DnssecCache, dnssecRecordOf, DnssecRecord, validateDnssec } from './validate';

/**
 * Collecting the records the DNSSEC stage needs while a zone is parsed in streaming mode
 * (`dane-zone check`): records are kept only when the zone holds DNSSEC records, so an
 * unsigned million-record zone costs nothing. A signed zone's first DNSSEC record comes
 * early (DNSKEY/RRSIG at the apex); when it comes after the first `KEEP_UNSIGNED` records,
 * the caller reads the zone a second time (`needsSecondPass`).
 */

const KEEP_UNSIGNED = 4096;
const SIGNED_TYPES = new Set([46, 47, 48, 50, 51]);

export class DnssecCollector {
  private records: DnssecRecord[] = [];
  private sawDnssec = false;
  private dropped = false;
  /** The zone's apex, set by the caller once the parse knows it. */
  apex?: string;

  add(r: ZoneRecord): void {
    if (SIGNED_TYPES.has(r.typeCode)) this.sawDnssec = true;
    // Stored on every record, and the records kept until the parse ends (needsSecondPass): a
    // branch first taken at the 4,096th record of a large unsigned zone threw away the
    // optimized code of the parse's onRecord, which inlines this.
    this.dropped = this.dropped || (!this.sawDnssec && this.records.length >= KEEP_UNSIGNED);
    if (this.dropped) return;
    const d = dnssecRecordOf(r);
    if (d) this.records.push(d);
  }

  /** After the parse. True when the zone turned out signed after records were dropped: parse again with addAgain. */
  needsSecondPass(): boolean {
    if (this.dropped) this.records = [];
    if (!this.dropped || !this.sawDnssec) return false;
    this.dropped = false;
    return true;
  }

  addAgain(r: ZoneRecord): void {
    const d = dnssecRecordOf(r);
    if (d) this.records.push(d);
  }

  signed(): boolean {
    return this.sawDnssec && !this.dropped;
  }

  async validate(cache?: DnssecCache, native?: NativeVerifier): Promise<ZoneDiagnostic[]> {
    if (!this.apex) return [];
    return validateDnssec(this.records, { apex: this.apex, cache, native });
  }
}

/**
 * The `dnssec` stage of the pipeline (asynchronous: WebCrypto): a zone with a DNSKEY at its
 * apex is validated. It reads every record; the CLI keeps them in the compact form of
 * DnssecCollector (and only for a signed zone), the editor passes the parsed records (with a
 * DnssecCache per document: lsp/dnssec.ts).
 */
export const dnssecStage: AsyncStage = {
  kind: 'async',
  name: 'dnssec',
  reads: { all: true },
  stream: () => new DnssecCollector(),
  applies(view, _options, streamed) {
    if (view.zoneOrigin === undefined) return false;
    if (streamed) return (streamed as DnssecCollector).signed();
    return view.hasType(nameKey(view.zoneOrigin), TYPE_DNSKEY);
  },
  async run(view, options, streamed) {
    const apex = view.zoneOrigin;
    if (apex === undefined) return { diagnostics: [] };
    if (streamed) {
      const c = streamed as DnssecCollector;
      c.apex = apex;
      return { diagnostics: await c.validate(undefined, options.io?.verifier) };
    }
    return { diagnostics: await validateDnssec(view.allRecords(), { apex, native: options.io?.verifier }) };
  },
};
