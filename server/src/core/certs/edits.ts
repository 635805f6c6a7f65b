/**
 * TLSA record edits as pure text edits, in the file's own layout (columns, tabs, TTL and class
 * fields, owner spelling, hex case; comments and parentheses kept): update a record's
 * association data, insert records after a record or a line, remove a record (its owner moved
 * onto the next record when that one inherited it).
 */
import { ZoneRecord } from '../model';
import { nameKey, relativize } from '../names';
import { TextEdit } from '../edits';
import { decodeTlsaWire, isGenericRdata } from '../dane/tlsaRdata';
import { TYPE_TLSA } from '../rrtypes';
import { toHex } from './asn1';
import type { CertRecordRef } from './fixData';
import type { TlsaRecordSpec } from './hash';

// ---------------------------------------------------------------- text layout

export function short(hex: string): string {
  return hex.length > 20 ? `${hex.slice(0, 8)}…${hex.slice(-6)}` : hex;
}

export function fieldsOf(s: { usage: number; selector: number; matchingType: number }): string {
  return `${s.usage} ${s.selector} ${s.matchingType}`;
}

function lineStartOf(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

export function eol(text: string): string {
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

export function ownRecords(records: readonly ZoneRecord[]): ZoneRecord[] {
  return records.filter((r) => r.includeFile === undefined);
}

/** The RRset's records in the current text (by owner), main file only, in order. */
export function rrsetRecords(records: readonly ZoneRecord[], owner: string): ZoneRecord[] {
  const k = nameKey(owner);
  return ownRecords(records).filter((r) => r.typeCode === TYPE_TLSA && r.ownerKey === k);
}

/** The RRset's last record written on one line (the best layout template), else its last record. */
export function layoutTemplate(text: string, set: readonly ZoneRecord[]): ZoneRecord | undefined {
  for (let i = set.length - 1; i >= 0; i--) if (!text.slice(set[i].start, set[i].end).includes('\n')) return set[i];
  return set[set.length - 1];
}

/** True when `ref` still describes a record of the text (the diagnostic is not stale). */
export function findRecord(records: readonly ZoneRecord[], ref: CertRecordRef): ZoneRecord | undefined {
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
