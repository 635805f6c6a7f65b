import { ParsedZone, ZoneRecord } from '../model';
import { isAtOrBelow, nameKey, relativize } from '../names';
import { RR_TYPES, TYPE_A, TYPE_AAAA, TYPE_SMIMEA, TYPE_SRV, TYPE_TLSA, typeByCode } from '../rrtypes';
import { RRTypeInfo } from '../rrtypeSchema';
import { CERT_TYPES, CLASSES, DNSSEC_ALGORITHMS } from '../registries';
import { RULES } from '../rules';
import { TLSA_FIELDS, TlsaField } from '../dane/tlsaValues';
import { absoluteName, clampOffset, commentAt, lastRecordAtOrBefore, daneDirectiveAt, directiveAt, fieldIndexOf, isGenericForm, isTlsaLike, mxTargets, originAt, recordAt, recordParts, TLSA_FIELD_AT, tlsaOwnerParts, tokenBeingTyped } from './locate';
import { DANE_KEY_NAMES, daneKeyDocumentation, directiveDocumentation, serviceName } from './docs';
import { typeDocumentation } from './hover';
import { tlsaValueDocumentation } from './hoverTlsa';

/**
 * Completion: record types (with a snippet of their fields), TLSA field values with their
 * meanings (3 1 1 first), classes, directives at the start of a line, and the TLSA owner
 * names this zone still needs (`_25._tcp.<MX host>`). Pure: items carry the range they
 * replace as offsets; never throws on any offset.
 */

export type CompletionKind = 'type' | 'value' | 'name' | 'keyword' | 'snippet' | 'file' | 'folder';

export interface ZoneCompletion {
  label: string;
  kind: CompletionKind;
  /** One line shown beside the label. */
  detail?: string;
  /** Shown right after the label itself, where clients can (LSP labelDetails): a TLSA value's mnemonic. */
  labelDetail?: string;
  /** Open the list again after inserting (a folder in a path). */
  retrigger?: boolean;
  /** Markdown. */
  documentation?: string;
  /** The text to insert (default: the label); a snippet when isSnippet is set. */
  insertText?: string;
  /** insertText uses snippet syntax (`${1:placeholder}`, `\$` for a literal dollar). */
  isSnippet?: boolean;
  /** The range the item replaces (default: the word at the cursor). */
  replaceStart?: number;
  replaceEnd?: number;
  sortText?: string;
}

export function completion(parsed: ParsedZone, text: string, offset: number): ZoneCompletion[] {
  const at = clampOffset(text, offset);
  if (at === undefined) return [];

  const dane = daneDirectiveAt(parsed, at);
  if (dane && dane.start < at) return daneDirectiveCompletion(text, dane.start, dane.end, at);
  const comment = commentAt(parsed, at);
  if (comment) return daneDirectiveCompletion(text, comment.start, comment.end, at);

  const d = directiveAt(parsed, at);
  if (d) {
    const t = tokenBeingTyped([d.nameToken], at);
    if (t || at === d.nameToken.start) {
      return lineStartItems(parsed, text, d.nameToken.start, d.nameToken.end, at, d.args.length === 0 && restOfLineEmpty(text, d.nameToken.end));
    }
    return [];
  }

  const r = recordAt(parsed, at);
  if (r) return recordCompletion(parsed, text, r, at);

  // No entry here: a blank line, or white space only so far.
  const lineStart = lineStartOf(text, at);
  const before = text.slice(lineStart, at);
  if (before === '') {
    return lineStartItems(parsed, text, at, wordEnd(text, at), at, restOfLineEmpty(text, at));
  }
  if (/^[ \t]+$/.test(before)) {
    // A record that takes the previous owner.
    const prev = previousRecord(parsed, at);
    return headItems({ hasClass: false, replace: { start: at, end: at }, snippet: restOfLineEmpty(text, at), owner: prev?.owner });
  }
  return [];
}

// ---- helpers --------------------------------------------------------------------------

function previousRecord(parsed: ParsedZone, at: number): ZoneRecord | undefined {
  for (let i = lastRecordAtOrBefore(parsed.records, at); i >= 0; i--) {
    const r = parsed.records[i];
    if (r.includeFile === undefined) return r;
  }
  return undefined;
}

function lineStartOf(text: string, at: number): number {
  const i = text.lastIndexOf('\n', at - 1);
  return i + 1;
}

