/**
 * Code actions for certificate-linked TLSA records, as pure text edits (one edit list per
 * action; comments, parentheses and alignment kept; the RRset's TTL and the file's owner
 * style reused):
 *
 * - update a record's association data from the linked certificate (for its own usage,
 *   selector and matching type);
 * - insert a TLSA RRset for a host from a certificate (`3 1 1` by default);
 * - a rotation pair, current + next (`3 1 1` twice) or current + issuer (`3 1 1` + `2 1 1` for
 *   the issuing CA), inserted after the RRset with a comment giving the date and the steps;
 * - remove a stale record.
 *
 * Plus certHover, the hover line that names the linked certificate a record matches.
 * Everything here is synchronous: the association data comes precomputed in the diagnostics'
 * CertFixData (checks.ts) or from hash.ts.
 */
import { ZoneRecord } from '../model';
import { nameKey, relativize } from '../names';
import { ZoneDiagnostic } from '../types';
import { DaneCodeAction } from '../dane/fixes';
import { TextEdit } from '../edits';
import { decodeTlsaWire, isGenericRdata } from '../dane/tlsaRdata';
import { toHex } from './asn1';
import type { CertAnalysis, LinkedRRset } from './checks';
import { twoTtls } from './checks';
import type { CertFixData, CertRecordRef, LinkSummary } from './fixData';
import { recordSpecFor, TlsaRecordSpec } from './hash';
import { describeMaterial, loadKeyMaterial } from './load';
import { TYPE_TLSA } from '../rrtypes';

export type { TlsaRecordSpec } from './hash';
export type { CertFixData, CertRecordRef, LinkSummary } from './fixData';

export type RotationPattern = 'next' | 'issuer';

// ---------------------------------------------------------------- text layout

function short(hex: string): string {
  return hex.length > 20 ? `${hex.slice(0, 8)}…${hex.slice(-6)}` : hex;
}

function fieldsOf(s: { usage: number; selector: number; matchingType: number }): string {
  return `${s.usage} ${s.selector} ${s.matchingType}`;
}

