/**
 * tlsa-owner and tlsa-protocol: the shape of TLSA owners (`_port._protocol.host`, RFC 6698 §3)
 * and SMIMEA owners (`<hash>._smimecert.<domain>`, RFC 8162 §3), and what a TLSA owner says
 * (port, protocol, base host) for the other checks.
 */
import { ZoneRecord } from '../model';
import { nameKey } from '../names';
import { headLabels, labelsOf as nameLabels, parentName } from './names';
import { Token, ZoneDiagnostic } from '../types';
import { DaneFixData } from './fixData';
import { diag, ownerAt } from './report';
import { SMIMEA_HASH_HEX_DIGITS, SMIMEA_LABEL, TLSA_PROTOCOLS } from './tlsaValues';
import { TlsaRRset } from './view';

export { parentName };

export interface OwnerInfo {
  /** Port number when the first label is `_` + digits (leading zeros read as the number). */
  port?: number;
  /** Protocol label, lowercased (`_tcp`). */
  protocol?: string;
  /** Base host (absolute) of a well-formed TLSA owner. */
  host?: string;
  /** nameKey(host). */
  hostKey?: string;
  /** The port label is malformed (`_025`, `_smtp`, out of range): no client ever queries this owner. */
  neverQueried?: boolean;
}

/** Spans of the labels of an owner token as written (none for `@`). */
function writtenLabels(t: Token | undefined): { text: string; start: number; end: number }[] {
  if (!t || t.quoted || t.text === '@' || t.text === '.') return [];
  const out: { text: string; start: number; end: number }[] = [];
  const s = t.text;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') { i += /[0-9]/.test(s[i + 1] ?? '') ? 3 : 1; continue; }
    if (c === '.') {
      out.push({ text: s.slice(from, i), start: t.start + from, end: t.start + i });
      from = i + 1;
    }
  }
  if (from < s.length) out.push({ text: s.slice(from), start: t.start + from, end: t.start + s.length });
  return out;
}

/** tlsa-owner / tlsa-protocol for a TLSA RRset's owner; returns what the owner says. */
/** The OwnerInfo of a well-formed TLSA owner (a class, made per RRset: no allocation site, pipeline/fresh.ts). */
class OwnerFacts implements OwnerInfo {
  port?: number = undefined;
  neverQueried?: boolean = undefined;
  constructor(public protocol: string, public host: string, public hostKey: string) {}
}

const SMTP_OWNER = '_25._tcp.';

/**
 * `_25._tcp.<host>` written plainly (lower case, absolute, no escape): what the general path
 * finds for it without reading labels (port 25, `_tcp`, nothing to report), or undefined for any
 * other owner. Most TLSA owners of a mail zone are such; test/unit/dane-owner-fast.test.ts holds
 * the two paths together.
 */
function plainSmtpOwner(set: TlsaRRset): OwnerInfo | undefined {
  const owner = set.owner;
  if (owner.length <= SMTP_OWNER.length || !owner.startsWith(SMTP_OWNER) || !owner.endsWith('.') || owner.indexOf('\\') >= 0) return undefined;
  const host = owner.slice(SMTP_OWNER.length);
  const info = new OwnerFacts('_tcp', host, owner === set.ownerKey ? host : nameKey(host));
  info.port = 25;
  return info;
}

