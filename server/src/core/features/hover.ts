import { DaneDirective, ParsedZone, ZoneDirective, ZoneRecord } from '../model';
import { isAtOrBelow, nameKey, parseName } from '../names';
import { CERT_TYPES, CLASSES, DNSSEC_ALGORITHMS, parseTypeMnemonic, RfcRef, rfcUrl, RRTypeInfo, TYPE_A, TYPE_AAAA, TYPE_CNAME, TYPE_MX, TYPE_SMIMEA, TYPE_TLSA, typeByCode } from '../rrtypes';
import { RULES } from '../rules';
import { code, DANE_KEY_NAMES, daneKeyDocumentation, directiveDocumentation, dnssecValueDocumentation, hrefLink, link, rfcLabel, serviceName } from './docs';
import { caHoverLine } from '../dane/mail';
import { mailPolicyHover } from '../dane/mtaSts';
import { describeTtl, parseTtl } from '../ttl';
import { Token } from '../types';
import { digestLength, TLSA_FIELDS, TlsaField, tlsaValue } from '../dane/tlsaValues';
import { absoluteName, clampOffset, daneDirectiveAt, directiveAt, fieldOfToken, isGenericForm, isTlsaLike, mxTargets, partAt, readTlsaField, recordAt, recordsOwnedBy, TLSA_FIELD_AT, tlsaOwnerParts } from './locate';

/**
 * Hover: what the thing under the cursor means, DANE first. TLSA/SMIMEA fields give the
 * number, its RFC 7218 name, meaning, SMTP implication and RFC; a TLSA owner gives its port,
 * service, protocol and base host with what this zone says about that host; association
 * data gives its length against the matching type. Everything else is read from the RR
 * type table. Pure: markdown and offsets out; never throws on any offset.
 */

export interface ZoneHover {
  /** Markdown. */
  contents: string;
  /** The hovered range [start, end) (UTF-16 offsets). */
  start: number;
  end: number;
}

export interface HoverOptions {
  /** How many related records (MX, addresses) to list at most (default 8). */
  maxListed?: number;
  /** The day CA certificates are judged on (the CA line of `2 x y` data); default now. */
  now?: Date;
}

export function hover(parsed: ParsedZone, text: string, offset: number, options: HoverOptions = {}): ZoneHover | undefined {
  const at = clampOffset(text, offset);
  if (at === undefined) return undefined;
  const ctx: Ctx = { parsed, maxListed: Math.max(1, options.maxListed ?? 8), now: options.now ?? new Date(), at };

  const dane = daneDirectiveAt(parsed, at);
  if (dane) return daneDirectiveHover(dane, at);

  const d = directiveAt(parsed, at);
  if (d) return directiveHover(ctx, d, at);

  const r = recordAt(parsed, at);
  if (!r) return undefined;
  const part = partAt(r, at);
  if (!part) return undefined;
  const span = { start: part.token.start, end: part.token.end };
  switch (part.kind) {
    case 'owner':
      return ownerHover(ctx, r, part.token);
    case 'ttl':
      return r.ttl === undefined ? undefined : { contents: ttlText(r, r.ttl), ...span };
    case 'class': {
      const c = CLASSES.find((x) => x.code === r.classCode);
      const name = c?.name ?? `CLASS${r.classCode}`;
      return { contents: `**${name}** — record class ${r.classCode}${c ? `: ${c.description}` : ''}\n\nAlmost every zone uses \`IN\`; classes are described in ${link({ rfc: 1035, section: '3.2.4' })}.`, ...span };
    }
    case 'type':
      return typeHover(r, part.token);
    case 'rdata':
      return rdataHover(ctx, r, part.index);
  }
}

interface Ctx {
  parsed: ParsedZone;
  maxListed: number;
  now: Date;
  /** The hovered offset. */
  at: number;
}

// ---- small markdown helpers ---------------------------------------------------------

function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

function listLimited(items: string[], max: number): string {
  const shown = items.slice(0, max).map((s) => `- ${s}`);
  if (items.length > max) shown.push(`- … and ${items.length - max} more`);
  return shown.join('\n');
}

