import { DaneDirective, ParsedZone, ZoneComment, ZoneDirective, ZoneRecord } from '../model';
import { nameKey, nameLabels, parseName } from '../names';
import { TYPE_MX, TYPE_SMIMEA, TYPE_TLSA, typeByCode } from '../rrtypes';
import { RdataField, RRTypeInfo } from '../rrtypeSchema';
import { REST } from '../rdata/fields';
import { TlsaField, tlsaAcronymValue } from '../dane/tlsaValues';
import { Span, Token } from '../types';

/**
 * Finding what lies at an offset: the record, directive or comment, the token, and the
 * RDATA field a token belongs to. Shared by hover, completion and inlay hints. Pure and
 * never throws; lookups are binary searches (records, directives and comments are in
 * file order). Records read from an $INCLUDEd file are never returned: their spans
 * belong to the other file.
 */


/** True for the types with the TLSA field layout (TLSA, SMIMEA). */
export function isTlsaLike(typeCode: number): boolean {
  return typeCode === TYPE_TLSA || typeCode === TYPE_SMIMEA;
}

/** The position of a record in the including document: its own start, or its $INCLUDE line. */
function anchor(r: ZoneRecord): number {
  return r.includeFile !== undefined ? (r.includeSpan?.start ?? 0) : r.start;
}

/**
 * Index of the last record whose anchor (start, or the $INCLUDE directive for included
 * records) is at or before `offset`; -1 when none. Anchors never decrease in file order.
 */
