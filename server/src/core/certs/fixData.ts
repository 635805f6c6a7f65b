/**
 * The data certificate diagnostics carry for their quick fixes (JSON-safe, so code actions need
 * no file access): what each linked file gives, and the RRset's records by span and fields.
 */

/** What a linked file gives, in the diagnostics' data (JSON-safe). */
export interface LinkSummary {
  role: 'cert' | 'next';
  /** The path as written (directive value or settings path). */
  written: string;
  /** The resolved path. */
  path?: string;
  /** What the file holds (`certificate CN=…`, `chain of 2 certificates (…)`, `EC P-256 private key (its public half)`). */
  what: string;
  subject?: string;
  sans?: string[];
  issuer?: string;
  /** ISO date. */
  notAfter?: string;
  /** The issuing CA of the chain (chain[1]), when the file has it. */
  caSubject?: string;
  caSelfIssued?: boolean;
  /** Association data (lowercase hex) by `usage selector matchingType`: usages 3 and 1 from the leaf or key, 2 and 0 from the issuing CA. */
  assoc: Record<string, string>;
}

/** One record of the RRset, by its span and fields. */
export interface CertRecordRef {
  start: number;
  end: number;
  usage: number;
  selector: number;
  matchingType: number;
  /** Association data, lowercase hex. */
  hex: string;
}

/** `data` of the certificate diagnostics. */
export interface CertFixData {
  fix: 'tlsa-cert';
  kind: 'mismatch' | 'stale' | 'ta-not-in-chain' | 'unreadable' | 'expiring' | 'overlap';
  /** Absolute owner of the RRset. */
  owner: string;
  ttl?: number;
  /** The RRset's valid records, in file order. */
  records: CertRecordRef[];
  /** End of the RRset's last record. */
  insertAt: number;
  /** The record the diagnostic is about (stale, ta-not-in-chain): an index into `records`. */
  record?: number;
  /** The link the diagnostic is about (mismatch, unreadable, expiring). */
  role?: 'cert' | 'next';
  /** The files that could be loaded. */
  links: LinkSummary[];
  /** When the RRset's records were first committed in git (rotation comments say when a switch is safe). */
  timing?: RRsetTiming;
  /** The zone's SOA refresh (seconds): a switch waits two TTLs plus it (rotation comments). */
  soaRefresh?: number;
}

export type RotationPattern = 'next' | 'issuer';

/** When the records of a linked RRset were published (git), and how long a switch must wait (published.ts). JSON-safe. */
export interface RRsetTiming {
  /** Seconds to wait after publishing before a switch is safe: two TTLs plus the SOA refresh. */
  wait: number;
  /** What `wait` is made of, in words. */
  waitText: string;
  /** First commit (ms since the epoch) by `usage selector matchingType hex` of each record; null: in no commit. */
  published: Record<string, number | null>;
}