// ---- TTL ------------------------------------------------------------------------------

function ttlText(r: ZoneRecord, ttl: number): string {
  const lines = [`**TTL** ${code(String(ttl))} seconds = ${describeTtl(ttl)}`, '', 'How long resolvers may cache this record.'];
  if (isTlsaLike(r.typeCode)) {
    lines.push('', `TLSA rollover: publish the record for the next certificate or key at least two TTLs (${describeTtl(ttl * 2)}) before deploying it, and remove the old one only after the switch (${link({ rfc: 7671, section: '8.1' })}).`);
  }
  return lines.join('\n');
}

// ---- record type --------------------------------------------------------------------

function fieldLayout(info: RRTypeInfo): string {
  return info.fields.map((f) => (f.optional ? `[${f.name}]` : `<${f.name}>`)).join(' ');
}

export function typeDocumentation(info: RRTypeInfo): string {
  const lines = [`**${info.name}** (type ${info.code}) — ${info.description}`];
  const flags: string[] = [];
  if (info.dnssec) flags.push('DNSSEC record type');
  if (info.obsolete) flags.push('obsolete or experimental');
  if (flags.length) lines.push('', `*${flags.join('; ')}*`);
  if (info.genericOnly) {
    lines.push('', `No presentation format of its own: write the data in the RFC 3597 generic form ${code('\\# <length> <hex>')}.`);
  } else {
    lines.push('', '```', `owner [ttl] [class] ${info.name} ${fieldLayout(info)}`.trim(), '```');
    for (const f of info.fields) lines.push(`- **${f.name}**${f.optional ? ' (optional)' : ''}: ${f.description}`);
  }
  lines.push('', info.rfcs.length > 0 ? info.rfcs.map(link).join(' · ') : `Defined by: ${info.reference ?? 'IANA registration'}`);
  return lines.join('\n');
}

function typeHover(r: ZoneRecord, t: Token): ZoneHover | undefined {
  const span = { start: t.start, end: t.end };
  const parsedType = t.quoted ? undefined : parseTypeMnemonic(t.text);
  if (!parsedType) {
    return { contents: `${code(t.text)} is not a record type: check the spelling, or write ${code('TYPEnnn')} with generic data ${code('\\# <length> <hex>')} (${link({ rfc: 3597, section: '5' })}).`, ...span };
  }
  const info = parsedType.info ?? typeByCode(r.typeCode);
  if (!info) {
    return { contents: `**TYPE${parsedType.code}** — type ${parsedType.code}, not one this tool knows: its data must be in the RFC 3597 generic form ${code('\\# <length> <hex>')} (${link({ rfc: 3597, section: '5' })}).`, ...span };
  }
  return { contents: typeDocumentation(info), ...span };
}

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