export function lastRecordAtOrBefore(records: readonly ZoneRecord[], offset: number): number {
  let lo = 0;
  let hi = records.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (anchor(records[mid]) <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Index of the first record (any) whose anchor or end is at or after `offset`. */
export function firstRecordEndingAtOrAfter(records: readonly ZoneRecord[], offset: number): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const r = records[mid];
    const end = r.includeFile !== undefined ? (r.includeSpan?.end ?? 0) : r.end;
    if (end < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of the record of this document whose span holds `offset` (ends included), or -1. */
export function recordIndexAt(records: readonly ZoneRecord[], offset: number): number {
  const i = lastRecordAtOrBefore(records, offset);
  if (i < 0) return -1;
  const r = records[i];
  if (r.includeFile !== undefined) return -1;
  return offset <= r.end ? i : -1;
}

export function recordAt(parsed: ParsedZone, offset: number): ZoneRecord | undefined {
  const i = recordIndexAt(parsed.records, offset);
  return i < 0 ? undefined : parsed.records[i];
}

/** Binary search over spans in file order: the last one starting at or before `offset`. */
function lastSpanAtOrBefore<T extends Span>(spans: readonly T[], offset: number): T | undefined {
  let lo = 0;
  let hi = spans.length - 1;
  let found: T | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].start <= offset) {
      found = spans[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The directive (of this document) whose span holds `offset` (ends included). */
export function directiveAt(parsed: ParsedZone, offset: number): ZoneDirective | undefined {
  const d = lastSpanAtOrBefore(parsed.directives, offset);
  return d && offset <= d.end ? d : undefined;
}

/** The comment holding `offset`: after its `;`, up to and including its end. */
export function commentAt(parsed: ParsedZone, offset: number): ZoneComment | undefined {
  const c = lastSpanAtOrBefore(parsed.comments, offset);
  return c && c.start < offset && offset <= c.end ? c : undefined;
}

/** The `; dane-zone` directive comment holding `offset` (ends included). */
export function daneDirectiveAt(parsed: ParsedZone, offset: number): DaneDirective | undefined {
  const d = lastSpanAtOrBefore(parsed.daneDirectives ?? [], offset);
  return d && offset <= d.end ? d : undefined;
}

/**
 * The token under or just before the cursor: one that contains `offset`, else one that
 * ends exactly there (`3|` is on the `3`). Tokens must be in order.
 */
export function tokenAt(tokens: readonly Token[], offset: number): Token | undefined {
  let touching: Token | undefined;
  for (const t of tokens) {
    if (t.start > offset) break;
    if (offset < t.end) return t;
    if (offset === t.end) touching = t;
  }
  return touching;
}

/** The token the cursor is typing into: start < offset <= end. */
export function tokenBeingTyped(tokens: readonly Token[], offset: number): Token | undefined {
  for (const t of tokens) {
    if (t.start >= offset) break;
    if (offset <= t.end) return t;
  }
  return undefined;
}

export type RecordPartKind = 'owner' | 'ttl' | 'class' | 'type' | 'rdata';

export interface RecordPart {
  kind: RecordPartKind;
  token: Token;
  /** For `rdata`: the index into record.rdata. */
  index: number;
}

/** Every token of a record in order, with its role. */
export function recordParts(r: ZoneRecord): RecordPart[] {
  const parts: RecordPart[] = [];
  if (r.ownerToken) parts.push({ kind: 'owner', token: r.ownerToken, index: -1 });
  const head: RecordPart[] = [];
  if (r.ttlToken) head.push({ kind: 'ttl', token: r.ttlToken, index: -1 });
  if (r.classToken) head.push({ kind: 'class', token: r.classToken, index: -1 });
  head.sort((a, b) => a.token.start - b.token.start);
  parts.push(...head);
  if (r.typeToken) parts.push({ kind: 'type', token: r.typeToken, index: -1 });
  r.rdata.forEach((token, index) => parts.push({ kind: 'rdata', token, index }));
  return parts;
}

/** The part of a record under or just before the cursor (hover semantics, see tokenAt). */
export function partAt(r: ZoneRecord, offset: number): RecordPart | undefined {
  const parts = recordParts(r);
  const t = tokenAt(parts.map((p) => p.token), offset);
  return t ? parts.find((p) => p.token === t) : undefined;
}

/** True when the record uses the RFC 3597 generic `\# length hex` form. */
export function isGenericForm(r: ZoneRecord): boolean {
  const first = r.rdata[0];
  return first !== undefined && !first.quoted && first.text === '\\#';
}

export interface FieldLocation {
  info: RRTypeInfo;
  field: RdataField;
  fieldIndex: number;
  /** All tokens of this field (several for fields that read to the end of the record). */
  tokens: Token[];
  /** From the first to the last token of the field. */
  span: Span;
}

/**
 * The RDATA field that token `index` of the record's data belongs to, from the RR type
 * table. Undefined for unknown types, the generic form, and tokens beyond the last field.
 */
export function fieldOfToken(r: ZoneRecord, index: number): FieldLocation | undefined {
  const info = typeByCode(r.typeCode);
  if (!info || info.fields.length === 0 || isGenericForm(r) || index < 0 || index >= r.rdata.length) return undefined;
  const fieldIndex = fieldIndexOf(info, index);
  if (fieldIndex < 0) return undefined;
  const field = info.fields[fieldIndex];
  const tokens = REST.has(field.kind) && fieldIndex === info.fields.length - 1 ? r.rdata.slice(fieldIndex) : [r.rdata[index]];
  return { info, field, fieldIndex, tokens, span: { start: tokens[0].start, end: tokens[tokens.length - 1].end } };
}

/** The field index for RDATA token `index` (the last field takes the rest when it reads to the end), or -1. */
export function fieldIndexOf(info: RRTypeInfo, index: number): number {
  const n = info.fields.length;
  if (n === 0) return -1;
  if (index < n) return index;
  return REST.has(info.fields[n - 1].kind) ? n - 1 : -1;
}

/** A TLSA/SMIMEA field value as written: a decimal number, or an RFC 7218 acronym. */
export type TlsaToken =
  | { ok: true; value: number; acronym: boolean }
  | { ok: false; text: string };

export function readTlsaField(field: TlsaField, t: Token | undefined): TlsaToken | undefined {
  if (!t) return undefined;
  if (!t.quoted && /^[0-9]{1,10}$/.test(t.text)) {
    const value = Number(t.text);
    return value <= 255 ? { ok: true, value, acronym: false } : { ok: false, text: t.text };
  }
  const v = t.quoted ? undefined : tlsaAcronymValue(field, t.text);
  return v !== undefined ? { ok: true, value: v, acronym: true } : { ok: false, text: t.text };
}

/** The TLSA field at RDATA index 0..2. */
export const TLSA_FIELD_AT: readonly TlsaField[] = ['usage', 'selector', 'matchingType'];

export interface TlsaOwner {
  /** The port label as written (`_25`). */
  portLabel: string;
  /** The port number, when the label is `_` + a decimal 0..65535 without a leading zero. */
  port?: number;
  /** The protocol label without the underscore (`tcp`). */
  protocol: string;
  /** The base host name (absolute). */
  base: string;
}

/** Splits a TLSA owner `_port._proto.host.` (RFC 6698 §3); undefined when it does not have that shape. */
export function tlsaOwnerParts(owner: string): TlsaOwner | undefined {
  if (!owner) return undefined;
  const labels = nameLabels(owner);
  if (labels.length < 2) return undefined;
  const [p, proto] = labels;
  if (!p.startsWith('_') || !proto.startsWith('_') || proto.length < 2) return undefined;
  const digits = p.slice(1);
  let port: number | undefined;
  if (/^(0|[1-9][0-9]{0,4})$/.test(digits) && Number(digits) <= 65535) port = Number(digits);
  const rest = labels.slice(2);
  return { portLabel: p, port, protocol: proto.slice(1), base: rest.length ? rest.join('.') + '.' : '.' };
}

/**
 * The origin in force at `offset`: the origin of the last record before it, updated by any
 * $ORIGIN between that record and the offset; the zone's origin when nothing precedes.
 */
export function originAt(parsed: ParsedZone, offset: number): string | undefined {
  const i = lastRecordAtOrBefore(parsed.records, offset);
  let origin: string | undefined;
  let after = -1;
  for (let k = i; k >= 0; k--) {
    const r = parsed.records[k];
    if (r.includeFile !== undefined) continue;
    origin = r.origin;
    after = r.start;
    break;
  }
  if (after < 0) origin = undefined;
  // $ORIGIN directives after that record and before the offset, in order.
  let lo = 0;
  let hi = parsed.directives.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (parsed.directives[mid].start <= after) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo; k < parsed.directives.length; k++) {
    const d = parsed.directives[k];
    if (d.start >= offset) break;
    if (d.name !== '$ORIGIN' || d.args.length !== 1) continue;
    const r = parseName(d.args[0].text, origin ?? parsed.zoneOrigin);
    if (r.name !== undefined) origin = r.name;
  }
  return origin ?? parsed.zoneOrigin;
}

/** An RDATA name token made absolute with the record's origin (undefined when invalid). */
export function absoluteName(r: ZoneRecord, t: Token | undefined): string | undefined {
  if (!t || t.quoted) return undefined;
  return parseName(t.text, r.origin).name;
}

/** Records (of this file and included ones) whose owner is `name`: from the parse's lookup, else linear (for one hover or completion). */
export function recordsOwnedBy(parsed: ParsedZone, name: string): ZoneRecord[] {
  const key = nameKey(name);
  return parsed.lookup?.recordsAt(key) ?? parsed.records.filter((r) => r.ownerKey === key);
}

export interface MxTarget {
  /** The exchange, absolute. */
  host: string;
  /** The MX records pointing at it. */
  mx: { record: ZoneRecord; preference: string }[];
}

/**
 * The MX target `hostKey` (a name key), as mxTargets() would list it, without working out every
 * MX record's target: a target written without escapes whose first label differs is skipped
 * before its name is parsed (a hover on a large zone must not parse 100,000 names).
 */
export function mxTargetOf(parsed: ParsedZone, hostKey: string): MxTarget | undefined {
  const dot = hostKey.indexOf('.');
  const first = hostKey.includes('\\') || dot < 0 ? undefined : hostKey.slice(0, dot);
  let found: MxTarget | undefined;
  const targets = (r: ZoneRecord): string | undefined => {
    if (r.typeCode !== TYPE_MX || r.rdata.length < 2 || isGenericForm(r)) return undefined;
    const t = r.rdata[1];
    if (first !== undefined && !t.quoted && !t.text.includes('\\') && t.text !== '@') {
      const low = t.text.toLowerCase();
      if (!low.startsWith(first) || (low.length > first.length && low[first.length] !== '.')) return undefined;
    }
    const host = absoluteName(r, t);
    return host === undefined || host === '.' || nameKey(host) !== hostKey ? undefined : host;
  };
  // The parse's lookup (the open document's MX records), else every record.
  for (const r of parsed.lookup?.mxWhere(first, (x) => targets(x) !== undefined) ?? parsed.records) {
    const host = targets(r);
    if (host === undefined) continue;
    found ??= { host, mx: [] };
    found.mx.push({ record: r, preference: r.rdata[0].text });
  }
  return found;
}

/** mxTargets per parse and records array (a parse is not changed once made: the server keeps one per document version). */
const mxCache = new WeakMap<ParsedZone, { records: readonly ZoneRecord[]; targets: MxTarget[] }>();

/** The MX targets named in the zone (null MX `.` excluded), in order of first appearance. */
export function mxTargets(parsed: ParsedZone): MxTarget[] {
  const had = mxCache.get(parsed);
  if (had && had.records === parsed.records) return had.targets;
  const targets = findMxTargets(parsed);
  mxCache.set(parsed, { records: parsed.records, targets });
  return targets;
}

function findMxTargets(parsed: ParsedZone): MxTarget[] {
  const byKey = new Map<string, MxTarget>();
  for (const r of parsed.records) {
    if (r.typeCode !== TYPE_MX || r.rdata.length < 2 || isGenericForm(r)) continue;
    const host = absoluteName(r, r.rdata[1]);
    if (host === undefined || host === '.') continue;
    const key = nameKey(host);
    let t = byKey.get(key);
    if (!t) byKey.set(key, (t = { host, mx: [] }));
    t.mx.push({ record: r, preference: r.rdata[0].text });
  }
  return [...byKey.values()];
}

/** Clamps an offset into the text; undefined when it is not a number. */
export function clampOffset(text: { readonly length: number }, offset: number): number | undefined {
  if (typeof offset !== 'number' || Number.isNaN(offset)) return undefined;
  return Math.max(0, Math.min(Math.floor(offset), text.length));
}
