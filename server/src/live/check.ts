/**
 * The live check of a domain's deployed MX hosts (RFC 7672): per MX host and address, is the
 * TLSA RRset published and DNSSEC-validated, does it equal the zone file, and does the
 * certificate the server presents over STARTTLS match it.
 *
 *   MX of the domain (none: the domain is its own host, RFC 5321 §5.1)
 *   → per host: A and AAAA, then TLSA at _port._tcp.host (at the CNAME-expanded name first, RFC 7672 §2.2.3)
 *   → per address (at most `maxParallel` connections at once): banner, EHLO, STARTTLS, TLS, QUIT
 *   → every published and every file record against the presented chain (match.ts)
 *   → findings, each `fail` (what the world sees is wrong), `error` (could not check), `warn` or `info`
 *
 * Pure logic over LiveIO: the Node implementation is in node/, tests use fakes.
 */
import { AbortedError, deadlineSignal, formatMs, Semaphore } from './deadline';
import { displayName, Lookup, lookup, plainDnsError, sameName } from './dns';
import { matchRecord, parseChain, summarize, unusableForSmtp } from './match';
import { probeSmtp, SmtpTimeouts } from './smtp';
import {
  AddressReport, CertSummary, Step, HostReport, KeyType, KeyTypeReport, LiveIO, LiveReport, LookupReport, MxHost, RecordSource, RecordVerdict, TlsaData,
} from './types';
import { compareAddresses, compareTlsa, fileCovers, fileRRset, LiveZone, rrsetData, sameTlsa, tlsaOwner } from './zoneFile';
import { toHex } from '../core';
import { checkZoneServers, ZoneServersReport } from './authority';
import { whyNotSecure, zoneOf } from './diagnose';
import { assess, at, authenticates, KEY_TYPE_NAME } from './assess';

export interface LiveTimeouts extends SmtpTimeouts {
  /** Each DNS question (the Node resolver retries within it). */
  dns: number;
  /** The whole check. */
  overall: number;
}

export const DEFAULT_TIMEOUTS: LiveTimeouts = { dns: 5000, connect: 10000, reply: 20000, tls: 15000, overall: 120000 };

export interface LiveCheckOptions {
  /** SMTP port, and the port in the TLSA owner `_port._tcp` (default 25). */
  port?: number;
  /** The zone file, for drift and for matching the file's records too. */
  zone?: LiveZone;
  /** Name sent in EHLO (default `localhost`). */
  heloName?: string;
  timeouts?: Partial<LiveTimeouts>;
  /** Most SMTP connections open at once (default 4). */
  maxParallel?: number;
  /** Cancels the whole check. */
  signal?: AbortSignal;
  /** Address families to connect to (default both). */
  ipv4?: boolean;
  ipv6?: boolean;
  /** Most MX hosts checked (default 16). */
  maxHosts?: number;
  /**
   * Told what the check is doing now, in words ("waiting up to 20 s for the greeting of
   * mx1.example.com (192.0.2.25)"): the editor's progress notification follows the steps.
   */
  progress?: (message: string) => void;
  /** Ask each address again with only the other key family's signature algorithms (default true). */
  keyTypes?: boolean;
  /** Find out why an insecure or bogus answer is not secure (default true). */
  diagnose?: boolean;
  /** Ask every authoritative server of the TLSA owners' zones directly (default true), on this port (default 53). */
  nameServers?: boolean;
  nameServerPort?: number;
}



const unknownLookup = (name: string, type: LookupReport['type']): LookupReport =>
  ({ name, type, status: 'failed', cnames: [], canonicalName: name, error: 'not looked up', ms: 0 });

