import { ParsedZone, ZoneRecord } from '../model';
import { parseTypeMnemonic, TYPE_MX, typeByCode } from '../rrtypes';
import { RRTypeInfo } from '../rrtypeSchema';
import { CLASSES, CERT_TYPES, DNSSEC_ALGORITHMS } from '../registries';
import { code, link } from './docs';
import { mailPolicyHover } from '../dane/mailPolicyHover';
import { describeTtl, parseTtl } from '../ttl';
import { Token } from '../types';
import { absoluteName, clampOffset, daneDirectiveAt, directiveAt, fieldOfToken, isGenericForm, isTlsaLike, partAt, recordAt } from './locate';
import { HoverContext as Ctx, plural, ZoneHover } from './hoverCommon';
import { associationDataHover, tlsaFieldHover } from './hoverTlsa';
import { mxTargetNote, ownerHover } from './hoverOwners';
import { daneDirectiveHover, directiveHover } from './hoverDirectives';

export type { ZoneHover } from './hoverCommon';
export { tlsaValueDocumentation } from './hoverTlsa';

/**
 * Hover: what the thing under the cursor means, DANE first. TLSA/SMIMEA fields give the
 * number, its RFC 7218 name, meaning, SMTP implication and RFC; a TLSA owner gives its port,
 * service, protocol and base host with what this zone says about that host; association
 * data gives its length against the matching type. Everything else is read from the RR
 * type table. Pure: markdown and offsets out; never throws on any offset.
 *
 * This module dispatches on what is under the cursor and answers TTLs, types and the fields
 * of other types itself; TLSA/SMIMEA data is in hoverTlsa.ts, owner names in hoverOwners.ts,
 * directives in hoverDirectives.ts.
 */

export interface HoverOptions {
  /** How many related records (MX, addresses) to list at most (default 8). */
  maxListed?: number;
  /** The day CA certificates are judged on (the CA line of `2 x y` data); default now. */
  now?: Date;
}

/** `text`: the document's text, or only its length (all a hover reads of it). */
export function hover(parsed: ParsedZone, text: string | { readonly length: number }, offset: number, options: HoverOptions = {}): ZoneHover | undefined {
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

