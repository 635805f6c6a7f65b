import { TextEdit } from '../edits';
import { ParsedZone, ZoneRecord } from '../model';
import { isAtOrBelow, nameKey, parseName } from '../names';
import { typeByCode, TYPE_MX } from '../rrtypes';
import { Span, Token } from '../types';
import { fieldOfToken, isGenericForm, isTlsaLike, recordAt, tlsaOwnerParts } from './locate';

/**
 * Navigation inside one zone: where a name is defined (its owner records), where it is used
 * (owner names, names in RDATA such as CNAME/MX/NS/SRV/PTR targets, and the base host of
 * TLSA owners `_port._proto.host`), rename of a name with every in-zone spelling updated,
 * and links for `$INCLUDE` and `; dane-zone cert=/next=` paths. Records of $INCLUDEd files
 * are not in this text and are never returned or edited. DNSSEC records (RRSIG signer, NSEC
 * next name) are not references: their names follow from the zone, they are not edited. Pure.
 */

export type OccurrenceKind = 'owner' | 'rdata' | 'tlsa-base';

export interface NameOccurrence {
  /** What the occurrence spells: the whole token, or for `tlsa-base` the host part of the owner. */
  span: Span;
  /** The absolute name it stands for (normalized). */
  name: string;
  kind: OccurrenceKind;
  record: ZoneRecord;
  token: Token;
  /** True when the spelling is absolute (ends with `.`). */
  absolute: boolean;
}

/** True when a name token ends with an unescaped dot. */
function endsWithDot(text: string): boolean {
  if (!text.endsWith('.')) return false;
  let k = text.length - 2;
  let slashes = 0;
  while (k >= 0 && text[k] === '\\') { slashes++; k--; }
  return slashes % 2 === 0;
}

/** Offsets of the unescaped dots in a name token. */
function dotsOf(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') { i += /[0-9]/.test(text[i + 1] ?? '') ? 3 : 1; continue; }
    if (text[i] === '.') out.push(i);
  }
  return out;
}

/** The host part of a TLSA owner token `_port._proto.host`, with its span; undefined when the host is the origin spelled implicitly. */
function tlsaBase(r: ZoneRecord): { span: Span; name: string; absolute: boolean } | undefined {
  const t = r.ownerToken;
  if (!t || t.quoted || !isTlsaLike(r.typeCode)) return undefined;
  const parts = tlsaOwnerParts(r.owner);
  if (!parts || parts.base === '.') return undefined;
  const dots = dotsOf(t.text);
  if (dots.length < 2) return undefined;
  const from = dots[1] + 1;
  const hostText = t.text.slice(from);
  if (hostText === '' || hostText === '.') return undefined;
  return { span: { start: t.start + from, end: t.end }, name: parts.base, absolute: endsWithDot(hostText) };
}

/** Every name occurrence of this document, in file order. Linear. */
export function nameOccurrences(parsed: ParsedZone): NameOccurrence[] {
  const out: NameOccurrence[] = [];
  for (const r of parsed.records) {
    if (r.includeFile !== undefined) continue;
    const t = r.ownerToken;
    if (t && !t.quoted && r.owner && t.start >= r.start && t.end <= r.end) {
      out.push({ span: { start: t.start, end: t.end }, name: r.owner, kind: 'owner', record: r, token: t, absolute: endsWithDot(t.text) });
      const base = tlsaBase(r);
      if (base) out.push({ ...base, kind: 'tlsa-base', record: r, token: t });
    }
    const info = typeByCode(r.typeCode);
    if (!info || info.dnssec || isGenericForm(r)) continue;
    for (let i = 0; i < r.rdata.length; i++) {
      const f = fieldOfToken(r, i);
      if (!f || f.field.kind !== 'name') continue;
      const tok = r.rdata[i];
      if (tok.quoted) continue;
      const name = parseName(tok.text, r.origin).name;
      if (name === undefined || name === '.') continue;
      out.push({ span: { start: tok.start, end: tok.end }, name, kind: 'rdata', record: r, token: tok, absolute: endsWithDot(tok.text) || tok.text === '@' });
    }
  }
  return out;
}