function lineStartOf(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

function eol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Visual column of `pos` (tabs every 8). */
function column(text: string, pos: number): number {
  let col = 0;
  for (let i = lineStartOf(text, pos); i < pos; i++) col = text[i] === '\t' ? (Math.floor(col / 8) + 1) * 8 : col + 1;
  return col;
}

/** The first line of a record as columns: where each part starts, and whether tabs separate them. */
interface Layout {
  /** Column of the owner / TTL / class / type / each RDATA token, when on the record's first line. */
  cols: { owner: number; ttl?: number; cls?: number; type?: number; rdata: number[] };
  tabs: boolean;
  /** The TTL as the template writes it (undefined: no TTL field). */
  ttlText?: string;
  classText?: string;
  typeText: string;
  /** The owner as written on records of this RRset (undefined: blank owner). */
  ownerText?: string;
  upperHex: boolean;
}

function layoutOf(text: string, r: ZoneRecord | undefined): Layout {
  const fallback: Layout = { cols: { owner: 0, rdata: [] }, tabs: false, classText: 'IN', typeText: 'TLSA', upperHex: false };
  if (!r || r.includeFile !== undefined || !r.typeToken) return fallback;
  const ls = lineStartOf(text, r.start);
  const le = text.indexOf('\n', r.start);
  const onLine = (t: { start: number } | undefined) => t !== undefined && (le < 0 || t.start < le);
  const col = (t: { start: number } | undefined) => (onLine(t) ? column(text, t!.start) : undefined);
  const lineText = text.slice(ls, le < 0 ? text.length : le);
  const data = r.typeCode !== TYPE_TLSA || isGenericRdata(r.rdata) ? [] : r.rdata.slice(3);
  return {
    cols: {
      owner: r.ownerToken ? column(text, r.ownerToken.start) : 0,
      ttl: col(r.ttlToken),
      cls: col(r.classToken),
      type: col(r.typeToken),
      rdata: r.rdata.map((t) => col(t)).filter((c): c is number => c !== undefined),
    },
    tabs: /\S[ \t]*\t/.test(lineText) || (!r.ownerToken && /^\t/.test(lineText)),
    ttlText: r.ttlToken?.text,
    classText: r.classToken?.text,
    typeText: r.typeToken.text,
    ownerText: r.ownerToken?.text,
    upperHex: data.length > 0 && data.every((t) => t.text === t.text.toUpperCase() && /[A-F]/.test(t.text)),
  };
}

/** Appends `word` to `line` starting at visual column `col` (at least one separator). */
function pad(line: string, col: number | undefined, tabs: boolean): string {
  let width = 0;
  for (const ch of line) width = ch === '\t' ? (Math.floor(width / 8) + 1) * 8 : width + 1;
  if (line.length === 0) return '';
  if (col === undefined || col <= width) return line + (tabs ? '\t' : ' ');
  if (!tabs) return line + ' '.repeat(col - width);
  let out = line;
  while (width < col) { out += '\t'; width = (Math.floor(width / 8) + 1) * 8; }
  return out;
}

/** One record line in the template's layout. `ownerText` undefined: blank owner (continues the previous record's). */
function recordLine(l: Layout, ownerText: string | undefined, ttlText: string | undefined, spec: TlsaRecordSpec): string {
  let line = ownerText ?? '';
  const put = (col: number | undefined, word: string) => {
    if (line.length > 0) { line = pad(line, col, l.tabs) + word; return; }
    // A blank owner: indent to the first field's column.
    const c = Math.max(1, col ?? 1);
    line = (l.tabs ? '\t'.repeat(Math.ceil(c / 8)) : ' '.repeat(c)) + word;
  };
  if (ttlText !== undefined) put(l.cols.ttl, ttlText);
  if (l.classText) put(l.cols.cls, l.classText);
  put(l.cols.type, l.typeText.toUpperCase() === 'TLSA' ? l.typeText : 'TLSA');
  put(l.cols.rdata[0], String(spec.usage));
  line += ` ${spec.selector} ${spec.matchingType} ${l.upperHex ? spec.hex.toUpperCase() : spec.hex.toLowerCase()}`;
  return line;
}

/** The start of the line after the one `pos` is on (text.length at the end; then a newline must be added first). */
function afterLine(text: string, pos: number): { at: number; needsNewline: boolean } {
  const nl = text.indexOf('\n', pos);
  return nl < 0 ? { at: text.length, needsNewline: text.length > 0 } : { at: nl + 1, needsNewline: false };
}

function ownRecords(records: readonly ZoneRecord[]): ZoneRecord[] {
  return records.filter((r) => r.includeFile === undefined);
}

/** The RRset's records in the current text (by owner), main file only, in order. */
function rrsetRecords(records: readonly ZoneRecord[], owner: string): ZoneRecord[] {
  const k = nameKey(owner);
  return ownRecords(records).filter((r) => r.typeCode === TYPE_TLSA && r.ownerKey === k);
}

/** The RRset's last record written on one line (the best layout template), else its last record. */
function layoutTemplate(text: string, set: readonly ZoneRecord[]): ZoneRecord | undefined {
  for (let i = set.length - 1; i >= 0; i--) if (!text.slice(set[i].start, set[i].end).includes('\n')) return set[i];
  return set[set.length - 1];
}

/** True when `ref` still describes a record of the text (the diagnostic is not stale). */
function findRecord(records: readonly ZoneRecord[], ref: CertRecordRef): ZoneRecord | undefined {
  return ownRecords(records).find((r) => {
    if (r.start !== ref.start || r.end !== ref.end || r.typeCode !== TYPE_TLSA) return false;
    const f = decodeTlsaWire(r.wire);
    return !!f && f.usage === ref.usage && f.selector === ref.selector && f.matchingType === ref.matchingType && toHex(f.data) === ref.hex;
  });
}

// ---------------------------------------------------------------- edit builders

/**
 * Replaces a record's association data, keeping its layout: the new hex is cut into pieces
 * as long as the old ones (a digest has the same length, so a multi-line record keeps its
 * lines); for full data of another length the last piece takes the rest, and pieces left
 * over are removed. Undefined for the RFC 3597 form and records of $INCLUDEd files.
 */
export function updateRecordDataEdits(text: string, record: ZoneRecord, hex: string): TextEdit[] | undefined {
  if (record.includeFile !== undefined || isGenericRdata(record.rdata) || record.rdata.length < 4) return undefined;
  const data = record.rdata.slice(3);
  if (data.some((t) => t.end > text.length || text.slice(t.start, t.end) !== t.text)) return undefined;
  const upper = data.every((t) => t.text === t.text.toUpperCase() && /[A-F]/.test(t.text));
  let rest = upper ? hex.toUpperCase() : hex.toLowerCase();
  const edits: TextEdit[] = [];
  for (let i = 0; i < data.length; i++) {
    const t = data[i];
    const last = i === data.length - 1;
    const piece = last ? rest : rest.slice(0, t.text.length);
    rest = last ? '' : rest.slice(piece.length);
    if (piece.length > 0) {
      if (piece !== t.text) edits.push({ start: t.start, end: t.end, newText: piece });
      continue;
    }
    // Nothing left for this piece: remove it, with the blanks before it when only blanks are there.
    const prevEnd = data[i - 1].end;
    const between = text.slice(prevEnd, t.start);
    edits.push(/^[ \t\r\n]*$/.test(between) ? { start: prevEnd, end: t.end, newText: '' } : { start: t.start, end: t.end, newText: '' });
  }
  return edits;
}

export interface InsertRecordsOptions {
  /** Absolute owner name of the new records. */
  owner: string;
  records: TlsaRecordSpec[];
  /**
   * TTL to write for a new RRset (default: the template's, when it writes one). Records added to
   * an existing RRset (`after` of the same owner) write the TTL as that record does.
   */
  ttl?: number;
  /** Comment lines (without the `; `) put before the records. */
  comment?: string[];
  /** Insert after this record's last line (it is also the layout template unless `template` is given). */
  after?: ZoneRecord;
  /** The record whose layout (columns, TTL and class fields, owner spelling) the new lines copy. */
  template?: ZoneRecord;
  /** Without `after`: the offset whose line the records follow (default: the end of the text). */
  at?: number;
  /** The origin in force where the records go (relative owner style). */
  origin?: string;
}

/** One edit inserting TLSA records (after a record, or at the end of a line). */
export function insertRecordsEdit(text: string, options: InsertRecordsOptions): TextEdit {
  const template = options.template ?? options.after;
  const l = layoutOf(text, template);
  const nl = eol(text);
  const sameRRset = options.after !== undefined && options.after.ownerKey === nameKey(options.owner) && template?.ownerKey === options.after.ownerKey;
  let ownerText: string | undefined;
  if (sameRRset) {
    // Same owner as the record before: blank owner when the RRset's record is written that way, else the same spelling.
    ownerText = l.ownerText;
  } else {
    const absolute = template?.ownerToken ? template.ownerToken.text.endsWith('.') : false;
    ownerText = absolute || !options.origin ? options.owner : relativize(options.owner, options.origin);
  }
  const ttlText = sameRRset ? l.ttlText
    : options.ttl !== undefined ? String(options.ttl) : l.ttlText !== undefined && template?.ttl !== undefined ? String(template.ttl) : undefined;
  const lines: string[] = [];
  for (const c of options.comment ?? []) lines.push(`; ${c}`.replace(/ +$/, ''));
  for (const spec of options.records) lines.push(recordLine(l, ownerText, ttlText, spec));
  const pos = options.after ? options.after.end : options.at ?? text.length;
  const { at, needsNewline } = afterLine(text, pos);
  return { start: at, end: at, newText: (needsNewline ? nl : '') + lines.map((x) => x + nl).join('') };
}

/**
 * Removes a record (with its comment on the same line). When the next record has a blank owner
 * and inherited this one's, the owner is written on it, in this record's spelling and spacing.
 */
export function removeRecordEdits(text: string, records: readonly ZoneRecord[], record: ZoneRecord): TextEdit[] | undefined {
  if (record.includeFile !== undefined) return undefined;
  const start = lineStartOf(text, record.start);
  if (text.slice(start, record.start).trim() !== '') return undefined; // another entry on the same line: leave it
  const { at: end } = afterLine(text, record.end);
  const edits: TextEdit[] = [{ start, end, newText: '' }];
  const own = ownRecords(records);
  const i = own.indexOf(record);
  const next = i >= 0 ? own[i + 1] : undefined;
  if (record.ownerToken && next && !next.ownerToken && next.ownerKey === record.ownerKey) {
    const first = next.ttlToken ?? next.classToken ?? next.typeToken;
    const ns = lineStartOf(text, next.start);
    const after = record.ttlToken ?? record.classToken ?? record.typeToken;
    if (first && after && ns >= end) {
      const sep = text.slice(record.ownerToken.end, after.start);
      edits.push({ start: ns, end: first.start, newText: text.slice(start, record.ownerToken.end) + (/^[ \t]+$/.test(sep) ? sep : ' ') });
    }
  }
  return edits;
}

export interface RotationOptions {
  pattern: RotationPattern;
  /** The record data to have in the RRset, in order: [current 3 1 1, next 3 1 1] or [current 3 1 1, issuer 2 1 1]. */
  records: TlsaRecordSpec[];
  /** What each of `records` is, for the comment: `the current key (cert=mx1.pem)`, `the next key (next=next.key)`. */
  labels: string[];
  /** The host whose server gets the new key/certificate (for the steps). */
  host: string;
  /** The RRset's TTL. */
  ttl?: number;
  /** The record to remove at the end, described (`3 1 1 8cb0fc6c…3021f1`). */
  oldRecord: string;
  /** The day written in the comment. */
  date: Date;
}

/** The comment of an inserted rotation pair: date, pattern and the four steps with the real wait (and, for the issuer pattern, what a 2 x y needs). */
export function rotationComment(o: RotationOptions): string[] {
  const day = o.date.toISOString().slice(0, 10);
  const what = o.pattern === 'next' ? 'current + next key' : 'current key + issuing CA';
  const deploy = o.pattern === 'next'
    ? `deploy the next key/certificate on ${o.host}`
    : `deploy the renewed certificate (same CA) on ${o.host}; the 2 1 1 record keeps matching`;
  return [
    `DANE rollover ${day} (dane-zone): ${what} (RFC 7671 §8.1)`,
    ...o.records.map((r, i) => `  ${fieldsOf(r)} ${short(r.hex)} = ${o.labels[i] ?? ''}`.replace(/ = $/, '')),
    '  1. publish these records (reload the zone; the SOA serial must grow)',
    `  2. wait two TTLs: ${twoTtls(o.ttl)}, so that no resolver still holds the old RRset`,
    `  3. ${deploy}`,
    ...(o.pattern === 'next'
      ? [`  4. remove the old record (${o.oldRecord})`]
      // Removing the old 3 1 1 would leave the 2 1 1 alone (tlsa-single-record): it is replaced instead.
      : [`  4. once it is live, replace the old record (${o.oldRecord}) with the renewed certificate's 3 1 1, keeping the 2 1 1`,
        '  note: a 2 x y record on a CA matches only when the server sends that CA in its chain (deploy the full chain)']),
  ];
}

/**
 * Inserts the records of a rotation pair that the RRset lacks, after its last record, with the
 * comment. Undefined when the RRset already has them all (or is not in this file).
 */
export function rotationPairEdits(text: string, records: readonly ZoneRecord[], owner: string, o: RotationOptions): TextEdit[] | undefined {
  const set = rrsetRecords(records, owner);
  if (set.length === 0) return undefined;
  const have = new Set(set.map((r) => decodeTlsaWire(r.wire)).filter((f) => f !== undefined).map((f) => `${fieldsOf(f!)} ${toHex(f!.data)}`));
  const missing = o.records.filter((r) => !have.has(`${fieldsOf(r)} ${r.hex.toLowerCase()}`));
  if (missing.length === 0) return undefined;
  const last = set[set.length - 1];
  return [insertRecordsEdit(text, { owner, records: missing, after: last, template: layoutTemplate(text, set), comment: rotationComment(o) })];
}

// ---------------------------------------------------------------- actions from diagnostics

function linkName(s: LinkSummary): string {
  return `\`${s.written}\``;
}

function recordOf(records: readonly ZoneRecord[], data: CertFixData, i: number | undefined): ZoneRecord | undefined {
  const ref = i === undefined ? undefined : data.records[i];
  return ref && findRecord(records, ref);
}

function isCertFixData(x: unknown): x is CertFixData {
  const d = x as Partial<CertFixData> | undefined;
  return !!d && typeof d === 'object' && d.fix === 'tlsa-cert' && typeof d.owner === 'string' && Array.isArray(d.records) && Array.isArray(d.links);
}

/** The rotation pairs possible for an RRset from its linked files (both patterns when the files allow). */
export function rotationActions(text: string, records: readonly ZoneRecord[], data: Pick<CertFixData, 'owner' | 'ttl' | 'links'>, date: Date): DaneCodeAction[] {
  const out: DaneCodeAction[] = [];
  const cur = data.links.find((s) => s.role === 'cert');
  const next = data.links.find((s) => s.role === 'next');
  const host = data.owner.split('.').slice(2).join('.').replace(/\.$/, '');
  const set = rrsetRecords(records, data.owner);
  const fields = set.map((r) => decodeTlsaWire(r.wire)).filter((f) => f !== undefined);
  // The record to remove at the end: the one of the current key (or the RRset's first EE record).
  const curHex = cur?.assoc['3 1 1'];
  const old = curHex ? `3 1 1 ${short(curHex)}` : fields.find((f) => f!.usage === 3) ? `${fieldsOf(fields.find((f) => f!.usage === 3)!)} ${short(toHex(fields.find((f) => f!.usage === 3)!.data))}` : 'the current key\'s record';
  const nextHex = next?.assoc['3 1 1'];
  if (curHex && nextHex && curHex !== nextHex) {
    const edits = rotationPairEdits(text, records, data.owner, {
      pattern: 'next', host, ttl: data.ttl, date, oldRecord: old,
      records: [{ usage: 3, selector: 1, matchingType: 1, hex: curHex }, { usage: 3, selector: 1, matchingType: 1, hex: nextHex }],
      labels: [`current key (${cur!.written})`, `next key (${next!.written})`],
    });
    if (edits) out.push({ title: `Add a rotation pair: current + next key (3 1 1 for ${next!.written}), with the steps`, edits });
  }
  const caHex = cur?.assoc['2 1 1'];
  if (curHex && caHex) {
    const edits = rotationPairEdits(text, records, data.owner, {
      pattern: 'issuer', host, ttl: data.ttl, date, oldRecord: `3 1 1 ${short(curHex)}`,
      records: [{ usage: 3, selector: 1, matchingType: 1, hex: curHex }, { usage: 2, selector: 1, matchingType: 1, hex: caHex }],
      labels: [`current key (${cur!.written})`, `issuing CA ${cur!.caSubject ?? ''}${cur!.caSelfIssued ? ' (a root)' : ''}`.trim()],
    });
    if (edits) out.push({ title: `Add a rotation pair: current key + issuing CA (2 1 1 for ${cur!.caSubject || 'the issuer'}), with the steps`, edits });
  }
  return out;
}

/** The actions to update a record from a linked file, when its own usage/selector/type can be computed and differs. */
function updateActions(text: string, records: readonly ZoneRecord[], data: CertFixData, link: LinkSummary, only?: number): DaneCodeAction[] {
  const out: DaneCodeAction[] = [];
  data.records.forEach((ref, i) => {
    if (only !== undefined && i !== only) return;
    const want = link.assoc[fieldsOf(ref)];
    if (want === undefined || want === ref.hex) return;
    const r = findRecord(records, ref);
    const edits = r && updateRecordDataEdits(text, r, want);
    if (!edits || edits.length === 0) return;
    const from = ref.usage === 2 || ref.usage === 0 ? `the issuing CA of ${linkName(link)}${link.caSubject ? ` (${link.caSubject})` : ''}` : linkName(link);
    out.push({ title: `Update the \`${fieldsOf(ref)} ${short(ref.hex)}\` record from ${from}`, edits });
  });
  return out;
}

/**
 * Quick fixes for a certificate diagnostic, from its data: empty when it has none or the text
 * changed since. `records` are the current parse's records; `date` goes into rotation comments.
 */
export function certQuickFixes(text: string, records: readonly ZoneRecord[], diagnostic: ZoneDiagnostic, date: Date): DaneCodeAction[] {
  const data = diagnostic.data;
  if (!isCertFixData(data) || diagnostic.includedFrom !== undefined) return [];
  // Stale diagnostic: every record it names must still be there as it was.
  if (data.records.some((ref) => !findRecord(records, ref))) return [];
  const link = data.links.find((s) => s.role === data.role);
  switch (data.kind) {
    case 'mismatch': {
      if (!link) return [];
      if (link.role === 'cert') {
        const out = updateActions(text, records, data, link);
        if (out.length === 1) out[0].isPreferred = true;
        const hex = link.assoc['3 1 1'];
        const set = rrsetRecords(records, data.owner);
        if (hex && set.length) {
          out.push({
            title: `Add a \`3 1 1\` record for ${linkName(link)} beside the others`,
            edits: [insertRecordsEdit(text, { owner: data.owner, records: [{ usage: 3, selector: 1, matchingType: 1, hex }], after: set[set.length - 1], template: layoutTemplate(text, set) })],
          });
        }
        return out.concat(rotationActions(text, records, data, date));
      }
      return rotationActions(text, records, data, date).filter((a) => /current \+ next/.test(a.title)).map((a) => ({ ...a, isPreferred: true }));
    }
    case 'stale': {
      const r = recordOf(records, data, data.record);
      const edits = r && removeRecordEdits(text, records, r);
      const ref = data.records[data.record ?? -1];
      return edits && ref ? [{ title: `Remove the stale record \`${fieldsOf(ref)} ${short(ref.hex)}\``, edits, isPreferred: true }] : [];
    }
    case 'ta-not-in-chain': {
      const ref = data.records[data.record ?? -1];
      const cur = data.links.find((s) => s.role === 'cert' && s.assoc[fieldsOf(ref ?? { usage: 2, selector: 1, matchingType: 1 })]);
      const out = ref && cur ? updateActions(text, records, data, cur, data.record) : [];
      const r = recordOf(records, data, data.record);
      const edits = r && removeRecordEdits(text, records, r);
      if (edits && ref) out.push({ title: `Remove the record \`${fieldsOf(ref)} ${short(ref.hex)}\``, edits });
      return out;
    }
    default:
      return [];
  }
}

// ---------------------------------------------------------------- from the analysis (refactorings, hover)

/** The analysis' RRset of a record (by owner), and the record's result (by its fields, so an edit elsewhere does not lose it). */
function resultOf(analysis: CertAnalysis, record: ZoneRecord): { set: LinkedRRset; index: number } | undefined {
  const f = decodeTlsaWire(record.wire);
  if (!f || record.typeCode !== TYPE_TLSA) return undefined;
  const hex = toHex(f.data);
  for (const set of analysis.rrsets) {
    if (set.ownerKey !== record.ownerKey) continue;
    const index = set.results.findIndex((x) => x.fields.usage === f.usage && x.fields.selector === f.selector && x.fields.matchingType === f.matchingType && x.hex === hex);
    return { set, index };
  }
  return undefined;
}

/**
 * Actions offered on a linked TLSA record (refactorings, from the last analysis): update its
 * data from the current certificate, and the rotation pairs its files allow.
 */
export function certRecordActions(text: string, records: readonly ZoneRecord[], analysis: CertAnalysis, record: ZoneRecord, date: Date): DaneCodeAction[] {
  const found = resultOf(analysis, record);
  if (!found || record.includeFile !== undefined) return [];
  const links = found.set.links.flatMap((k) => (k.summary ? [k.summary] : []));
  const f = decodeTlsaWire(record.wire)!;
  const data: CertFixData = {
    fix: 'tlsa-cert', kind: 'mismatch', owner: found.set.owner, ttl: found.set.ttl, insertAt: record.end, links,
    records: [{ start: record.start, end: record.end, usage: f.usage, selector: f.selector, matchingType: f.matchingType, hex: toHex(f.data) }],
  };
  const out: DaneCodeAction[] = [];
  const cur = links.find((s) => s.role === 'cert');
  const matchesSomething = found.index >= 0 && found.set.results[found.index].matches.some((m) => m?.matched);
  if (cur && !matchesSomething) out.push(...updateActions(text, records, data, cur));
  return out.concat(rotationActions(text, records, data, date));
}

function fileLine(s: { written: string; path?: string }): string {
  return s.path && s.path !== s.written ? `\`${s.written}\` (${s.path})` : `\`${s.written}\``;
}

/**
 * Markdown for the hover of a TLSA record: which linked certificate (or key) its data matches,
 * with subject, SANs, issuer, expiry and file; or that none does. Undefined when the record's
 * RRset has no links.
 */
export function certHover(analysis: CertAnalysis, record: ZoneRecord): string | undefined {
  const found = resultOf(analysis, record);
  if (!found) return undefined;
  const { set, index } = found;
  const res = index >= 0 ? set.results[index] : undefined;
  const lines: string[] = [];
  const matched = res ? res.matches.flatMap((m, i) => (m?.matched ? [{ m, link: set.links[i] }] : [])) : [];
  for (const { m, link } of matched) {
    const material = link.material!;
    const cert = m.certificate ?? (m.depth === 0 ? material.certificates[0] : undefined);
    const role = link.role === 'cert' ? 'the linked certificate' : 'the linked next key';
    if (cert) {
      const level = m.depth === 0 ? '' : m.fromDns ? ' (a trust anchor from DNS that signed the chain)' : ` (the CA certificate at depth ${m.depth} of the chain)`;
      const sans = cert.sans.length ? `; SANs ${cert.sans.slice(0, 6).join(', ')}${cert.sans.length > 6 ? ` and ${cert.sans.length - 6} more` : ''}` : '';
      lines.push(`**Matches ${role}**${level}: ${cert.subject || '(empty subject)'}${sans}; issuer ${cert.issuer || '(empty)'}; expires ${cert.notAfter.toISOString().slice(0, 10)}; file ${fileLine(link)}`);
    } else {
      lines.push(`**Matches ${role}**: ${link.summary?.what ?? material.keyAlgorithm}; file ${fileLine(link)}`);
    }
    if (m.note) lines.push(`(${m.note})`);
  }
  if (matched.length === 0) {
    const loaded = set.links.filter((k) => k.material);
    const named = loaded.map((k) => `${k.role === 'cert' ? 'the certificate' : 'the next key'} ${fileLine(k)} (${k.summary?.subject ?? k.summary?.what ?? ''})`);
    lines.push(loaded.length
      ? `**Matches no linked certificate**: not ${named.join(', nor ')}`
      : `**Linked certificates could not be read**: ${set.links.map((k) => fileLine(k)).join(', ')}`);
  }
  return lines.join('\n\n');
}

/**
 * The edit of the "insert TLSA RRset" command: records for `_port._proto.host` from
 * precomputed specs (hash.ts recordSpecFor), after the host's last record in this file (or
 * after the last TLSA record, or at the end), in the file's layout, optionally with a
 * `; dane-zone cert=PATH` line that links it.
 */
export function insertTlsaRRsetEdit(text: string, records: readonly ZoneRecord[], o: {
  host: string;
  port?: number;
  protocol?: string;
  specs: TlsaRecordSpec[];
  ttl?: number;
  /** Path to write in a `; dane-zone cert=` line above the records (relative to the zone file). */
  linkPath?: string;
  /** The same for `next=` (the next key of a rollover). */
  nextLinkPath?: string;
  /** The origin in force at the end of the file (relative owner style). */
  origin?: string;
}): TextEdit | undefined {
  const hostAbs = o.host.endsWith('.') ? o.host : `${o.host}.`;
  const owner = `_${o.port ?? 25}._${(o.protocol ?? 'tcp').replace(/^_/, '')}.${hostAbs}`;
  const own = ownRecords(records);
  const hostKey = nameKey(hostAbs);
  const atHost = own.filter((r) => r.ownerKey === hostKey);
  const tlsa = own.filter((r) => r.typeCode === TYPE_TLSA);
  // Records the RRset has already are not written twice (duplicate-record); new ones go after it.
  const rrset = tlsa.filter((r) => r.ownerKey === nameKey(owner));
  const have = new Set(rrset.map((r) => decodeTlsaWire(r.wire)).filter((f) => f !== undefined).map((f) => `${fieldsOf(f!)} ${toHex(f!.data)}`));
  const specs = o.specs.filter((sp, i) => !have.has(`${fieldsOf(sp)} ${sp.hex.toLowerCase()}`) &&
    o.specs.findIndex((x) => fieldsOf(x) === fieldsOf(sp) && x.hex.toLowerCase() === sp.hex.toLowerCase()) === i);
  if (specs.length === 0) return undefined;
  const last = rrset[rrset.length - 1];
  const anchor = atHost[atHost.length - 1] ?? tlsa[tlsa.length - 1];
  const template = last ?? tlsa[tlsa.length - 1] ?? anchor ?? own[own.length - 1];
  const edit = last
    ? insertRecordsEdit(text, { owner, records: specs, after: last, template: last, origin: o.origin ?? last.origin })
    : insertRecordsEdit(text, { owner, records: specs, ttl: o.ttl, template, at: anchor ? anchor.end : text.length, origin: o.origin ?? anchor?.origin ?? template?.origin });
  const link = [o.linkPath !== undefined ? `cert=${o.linkPath}` : '', o.nextLinkPath !== undefined ? `next=${o.nextLinkPath}` : '']
    .filter((x) => x && !/\s/.test(x));
  if (link.length > 0) edit.newText = edit.newText.replace(/^(\r?\n)?/, (m) => `${m}; dane-zone ${link.join(' ')}${eol(text)}`);
  return edit;
}

/**
 * The "insert TLSA RRset" command in one call: the file's bytes (from a file picker) → the code
 * action, or why the file cannot be used. `combos` defaults to `3 1 1`; usage 2 records come
 * from the chain's issuing CA. `linkPath` (relative to the zone file) adds a `cert=` link line.
 */
export async function insertTlsaRRsetAction(text: string, records: readonly ZoneRecord[], o: {
  host: string;
  bytes: Uint8Array;
  port?: number;
  protocol?: string;
  combos?: { usage: number; selector: number; matchingType: number }[];
  /** The next key's file: its `3 1 1` record follows (a current + next pair). */
  next?: Uint8Array;
  ttl?: number;
  linkPath?: string;
  nextLinkPath?: string;
  origin?: string;
}): Promise<DaneCodeAction | { error: string }> {
  const loaded = await loadKeyMaterial(o.bytes);
  if (!loaded.ok) return { error: loaded.error };
  const specs: TlsaRecordSpec[] = [];
  for (const c of o.combos ?? [{ usage: 3, selector: 1, matchingType: 1 }]) {
    const spec = await recordSpecFor(loaded.material, c.usage, c.selector, c.matchingType);
    if ('error' in spec) return spec;
    specs.push(spec);
  }
  if (o.next) {
    const next = await loadKeyMaterial(o.next);
    if (!next.ok) return { error: `the next key: ${next.error}` };
    const spec = await recordSpecFor(next.material, 3, 1, 1);
    if ('error' in spec) return spec;
    specs.push(spec);
  }
  const edit = insertTlsaRRsetEdit(text, records, { ...o, specs });
  const host = o.host.replace(/\.$/, '');
  const owner = `_${o.port ?? 25}._${(o.protocol ?? 'tcp').replace(/^_/, '')}.${host}`;
  if (!edit) return { error: `${owner} already has ${specs.map((sp) => fieldsOf(sp)).join(' and ')} for ${describeMaterial(loaded.material)}: nothing to insert` };
  return { title: `Insert ${owner} TLSA ${specs.map((sp) => fieldsOf(sp)).join(', ')} from ${describeMaterial(loaded.material)}`, edits: [edit] };
}
