/**
 * The live check's verdict: the facts gathered by check.ts (lookups, probes, record verdicts,
 * name servers, drift from the file) turned into findings, each `fail`, `error`, `warn` or
 * `info`, and the report's outcome.
 */
import { displayName, plainDnsError } from './dns';
import { recordLabel, unusableForSmtp } from './match';
import { AddressReport, CertSummary, Finding, HostReport, KeyType, LiveReport, LookupReport, Outcome, RecordVerdict } from './types';
import { hasDrift, LiveZone } from './zoneFile';
import { serverProblems } from './authority';


export const KEY_TYPE_NAME: Record<KeyType, string> = { rsa: 'RSA', ecdsa: 'ECDSA' };

/** `host` or `host (address)`, as the report names a probe. */
export function at(host: string, address?: string): string {
  return address ? `${host} (${address})` : host;
}

/** A record that authenticates the server: it matches, and for DANE-TA the path, names and dates hold. */
export function authenticates(v: RecordVerdict): boolean {
  return v.result === 'match' && (v.taProblems === undefined || v.taProblems.length === 0);
}

// ---------------------------------------------------------------- assessment

function outcomeOf(findings: readonly Finding[]): Outcome {
  if (findings.some((f) => f.level === 'fail')) return 'fail';
  if (findings.some((f) => f.level === 'error')) return 'error';
  return 'pass';
}

/** Turns the gathered facts into findings and the outcome. */
export function assess(report: LiveReport, zone: LiveZone | undefined): void {
  const f = report.findings;
  const said = new Set<string>();
  /** The cause of a bogus lookup: the diagnosis when there is one, else the resolver's words, each said once per report. */
  const because = (r: LookupReport, why = report.hosts.find((x) => x.a === r || x.aaaa === r || x.tlsa === r)?.why): string => {
    const text = why ? why.message : r.error ?? '';
    if (!text) return '';
    if (said.has(text)) return ' (the same cause as above)';
    said.add(text);
    return why ? `. Why: ${text}` : ` (${text})`;
  };
  if (report.mx.status === 'bogus') {
    const i = f.findIndex((x) => x.code === 'live-mx-bogus');
    if (i >= 0) f[i] = { ...f[i], message: `the MX RRset of ${report.target} fails DNSSEC validation (bogus): validating senders cannot deliver mail${because(report.mx, report.mxWhy)}; the hosts below come from an answer with checking disabled` };
  }
  for (const h of report.hosts) {
    const owner = h.tlsa.name;
    const add = (level: Finding['level'], code: string, message: string, address?: string): void => {
      f.push({ level, code, message, host: h.host, ...(address ? { address } : {}) });
    };
    const bogusAddr = ([[h.a, 'A'], [h.aaaa, 'AAAA']] as const).filter(([r]) => r.status === 'bogus');
    if (bogusAddr.length > 0) {
      // One finding for both families; a family with no records is a denial that fails, not a record that exists.
      const what = bogusAddr.map(([r, type]) => {
        const list = h.addresses.filter((x) => x.includes(':') === (type === 'AAAA'));
        return list.length ? `${type} ${list.join(', ')}` : `the proof that ${h.host} has no ${type} records`;
      });
      add('fail', 'live-address-bogus', `the address records of ${h.host} (${what.join('; ')}) fail DNSSEC validation (bogus): validating senders defer mail to this host${because(bogusAddr[0][0])}`);
    }
    for (const [r, type] of [[h.a, 'A'], [h.aaaa, 'AAAA']] as const) {
      if (r.status === 'failed') add('error', 'live-address-failed', `the ${type} lookup of ${h.host} failed: ${plainDnsError(r.error)}`);
    }
    if (h.addresses.length === 0 && h.a.status !== 'failed' && h.aaaa.status !== 'failed') {
      add('fail', 'live-no-address', `${h.host} has no A or AAAA records: senders cannot reach it`);
    }
    switch (h.dane) {
      case 'bogus':
        if (h.tlsa.status === 'bogus') add('fail', 'live-tlsa-bogus', `the TLSA RRset at ${owner} fails DNSSEC validation (bogus): validating senders defer mail to ${h.host}${because(h.tlsa)}`);
        break;
      case 'unknown':
        if (h.tlsa.status === 'failed') add('error', 'live-tlsa-failed', `the TLSA lookup at ${owner} failed: ${plainDnsError(h.tlsa.error)}`);
        break;
      case 'insecure': {
        const addrInsecure = h.tlsa.status === 'secure';
        add('fail', 'live-tlsa-insecure', addrInsecure
          ? `insecure: DANE not in effect for ${h.host}: its address records are not DNSSEC-validated, so senders do not look up TLSA (RFC 7672 §2.2.2)`
          : `insecure: DANE not in effect for ${h.host}: the TLSA lookup at ${owner} is not DNSSEC-validated (no AD bit)${h.published.length ? `; ${h.published.length} record${h.published.length === 1 ? ' is' : 's are'} published but senders ignore ${h.published.length === 1 ? 'it' : 'them'}` : ''}${h.why ? `. Why: ${h.why.message}` : ''}`);
        break;
      }
      case 'none':
        add('fail', 'live-tlsa-missing', `no TLSA records at ${owner} (securely denied): DANE not in effect for ${h.host}`);
        break;
      case 'in-effect':
        if (h.published.every((r) => unusableForSmtp(r) !== undefined)) {
          add('warn', 'live-tlsa-unusable', `every TLSA record at ${owner} is unusable for SMTP: senders insist on STARTTLS but cannot authenticate ${h.host} (RFC 7672 §2.2)`);
        }
        break;
    }
    if (h.addressDrift) {
      const d = h.addressDrift;
      const parts: string[] = [];
      if (d.publishedOnly.length) parts.push(`published but not in the file: ${d.publishedOnly.join(', ')}`);
      if (d.fileOnly.length) parts.push(`in the file but not published: ${d.fileOnly.join(', ')}`);
      add('fail', 'live-address-drift', `the published addresses of ${h.host} differ from the zone file (${parts.join('; ')})`);
    }
    if (hasDrift(h.drift)) {
      const d = h.drift!;
      const parts: string[] = [];
      if (d.publishedOnly.length) parts.push(`published but not in the file: ${d.publishedOnly.map(recordLabel).join(', ')}`);
      if (d.fileOnly.length) parts.push(`in the file but not published: ${d.fileOnly.map(recordLabel).join(', ')}`);
      add('fail', 'live-drift', `published TLSA at ${owner} differs from the zone file (${parts.join('; ')})`);
    }
    for (const ar of h.addressReports) assessAddress(ar, h, report.port, add, zone !== undefined && h.drift !== undefined);
  }
  const published = new Map(report.hosts.map((h) => [displayName(h.tlsa.canonicalName).toLowerCase(), h.published] as const));
  for (const z of report.zones ?? []) {
    // On the (first) host whose TLSA records the zone holds, so that host's verdict says it.
    const owners = new Set(z.servers.flatMap((s) => s.tlsa.map((t) => t.owner.toLowerCase())));
    const host = report.hosts.find((h) => owners.has(displayName(h.tlsa.canonicalName).toLowerCase()))?.host;
    for (const p of serverProblems(z, published)) f.push({ level: p.level, code: p.code, message: p.message, ...(host ? { host } : {}), ...(p.address ? { address: p.address } : {}) });
  }
  report.outcome = outcomeOf(f);
}

