/**
 * The live report as text (for people) and JSON (for scripts), and its exit code:
 * 0 all good, 1 a failure found, 2 could not check.
 */
import { plainDnsError, statusWord } from './dns';
import { recordLabel } from './match';
import type { ZoneServersReport } from './authority';
import { AddressReport, CertSummary, HostReport, KeyTypeReport, LiveReport, LookupReport, Outcome, RecordVerdict } from './types';

export const LIVE_EXIT: Record<Outcome, number> = { pass: 0, fail: 1, error: 2 };

export function liveExitCode(report: LiveReport): number {
  return LIVE_EXIT[report.outcome];
}

export function liveJson(report: LiveReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

function lookupLine(r: LookupReport): string {
  const via = r.cnames.length ? ` (via CNAME to ${r.canonicalName})` : '';
  // A bogus lookup's resolver text (EDE) is said once, in the findings, not on every line.
  const err = r.error && r.status === 'failed' ? `: ${plainDnsError(r.error)}` : '';
  return `${statusWord(r.status)}${r.rcode && r.rcode !== 'NOERROR' ? `, ${r.rcode}` : ''}${via}${err}`;
}

const DANE_WORD: Record<HostReport['dane'], string> = {
  'in-effect': 'DANE in effect',
  insecure: 'insecure: DANE not in effect',
  bogus: 'bogus: DNSSEC validation fails',
  none: 'no TLSA records: DANE not in effect',
  unknown: 'DANE status unknown (lookup failed)',
};

const ADDRESS_WORD: Record<AddressReport['dane'], string> = {
  authenticated: 'certificate matches a published record',
  mismatch: 'CERTIFICATE MATCHES NO PUBLISHED RECORD',
  'not-applicable': 'certificate seen (DANE not in effect, matched for information)',
  'not-checked': 'no certificate seen',
};

function date(iso: string): string {
  return iso ? iso.slice(0, 10) : '?';
}

/** What `[published]`, `[file]`, `[both]` stand for, in the report's words. */
export const SOURCE_WORD: Record<RecordVerdict['source'], string> = {
  published: 'published, not in the file',
  file: 'in the file only, not published',
  both: 'published and in the file',
};

function recordLines(records: readonly RecordVerdict[], indent: string, lines: string[], withFile: boolean): void {
  for (const v of records) {
    const source = withFile ? ` [${SOURCE_WORD[v.source]}]` : v.source === 'published' ? '' : ` [${SOURCE_WORD[v.source]}]`;
    lines.push(`${indent}${v.result === 'match' ? 'match   ' : v.result === 'unusable' ? 'unusable' : 'no match'} ${recordLabel(v)}${source} ${v.reason}`);
  }
}

function chainLines(chain: readonly CertSummary[], indent: string, lines: string[]): void {
  chain.forEach((c, i) => {
    const state = c.expired ? ', EXPIRED' : c.notYetValid ? ', not yet valid' : '';
    lines.push(`${indent}chain[${i}] ${c.error ? `unreadable: ${c.error}` : `${c.subject} (${c.keyAlgorithm ?? 'key'}; issuer ${c.issuer}; valid to ${date(c.notAfter)}${state})`}`);
  });
}

const KEY_NAME: Record<KeyTypeReport['keyType'], string> = { rsa: 'RSA', ecdsa: 'ECDSA' };

function keyTypeLine(k: KeyTypeReport): string {
  const how = k.offer === 'all' ? 'first handshake, every algorithm offered' : `only ${KEY_NAME[k.keyType]} signatures offered`;
  if (!k.presented) return `${KEY_NAME[k.keyType]}: ${k.note ?? 'not presented'}`;
  const m = k.matched.map((x) => `${recordLabel(x.record)} at the ${x.position} (depth ${x.depth})`).join(', ');
  const verdict = k.dane === 'authenticated' ? `authenticated by ${m}` : k.dane === 'mismatch' ? 'MATCHES NO PUBLISHED RECORD' : ADDRESS_WORD[k.dane];
  return `${KEY_NAME[k.keyType]} certificate (${how}): ${verdict}`;
}

function addressText(a: AddressReport, lines: string[], withFile: boolean): void {
  const steps = a.steps.map((s) => `${s.step} ${s.ok ? 'ok' : 'FAILED'}`).join(', ');
  lines.push(`    ${a.address}: ${steps}${a.tls?.protocol ? ` (${a.tls.protocol})` : ''}`);
  if (a.failedStep) lines.push(`      ${a.failedStep}: ${a.error}`);
  if (a.keyTypes && a.keyTypes.length > 0) {
    for (const k of a.keyTypes) {
      lines.push(`      ${keyTypeLine(k)}`);
      if (!k.presented) continue;
      chainLines(k.chain, '        ', lines);
      recordLines(k.records, '        ', lines, withFile);
    }
  } else if (a.chain.length > 0) {
    lines.push(`      ${ADDRESS_WORD[a.dane]}`);
    chainLines(a.chain, '      ', lines);
    recordLines(a.records, '      ', lines, withFile);
  } else if (!a.failedStep) {
    lines.push(`      ${ADDRESS_WORD[a.dane]}`);
  }
}

function hostText(h: HostReport, port: number, lines: string[]): void {
  lines.push('');
  lines.push(`${h.host}${h.preference !== undefined ? ` (MX ${h.preference})` : ''}: ${DANE_WORD[h.dane]}`);
  if (h.cname) {
    lines.push(`  CNAME ${h.host} is an alias of ${h.cname.expanded} (${h.cname.secure ? 'secure' : 'NOT secure'}); TLSA records from the ${h.cname.tlsaFrom === 'expanded' ? `expanded name` : 'original name'} (RFC 7672 §2.2.2)`);
  }
  lines.push(`  A     ${h.a.status === 'failed' || h.a.status === 'bogus' ? lookupLine(h.a) : `${h.addresses.filter((x) => !x.includes(':')).join(', ') || 'none'}, ${lookupLine(h.a)}`}`);
  lines.push(`  AAAA  ${h.aaaa.status === 'failed' || h.aaaa.status === 'bogus' ? lookupLine(h.aaaa) : `${h.addresses.filter((x) => x.includes(':')).join(', ') || 'none'}, ${lookupLine(h.aaaa)}`}`);
  if (h.addressDrift) {
    for (const x of h.addressDrift.publishedOnly) lines.push(`  drift address published, not in the file: ${x}`);
    for (const x of h.addressDrift.fileOnly) lines.push(`  drift address in the file, not published: ${x}`);
  }
  lines.push(`  TLSA  ${h.tlsa.name}: ${lookupLine(h.tlsa)}, ${h.published.length} record${h.published.length === 1 ? '' : 's'}`);
  for (const r of h.published) lines.push(`          ${r.usage} ${r.selector} ${r.matchingType} ${r.data}`);
  if (h.why) lines.push(`  why   ${h.why.message}`);
  if (h.drift) {
    const d = h.drift;
    if (d.fileOnly.length === 0 && d.publishedOnly.length === 0) lines.push(`  file  the zone file's RRset at _${port}._tcp.${h.host} equals the published one`);
    for (const r of d.publishedOnly) lines.push(`  drift published, not in the file: ${r.usage} ${r.selector} ${r.matchingType} ${r.data}`);
    for (const r of d.fileOnly) lines.push(`  drift in the file, not published: ${r.usage} ${r.selector} ${r.matchingType} ${r.data}`);
  }
  for (const a of h.addressReports) addressText(a, lines, h.drift !== undefined);
}

function zoneText(z: ZoneServersReport, lines: string[]): void {
  lines.push('');
  lines.push(`Name servers of ${z.zone}: ${z.nameServers.join(', ') || 'none found'}${z.serial !== undefined ? `; newest serial ${z.serial}` : ''}`);
  if (z.error) lines.push(`  ${z.error}`);
  for (const s of z.servers) {
    if (s.error) { lines.push(`  ${s.ns}${s.address ? ` (${s.address})` : ''}: ${s.error}`); continue; }
    const tlsa = s.tlsa.map((t) => `${t.records.length} TLSA at ${t.owner}`).join(', ');
    lines.push(`  ${s.ns} (${s.address}): serial ${s.serial}${tlsa ? `, ${tlsa}` : ''}${z.serial !== undefined && s.serial !== undefined && s.serial < z.serial ? ' (BEHIND)' : ''}`);
  }
}

const ORDER = { fail: 0, error: 1, warn: 2, info: 3 } as const;

/** One host's verdict from its findings: FAIL, COULD NOT CHECK or PASS, and the first reason. */
export function hostVerdict(report: LiveReport, h: HostReport): { outcome: LiveReport['outcome']; reason: string } {
  const mine = report.findings.filter((f) => f.host === h.host).sort((a, b) => ORDER[a.level] - ORDER[b.level]);
  const worst = mine[0];
  if (worst?.level === 'fail') return { outcome: 'fail', reason: worst.message };
  if (worst?.level === 'error') return { outcome: 'error', reason: worst.message };
  const n = h.addressReports.length;
  const kinds = h.addressReports.flatMap((a) => (a.keyTypes ?? []).filter((k) => k.presented).map((k) => KEY_NAME[k.keyType]));
  const kindText = [...new Set(kinds)].join(' and ');
  return { outcome: 'pass', reason: `${DANE_WORD[h.dane]}; ${n} address${n === 1 ? '' : 'es'}${kindText ? ` (${kindText} certificates)` : ''} authenticated` };
}

const VERDICT_WORD: Record<LiveReport['outcome'], string> = { pass: 'PASS', fail: 'FAIL', error: 'COULD NOT CHECK' };

/** The report for a terminal: the verdict and one line per host first, then the findings, then the details. */
export function liveText(report: LiveReport): string {
  const lines: string[] = [];
  lines.push(`Live DANE check of ${report.target}, port ${report.port}${report.resolver ? `, resolver ${report.resolver}` : ''}`);
  const verdict = report.outcome === 'pass' ? 'PASS: every host and address checks out'
    : report.outcome === 'fail' ? `FAIL: ${report.findings.filter((f) => f.level === 'fail').length} problem(s) found`
      : 'COULD NOT CHECK: see the errors below';
  lines.push(`${verdict} (${report.ms} ms)`);
  if (report.hosts.length > 0) {
    lines.push('');
    for (const h of report.hosts) {
      const v = hostVerdict(report, h);
      lines.push(`${VERDICT_WORD[v.outcome].padEnd(5)} ${h.host}${h.preference !== undefined ? ` (MX ${h.preference})` : ''}: ${v.reason}`);
    }
  }
  const findings = [...report.findings].sort((a, b) => ORDER[a.level] - ORDER[b.level]);
  if (findings.length > 0) {
    lines.push('');
    lines.push('Findings:');
    for (const f of findings) lines.push(`${f.level.toUpperCase().padEnd(5)} ${f.message}`);
  }
  lines.push('');
  lines.push('Details:');
  if (report.implicitMx) lines.push(`MX    none: ${report.target} is checked as its own mail host (RFC 5321 §5.1), ${lookupLine(report.mx)}`);
  else lines.push(`MX    ${lookupLine(report.mx)}: ${report.hosts.map((h) => `${h.preference ?? ''} ${h.host}`.trim()).join(', ') || 'no hosts'}`);
  if (report.mxWhy) lines.push(`  why   ${report.mxWhy.message}`);
  for (const h of report.hosts) hostText(h, report.port, lines);
  for (const z of report.zones ?? []) zoneText(z, lines);
  return lines.join('\n') + '\n';
}
