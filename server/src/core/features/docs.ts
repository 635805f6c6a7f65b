/**
 * Documentation texts shared by hover and completion: inline code and RFC links in markdown,
 * the usual service of a port, the master-file directives, the `; dane-zone` keys.
 */
import { RfcRef, rfcUrl } from '../rrtypeSchema';

/** Inline code that survives backticks in the text. */
export function code(s: string): string {
  if (!s.includes('`')) return '`' + s + '`';
  return '`` ' + s + ' ``';
}

export function rfcLabel(ref: RfcRef): string {
  return `RFC ${ref.rfc}${ref.section ? ` §${ref.section}` : ''}`;
}

export function link(ref: RfcRef): string {
  return `[${rfcLabel(ref)}](${rfcUrl(ref)})`;
}

/** `https://www.rfc-editor.org/rfc/rfc6698#section-2.1.1` → `[RFC 6698 §2.1.1](…)`. */
export function hrefLink(href: string): string {
  const m = /rfc(\d+)(?:#section-([\w.]+))?$/.exec(href);
  return m ? `[RFC ${m[1]}${m[2] ? ` §${m[2]}` : ''}](${href})` : `[${href}](${href})`;
}

const SERVICES: Record<number, string> = {
  21: 'FTP', 25: 'SMTP (mail transfer between servers)', 53: 'DNS', 80: 'HTTP', 110: 'POP3', 119: 'NNTP', 143: 'IMAP',
  389: 'LDAP', 443: 'HTTPS', 465: 'submissions (mail submission over implicit TLS)', 563: 'NNTPS', 587: 'submission (mail submission, STARTTLS)',
  636: 'LDAPS', 853: 'DNS over TLS/QUIC', 990: 'FTPS', 993: 'IMAPS', 995: 'POP3S', 3389: 'RDP', 4190: 'ManageSieve',
  5222: 'XMPP client-to-server', 5223: 'XMPP client-to-server over TLS', 5269: 'XMPP server-to-server', 5061: 'SIP over TLS', 6697: 'IRC over TLS', 8443: 'HTTPS (alternate port)',
};

/** The service usually on a port (for hovers and completion details). */
export function serviceName(port: number): string | undefined {
  return SERVICES[port];
}

const DIRECTIVE_DOCS: Record<string, string> = {
  $ORIGIN: `**$ORIGIN** ${code('<domain>')}\n\nSets the origin: names without a trailing dot, and ${code('@')}, below this line are completed with it (${link({ rfc: 1035, section: '5.1' })}).`,
  $TTL: `**$TTL** ${code('<ttl>')}\n\nThe default TTL for the records below that give none (${link({ rfc: 2308, section: '4' })}). Seconds, or units such as ${code('1h')}, ${code('2d')}, ${code('1w2d3h4m5s')}.`,
  $INCLUDE: `**$INCLUDE** ${code('<file> [<origin>]')}\n\nReads another zone file here, with the given origin (or the current one); the origin is restored after it (${link({ rfc: 1035, section: '5.1' })}). The path is relative to this file.`,
  $GENERATE: `**$GENERATE** ${code('<start>-<stop>[/<step>] <owner> [ttl] [class] <type> <data>')}\n\nBIND extension: one record per value in the range; ${code('$')} in the owner and data is replaced by the value, ${code('${offset,width,base}')} formats it (base d, o, x, X, n or N).`,
};

/** Markdown for a master-file directive (shared with completion). */
export function directiveDocumentation(name: string): string | undefined {
  return DIRECTIVE_DOCS[name.toUpperCase()];
}

const DNSSEC_VALUES: Record<string, string> = {
  signed: 'the file holds the DNSSEC records (a pre-signed zone)',
  unsigned: 'the zone is not signed: validating senders treat its TLSA records as absent, so DANE is off',
  inline: 'the server signs the zone on load (BIND dnssec-policy / inline-signing, Knot automatic signing, PowerDNS online signing): the file itself holds no DNSSEC records',
};

const DANE_KEYS: Record<string, string> = {
  dnssec: `**dnssec=** ${code('signed|unsigned|inline')} — declares how this zone is signed, which decides whether its TLSA records are usable (${link({ rfc: 7672, section: '2.2' })}). Without it, the zone counts as signed when the file holds DNSKEY, RRSIG, NSEC or NSEC3 records.\n\n` +
    Object.entries(DNSSEC_VALUES).map(([k, v]) => `- ${code(k)}: ${v}`).join('\n'),
  disable: `**disable=** ${code('CODE[,CODE…]')} — silences these diagnostic codes in this file.`,
  cert: `**cert=** ${code('PATH')} — links the TLSA RRset whose first record follows this comment to the certificate in use (PEM or DER, or a full chain, leaf first; relative to the zone file). Each record is checked against it: one that matches nothing is reported.`,
  'mta-sts': `**mta-sts=** ${code('PATH')} — the MTA-STS policy file served at ${code('https://mta-sts.<domain>/.well-known/mta-sts.txt')} (relative to the zone file): it must be valid (${code('version: STSv1')}, ${code('mode:')}, ${code('max_age:')}) and its ${code('mx:')} patterns must cover every MX host of the domain of the ${code('_mta-sts')} record that follows (else the zone's apex) (${link({ rfc: 8461, section: '3.2' })}).`,
  next: `**next=** ${code('PATH')} — the next certificate, public key, private key (its public half) or CSR for the TLSA RRset that follows: publish its digest before deploying it (${link({ rfc: 7671, section: '8.1' })}).`,
};

/** Markdown for a `; dane-zone` key (shared with completion). */
export function daneKeyDocumentation(key: string): string | undefined {
  return DANE_KEYS[key.toLowerCase()];
}

export const DANE_KEY_NAMES: readonly string[] = Object.keys(DANE_KEYS);

/** What a `dnssec=` value of a `; dane-zone` comment means, or undefined for another value. */
export function dnssecValueDocumentation(value: string): string | undefined {
  return DNSSEC_VALUES[value.toLowerCase()];
}
