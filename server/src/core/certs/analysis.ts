/**
 * What the certificate stage (checks.ts) found per linked TLSA RRset: the files it loaded and
 * what each record matches. Hovers, refactorings and the later checks (overlap.ts) read it.
 */
import { ZoneRecord } from '../model';
import { ZoneDiagnostic } from '../types';
import { TlsaFields } from '../dane/tlsaRdata';
import type { LinkSummary, RRsetTiming } from './fixData';
import type { CertLink } from './link';
import type { KeyMaterial } from './load';
import type { RecordMatch } from './match';

/** A linked file, loaded. */
export interface LoadedLink extends CertLink {
  material?: KeyMaterial;
  /** Why it could not be used (no path in it: `path` says which file). */
  error?: string;
  /** Its association data and facts (also in the diagnostics' data). */
  summary?: LinkSummary;
}

/** One record of a linked RRset with what it matches. */
export interface RecordLinkResult {
  record: ZoneRecord;
  fields: TlsaFields;
  /** Association data, lowercase hex. */
  hex: string;
  /** Per loaded link, in the order of LinkedRRset.links (undefined for a link that could not be loaded). */
  matches: (RecordMatch | undefined)[];
}

export interface LinkedRRset {
  owner: string;
  ownerKey: string;
  host: string;
  smtp: boolean;
  ttl?: number;
  records: ZoneRecord[];
  links: LoadedLink[];
  results: RecordLinkResult[];
  /** When its records were first committed in git (published.ts), when the caller gave the times. */
  timing?: RRsetTiming;
  /** The zone's SOA refresh (seconds), when it has an SOA: a switch waits two TTLs plus it. */
  soaRefresh?: number;
}

export interface CertAnalysis {
  /** Sorted by position. */
  diagnostics: ZoneDiagnostic[];
  rrsets: LinkedRRset[];
}
