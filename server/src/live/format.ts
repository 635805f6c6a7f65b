/**
 * The live report as text (for people) and JSON (for scripts), and its exit code:
 * 0 all good, 1 a failure found, 2 could not check.
 */
import { statusWord } from './dns';
import { recordLabel } from './match';
import { AddressReport, HostReport, LiveReport, LookupReport, Outcome } from './types';

export const LIVE_EXIT: Record<Outcome, number> = { pass: 0, fail: 1, error: 2 };

export function liveExitCode(report: LiveReport): number {
  return LIVE_EXIT[report.outcome];
}

export function liveJson(report: LiveReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

function lookupLine(r: LookupReport): string {
  const via = r.cnames.length ? ` (via CNAME to ${r.canonicalName})` : '';
  const err = r.error && r.status !== 'secure' && r.status !== 'insecure' ? `: ${r.error}` : '';
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

function addressText(a: AddressReport, lines: string[]): void {
  const steps = a.steps.map((s) => `${s.step} ${s.ok ? 'ok' : 'FAILED'}`).join(', ');
  lines.push(`    ${a.address}: ${steps}${a.tls?.protocol ? ` (${a.tls.protocol})` : ''}`);
  if (a.failedStep) lines.push(`      ${a.failedStep}: ${a.error}`);
  if (a.chain.length > 0) {
    lines.push(`      ${ADDRESS_WORD[a.dane]}`);
    a.chain.forEach((c, i) => {
      const state = c.expired ? ', EXPIRED' : c.notYetValid ? ', not yet valid' : '';
      lines.push(`      chain[${i}] ${c.error ? `unreadable: ${c.error}` : `${c.subject} (issuer ${c.issuer}; valid to ${date(c.notAfter)}${state})`}`);
    });
    for (const v of a.records) {
      lines.push(`      ${v.result === 'match' ? 'match   ' : v.result === 'unusable' ? 'unusable' : 'no match'} ${recordLabel(v)} [${v.source}] ${v.reason}`);
    }
  } else if (!a.failedStep) {
    lines.push(`      ${ADDRESS_WORD[a.dane]}`);
  }
}

function hostText(h: HostReport, port: number, lines: string[]): void {
  lines.push('');
  lines.push(`${h.host}${h.preference !== undefined ? ` (MX ${h.preference})` : ''}: ${DANE_WORD[h.dane]}`);
  lines.push(`  A     ${h.a.status === 'failed' || h.a.status === 'bogus' ? lookupLine(h.a) : `${h.addresses.filter((x) => !x.includes(':')).join(', ') || 'none'}, ${lookupLine(h.a)}`}`);
  lines.push(`  AAAA  ${h.aaaa.status === 'failed' || h.aaaa.status === 'bogus' ? lookupLine(h.aaaa) : `${h.addresses.filter((x) => x.includes(':')).join(', ') || 'none'}, ${lookupLine(h.aaaa)}`}`);
  lines.push(`  TLSA  ${h.tlsa.name}: ${lookupLine(h.tlsa)}, ${h.published.length} record${h.published.length === 1 ? '' : 's'}`);
  for (const r of h.published) lines.push(`          ${r.usage} ${r.selector} ${r.matchingType} ${r.data}`);
  if (h.drift) {
    const d = h.drift;
    if (d.fileOnly.length === 0 && d.publishedOnly.length === 0) lines.push(`  file  the zone file's RRset at _${port}._tcp.${h.host} equals the published one`);
    for (const r of d.publishedOnly) lines.push(`  drift published, not in the file: ${r.usage} ${r.selector} ${r.matchingType} ${r.data}`);
    for (const r of d.fileOnly) lines.push(`  drift in the file, not published: ${r.usage} ${r.selector} ${r.matchingType} ${r.data}`);
  }
  for (const a of h.addressReports) addressText(a, lines);
}

/** The report for a terminal. */
export function liveText(report: LiveReport): string {
  const lines: string[] = [];
  lines.push(`Live DANE check of ${report.target}, port ${report.port}${report.resolver ? `, resolver ${report.resolver}` : ''}`);
  if (report.implicitMx) lines.push(`MX    none: ${report.target} is checked as its own mail host (RFC 5321 §5.1), ${lookupLine(report.mx)}`);
  else lines.push(`MX    ${lookupLine(report.mx)}: ${report.hosts.map((h) => `${h.preference ?? ''} ${h.host}`.trim()).join(', ') || 'no hosts'}`);
  for (const h of report.hosts) hostText(h, report.port, lines);
  lines.push('');
  const order = { fail: 0, error: 1, warn: 2, info: 3 } as const;
  const findings = [...report.findings].sort((a, b) => order[a.level] - order[b.level]);
  for (const f of findings) lines.push(`${f.level.toUpperCase().padEnd(5)} ${f.message}`);
  const verdict = report.outcome === 'pass' ? 'PASS: every host and address checks out'
    : report.outcome === 'fail' ? `FAIL: ${report.findings.filter((f) => f.level === 'fail').length} problem(s) found`
      : 'COULD NOT CHECK: see the errors above';
  lines.push(`${verdict} (${report.ms} ms)`);
  return lines.join('\n') + '\n';
}