function mismatchText(records: readonly RecordVerdict[], port: number, host: string): string {
  const ta = records.filter((v) => v.source !== 'file' && v.result === 'match' && !authenticates(v));
  return ta.length ? `matches ${recordLabel(ta[0])}, but ${ta[0].taProblems!.join('; ')}` : `matches no record at _${port}._tcp.${host}`;
}

/** The record that would cover the presented leaf, as the finding's last words. */
function presentedKey(chain: readonly CertSummary[]): string {
  const k = chain[0]?.spkiSha256;
  return k ? ` (its key is \`3 1 1 ${k}\`)` : '';
}

function assessAddress(
  ar: AddressReport, h: HostReport, port: number, add: (level: Finding['level'], code: string, message: string, address?: string) => void, withFile: boolean,
): void {
  const where = at(h.host, ar.address);
  const inEffect = h.dane === 'in-effect';
  if (ar.failedStep) {
    const step = ar.failedStep;
    if (step === 'connect') add('error', 'live-connect', `cannot connect to ${where} port ${port}: ${ar.error} (outbound port 25 is often blocked: check from a host that can send mail)`, ar.address);
    else if (step === 'starttls' && ar.starttlsOffered === false) {
      add(inEffect ? 'fail' : 'warn', 'live-no-starttls', `${where} does not offer STARTTLS${inEffect ? ': DANE senders defer mail to it (RFC 7672 §2.2)' : ''}`, ar.address);
    } else if (step === 'tls') add('fail', 'live-tls-failed', `${where}: ${ar.error}`, ar.address);
    else add('fail', `live-smtp-${step}`, `${where}: ${step === 'banner' ? 'greeting' : step.toUpperCase()}: ${ar.error}`, ar.address);
    return;
  }
  if (ar.dane === 'mismatch') {
    const kinds = (ar.keyTypes ?? []).filter((k) => k.presented);
    if (kinds.length > 1) {
      for (const k of kinds.filter((x) => x.dane === 'mismatch')) {
        const ok = kinds.filter((x) => x.dane === 'authenticated').map((x) => `its ${KEY_TYPE_NAME[x.keyType]} certificate matches ${x.matched.map((m) => `${recordLabel(m.record)} at the ${m.position}`).join(', ')}`);
        add('fail', 'live-cert-mismatch', `${where} presents an ${KEY_TYPE_NAME[k.keyType]} certificate (to senders that offer only ${KEY_TYPE_NAME[k.keyType]} signatures) that ${mismatchText(k.records, port, h.host)}${presentedKey(k.chain)}${ok.length ? `; ${ok.join('; ')}` : ''}`, ar.address);
      }
    } else {
      add('fail', 'live-cert-mismatch', `${where} presents a certificate that ${mismatchText(ar.records, port, h.host)}${presentedKey(ar.chain)}`, ar.address);
    }
  }
  const leaf = ar.chain[0];
  if (leaf && (leaf.expired || leaf.notYetValid) && ar.dane === 'authenticated' && ar.records.some((v) => v.source !== 'file' && authenticates(v) && v.usage === 3)) {
    add('warn', 'live-cert-expired', `${where} presents a leaf certificate ${leaf.expired ? `that expired on ${leaf.notAfter}` : `not valid before ${leaf.notBefore}`}: DANE-EE ignores dates (RFC 7672 §3.1.1), but senders without DANE will not accept it`, ar.address);
  }
  if (withFile) {
    const file = ar.records.filter((v) => v.source !== 'published');
    if (file.length > 0 && ar.chain.length > 0 && !file.some(authenticates)) {
      add('fail', 'live-file-mismatch', `none of the zone file's TLSA records for ${h.host} matches the certificate ${where} presents: publishing this file would break delivery`, ar.address);
    }
  }
}
