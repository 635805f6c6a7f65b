/**
 * Hover on TLSA/SMIMEA record data: the three fields (number, RFC 7218 name, meaning, SMTP
 * implication) and the association data (length against the matching type, DER framing,
 * the CA line of `2 x y` data).
 */
import { ZoneRecord } from '../model';
import { TYPE_SMIMEA, TYPE_TLSA } from '../rrtypes';
import { code, hrefLink, link } from './docs';
import { caHoverLine } from '../dane/mail';
import { digestLength, TLSA_FIELDS, TlsaField, tlsaValue } from '../dane/tlsaValues';
import { readTlsaField, TLSA_FIELD_AT } from './locate';
import { plural, ZoneHover } from './hoverCommon';

// ---- TLSA fields --------------------------------------------------------------------

/** The markdown for one TLSA/SMIMEA field value (shared with completion). */
export function tlsaValueDocumentation(field: TlsaField, value: number, smtp: boolean, what = 'TLSA'): string {
  const def = TLSA_FIELDS[field];
  const v = tlsaValue(field, value);
  if (v) {
    const lines = [`**${what} ${def.label} ${value} — ${v.acronym}**`, '', capitalize(v.meaning) + '.'];
    if (smtp) lines.push('', `**For SMTP** (${link({ rfc: 7672 })}) — ${v.smtp}.`);
    lines.push('', hrefLink(v.href));
    return lines.join('\n');
  }
  const lines = [`**${what} ${def.label} ${value} — unassigned**`, '',
    `Values ${def.unassignedFrom}–254 are not assigned in the IANA registry: no client knows what this record means, so it is unusable and ignored.`];
  if (smtp) lines.push('', '**For SMTP** — a sender treats this record as unusable; if no record of the RRset is usable, it still insists on STARTTLS but cannot authenticate the server (RFC 7672 §2.2).');
  lines.push('', `Assigned: ${def.values.map((x) => `${x.value} ${x.acronym}`).join(', ')}. ${hrefLink('https://www.rfc-editor.org/rfc/rfc6698#section-7.2')}`);
  return lines.join('\n');
}

