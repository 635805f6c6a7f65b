import { ParseOptions } from './model';

/** What an entry needs to know of the entries before it. Plain data, so parsing can resume. */
export interface ScanState {
  origin?: string;
  /** From $TTL (or options.defaultTtl). */
  defaultTtl?: number;
  /** Owner of the previous record ('' when it was invalid; undefined before the first record). */
  lastOwner?: string;
  /** TTL of the previous record (RFC 1035: used when neither the record nor $TTL gives one). */
  lastTtl?: number;
  lastClass: number;
  /** True once any record has been read (an $ORIGIN after that no longer names the zone). */
  sawRecord: boolean;
  /** The zone's origin as far as known: the initial or first $ORIGIN, else the first SOA owner. */
  zoneOrigin?: string;
  /**
   * The document's expansion budget spent so far (generate.ts): records made by $GENERATE or
   * read from $INCLUDEd files (MAX_EXPANDED_RECORDS + 1 once the limit was reported), and
   * characters of included files and generated tokens.
   */
  expanded: number;
  expandedChars: number;
  /** The class of the first record: a zone has one class (RFC 1035 §5.2). */
  zoneClass?: number;
}

const CLASS_IN = 1;

export function initialState(options: ParseOptions): ScanState {
  return { origin: options.origin, defaultTtl: options.defaultTtl, lastClass: CLASS_IN, sawRecord: false, zoneOrigin: options.origin, expanded: 0, expandedChars: 0 };
}