/** The occurrence under (or just before) the cursor; a TLSA base wins over its whole owner when the cursor is in the host part. */
export function occurrenceAt(parsed: ParsedZone, offset: number, all?: NameOccurrence[]): NameOccurrence | undefined {
  const r = recordAt(parsed, offset);
  if (!r) return undefined;
  const here = (all ?? nameOccurrences({ ...parsed, records: [r] })).filter((o) => o.record === r && o.span.start <= offset && offset <= o.span.end);
  return here.find((o) => o.kind === 'tlsa-base') ?? here.find((o) => o.kind === 'rdata') ?? here[0];
}

/** Where the name at `offset` is defined (owner tokens; from an owner: its TLSA owners `_port._proto.owner`). */
export function definitions(parsed: ParsedZone, offset: number): Span[] {
  const all = nameOccurrences(parsed);
  const at = occurrenceAt(parsed, offset, all);
  if (!at) return [];
  const key = nameKey(at.name);
  const base = at.kind === 'owner' ? tlsaBase(at.record) : undefined;
  if (base && offset < base.span.start) {
    // On `_25._tcp` of `_25._tcp.mx1`: the host the service runs on, and the MX records naming it.
    const host = nameKey(base.name);
    const parts = tlsaOwnerParts(at.record.owner);
    const smtp = parts?.port === 25 && parts.protocol === 'tcp';
    const hosts = firstOfRuns(all.filter((o) => o.kind === 'owner' && nameKey(o.name) === host).map((o) => o.token));
    const mx = smtp ? all.filter((o) => o.kind === 'rdata' && o.record.typeCode === TYPE_MX && nameKey(o.name) === host).map((o) => o.span) : [];
    return [...hosts, ...mx];
  }
  if (at.kind === 'owner') {
    const tlsa = all.filter((o) => o.kind === 'tlsa-base' && nameKey(o.name) === key).map((o) => o.record.ownerToken!);
    return firstOfRuns(tlsa);
  }
  return firstOfRuns(all.filter((o) => o.kind === 'owner' && nameKey(o.name) === key).map((o) => o.token));
}

/** One span per run of owner tokens with the same text (an RRset written with repeated owners is one place). */
function firstOfRuns(tokens: Token[]): Span[] {
  const out: Span[] = [];
  let last: string | undefined;
  for (const t of tokens) {
    if (t.text === last) continue;
    last = t.text;
    out.push({ start: t.start, end: t.end });
  }
  return out;
}

export interface Reference {
  span: Span;
  /** True for owner names (where records are defined). */
  definition: boolean;
}

/** Every occurrence of the name at `offset` (owner names, RDATA names, TLSA hosts). */
export function references(parsed: ParsedZone, offset: number, includeDeclaration = true): Reference[] {
  const all = nameOccurrences(parsed);
  const at = occurrenceAt(parsed, offset, all);
  if (!at) return [];
  const key = nameKey(at.name);
  return all
    .filter((o) => nameKey(o.name) === key && (includeDeclaration || o.kind !== 'owner'))
    .map((o) => ({ span: o.span, definition: o.kind === 'owner' }));
}

export type RenameCheck = { ok: true; span: Span; name: string; placeholder: string } | { ok: false; message: string };

/** Whether the name at `offset` can be renamed, and the span the editor should select. */
export function prepareRename(parsed: ParsedZone, text: string, offset: number): RenameCheck {
  const at = occurrenceAt(parsed, offset);
  if (!at) return { ok: false, message: 'no domain name here: rename works on owner names and on names in record data' };
  const zone = parsed.zoneOrigin;
  if (zone === undefined) return { ok: false, message: 'the zone\'s origin is unknown (no $ORIGIN and no SOA): cannot tell which names are in it' };
  if (!isAtOrBelow(at.name, zone)) return { ok: false, message: `${at.name} is outside the zone ${zone}: its records are not in this file, so it cannot be renamed here` };
  if (nameKey(at.name) === nameKey(zone)) return { ok: false, message: `${at.name} is the zone's apex: change $ORIGIN (or the file's zone) instead` };
  return { ok: true, span: at.span, name: at.name, placeholder: text.slice(at.span.start, at.span.end) };
}