function tlsaFieldHover(r: ZoneRecord, index: number): ZoneHover | undefined {
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

function associationDataHover(r: ZoneRecord, now: Date): ZoneHover | undefined {
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

// ---- other RDATA --------------------------------------------------------------------

function rdataHover(ctx: Ctx, r: ZoneRecord, index: number): ZoneHover | undefined {
  const t = r.rdata[index];
  if (isGenericForm(r)) {
    const span = { start: t.start, end: t.end };
    const what = index === 0 ? 'marks' : index === 1 ? `is the data length (${t.text} octets) in` : 'is data in';
    return { contents: `**Generic RDATA** — ${code('\\#')} ${what} the RFC 3597 form ${code('\\# <length> <hex>')}: the data as raw octets in hexadecimal (${link({ rfc: 3597, section: '5' })}).`, ...span };
  }
  if (isTlsaLike(r.typeCode)) {
    if (index < 3) return tlsaFieldHover(r, index);
    return associationDataHover(r, ctx.now);
  }
  const policy = mailPolicyHover(r, ctx.at);
  if (policy) return { contents: policy.contents, start: policy.start, end: policy.end };
  const loc = fieldOfToken(r, index);
  if (!loc) {
    const info = typeByCode(r.typeCode);
    if (!info) return undefined;
    return { contents: `Extra data: ${info.name} has ${plural(info.fields.length, 'field')} (${fieldLayout(info)}); remove this.`, start: t.start, end: t.end };
  }
  const { info, field } = loc;
  const lines = [`**${info.name} ${field.name}** — ${field.description}`];
  const extra = fieldValueNote(ctx, r, field.kind, loc.tokens, index);
  if (extra) lines.push('', extra);
  return { contents: lines.join('\n'), start: loc.span.start, end: loc.span.end };
}

function fieldValueNote(ctx: Ctx, r: ZoneRecord, kind: string, tokens: Token[], index: number): string | undefined {
  const t = tokens.length === 1 ? tokens[0] : r.rdata[index];
  switch (kind) {
    case 'name': {
      const abs = absoluteName(r, t);
      if (abs === undefined) return undefined;
      const out: string[] = [];
      if (abs !== t.text) out.push(`= ${code(abs)}`);
      if (r.typeCode === TYPE_MX && index === 1 && abs !== '.') out.push(mxTargetNote(ctx, abs));
      return out.join('\n\n') || undefined;
    }
    case 'ttl': {
      const v = parseTtl(t.text);
      return 'value' in v ? `= ${describeTtl(v.value)}` : undefined;
    }
    case 'algorithm': {
      const n = /^[0-9]+$/.test(t.text) ? Number(t.text) : undefined;
      const a = DNSSEC_ALGORITHMS.find((x) => x.code === n || x.name === t.text.toUpperCase());
      return a ? `Algorithm ${a.code} = ${code(a.name)}` : undefined;
    }
    case 'cert-type': {
      const n = /^[0-9]+$/.test(t.text) ? Number(t.text) : undefined;
      const a = CERT_TYPES.find((x) => x.code === n || x.name === t.text.toUpperCase());
      return a ? `Certificate type ${a.code} = ${code(a.name)}` : undefined;
    }
    case 'type': {
      const p = parseTypeMnemonic(t.text);
      return p?.info ? `${code(p.info.name)}: ${p.info.description}` : undefined;
    }
    case 'time': {
      const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(t.text);
      if (m) return `= ${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]} UTC`;
      if (/^[0-9]{1,10}$/.test(t.text)) {
        const d = new Date(Number(t.text) * 1000);
        if (!Number.isNaN(d.getTime())) return `= ${d.toISOString().replace('T', ' ').replace('.000Z', ' UTC')}`;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** What an MX exchange means for DANE in this zone. */
function mxTargetNote(ctx: Ctx, host: string): string {
  const zone = ctx.parsed.zoneOrigin;
  const tlsaOwner = `_25._tcp.${host}`;
  const tlsa = recordsOwnedBy(ctx.parsed, tlsaOwner).filter((x) => x.typeCode === TYPE_TLSA);
  if (tlsa.length > 0) {
    return `DANE: ${code(tlsaOwner)} has ${plural(tlsa.length, 'TLSA record')} in this zone.`;
  }
  if (zone && !isAtOrBelow(host, zone)) {
    return `DANE: this host is outside this zone; its TLSA records (${code(tlsaOwner)}) are published in its own zone.`;
  }
  return `DANE: no TLSA records at ${code(tlsaOwner)} in this zone — senders cannot authenticate this host with DANE.`;
}

// ---- owners -------------------------------------------------------------------------

function ownerHover(ctx: Ctx, r: ZoneRecord, t: Token): ZoneHover | undefined {
  const span = { start: t.start, end: t.end };
  if (!r.owner) return undefined;
  if (r.typeCode === TYPE_TLSA) return { contents: tlsaOwnerText(ctx, r.owner), ...span };
  if (r.typeCode === TYPE_SMIMEA) return { contents: smimeaOwnerText(r.owner), ...span };
  const here = recordsOwnedBy(ctx.parsed, r.owner);
  const types = [...new Set(here.map((x) => x.typeName || '?'))];
  const lines = [`**${code(r.owner)}**`, '', `${plural(here.length, 'record')} at this name: ${types.join(', ')}`];
  const key = nameKey(r.owner);
  const mx = mxTargets(ctx.parsed).find((m) => nameKey(m.host) === key);
  if (mx) {
    lines.push('', `MX target of ${mx.mx.slice(0, ctx.maxListed).map((m) => `${code(m.record.owner)} (preference ${m.preference})`).join(', ')}${mx.mx.length > ctx.maxListed ? ', …' : ''}.`);
    lines.push('', mxTargetNote(ctx, r.owner));
  }
  return { contents: lines.join('\n'), ...span };
}

function smimeaOwnerText(owner: string): string {
  const m = /^([0-9a-fA-F]{56})\._smimecert\.(.+)$/.exec(owner);
  if (m) {
    return `**SMIMEA owner** ${code(owner)}\n\n- local part: SHA2-256 digest (first 28 octets) ${code(m[1])}\n- mail domain: ${code(m[2])}\n\n${link({ rfc: 8162, section: '3' })}`;
  }
  return `**SMIMEA owner** ${code(owner)}\n\n⚠ An SMIMEA owner is ${code('<hex of SHA2-256(local part), first 28 octets>._smimecert.<domain>')} (${link({ rfc: 8162, section: '3' })}).`;
}

function tlsaOwnerText(ctx: Ctx, owner: string): string {
  const parts = tlsaOwnerParts(owner);
  if (!parts) {
    return `**TLSA owner** ${code(owner)}\n\n⚠ A TLSA owner is ${code('_<port>._<protocol>.<host>')}, e.g. ${code('_25._tcp.mx1.example.com.')} (${link({ rfc: 6698, section: '3' })}).`;
  }
  const lines = [`**TLSA owner** ${code(owner)}`, ''];
  if (parts.port === undefined) {
    lines.push(`- port: ⚠ ${code(parts.portLabel)} is not ${code('_')} followed by a port 0..65535 without leading zeros — clients never look up this name`);
  } else {
    const svc = serviceName(parts.port);
    lines.push(`- port **${parts.port}**${svc ? ` — ${svc}` : ''}`);
  }
  const proto = parts.protocol.toLowerCase();
  const known = proto === 'tcp' || proto === 'udp' || proto === 'sctp';
  lines.push(`- protocol **${parts.protocol.toUpperCase()}**${known ? '' : ` — ⚠ not one of ${code('_tcp')}, ${code('_udp')}, ${code('_sctp')}`}`);
  lines.push(`- host ${code(parts.base)}`);

  const hostKey = nameKey(parts.base);
  const zone = ctx.parsed.zoneOrigin;
  const inZone = !zone || isAtOrBelow(parts.base, zone);
  // MX records that name this host.
  const mx = mxTargets(ctx.parsed).find((m) => nameKey(m.host) === hostKey);
  lines.push('');
  if (mx) {
    const items = mx.mx.map((m) => `${code(m.record.owner)} MX preference ${m.preference}${m.record.includeFile ? ` (from ${code(m.record.includeFile)})` : ''}`);
    lines.push(`**MX target** in this zone, of:`, listLimited(items, ctx.maxListed));
  } else {
    lines.push('**Not an MX target** of any MX record in this zone.');
  }
  // Addresses and aliases of the host.
  const atHost = recordsOwnedBy(ctx.parsed, parts.base);
  const addrs = atHost.filter((x) => x.typeCode === TYPE_A || x.typeCode === TYPE_AAAA);
  const cname = atHost.find((x) => x.typeCode === TYPE_CNAME);
  lines.push('');
  if (addrs.length) {
    lines.push(`**Addresses** in this zone:`, listLimited(addrs.map((x) => `${x.typeName} ${code(x.rdata.map((k) => k.text).join(' '))}${x.includeFile ? ` (from ${code(x.includeFile)})` : ''}`), ctx.maxListed));
  } else if (cname) {
    const target = absoluteName(cname, cname.rdata[0]) ?? cname.rdata[0]?.text ?? '?';
    lines.push(`The host is an alias (CNAME to ${code(target)}): clients look for TLSA records at the alias target first (${link({ rfc: 7671, section: '7' })}).`);
  } else if (inZone) {
    lines.push('**No A/AAAA records** for this host in this zone.');
  } else {
    lines.push(`The host is outside this zone (${code(zone!)}): its addresses are not in this file.`);
  }
  if (parts.port === 25 && proto === 'tcp') {
    lines.push('', `SMTP senders look up ${code('_25._tcp.')} + each MX host of a domain, and only use DANE when this RRset is DNSSEC-signed (${link({ rfc: 7672, section: '2.2' })}).`);
  }
  return lines.join('\n');
}

// ---- directives ---------------------------------------------------------------------

function directiveHover(ctx: Ctx, d: ZoneDirective, at: number): ZoneHover | undefined {
  const tokens = [d.nameToken, ...d.args];
  let t: Token | undefined;
  for (const x of tokens) {
    if (x.start <= at && at < x.end) { t = x; break; }
    if (at === x.end) t = x;
  }
  if (!t) return undefined;
  const span = { start: t.start, end: t.end };
  const doc = directiveDocumentation(d.name);
  if (!doc) {
    return { contents: `${code(d.nameToken.text)} is not a directive: the master-file directives are $ORIGIN, $TTL, $INCLUDE and $GENERATE.`, ...span };
  }
  const lines = [doc];
  if (d.name === '$TTL' && d.args.length === 1) {
    const v = parseTtl(d.args[0].text);
    if ('value' in v) lines.push('', `${code(d.args[0].text)} = ${describeTtl(v.value)}`);
  } else if (d.name === '$ORIGIN' && d.args.length === 1) {
    const n = parseName(d.args[0].text, undefined);
    if (n.name === undefined && !d.args[0].text.endsWith('.')) {
      lines.push('', `⚠ ${code(d.args[0].text)} has no trailing dot, so it is relative to the previous origin: write the absolute name, e.g. ${code(d.args[0].text + '.')}`);
    }
  } else if (d.name === '$INCLUDE') {
    const n = ctx.parsed.records.filter((r) => r.includeSpan && r.includeSpan.start === d.start).length;
    const file = ctx.parsed.records.find((r) => r.includeSpan && r.includeSpan.start === d.start)?.includeFile;
    lines.push('', n > 0 ? `${plural(n, 'record')} read${file ? ` from ${code(file)}` : ''}.` : 'No records read from it.');
  } else if (d.name === '$GENERATE') {
    const n = ctx.parsed.records.filter((r) => !r.includeFile && r.start === d.start).length;
    lines.push('', `Generates ${plural(n, 'record')}.`);
  }
  return { contents: lines.join('\n'), ...span };
}

// ---- `; dane-zone` directives -------------------------------------------------------------

function daneDirectiveHover(d: DaneDirective, at: number): ZoneHover | undefined {
  const item = d.items.find((i) => i.start <= at && at <= i.end);
  if (!item) {
    return {
      contents: `**; dane-zone** — settings for this tool; DNS servers read this as a comment.\n\n` + DANE_KEY_NAMES.map((k) => `- ${daneKeyDocumentation(k)!.split(' — ')[0]}`).join('\n'),
      start: d.start, end: d.end,
    };
  }
  const span = { start: item.start, end: item.end };
  const doc = daneKeyDocumentation(item.key);
  if (!doc) {
    return { contents: `${code(item.key + '=')} is not a dane-zone setting; the keys are ${DANE_KEY_NAMES.map((k) => code(k + '=')).join(', ')}.`, ...span };
  }
  const lines = [doc];
  if (item.key === 'dnssec') {
    const v = dnssecValueDocumentation(item.value);
    lines.push('', v ? `Here: ${code(item.value)} — ${v}.` : `⚠ ${code(item.value)} is not one of ${code('signed')}, ${code('unsigned')}, ${code('inline')}.`);
  } else if (item.key === 'disable') {
    const codes = item.value.split(',').filter(Boolean);
    lines.push('', ...codes.map((c) => {
      const rule = RULES.get(c);
      return rule ? `- ${code(c)}: ${rule.title}` : `- ${code(c)}: ⚠ not a diagnostic code`;
    }));
  }
  return { contents: lines.join('\n'), ...span };
}
