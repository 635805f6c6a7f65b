import { ZoneIO } from '../types';

/** The options the checks read (a subset of AnalysisOptions, kept here to avoid a cycle). */
export interface AnalysisOptionsLike {
  now?: Date;
  io?: ZoneIO;
  /** Warn about RRSIGs that expire within this many seconds (default 0: only expired ones). */
  rrsigExpiryWindowSeconds?: number;
  /** BIND's check-names for host names (setting daneZone.checkNames, CLI --check-names; default off). */
  checkNames?: 'off' | 'warn' | 'error';
}