function capitalize(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

export function tlsaFieldHover(r: ZoneRecord, index: number): ZoneHover | undefined {
  const t = r.rdata[index];
  const field = TLSA_FIELD_AT[index];
  const def = TLSA_FIELDS[field];
  const span = { start: t.start, end: t.end };
  const read = readTlsaField(field, t);
  const smtp = r.typeCode === TYPE_TLSA;
  const what = r.typeCode === TYPE_SMIMEA ? 'SMIMEA' : 'TLSA';
  if (!read || !read.ok) {
    return {
      contents: `**${what} ${def.label}**: ${code(t.text)} is not a valid value — write a decimal number 0..255 (${def.values.map((x) => `${x.value} = ${x.acronym}`).join(', ')}).`,
      ...span,
    };
  }
  let doc = tlsaValueDocumentation(field, read.value, smtp, what);
  if (read.acronym) {
    doc += `\n\n⚠ ${code(t.text)} is the RFC 7218 acronym for **${read.value}**: write the number — only ldns accepts acronyms; BIND, Knot, NSD and PowerDNS reject the zone.`;
  }
  return { contents: doc, ...span };
}

// ---- association data ------------------------------------------------------------------

const OPENSSL_SPKI = 'openssl x509 -in cert.pem -noout -pubkey | openssl pkey -pubin -outform DER';
const OPENSSL_CERT = 'openssl x509 -in cert.pem -outform DER';

export function associationDataHover(r: ZoneRecord, now: Date): ZoneHover | undefined {
  const tokens = r.rdata.slice(3);
  if (tokens.length === 0) return undefined;
  const span = { start: tokens[0].start, end: tokens[tokens.length - 1].end };
  const hex = tokens.map((t) => t.text).join('');
  const what = r.typeCode === TYPE_SMIMEA ? 'SMIMEA' : 'TLSA';
  const lines: string[] = [];
  const bad = /[^0-9a-fA-F]/.exec(hex);
  const selector = readTlsaField('selector', r.rdata[1]);
  const matching = readTlsaField('matchingType', r.rdata[2]);
  const sel = selector?.ok ? selector.value : undefined;
  const mt = matching?.ok ? matching.value : undefined;
  const selected = sel === 0 ? 'the certificate' : sel === 1 ? 'the SubjectPublicKeyInfo (public key)' : 'the selected data';
  if (bad || tokens.some((t) => t.quoted)) {
    lines.push(`**${what} association data** — ${hex.length} characters, not valid hexadecimal`, '');
    if (bad) lines.push(`⚠ ${code(bad[0])} is not a hex digit: the data must be hexadecimal (0-9, a-f), split by spaces if you like.`);
    else lines.push('⚠ The data must not be quoted.');
    return { contents: lines.join('\n'), ...span };
  }
  if (hex.length % 2 === 1) return { contents: oddDigitsHover(what, hex.length, mt), ...span };
  const octets = hex.length / 2;
  lines.push(`**${what} association data** — ${plural(octets, 'octet')} (${plural(hex.length, 'hex digit')})`, '');
  const want = mt === undefined ? undefined : digestLength(mt);
  if (mt === 1 || mt === 2) {
    const alg = mt === 1 ? 'SHA2-256' : 'SHA2-512';
    const tool = mt === 1 ? 'sha256' : 'sha512';
    if (octets === want) {
      lines.push(`Matching type ${mt}: the ${alg} digest of ${selected}, ${want} octets — ✓ the length fits.`);
    } else {
      lines.push(`⚠ Matching type ${mt} (${alg}) needs exactly ${want} octets (${want! * 2} hex digits), this data has ${octets}: it can never match, and senders ignore it as malformed.`);
      if (octets === 32 || octets === 64) {
        lines.push('', `The length fits ${octets === 32 ? 'SHA2-256: is the matching type meant to be 1' : 'SHA2-512: is the matching type meant to be 2'}?`);
      }
    }
    if (sel === 0 || sel === 1) {
      lines.push('', 'Compute it with:', '```sh', `${sel === 1 ? OPENSSL_SPKI : OPENSSL_CERT} | openssl ${tool}`, '```');
    }
  } else if (mt === 0) {
    const full = sel === 0 ? 'full certificate (DER)' : sel === 1 ? 'full SubjectPublicKeyInfo (DER)' : 'full selected data';
    lines.push(`The ${full} itself (matching type 0, no digest): any length.`);
    const der = derShape(hex);
    if (der) lines.push('', der);
    if (octets > 400) lines.push('', `Large: records like this are doubled during a rollover and may push answers over UDP limits (${link({ rfc: 7671, section: '10.1.2' })}); a SHA2-256 digest (matching type 1) is 32 octets.`);
  } else if (mt !== undefined) {
    lines.push(`Matching type ${mt} is ${mt === 255 ? 'private use' : 'not assigned'}: the expected length is unknown.`);
  }
  const usage = readTlsaField('usage', r.rdata[0]);
  const ca = r.typeCode === TYPE_TLSA && usage?.ok && sel !== undefined && mt !== undefined && octets === want ? caHoverLine(usage.value, sel, mt, hex, now) : undefined;
  if (ca) lines.push('', ca);
  return { contents: lines.join('\n'), ...span };
}

/** Hex digits only, but an odd number of them: say how far from the digest length it is (a digit lost in copying). */
function oddDigitsHover(what: string, digits: number, mt: number | undefined): string {
  const lines = [`**${what} association data** — ${plural(digits, 'hex digit')}: an odd number, so not whole octets (every octet takes two)`, ''];
  if (mt === 1 || mt === 2) {
    const alg = mt === 1 ? 'SHA2-256' : 'SHA2-512';
    const need = digestLength(mt)! * 2;
    const diff = digits - need;
    const how = diff === -1 ? 'one digit short of' : diff === 1 ? 'one digit more than' : diff < 0 ? `${-diff} digits short of` : `${diff} digits more than`;
    lines.push(`⚠ ${how} the ${need} hex digits ${alg} (matching type ${mt}) needs: a digit was probably lost or added in copying; paste the digest again.`);
  } else {
    lines.push('⚠ A hex digit is missing or extra: paste the data again.');
  }
  return lines.join('\n');
}

/** A one-line check of DER framing: an outer SEQUENCE whose length covers the data exactly. */
function derShape(hex: string): string | undefined {
  if (hex.length < 4) return '⚠ Too short to be DER.';
  const b = (i: number) => parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  const n = hex.length / 2;
  if (b(0) !== 0x30) return '⚠ Does not start with a DER SEQUENCE (`30`): this is not a certificate or SubjectPublicKeyInfo.';
  let len = b(1);
  let header = 2;
  if (len & 0x80) {
    const k = len & 0x7f;
    if (k === 0 || k > 4 || n < 2 + k) return '⚠ The DER length is malformed.';
    len = 0;
    for (let i = 0; i < k; i++) len = len * 256 + b(2 + i);
    header = 2 + k;
  }
  if (header + len === n) return '✓ A DER SEQUENCE whose length matches the data.';
  return `⚠ The DER SEQUENCE declares ${header + len} octets but the data has ${n}.`;
}
