import { ZoneRecord } from '../model';
import { nameLabels, parseName } from '../names';
import { ZoneDiagnostic } from '../types';

/**
 * check-names (BIND's `check-names`, off by default here: setting `daneZone.checkNames`, CLI
 * `--check-names`): host names where a host name belongs must follow RFC 952 / RFC 1123 §2.1
 * (letters, digits and inner hyphens per label). Where BIND looks: the owner of A/AAAA/A6/WKS
 * (a leading `*` allowed; `gc._msdcs` and `_spf` names excepted, as BIND does), the targets
 * of NS, MX, SRV, KX, AFSDB, RT, SVCB/HTTPS, the SOA primary server and mailbox, and PTR
 * targets in reverse zones (not under a DNS-SD `b/db/r/dr/lb._dns-sd._udp` name).
 */

export type CheckNamesMode = 'off' | 'warn' | 'error';

const OWNER_TYPES = new Set([1, 28, 38, 11]);
/** Type → index of the RDATA token holding a host name. */
const TARGET: Record<number, number> = { 2: 0, 15: 1, 33: 3, 36: 1, 18: 1, 21: 1, 64: 1, 65: 1 };
const TYPE_SOA = 6, TYPE_PTR = 12;
const SPF_LABELS = new Set(['_spf', '_spf_rate', '_spf_verify']);
const DNSSD = new Set(['b', 'db', 'r', 'dr', 'lb']);

function hostLabel(l: string): boolean {
  return /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(l);
}

/** True when `name` (normalized absolute) is a host name; `wildcard`: a leading `*` label is allowed. */
export function isHostName(name: string, wildcard: boolean): boolean {
  const labels = nameLabels(name);
  return labels.every((l, i) => hostLabel(l) || (wildcard && i === 0 && l === '*'));
}

function ownerExcepted(labels: string[]): boolean {
  const lower = labels.map((l) => l.toLowerCase());
  return (lower[0] === 'gc' && lower[1] === '_msdcs') || (lower.length > 1 && SPF_LABELS.has(lower[1]));
}

const isReverse = (owner: string) => /\.(in-addr|ip6)\.arpa\.$/i.test(owner);
const isDnsSd = (labels: string[]) => labels.length >= 3 && DNSSD.has(labels[0].toLowerCase()) && labels[1].toLowerCase() === '_dns-sd' && labels[2].toLowerCase() === '_udp';

/** check-names of one record (zoneRules.ts's checkRecordRules calls it when the option is on). */
export function checkNamesOf(r: ZoneRecord, mode: 'warn' | 'error', out: ZoneDiagnostic[]): void {
  if (!r.owner || !r.wire) return;
  const severity = mode === 'error' ? 'error' : 'warning';
  const report = (span: { start: number; end: number }, message: string) =>
    out.push({ code: 'check-names', severity, start: span.start, end: span.end, message });
  const t = r.typeCode;
  if (OWNER_TYPES.has(t)) {
    const labels = nameLabels(r.owner);
    if (!ownerExcepted(labels) && !isHostName(r.owner, true)) {
      report(r.includeSpan ?? r.ownerToken ?? r.typeToken ?? r, `${r.owner} is not a host name (RFC 952, RFC 1123 §2.1: letters, digits and inner hyphens), but it owns ${r.typeName} records; rename it, or turn daneZone.checkNames off`);
    }
  }
  const targets: number[] = t === TYPE_SOA ? [0, 1] : t === TYPE_PTR ? (isReverse(r.owner) && !isDnsSd(nameLabels(r.owner)) ? [0] : []) : TARGET[t] === undefined ? [] : [TARGET[t]];
  for (const k of targets) {
    const tok = r.rdata[k];
    if (!tok || tok.quoted || tok.text === '.' || r.rdata[0]?.text === '\\#') continue;
    const name = parseName(tok.text, r.origin).name;
    if (name === undefined || name === '.') continue;
    // the SOA mailbox: its first label is the local part, anything goes there
    const checked = t === TYPE_SOA && k === 1 ? nameLabels(name).slice(1).join('.') + '.' : name;
    if (checked !== '.' && !isHostName(checked, false)) {
      report(r.includeSpan ?? tok, `\`${tok.text}\` is not a host name (RFC 952, RFC 1123 §2.1), but ${r.typeName} ${t === TYPE_SOA && k === 1 ? 'names a mailbox on a host here' : 'points at a host here'}; use the host's real name, or turn daneZone.checkNames off`);
    }
  }
}
