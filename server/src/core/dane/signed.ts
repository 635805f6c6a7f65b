/**
 * Is the zone DNSSEC-signed? (dane-rules.md, "When is a zone signed?") In order, the first
 * answer wins:
 *  1. a declaration: the file directive `; dane-zone dnssec=signed|unsigned|inline` (the first
 *     valid one in the file), then the setting/config for the zone;
 *  2. the file holds DNSKEY, RRSIG, NSEC, NSEC3 or NSEC3PARAM records, or $INCLUDEs a `K*.key` file;
 *  3. otherwise unsigned.
 * Pure; the decision says which source decided so messages can tell the user.
 */
import { DaneDirective, ZoneDirective, ZoneRecord } from '../model';
import { Span } from '../types';

export type DnssecState = 'signed' | 'unsigned' | 'inline';

export interface SignedDecision {
  state: DnssecState;
  /** What decided: the file directive, the setting, DNSSEC records in the file, or nothing (default). */
  source: 'directive' | 'setting' | 'records' | 'default';
  /** For `directive`: the `dnssec=…` item. */
  at?: Span;
}

const STATES: ReadonlySet<string> = new Set(['signed', 'unsigned', 'inline']);

/** Types whose presence means the file is a signed zone. */
export const DNSSEC_RECORD_TYPES: ReadonlySet<number> = new Set([46 /* RRSIG */, 47 /* NSEC */, 48 /* DNSKEY */, 50 /* NSEC3 */, 51 /* NSEC3PARAM */]);

/** The first valid `dnssec=` declaration among the `; dane-zone` directives. */
export function dnssecDirective(directives: readonly DaneDirective[]): { state: DnssecState; at: Span } | undefined {
  for (const d of directives) {
    for (const item of d.items) {
      if (item.key !== 'dnssec') continue;
      const v = item.value.toLowerCase();
      if (STATES.has(v)) return { state: v as DnssecState, at: { start: item.start, end: item.end } };
    }
  }
  return undefined;
}

/** True for an `$INCLUDE` of a BIND/dnssec-keygen public key file (`K<zone>+<alg>+<id>.key`). */
export function includesKeyFile(d: ZoneDirective): boolean {
  if (d.name !== '$INCLUDE' || d.args.length === 0) return false;
  const file = d.args[0].text.split(/[\\/]/).pop() ?? '';
  return /^K.*\.key$/.test(file);
}

/** Whether a parsed file holds DNSSEC records or includes a key file (source 2 above). */
export function hasDnssecEvidence(records: readonly ZoneRecord[], directives: readonly ZoneDirective[]): boolean {
  for (const r of records) if (DNSSEC_RECORD_TYPES.has(r.typeCode)) return true;
  return directives.some(includesKeyFile);
}

export function decideSigned(input: { daneDirectives: readonly DaneDirective[]; hasDnssecRecords: boolean }, setting?: DnssecState): SignedDecision {
  const d = dnssecDirective(input.daneDirectives);
  if (d) return { state: d.state, source: 'directive', at: d.at };
  if (setting !== undefined && STATES.has(setting)) return { state: setting, source: 'setting' };
  if (input.hasDnssecRecords) return { state: 'signed', source: 'records' };
  return { state: 'unsigned', source: 'default' };
}

/** Says which source decided, for messages: "declared by the `; dane-zone dnssec=inline` comment". */
export function describeDecision(d: SignedDecision): string {
  switch (d.source) {
    case 'directive':
      return `declared ${d.state === 'inline' ? 'inline-signed' : d.state} by the \`; dane-zone dnssec=${d.state}\` comment in this file`;
    case 'setting':
      return `declared ${d.state === 'inline' ? 'inline-signed' : d.state} by the dnssec setting for this zone`;
    case 'records':
      return 'the file holds DNSSEC records (DNSKEY, RRSIG, NSEC, NSEC3 or NSEC3PARAM)';
    default:
      return 'the file holds no DNSKEY, RRSIG, NSEC, NSEC3 or NSEC3PARAM records, and neither a `; dane-zone dnssec=` comment nor the dnssec setting declares it signed';
  }
}