function wordEnd(text: string, at: number): number {
  let i = at;
  while (i < text.length && !/[\s;()"]/.test(text[i])) i++;
  return i;
}

function restOfLineEmpty(text: string, at: number): boolean {
  for (let i = at; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') return true;
    if (c === ';') return true;
    if (c !== ' ' && c !== '\t' && c !== '\r') return false;
  }
  return true;
}

/** Escapes text for a snippet placeholder or literal. */
function snippetEscape(s: string): string {
  return s.replace(/[\\$}]/g, (c) => '\\' + c);
}

function withRange(items: ZoneCompletion[], start: number, end: number): ZoneCompletion[] {
  for (const i of items) {
    i.replaceStart = start;
    i.replaceEnd = end;
  }
  return items;
}

// ---- the start of a line ---------------------------------------------------------------

const DIRECTIVE_SNIPPETS: [string, string][] = [
  ['$ORIGIN', '\\$ORIGIN ${1:example.com.}'],
  ['$TTL', '\\$TTL ${1:3600}'],
  ['$INCLUDE', '\\$INCLUDE ${1:file}'],
  ['$GENERATE', '\\$GENERATE ${1:1-10} ${2:host\\$} ${3:A} ${4:192.0.2.\\$}'],
];

function lineStartItems(parsed: ParsedZone, text: string, start: number, end: number, at: number, snippets: boolean): ZoneCompletion[] {
  const items: ZoneCompletion[] = [];
  const typed = text.slice(start, at);
  if (typed === '' || typed.startsWith('$')) {
    DIRECTIVE_SNIPPETS.forEach(([name, snippet], i) => {
      items.push({
        label: name, kind: 'keyword', detail: 'directive', documentation: directiveDocumentation(name),
        insertText: snippets ? snippet : name.replace('$', '\\$'), isSnippet: true, sortText: `2${i}`,
      });
    });
  }
  if (!typed.startsWith('$')) items.push(...tlsaOwnerItems(parsed, at, snippets));
  if (typed === '' && snippets) {
    if (!parsed.daneDirectives?.some((d) => d.settings.dnssec !== undefined)) items.push({
      label: '; dane-zone dnssec=', kind: 'snippet', detail: 'declare how this zone is signed (for the DANE checks)',
      documentation: daneKeyDocumentation('dnssec'), insertText: '; dane-zone dnssec=${1|signed,unsigned,inline|}', isSnippet: true, sortText: '30',
    });
    items.push({
      label: '; dane-zone cert=', kind: 'snippet', detail: 'link the next TLSA RRset to its certificate',
      documentation: daneKeyDocumentation('cert'), insertText: '; dane-zone cert=${1:path/to/cert.pem}', isSnippet: true, sortText: '31',
    });
  }
  return withRange(items, start, end);
}

/**
 * TLSA owner names the zone's MX (and SRV) targets call for: `_25._tcp.<MX host>`, relative
 * to the origin at the cursor. In-zone hosts only; those without a TLSA RRset yet first.
 */
function tlsaOwnerItems(parsed: ParsedZone, at: number, fullRecord: boolean): ZoneCompletion[] {
  const origin = originAt(parsed, at);
  const zone = parsed.zoneOrigin ?? origin;
  const tlsaOwners = new Map<string, number>();
  for (const r of parsed.records) if (r.typeCode === TYPE_TLSA) tlsaOwners.set(r.ownerKey, (tlsaOwners.get(r.ownerKey) ?? 0) + 1);

  const wanted = new Map<string, { owner: string; detail: string; documentation: string; port: number }>();
  for (const m of mxTargets(parsed)) {
    if (zone && !isAtOrBelow(m.host, zone)) continue;
    const owner = `_25._tcp.${m.host}`;
    const prefs = m.mx.map((x) => `${relativize(x.record.owner, origin)} MX ${x.preference}`);
    wanted.set(nameKey(owner), {
      owner, port: 25,
      detail: `TLSA for MX host ${relativize(m.host, origin)}`,
      documentation: `SMTP senders look up ${'`'}${owner}${'`'} for the MX host ${'`'}${m.host}${'`'} (${prefs.join(', ')}): RFC 7672 §3.`,
    });
  }
  for (const r of parsed.records) {
    if (r.typeCode !== TYPE_SRV || r.rdata.length < 4 || isGenericForm(r)) continue;
    const host = absoluteName(r, r.rdata[3]);
    const port = Number(r.rdata[2].text);
    if (!host || host === '.' || !Number.isInteger(port) || port > 65535) continue;
    if (zone && !isAtOrBelow(host, zone)) continue;
    const proto = /\._(tcp|udp|sctp)\./i.exec(r.owner)?.[1]?.toLowerCase() ?? 'tcp';
    const owner = `_${port}._${proto}.${host}`;
    const key = nameKey(owner);
    if (wanted.has(key)) continue;
    const svc = serviceName(port);
    wanted.set(key, {
      owner, port,
      detail: `TLSA for SRV target ${relativize(host, origin)} port ${port}${svc ? ` (${svc.split(' (')[0]})` : ''}`,
      documentation: `${'`'}${relativize(r.owner, origin)} SRV${'`'} names ${'`'}${host}${'`'} port ${port}: DANE clients of SRV services look up ${'`'}${owner}${'`'} (RFC 7673 §3).`,
    });
  }

  const items: ZoneCompletion[] = [];
  let n = 0;
  for (const [key, w] of wanted) {
    const have = tlsaOwners.get(key) ?? 0;
    const label = relativize(w.owner, origin);
    const item: ZoneCompletion = {
      label, kind: 'name',
      detail: have ? `${w.detail} — already has ${have} TLSA record${have === 1 ? '' : 's'}` : `${w.detail} — no TLSA yet`,
      documentation: w.documentation,
      sortText: `${have ? 1 : 0}${w.port === 25 ? 0 : 1}${String(n++).padStart(5, '0')}`,
    };
    if (fullRecord) {
      item.insertText = `${snippetEscape(label)} IN TLSA \${1:3} \${2:1} \${3:1} \${4:hex}`;
      item.isSnippet = true;
    }
    items.push(item);
  }
  return items;
}

// ---- inside a record --------------------------------------------------------------------

function recordCompletion(parsed: ParsedZone, text: string, r: ZoneRecord, at: number): ZoneCompletion[] {
  if (r.includeFile !== undefined) return [];
  const parts = recordParts(r);
  const typing = tokenBeingTyped(parts.map((p) => p.token), at);
  const part = typing ? parts.find((p) => p.token === typing) : undefined;
  const replace = typing ? { start: typing.start, end: typing.end } : { start: at, end: at };

  if (part?.kind === 'owner') {
    if (typing!.quoted) return [];
    return lineStartItems(parsed, text, typing!.start, typing!.end, at, parts.length === 1 && restOfLineEmpty(text, typing!.end));
  }

  // Where are we: before the type (ttl/class/type slot) or in the data?
  let slot: { kind: 'head' } | { kind: 'rdata'; index: number };
  if (part) {
    slot = part.kind === 'rdata' ? { kind: 'rdata', index: part.index } : { kind: 'head' };
  } else {
    let prev: (typeof parts)[number] | undefined;
    for (const p of parts) if (p.token.end < at || (p.token.end === at && p.token.start < at)) prev = p;
    if (!prev || prev.kind === 'owner' || prev.kind === 'ttl' || prev.kind === 'class') slot = { kind: 'head' };
    else if (prev.kind === 'type') slot = { kind: 'rdata', index: 0 };
    else slot = { kind: 'rdata', index: prev.index + 1 };
  }

  if (slot.kind === 'head') {
    if (typing?.quoted) return [];
    const hasClass = r.classToken !== undefined && r.classToken !== typing;
    const editingType = typing !== undefined && typing === r.typeToken;
    const snippet = (!r.typeToken || editingType) && r.rdata.length === 0 && restOfLineEmpty(text, replace.end);
    // Before an existing type only a class (or TTL) can go in.
    const types = !r.typeToken || editingType || at > r.typeToken.end;
    return headItems({ hasClass, replace, snippet, owner: r.owner, types });
  }
  return withRange(rdataItems(parsed, r, slot.index), replace.start, replace.end);
}

interface HeadContext {
  hasClass: boolean;
  replace: { start: number; end: number };
  /** Insert the type with a snippet of its fields. */
  snippet: boolean;
  owner?: string;
  /** Offer types (false before an existing type). */
  types?: boolean;
}

/** The types people write most, in this order; the rest follow alphabetically, obsolete ones last. */
const COMMON_TYPES = ['TLSA', 'A', 'AAAA', 'MX', 'CNAME', 'TXT', 'NS', 'SRV', 'CAA', 'SOA', 'HTTPS', 'SVCB', 'PTR', 'DS', 'SSHFP', 'SMIMEA', 'OPENPGPKEY'];

function typeSnippet(info: RRTypeInfo): string {
  if (isTlsaLike(info.code)) return `${info.name} \${1:3} \${2:1} \${3:1} \${4:hex}`;
  if (info.genericOnly) return `${info.name} \\\\# \${1:0}`;
  const fields = info.fields.filter((f) => !f.optional);
  return [info.name, ...fields.map((f, i) => `\${${i + 1}:${snippetEscape(f.name)}}`)].join(' ');
}

function headItems(c: HeadContext): ZoneCompletion[] {
  const items: ZoneCompletion[] = [];
  const tlsaOwner = c.owner ? tlsaOwnerParts(c.owner) !== undefined : false;
  const smimeaOwner = c.owner ? /\._smimecert\./i.test(c.owner) : false;
  for (const info of c.types === false ? [] : RR_TYPES) {
    const common = COMMON_TYPES.indexOf(info.name);
    let sort = info.obsolete ? `9${info.name}` : common >= 0 ? `1${String(common).padStart(2, '0')}` : `5${info.name}`;
    if ((tlsaOwner && info.code === TYPE_TLSA) || (smimeaOwner && info.code === TYPE_SMIMEA)) sort = '0';
    const item: ZoneCompletion = {
      label: info.name, kind: 'type', detail: info.description, documentation: typeDocumentation(info), sortText: sort,
    };
    if (c.snippet) {
      item.insertText = typeSnippet(info);
      item.isSnippet = true;
    }
    items.push(item);
  }
  if (!c.hasClass) {
    CLASSES.forEach((cl, i) => {
      items.push({ label: cl.name, kind: 'keyword', detail: `class: ${cl.description}`, sortText: cl.name === 'IN' ? '00' : `8${i}` });
    });
  }
  return withRange(items, c.replace.start, c.replace.end);
}

// ---- RDATA values -----------------------------------------------------------------------

/** Recommended first: usage 3, 2; selector 1; matching type 1, 2. */
const TLSA_ORDER: Record<TlsaField, number[]> = {
  usage: [3, 2, 0, 1, 255],
  selector: [1, 0, 255],
  matchingType: [1, 2, 0, 255],
};

function rdataItems(parsed: ParsedZone, r: ZoneRecord, index: number): ZoneCompletion[] {
  if (isGenericForm(r)) return [];
  if (isTlsaLike(r.typeCode)) return index < 3 ? tlsaValueItems(r, TLSA_FIELD_AT[index]) : [];
  const info = typeByCode(r.typeCode);
  if (!info) return [];
  const fi = fieldIndexOf(info, index);
  if (fi < 0) return [];
  const field = info.fields[fi];
  switch (field.kind) {
    case 'type':
    case 'bitmap':
      return RR_TYPES.filter((t) => !t.obsolete).map((t) => ({ label: t.name, kind: 'type' as const, detail: t.description }));
    case 'algorithm':
      return DNSSEC_ALGORITHMS.map((a, i) => ({
        label: String(a.code), kind: 'value' as const, detail: a.name, sortText: a.code === 13 ? '0' : a.code === 15 ? '1' : `5${String(i).padStart(2, '0')}`,
      }));
    case 'cert-type':
      return CERT_TYPES.map((a) => ({ label: String(a.code), kind: 'value' as const, detail: a.name }));
    case 'name':
      return hostItems(parsed, r);
    default:
      return [];
  }
}

function tlsaValueItems(r: ZoneRecord, field: TlsaField): ZoneCompletion[] {
  const def = TLSA_FIELDS[field];
  const parts = r.owner ? tlsaOwnerParts(r.owner) : undefined;
  const smtp = r.typeCode === TYPE_TLSA;
  const smtpOwner = smtp && parts?.port === 25;
  const what = r.typeCode === TYPE_SMIMEA ? 'SMIMEA' : 'TLSA';
  const items: ZoneCompletion[] = [];
  for (const v of def.values) {
    const rank = TLSA_ORDER[field].indexOf(v.value);
    const unusable = smtpOwner && field === 'usage' && (v.value === 0 || v.value === 1);
    items.push({
      label: String(v.value), kind: 'value', labelDetail: v.acronym,
      detail: `${v.acronym} — ${v.meaning.split(':')[0]}${unusable ? ' (unusable for SMTP)' : ''}${rank === 0 ? ' (recommended)' : ''}`,
      documentation: tlsaValueDocumentation(field, v.value, smtp, what),
      sortText: String(rank < 0 ? 9 : rank),
    });
  }
  // Whole-record presets at the first field when nothing follows it yet.
  if (field === 'usage' && r.rdata.length <= 1) {
    items.push({
      label: '3 1 1', kind: 'snippet', detail: 'DANE-EE SPKI SHA2-256 — the server key\'s digest (recommended)',
      documentation: `The SHA2-256 digest of the server's public key: survives certificate renewals that keep the key (RFC 7671 §5.1).\n\n\`\`\`sh\nopenssl x509 -in cert.pem -noout -pubkey | openssl pkey -pubin -outform DER | openssl sha256\n\`\`\``,
      insertText: '3 1 1 ${1:hex}', isSnippet: true, sortText: '00',
    });
    items.push({
      label: '2 1 1', kind: 'snippet', detail: 'DANE-TA SPKI SHA2-256 — the issuing CA key\'s digest',
      documentation: 'The SHA2-256 digest of the issuing CA\'s public key: survives reissues under the same CA; the server must send that CA certificate in its chain (RFC 7671 §5.2). Pin every possible issuer.',
      insertText: '2 1 1 ${1:hex}', isSnippet: true, sortText: '01',
    });
  }
  return items;
}

/** Host names in this zone with addresses, relative to the record's origin (targets for MX, NS, SRV, …). */
function hostItems(parsed: ParsedZone, r: ZoneRecord): ZoneCompletion[] {
  const seen = new Set<string>();
  const items: ZoneCompletion[] = [];
  for (const x of parsed.records) {
    if ((x.typeCode !== TYPE_A && x.typeCode !== TYPE_AAAA) || !x.owner || seen.has(x.ownerKey)) continue;
    seen.add(x.ownerKey);
    const label = relativize(x.owner, r.origin);
    items.push({ label, kind: 'name', detail: `has ${x.typeName} ${x.rdata[0]?.text ?? ''}`.trim(), sortText: label });
    if (items.length >= 500) break;
  }
  return items;
}

// ---- `; dane-zone` comments -------------------------------------------------------------

const DNSSEC_VALUES = ['signed', 'unsigned', 'inline'];

function daneDirectiveCompletion(text: string, start: number, end: number, at: number): ZoneCompletion[] {
  const body = text.slice(start, Math.min(end, text.length));
  const m = /^;+\s*dane-zone\s+/.exec(body);
  if (!m) {
    // A plain comment: offer the directive only on `;` + a prefix of `dane-zone`.
    const typed = text.slice(start, at);
    if (!/^[ \t]*$/.test(text.slice(lineStartOf(text, start), start))) return [];
    if (/^;+\s*d?a?n?e?-?z?o?n?e?$/.test(typed) && 'dane-zone'.startsWith(typed.replace(/^;+\s*/, ''))) {
      return [{
        label: '; dane-zone', kind: 'keyword', detail: 'settings for the DANE checks',
        insertText: '; dane-zone ', replaceStart: start, replaceEnd: at,
      }];
    }
    return [];
  }
  if (at < start + m[0].length) return [];
  let ws = at;
  while (ws > start && !/\s/.test(text[ws - 1])) ws--;
  const word = text.slice(ws, at);
  let we = at;
  while (we < end && !/\s/.test(text[we])) we++;
  const eq = word.indexOf('=');
  if (eq < 0) {
    return DANE_KEY_NAMES.map((k, i) => ({
      label: `${k}=`, kind: 'keyword' as const, documentation: daneKeyDocumentation(k), sortText: String(i),
      replaceStart: ws, replaceEnd: we,
    }));
  }
  const key = word.slice(0, eq).toLowerCase();
  if (key === 'dnssec') {
    return DNSSEC_VALUES.map((v) => ({ label: v, kind: 'value' as const, replaceStart: ws + eq + 1, replaceEnd: we }));
  }
  if (key === 'disable') {
    const comma = word.lastIndexOf(',');
    const from = ws + (comma > eq ? comma + 1 : eq + 1);
    let to = at;
    while (to < we && text[to] !== ',') to++;
    return [...RULES.values()].map((rule) => ({ label: rule.code, kind: 'value' as const, detail: rule.title, replaceStart: from, replaceEnd: to }));
  }
  return [];
}
