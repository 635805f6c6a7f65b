import { applyDisableDirectives, DnssecCache, getZoneLanguageService, ParsedZone, ZoneDiagnostic } from '../core';

const core = getZoneLanguageService();

/**
 * The DNSSEC stage in the server (asynchronous, like the certificate stage): validates a
 * signed zone's signatures, chains, DS/CDS and ZONEMD. One cache per document keeps the
 * verified signatures and each RRset's results, so after an edit only the RRsets whose
 * records changed are checked again (and only signatures over changed data verified).
 */

const DNSKEY = 48;

export class DnssecService {
  private readonly caches = new Map<string, DnssecCache>();

  /**
   * True when the document has a DNSKEY at its apex (a signed zone to validate): asked of the
   * document's owner index, so a change to an unsigned zone materializes no parse.
   */
  applies(doc: { hasApexType(typeCode: number): boolean }): boolean {
    return doc.hasApexType(DNSKEY);
  }

  async run(uri: string, text: string, parsed: ParsedZone): Promise<ZoneDiagnostic[]> {
    let cache = this.caches.get(uri);
    if (!cache) this.caches.set(uri, (cache = new DnssecCache()));
    // The parsed records themselves: their spans move with edits, and unchanged ones are recognized by identity.
    // A plain copy of the list: the validator compares it item by item with the last one, and the
    // document's list brings items up to date as they are read (a trap per item: 15 → 55 ms per
    // re-validation of a 100k-record zone); slice() brings them all up to date once.
    const found = await core.validateDnssec(parsed.records.slice(), { apex: parsed.zoneOrigin!, cache });
    return applyDisableDirectives(text, found, parsed.daneDirectives);
  }

  /** The cache of a document (tests and the benchmark read its counters). */
  cacheOf(uri: string): DnssecCache | undefined {
    return this.caches.get(uri);
  }

  forget(uri: string): void {
    this.caches.delete(uri);
  }
}