/** `general`: skip the plain `_25._tcp` fast path (the test compares the two). */
export function checkTlsaOwner(set: TlsaRRset, out: ZoneDiagnostic[], general = false): OwnerInfo {
  const plain = general ? undefined : plainSmtpOwner(set);
  if (plain !== undefined) return plain;
  const first = set.records[0];
  // (the first three labels are all it reads: fewer than three is the shape error)
  const labels = headLabels(set.owner, 3);
  // (the owner token only when a finding needs it: the CLI's kept records read their tokens on demand)
  let writtenOnce: ReturnType<typeof writtenLabels> | undefined;
  const written = () => (writtenOnce ??= writtenLabels(first.ownerToken));
  const labelAt = (i: number) => first.includeSpan ?? written()[i] ?? ownerAt(first);
  const shape = 'a TLSA owner is `_port._protocol.host`, like `_25._tcp.mail.example.com.`';
  // `*` stands for any port or protocol (a wildcard owner such as `*._tcp.mx.example.com.`).
  const okLabel = (l: string | undefined) => l !== undefined && (l.startsWith('_') || l === '*');
  if (labels.length < 3 || !okLabel(labels[0]) || !okLabel(labels[1])) {
    const why = labels.length < 3 && okLabel(labels[0]) && okLabel(labels[1]) ? 'has no host name after the port and protocol labels' : 'does not have that shape';
    out.push(diag('tlsa-owner-shape', 'warning', ownerAt(first), `${set.owner} ${why}: ${shape}; this is valid DNS, but clients never look this name up: move the records to the \`_port._protocol\` name of the service`));
    return {};
  }
  const host = parentName(set.owner, 2);
  // (a lowercase owner, the common case, has a lowercase host: no second string)
  const info = new OwnerFacts(labels[1].toLowerCase(), host, set.owner === set.ownerKey ? host : nameKey(host));
  const portLabel = labels[0];
  const digits = portLabel.slice(1);
  if (portLabel === '*') {
    // any port: nothing to check
  } else if (!/^[0-9]+$/.test(digits)) {
    info.neverQueried = true;
    out.push(diag('tlsa-owner', 'error', labelAt(0),
      `\`${portLabel}\` is not a port label: the first label of a TLSA owner is \`_\` and the port number, like \`_25\` or \`_443\` (service names are SRV's convention, not TLSA's)`));
  } else {
    const port = digits.length > 5 ? 65536 : Number(digits);
    if (port > 65535) {
      info.neverQueried = true;
      out.push(diag('tlsa-owner', 'error', labelAt(0), `port ${digits} in \`${portLabel}\` is out of range: a port is 0..65535`));
    } else if (digits.length > 1 && digits[0] === '0') {
      info.port = port;
      info.neverQueried = true;
      const at = labelAt(0);
      const w = first.includeSpan ? undefined : written()[0];
      const fixable = w !== undefined && w.start === at.start && w.end === at.end;
      const data: DaneFixData | undefined = fixable ? { fix: 'tlsa-port', port, replace: [{ start: w.start, end: w.end, oldText: w.text, newText: `_${port}` }] } : undefined;
      out.push(diag('tlsa-owner', 'error', at,
        `\`${portLabel}\` has a leading zero: clients query \`_${port}\`, so this RRset is never found; write \`_${port}\``, data));
    } else {
      info.port = port;
    }
  }
  if (info.protocol !== '*' && !TLSA_PROTOCOLS.includes(info.protocol!)) {
    out.push(diag('tlsa-protocol', 'warning', labelAt(1),
      `\`${labels[1]}\` is not a transport protocol label: TLSA owners use \`_tcp\`, \`_udp\` or \`_sctp\` (RFC 6698 §3)`));
  }
  return info;
}

/** tlsa-owner for an SMIMEA RRset's owner. */
export function checkSmimeaOwner(set: TlsaRRset, out: ZoneDiagnostic[]): void {
  const first: ZoneRecord = set.records[0];
  const labels = nameLabels(set.owner);
  const shape = 'an SMIMEA owner is `<SHA2-256 of the local part, first 28 octets in hex>._smimecert.<domain>` (RFC 8162 §3)';
  const written = writtenLabels(first.ownerToken);
  if (labels.length < 3 || labels[1].toLowerCase() !== SMIMEA_LABEL) {
    out.push(diag('tlsa-owner-shape', 'warning', ownerAt(first), `${set.owner} does not have that shape: ${shape}; this is valid DNS, but no client looks this name up`));
    return;
  }
  const hash = labels[0];
  if (!new RegExp(`^[0-9a-fA-F]{${SMIMEA_HASH_HEX_DIGITS}}$`).test(hash)) {
    const at = first.includeSpan ?? written[0] ?? ownerAt(first);
    out.push(diag('tlsa-owner', 'error', at,
      `\`${hash.length > 20 ? hash.slice(0, 17) + '…' : hash}\` is not a hashed local part: ${shape}; it has ${hash.length} characters, the hash has ${SMIMEA_HASH_HEX_DIGITS} hex digits`));
  }
}