/** Runs the live check. Never throws for network trouble: it ends up in the report. */
export async function checkLive(target: string, io: LiveIO, options: LiveCheckOptions = {}): Promise<LiveReport> {
  const started = Date.now();
  const startedAt = io.now().toISOString();
  const port = options.port ?? 25;
  const t: LiveTimeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const name = displayName(target);
  const overall = deadlineSignal(options.signal, t.overall, `live check of ${name}`);
  const signal = overall.signal;
  const sem = new Semaphore(Math.max(1, options.maxParallel ?? 4));
  const report: LiveReport = {
    target: name, port, resolver: io.resolverName, mx: unknownLookup(name, 'MX'), implicitMx: false,
    hosts: [], findings: [], outcome: 'pass', startedAt, ms: 0,
  };
  const say = options.progress ?? (() => undefined);
  try {
    say(`asking ${io.resolverName ?? 'the resolver'} for the MX records of ${name}`);
    const mx = await lookup(io, name, 'MX', signal, t.dns);
    report.mx = mx.report;
    const hosts = mxHosts(mx, name, report);
    const limit = options.maxHosts ?? 16;
    if (hosts.length > limit) {
      report.findings.push({ level: 'warn', code: 'live-many-mx', message: `${name} has ${hosts.length} MX hosts: only the first ${limit} by preference are checked` });
    }
    report.hosts = await Promise.all(hosts.slice(0, limit).map((h) => checkHost(io, h, report.implicitMx, port, t, options, sem, signal)));
    if (options.diagnose !== false && (report.mx.status === 'insecure' || report.mx.status === 'bogus' || report.hosts.some((h) => h.dane === 'insecure' || h.dane === 'bogus'))) {
      say('finding out why the answers are not secure (DNSKEY, DS, with checking disabled)');
      await diagnose(io, report, t, signal);
    }
    if (options.nameServers !== false && report.hosts.length > 0) {
      say('asking every name server of the zones directly for the SOA serial and the TLSA records');
      report.zones = await zoneServers(io, report, options.nameServerPort ?? 53, t, signal);
    }
  } catch (e) {
    if (!(e instanceof AbortedError)) throw e;
    report.aborted = e.message;
  } finally {
    overall.dispose();
  }
  if (report.aborted) report.findings.push({ level: 'error', code: 'live-aborted', message: `the check was stopped: ${report.aborted}` });
  assess(report, options.zone);
  report.ms = Date.now() - started;
  return report;
}

/** Why each insecure or bogus host (and the MX RRset) is not secure: diagnose.ts. */
async function diagnose(io: LiveIO, report: LiveReport, t: LiveTimeouts, signal: AbortSignal): Promise<void> {
  if (report.mx.status === 'insecure' || report.mx.status === 'bogus') {
    report.mxWhy = await whyNotSecure(io, report.mx.canonicalName, 'MX', report.mx.status, false, signal, t.dns);
  }
  await Promise.all(report.hosts.map(async (h) => {
    if (h.dane !== 'insecure' && h.dane !== 'bogus') return;
    const bad = (r: LookupReport) => r.status === 'insecure' || r.status === 'bogus';
    const family = (r: LookupReport) => h.addresses.filter((x) => x.includes(':') === (r.type === 'AAAA'));
    // The TLSA lookup when it is the one not secure; else the address lookup (RFC 7672 §2.2.2).
    const r = bad(h.tlsa) ? h.tlsa : [h.a, h.aaaa].find(bad);
    if (!r) return;
    const empty = r === h.tlsa ? h.published.length === 0 : family(r).length === 0;
    h.why = await whyNotSecure(io, r.canonicalName, r.type, r.status, empty, signal, t.dns);
  }));
}

/** Every authoritative server of the zones the TLSA owners are in: authority.ts. */
async function zoneServers(io: LiveIO, report: LiveReport, port: number, t: LiveTimeouts, signal: AbortSignal): Promise<ZoneServersReport[]> {
  const byZone = new Map<string, string[]>();
  await Promise.all(report.hosts.filter((h) => h.tlsa.status !== 'failed').map(async (h) => {
    const zone = await zoneOf(io, h.tlsa.canonicalName, signal, t.dns);
    if (!zone) return;
    const k = zone.toLowerCase();
    byZone.set(k, [...(byZone.get(k) ?? []), h.tlsa.canonicalName]);
  }));
  const zones = [...byZone.keys()].sort();
  return Promise.all(zones.map((z) => checkZoneServers(io, z, byZone.get(z)!, { port, dnsMs: t.dns }, signal)));
}