/** `name` spelled for a token read with `origin`: relative where it lies below it (as `relative` asks), else absolute. */
function spell(name: string, origin: string | undefined, absolute: boolean): string {
  if (absolute || origin === undefined) return name;
  if (nameKey(name) === nameKey(origin)) return '@';
  if (origin === '.') return name.slice(0, -1);
  if (isAtOrBelow(name, origin)) {
    const rel = name.slice(0, name.length - origin.length - 1);
    if (parseName(rel, origin).name === name) return rel;
  }
  return name;
}

export type RenameResult = { ok: true; edits: TextEdit[] } | { ok: false; message: string };

/**
 * Renames the name at `offset` to `newText` (absolute when it ends with `.`, else relative to
 * the zone's origin): every owner and RDATA occurrence, and the host part of TLSA owners,
 * keeping each occurrence's relative or absolute spelling.
 */
export function rename(parsed: ParsedZone, text: string, offset: number, newText: string): RenameResult {
  const check = prepareRename(parsed, text, offset);
  if (!check.ok) return check;
  const zone = parsed.zoneOrigin!;
  const trimmed = newText.trim();
  const parsedNew = parseName(trimmed, zone);
  if (parsedNew.name === undefined) return { ok: false, message: `\`${trimmed}\` is not a domain name: ${parsedNew.error}` };
  const target = parsedNew.name;
  if (!isAtOrBelow(target, zone) || nameKey(target) === nameKey(zone)) {
    return { ok: false, message: `${target} is not below the zone ${zone}: a rename must stay inside the zone` };
  }
  const key = nameKey(check.name);
  const edits: TextEdit[] = [];
  for (const o of nameOccurrences(parsed)) {
    if (nameKey(o.name) !== key) continue;
    const origin = o.record.origin;
    if (o.kind === 'tlsa-base') {
      const host = spell(target, origin, o.absolute);
      // `_25._tcp.@` is not a name: the host equal to the origin is written by leaving it out.
      if (host === '@') edits.push(keepColumn(text, o.token, { start: o.span.start - 1, end: o.span.end, newText: '' }));
      else edits.push(keepColumn(text, o.token, { start: o.span.start, end: o.span.end, newText: host }));
      continue;
    }
    const spelled = spell(target, origin, o.absolute && o.token.text !== '@');
    const edit = { start: o.span.start, end: o.span.end, newText: spelled };
    edits.push(o.kind === 'owner' ? keepColumn(text, o.token, edit) : edit);
  }
  edits.push(...rolloverCommentEdits(parsed, text, check.name, target));
  return { ok: true, edits: edits.filter((e) => text.slice(e.start, e.end) !== e.newText) };
}

/**
 * An owner edit that keeps the next field in its column: the blanks after an owner that starts
 * its line (two or more: the file aligns its columns) grow or shrink by what the name shrinks
 * or grows (at least one stays). Tabs are left alone (a tab stop absorbs small changes).
 */
function keepColumn(text: string, owner: Token, edit: TextEdit): TextEdit {
  if (edit.end !== owner.end) return edit;
  const lineStart = text.lastIndexOf('\n', owner.start - 1) + 1;
  if (!/^[ \t]*$/.test(text.slice(lineStart, owner.start))) return edit;
  let e = owner.end;
  while (text[e] === ' ') e++;
  const blanks = e - owner.end;
  // One blank separates; more line the next field up in a column.
  if (blanks < 2 || text[e] === '\t' || text[e] === '\n' || text[e] === '\r' || text[e] === ';' || e >= text.length) return edit;
  const delta = edit.newText.length - (edit.end - edit.start);
  return { start: edit.start, end: e, newText: edit.newText + ' '.repeat(Math.max(1, blanks - delta)) };
}

/**
 * The host named in the steps of a rollover comment that dane-zone wrote (`; DANE rollover DATE
 * (dane-zone): …` and the comment lines right after it): `on mx1.example.com` follows a rename.
 */
