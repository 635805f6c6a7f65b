/**
 * DNS lookups for the live check, with their DNSSEC status (RFC 7672 §2.1, §2.2): the AD bit
 * of a validating resolver's answer says `secure`; an answer without it `insecure`; a
 * SERVFAIL is asked again with CD set: an answer then means the data exists but failed
 * validation (`bogus`), none means the servers could not be reached (`failed`).
 */
import { DeadlineError, withDeadline } from './deadline';
import { DnsAnswer, DnssecStatus, LiveIO, LiveQueryType, LookupReport } from './types';

/** Names as the report writes them: no trailing dot (the root stays `.`). */
export function displayName(name: string): string {
  return name.length > 1 && name.endsWith('.') ? name.slice(0, -1) : name;
}

/** Case-insensitive name comparison (RFC 4343), with or without the trailing dot. */
export function sameName(a: string, b: string): boolean {
  return displayName(a).toLowerCase() === displayName(b).toLowerCase();
}

export interface Lookup<T extends DnsAnswer['type']> {
  report: LookupReport;
  /** The answers of the asked type at the canonical name. */
  records: Extract<DnsAnswer, { type: T }>[];
}

const MAX_CNAMES = 8;

function errorText(e: unknown): string {
  if (e instanceof DeadlineError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

/** Follows the CNAMEs in an answer section from `name`; returns the chain and the final name. */
function followCnames(name: string, answers: readonly DnsAnswer[]): { cnames: string[]; canonical: string } {
  const cnames: string[] = [];
  let cur = name;
  for (let i = 0; i < MAX_CNAMES; i++) {
    const c = answers.find((a) => a.type === 'CNAME' && sameName(a.name, cur));
    if (!c || c.type !== 'CNAME') break;
    cnames.push(displayName(cur));
    cur = c.target;
  }
  return { cnames, canonical: displayName(cur) };
}

/**
 * Asks `type` at `name` (DO set), and on SERVFAIL once more with CD. Never throws: transport
 * problems, timeouts and refusals come back as status `failed` with the reason.
 */
export async function lookup<T extends LiveQueryType>(io: LiveIO, name: string, type: T, signal: AbortSignal, timeoutMs: number): Promise<Lookup<T>> {
  const started = Date.now();
  const base = { name: displayName(name), type, cnames: [] as string[], canonicalName: displayName(name) };
  const finish = (status: DnssecStatus, extra: Partial<LookupReport>, answers: readonly DnsAnswer[]): Lookup<T> => {
    const { cnames, canonical } = followCnames(name, answers);
    const records = answers.filter((a) => a.type === type && sameName(a.name, canonical)) as Extract<DnsAnswer, { type: T }>[];
    return { report: { ...base, cnames, canonicalName: canonical, status, ...extra, ms: Date.now() - started }, records };
  };
  const ask = (cd: boolean) => withDeadline(signal, timeoutMs, `${type} ${displayName(name)}${cd ? ' (CD)' : ''}`, (s) => io.dns({ name, type, checkingDisabled: cd }, s));
  let r;
  try {
    r = await ask(false);
  } catch (e) {
    if (signal.aborted) throw e;
    return finish('failed', { error: errorText(e) }, []);
  }
  if (r.rcode === 'NOERROR' || r.rcode === 'NXDOMAIN') {
    return finish(r.authenticated ? 'secure' : 'insecure', { rcode: r.rcode }, r.answers);
  }
  const ede = r.extendedErrors?.length ? ` (${r.extendedErrors.join('; ')})` : '';
  if (r.rcode !== 'SERVFAIL') return finish('failed', { rcode: r.rcode, error: `the resolver answered ${r.rcode}${ede}` }, []);
  let cd;
  try {
    cd = await ask(true);
  } catch (e) {
    if (signal.aborted) throw e;
    return finish('failed', { rcode: r.rcode, error: `SERVFAIL${ede}; asked again with CD: ${errorText(e)}` }, []);
  }
  if (cd.rcode === 'NOERROR' || cd.rcode === 'NXDOMAIN') {
    return finish('bogus', { rcode: cd.rcode, error: `DNSSEC validation failed: SERVFAIL, but answered with checking disabled${ede}` }, cd.answers);
  }
  return finish('failed', {
    rcode: r.rcode,
    error: `SERVFAIL${ede}, also with checking disabled (${cd.rcode}): the zone's servers could not be reached or answered badly`,
  }, []);
}

/** A lookup error for people: raw socket words replaced (older messages, other LiveIO implementations). */
export function plainDnsError(error: string | undefined): string {
  if (!error) return 'no answer';
  return error
    .replace(/(?:recvmsg|send|connect) ECONNREFUSED(?: [^;]*)?/g, 'nothing answers DNS there (connection refused): is the resolver address right, and is the resolver running?')
    .replace(/no answer from (\S+) within (\d+) ms/g, 'the resolver $1 did not answer within $2 ms');
}

export function statusWord(s: DnssecStatus): string {
  switch (s) {
    case 'secure': return 'secure (DNSSEC-validated)';
    case 'insecure': return 'insecure (not DNSSEC-validated)';
    case 'bogus': return 'bogus (DNSSEC validation failed)';
    case 'failed': return 'lookup failed';
  }
}