/** The hosts to check, from the MX lookup (the target itself when it has no MX: RFC 5321 §5.1). */
function mxHosts(mx: Lookup<'MX'>, name: string, report: LiveReport): MxHost[] {
  const r = mx.report;
  if (r.status === 'failed') {
    report.findings.push({ level: 'error', code: 'live-mx-failed', message: `the MX lookup of ${name} failed: ${plainDnsError(r.error)}` });
    return [];
  }
  if (r.status === 'bogus') {
    report.findings.push({ level: 'fail', code: 'live-mx-bogus', message: `the MX RRset of ${name} fails DNSSEC validation (bogus)` });
  } else if (r.status === 'insecure' && mx.records.length > 0) {
    report.findings.push({ level: 'warn', code: 'live-mx-insecure', message: `the MX RRset of ${name} is not DNSSEC-validated: an attacker can redirect senders to other hosts; DANE still applies to MX hosts whose own records are secure (RFC 7672 §2.2.1)` });
  }
  if (r.rcode === 'NXDOMAIN') {
    report.findings.push({ level: 'error', code: 'live-nxdomain', message: `${name} does not exist (NXDOMAIN)${r.status === 'secure' ? ', securely' : ''}` });
    return [];
  }
  if (mx.records.length === 0) {
    report.implicitMx = true;
    return [{ preference: 0, host: r.canonicalName }];
  }
  const hosts = mx.records
    .map((m) => ({ preference: m.preference, host: displayName(m.exchange) }))
    .sort((a, b) => a.preference - b.preference || a.host.localeCompare(b.host));
  if (hosts.length === 1 && (hosts[0].host === '' || hosts[0].host === '.')) {
    report.findings.push({ level: 'info', code: 'live-null-mx', message: `${name} publishes a null MX (RFC 7505): it accepts no mail, so there is nothing to check` });
    return [];
  }
  return hosts.filter((h, i) => hosts.findIndex((o) => sameName(o.host, h.host)) === i && h.host !== '' && h.host !== '.');
}

function tlsaData(records: Lookup<'TLSA'>['records']): TlsaData[] {
  return records.map((r) => ({ usage: r.usage, selector: r.selector, matchingType: r.matchingType, data: toHex(r.data) }));
}

async function checkHost(io: LiveIO, mx: MxHost, implicit: boolean, port: number, t: LiveTimeouts, options: LiveCheckOptions, sem: Semaphore, signal: AbortSignal): Promise<HostReport> {
  const host = mx.host;
  options.progress?.(`looking up the addresses and TLSA records of ${host}`);
  const [a, aaaa] = await Promise.all([lookup(io, host, 'A', signal, t.dns), lookup(io, host, 'AAAA', signal, t.dns)]);
  // RFC 7672 §2.2.2: with a secure CNAME chain, TLSA at the fully expanded name first, then at the original name.
  const aliased = [a.report, aaaa.report].find((r) => r.cnames.length > 0);
  const expanded = aliased && aliased.status === 'secure' ? aliased.canonicalName : undefined;
  let tlsa = await lookup(io, `_${port}._tcp.${expanded ?? host}`, 'TLSA', signal, t.dns);
  let tlsaFrom: 'expanded' | 'original' = expanded ? 'expanded' : 'original';
  if (expanded && tlsa.report.status === 'secure' && tlsa.records.length === 0) {
    tlsa = await lookup(io, `_${port}._tcp.${host}`, 'TLSA', signal, t.dns);
    tlsaFrom = 'original';
  }
  const published = tlsaData(tlsa.records);
  // In a stable order (resolvers rotate RRsets), IPv4 first.
  a.records.sort((x, y) => x.address.localeCompare(y.address, 'en', { numeric: true }));
  aaaa.records.sort((x, y) => x.address.localeCompare(y.address));
  const addresses = [...a.records.map((r) => r.address), ...aaaa.records.map((r) => r.address)];
  const out: HostReport = {
    host,
    ...(implicit ? {} : { preference: mx.preference }),
    a: a.report,
    aaaa: aaaa.report,
    addresses,
    tlsa: tlsa.report,
    ...(aliased ? { cname: { expanded: aliased.canonicalName, secure: aliased.status === 'secure', tlsaFrom } } : {}),
    published,
    dane: daneState(a.report, aaaa.report, tlsa.report, published.length),
    addressReports: [],
  };
  const zone = options.zone;
  // The file is compared at the owner the records came from (the expanded name for a CNAME'd host).
  const owner = tlsaOwner(port, tlsaFrom === 'expanded' && expanded ? expanded : host);
  const fileRecords = zone && fileCovers(zone, owner) ? rrsetData(fileRRset(zone, owner)).map((x) => x.data) : undefined;
  if (fileRecords !== undefined) out.drift = compareTlsa(owner, published, fileRecords);
  if (zone && !aliased && a.report.status !== 'failed' && aaaa.report.status !== 'failed') {
    const d = compareAddresses(zone, host, addresses);
    if (d) out.addressDrift = d;
  }

  const targets = [
    ...(options.ipv4 === false ? [] : a.records.map((r) => ({ address: r.address, family: 4 as const }))),
    ...(options.ipv6 === false ? [] : aaaa.records.map((r) => ({ address: r.address, family: 6 as const }))),
  ];
  const names = [host, ...(expanded ? [expanded] : [])];
  out.addressReports = await Promise.all(targets.map((x) => sem.run(signal, () =>
    checkAddress(io, host, x.address, x.family, port, t, options, published, fileRecords ?? [], out.dane, names, signal))));
  return out;
}