function rolloverCommentEdits(parsed: ParsedZone, text: string, oldName: string, newName: string): TextEdit[] {
  const oldHost = oldName.replace(/\.$/, '');
  const newHost = newName.replace(/\.$/, '');
  const escaped = oldHost.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(\\bon )(${escaped})(?![A-Za-z0-9_-]|\\.[A-Za-z0-9_-])`, 'gi');
  const out: TextEdit[] = [];
  let blockEnd = -1;
  for (const c of parsed.comments) {
    const body = text.slice(c.start, c.end);
    if (/^;+\s*DANE rollover \S+ \(dane-zone\)/.test(body)) blockEnd = c.end;
    else if (blockEnd < 0 || !/^\r?\n[ \t]*$/.test(text.slice(blockEnd, c.start))) { blockEnd = -1; continue; }
    else blockEnd = c.end;
    for (let m = re.exec(body); m; m = re.exec(body)) {
      const start = c.start + m.index + m[1].length;
      out.push({ start, end: start + m[2].length, newText: newHost });
    }
  }
  return out;
}

export interface ZoneLink {
  span: Span;
  /** The path as written (escapes removed). */
  path: string;
  /** The resolved path, when the resolver could resolve it. */
  target?: string;
  tooltip: string;
}

function unescapeText(t: string): string {
  return t.indexOf('\\') < 0 ? t : t.replace(/\\(\d{3}|.)/g, (_, e: string) => (e.length === 3 ? String.fromCharCode(Number(e)) : e));
}

/** Links for `$INCLUDE` file names and `; dane-zone cert=PATH next=PATH` paths. `resolve` makes a path absolute (it may throw). */
export function documentLinks(parsed: ParsedZone, resolve: (path: string) => string): ZoneLink[] {
  const out: ZoneLink[] = [];
  const add = (span: Span, path: string, tooltip: string) => {
    if (!path) return;
    let target: string | undefined;
    try { target = resolve(path); } catch { target = undefined; }
    out.push(target ? { span, path, target, tooltip } : { span, path, tooltip });
  };
  for (const d of parsed.directives) {
    if (d.name !== '$INCLUDE' || d.args.length === 0) continue;
    const a = d.args[0];
    const quote = a.quoted ? 1 : 0;
    add({ start: a.start + quote, end: a.end - (quote && a.end - a.start > a.text.length + 1 ? 1 : 0) }, unescapeText(a.text), 'Open the included file');
  }
  for (const d of parsed.daneDirectives ?? []) {
    for (const item of d.items) {
      if (item.key !== 'cert' && item.key !== 'next') continue;
      const start = item.start + item.key.length + 1;
      add({ start, end: item.end }, item.value, item.key === 'cert' ? 'Open the linked certificate' : 'Open the next certificate');
    }
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

export interface OwnerSymbol {
  /** The owner name, absolute. */
  name: string;
  /** The types at this owner, in order of appearance (`A, AAAA, TLSA`). */
  types: string[];
  /** The first owner token of the name (where to go). */
  span: Span;
}

/**
 * The owner names of a zone matching `query` (case-insensitive substring of the absolute
 * name; every name for an empty query), first appearance each, at most `limit`: for
 * workspace symbols.
 */
export function ownerSymbols(parsed: ParsedZone, query: string, limit = 1000): OwnerSymbol[] {
  const q = query.trim().toLowerCase();
  const byKey = new Map<string, OwnerSymbol>();
  for (const r of parsed.records) {
    if (r.includeFile !== undefined || !r.owner) continue;
    let s = byKey.get(r.ownerKey);
    if (!s) {
      if (byKey.size >= limit) continue;
      if (q && !r.ownerKey.includes(q)) continue;
      const t = r.ownerToken;
      s = { name: r.owner, types: [], span: t ? { start: t.start, end: t.end } : { start: r.start, end: r.start } };
      byKey.set(r.ownerKey, s);
    }
    if (r.typeName && !s.types.includes(r.typeName)) s.types.push(r.typeName);
  }
  return [...byKey.values()];
}