function daneState(a: LookupReport, aaaa: LookupReport, tlsa: LookupReport, count: number): HostReport['dane'] {
  if (a.status === 'bogus' || aaaa.status === 'bogus' || tlsa.status === 'bogus') return 'bogus';
  if (tlsa.status === 'failed') return 'unknown';
  if (tlsa.status === 'insecure') return 'insecure';
  // RFC 7672 §2.2.2: TLSA records count only when the address records are secure too.
  const addr = [a, aaaa].filter((r) => r.status !== 'failed');
  if (addr.length === 0) return 'unknown';
  if (addr.some((r) => r.status === 'insecure')) return 'insecure';
  return count > 0 ? 'in-effect' : 'none';
}

async function checkAddress(
  io: LiveIO, host: string, address: string, family: 4 | 6, port: number, t: LiveTimeouts, options: LiveCheckOptions,
  published: TlsaData[], file: TlsaData[], dane: HostReport['dane'], names: string[], signal: AbortSignal,
): Promise<AddressReport> {
  const started = Date.now();
  const say = options.progress;
  const where = at(host, address);
  const onStep = say ? (keyType?: KeyType) => (step: Step, ms: number): void => say(stepMessage(step, ms, where, port, keyType)) : undefined;
  const probeOptions = { host, heloName: options.heloName ?? 'localhost', timeouts: t, ...(onStep ? { onStep: onStep() } : {}) };
  const probe = await probeSmtp(io, address, port, probeOptions, signal);
  const now = io.now();
  const judge = async (chainDer: Uint8Array[]) => {
    const chain = await summarize(parseChain(chainDer), now);
    const records = chainDer.length > 0 ? await verdicts(published, file, chainDer, names, now) : [];
    let result: AddressReport['dane'];
    if (chainDer.length === 0) result = 'not-checked';
    else if (dane !== 'in-effect' || published.every((r) => unusableForSmtp(r) !== undefined)) result = 'not-applicable';
    else result = records.some((v) => v.source !== 'file' && authenticates(v)) ? 'authenticated' : 'mismatch';
    return { chain, records, dane: result };
  };
  const first = await judge(probe.chain);
  const report: AddressReport = {
    address,
    family,
    steps: probe.steps,
    ...(probe.failedStep ? { failedStep: probe.failedStep, error: probe.error } : {}),
    ...(probe.banner !== undefined ? { banner: probe.banner } : {}),
    ...(probe.ehloKeywords ? { ehloKeywords: probe.ehloKeywords } : {}),
    ...(probe.starttlsOffered !== undefined ? { starttlsOffered: probe.starttlsOffered } : {}),
    ...(probe.tls ? { tls: probe.tls } : {}),
    ...first,
    ms: 0,
  };
  // Each key family on its own (issue 15 item 2): the first handshake's certificate counts for
  // its family; the other family is asked for with only its signature algorithms offered.
  const firstType = keyTypeOf(first.chain[0]);
  if (options.keyTypes !== false && firstType && probe.chain.length > 0) {
    const kinds: KeyTypeReport[] = [keyTypeReport(firstType, 'all', true, undefined, first)];
    const other: KeyType = firstType === 'rsa' ? 'ecdsa' : 'rsa';
    const again = await probeSmtp(io, address, port, { ...probeOptions, keyType: other, ...(onStep ? { onStep: onStep(other) } : {}) }, signal);
    if (again.chain.length > 0) {
      const j = await judge(again.chain);
      const got = keyTypeOf(j.chain[0]);
      kinds.push(got === other
        ? keyTypeReport(other, 'only', true, undefined, j)
        : keyTypeReport(other, 'only', false, `asked for ${KEY_TYPE_NAME[other]} only, the server still presented its ${got ? KEY_TYPE_NAME[got] : 'other'} certificate: it has no ${KEY_TYPE_NAME[other]} certificate`, undefined));
    } else {
      const why = again.failedStep === 'tls'
        ? `no ${KEY_TYPE_NAME[other]} certificate: the server refused a handshake offering only ${KEY_TYPE_NAME[other]} signatures (${again.error?.replace(/^TLS handshake failed: /, '')})`
        : `not checked: the second connection failed at ${again.failedStep ?? 'an early step'} (${again.error ?? 'no certificate'})`;
      kinds.push(keyTypeReport(other, 'only', false, why, undefined));
    }
    kinds.sort((x, y) => x.keyType.localeCompare(y.keyType));
    report.keyTypes = kinds;
    if (report.dane === 'authenticated' && kinds.some((k) => k.presented && k.dane === 'mismatch')) report.dane = 'mismatch';
  }
  report.ms = Date.now() - started;
  return report;
}


/** What one SMTP step is doing, for progress: "waiting up to 20 s for the greeting of mx (192.0.2.25)". */
export function stepMessage(step: Step, ms: number, where: string, port: number, keyType?: KeyType): string {
  const limit = `up to ${formatMs(ms)}`;
  const only = keyType ? ` (asking for its ${KEY_TYPE_NAME[keyType]} certificate)` : '';
  switch (step) {
    case 'connect': return `connecting to ${where} port ${port}${only}, ${limit}`;
    case 'banner': return `waiting ${limit} for the greeting of ${where}${only}`;
    case 'ehlo': return `EHLO to ${where}, waiting ${limit} for the reply`;
    case 'starttls': return `STARTTLS to ${where}, waiting ${limit} for the reply`;
    case 'tls': return `TLS handshake with ${where}${only}, ${limit}`;
    case 'quit': return `QUIT to ${where}`;
  }
}

/** The key family of a presented leaf (RSA or ECDSA; others are not asked for separately). */
export function keyTypeOf(c: CertSummary | undefined): KeyType | undefined {
  const k = c?.keyAlgorithm ?? '';
  if (/^RSA/.test(k)) return 'rsa';
  if (/^EC /.test(k)) return 'ecdsa';
  return undefined;
}

/** `leaf`, `issuer`, `CA 2`, `root` (self-issued, sent by the server), `trust anchor (not sent)`. */
export function chainPosition(depth: number, chain: readonly CertSummary[]): string {
  if (depth === 0) return 'leaf';
  if (depth >= chain.length) return 'trust anchor (not sent by the server)';
  const c = chain[depth];
  if (c.subject === c.issuer) return 'root';
  return depth === 1 ? 'issuer' : `CA ${depth}`;
}

function keyTypeReport(
  keyType: KeyType, offer: 'all' | 'only', presented: boolean, note: string | undefined,
  j: { chain: CertSummary[]; records: RecordVerdict[]; dane: AddressReport['dane'] } | undefined,
): KeyTypeReport {
  const records = j?.records ?? [];
  const chain = j?.chain ?? [];
  return {
    keyType, offer, presented, ...(note ? { note } : {}),
    chain, records, dane: j?.dane ?? 'not-checked',
    matched: records.filter((v) => v.source !== 'file' && authenticates(v) && v.depth !== undefined).map((v) => ({
      record: { usage: v.usage, selector: v.selector, matchingType: v.matchingType, data: v.data },
      depth: v.depth!,
      position: chainPosition(v.depth!, chain),
    })),
  };
}

/** Matches every published and file record against the chain; records in both are listed once. */
export async function verdicts(published: TlsaData[], file: TlsaData[], chainDer: Uint8Array[], names: string[], now: Date): Promise<RecordVerdict[]> {
  const chain = parseChain(chainDer);
  const list: { data: TlsaData; source: RecordSource }[] = [];
  for (const p of published) if (!list.some((x) => sameTlsa(x.data, p))) list.push({ data: p, source: 'published' });
  for (const f of file) {
    const had = list.find((x) => sameTlsa(x.data, f));
    if (had) had.source = had.source === 'published' ? 'both' : had.source;
    else list.push({ data: f, source: 'file' });
  }
  return Promise.all(list.map(async (x) => {
    const m = await matchRecord(x.data, chain, { names, now });
    return { ...x.data, source: x.source, result: m.result, reason: m.reason, ...(m.depth !== undefined ? { depth: m.depth } : {}), ...(m.taProblems ? { taProblems: m.taProblems } : {}) };
  }));
}
