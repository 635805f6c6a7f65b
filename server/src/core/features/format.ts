import { TextEdit } from '../edits';
import { ParsedZone, ZoneRecord } from '../model';
import { parseName } from '../names';
import { typeByCode } from '../rrtypes';
import { Span, Token } from '../types';
import { isGenericForm, isTlsaLike, readTlsaField } from './locate';

/**
 * Lossless formatting of a zone: owner, TTL, class, type and data in columns, as minimal
 * text edits (one per record whose text changes). Comments, blank lines, directives and
 * $INCLUDEd files are untouched; a parenthesised record keeps its lines (only the head is
 * aligned and its continuation lines are indented to the data column); long base64/hex
 * data (DNSKEY, CDNSKEY, RRSIG, TLSA/SMIMEA with matching type 0) is wrapped in
 * parentheses. The result parses to the same records and formatting it again changes
 * nothing. A record whose layout is unusual (a parenthesis or comment inside its head) is
 * left as written; a record with errors keeps its tokens in order and is never wrapped. Pure.
 */

export type OwnerStyle = 'keep' | 'repeat' | 'blank';

export interface FormatOptions {
  /** Owners of records that share the previous record's owner: as written, always written, or left blank. */
  ownerStyle?: OwnerStyle;
  /** Base64/hex data longer than this many characters is wrapped, in pieces of this length (rounded down to a multiple of 4). */
  wrapWidth?: number;
}

const MAX_OWNER_COLUMN = 40;
const MAX_TTL_COLUMN = 10;
const MAX_TYPE_COLUMN = 10;
const DEFAULT_WRAP = 56;

/** Types whose last field is base64/hex worth wrapping. */
const WRAPPED_TYPES = new Set([46 /* RRSIG */, 48 /* DNSKEY */, 60 /* CDNSKEY */, 52 /* TLSA */, 53 /* SMIMEA */]);

/** Lexer-level errors: the token structure cannot be trusted, so nothing is formatted. */
const STRUCTURAL = new Set(['unbalanced-parenthesis', 'unterminated-string']);

interface Row {
  record: ZoneRecord;
  /** Start of the record's line. */
  lineStart: number;
  owner: string;
  ttl: string;
  cls: string;
  type: string;
}

const isBlank = (s: string): boolean => /^[ \t]*$/.test(s);
const isGap = (s: string): boolean => /^[ \t]+$/.test(s);

function raw(text: string, t: Token): string {
  return text.slice(t.start, t.end);
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The head tokens (owner, TTL, class, type) in file order. */
function headTokens(r: ZoneRecord): Token[] {
  const out: Token[] = [];
  if (r.ownerToken) out.push(r.ownerToken);
  const mid = [r.ttlToken, r.classToken].filter((t): t is Token => t !== undefined).sort((a, b) => a.start - b.start);
  for (const t of mid) out.push(t);
  if (r.typeToken) out.push(r.typeToken);
  return out;
}

/** The owner text for this record in `style`, or undefined to write it blank. */
function ownerText(text: string, r: ZoneRecord, style: OwnerStyle, lastWritten: string | undefined, prevOwner: string | undefined): string | undefined {
  if (style === 'keep') return r.ownerToken ? raw(text, r.ownerToken) : undefined;
  if (style === 'blank') {
    if (prevOwner !== undefined && prevOwner !== '' && prevOwner === r.owner) return undefined;
    return r.ownerToken ? raw(text, r.ownerToken) : spell(r, lastWritten);
  }
  return r.ownerToken ? raw(text, r.ownerToken) : spell(r, lastWritten);
}

/** How to write an inherited owner: as the last owner written (when it still means the same name), else relative to the origin. */
function spell(r: ZoneRecord, lastWritten: string | undefined): string {
  if (lastWritten !== undefined && parseName(lastWritten, r.origin).name === r.owner) return lastWritten;
  const origin = r.origin;
  if (origin !== undefined) {
    if (r.owner === origin) return '@';
    if (origin !== '.' && r.owner.endsWith('.' + origin) && !r.owner.endsWith('\\.' + origin)) {
      const rel = r.owner.slice(0, r.owner.length - origin.length - 1);
      if (parseName(rel, origin).name === r.owner) return rel;
    }
  }
  return r.owner;
}

/** Records this document formats: its own, valid, with a plain head (white space between the head tokens). */
function formattable(text: string, r: ZoneRecord, generated: ReadonlySet<number>): boolean {
  if (r.includeFile !== undefined || generated.has(r.start) || !r.typeToken || r.owner === '') return false;
  // A record with errors keeps its tokens in their order (TTL and class are not swapped).
  if (!r.ok && r.ttlToken && r.classToken && r.classToken.start < r.ttlToken.start) return false;
  if (r.ownerToken?.quoted) return false;
  const head = headTokens(r);
  const lineStart = lineStartOf(text, head[0].start);
  if (!r.ownerToken && !isGap(text.slice(lineStart, head[0].start))) return false;
  if (r.ownerToken && r.ownerToken.start !== lineStart) return false;
  for (let k = 1; k < head.length; k++) if (!isGap(text.slice(head[k - 1].end, head[k].start))) return false;
  return true;
}

function pad(s: string, width: number): string {
  return s.length >= width ? s : s + ' '.repeat(width - s.length);
}

/** Index of the first RDATA token of the wrapped blob, or -1 when the record's data is not wrapped. */
function blobStart(r: ZoneRecord): number {
  if (!r.ok || !WRAPPED_TYPES.has(r.typeCode) || isGenericForm(r)) return -1;
  const info = typeByCode(r.typeCode);
  if (!info) return -1;
  const last = info.fields.length - 1;
  const kind = info.fields[last]?.kind;
  if (kind !== 'base64' && kind !== 'hex') return -1;
  if (isTlsaLike(r.typeCode)) {
    const mt = readTlsaField('matchingType', r.rdata[2]);
    if (!mt || !mt.ok || mt.value !== 0) return -1;
  }
  return r.rdata.length > last ? last : -1;
}

/**
 * The formatting edits for the records whose lines meet `range` (all records when absent).
 * Column widths come from the whole document, so formatting a range lines up with the rest.
 */
export function formatZone(parsed: ParsedZone, text: string, options: FormatOptions = {}, range?: Span): TextEdit[] {
  if (parsed.diagnostics.some((d) => STRUCTURAL.has(d.code) && d.includedFrom === undefined)) return [];
  const style = options.ownerStyle ?? 'keep';
  const wrap = Math.max(8, Math.floor((options.wrapWidth ?? DEFAULT_WRAP) / 4) * 4);
  const generated = new Set(parsed.directives.filter((d) => d.name === '$GENERATE').map((d) => d.start));
  const records = parsed.records;

  const rows: Row[] = [];
  let lastWritten: string | undefined;
  // The owner a blank owner would take here: the previous record's of this file. Records of
  // $INCLUDE and $GENERATE do not count (a blank owner after them is the one from before them,
  // as in BIND and Knot), but blanking right after them would read wrongly, so it is not done.
  let prevOwner: string | undefined;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (r.includeFile !== undefined || generated.has(r.start)) { lastWritten = undefined; prevOwner = undefined; continue; }
    const inherited = prevOwner;
    prevOwner = r.owner;
    if (!formattable(text, r, generated)) {
      lastWritten = r.ownerToken ? raw(text, r.ownerToken) : lastWritten;
      continue;
    }
    const owner = ownerText(text, r, style, lastWritten, inherited);
    if (owner !== undefined) lastWritten = owner;
    rows.push({
      record: r,
      lineStart: lineStartOf(text, headTokens(r)[0].start),
      owner: owner ?? '',
      ttl: r.ttlToken ? raw(text, r.ttlToken) : '',
      cls: r.classToken ? raw(text, r.classToken) : '',
      type: raw(text, r.typeToken!),
    });
  }
  if (rows.length === 0) return [];

  const width = (get: (row: Row) => string, cap: number) => {
    let w = 0;
    for (const row of rows) w = Math.max(w, get(row).length);
    return Math.min(cap, w);
  };
  const wOwner = Math.max(1, width((row) => row.owner, MAX_OWNER_COLUMN));
  const wTtl = width((row) => row.ttl, MAX_TTL_COLUMN);
  const wClass = width((row) => row.cls, MAX_TTL_COLUMN);
  const wType = width((row) => row.type, MAX_TYPE_COLUMN);
  const dataColumn = wOwner + 1 + (wTtl ? wTtl + 1 : 0) + (wClass ? wClass + 1 : 0) + wType + 1;
  const indent = ' '.repeat(dataColumn);

  const edits: TextEdit[] = [];
  for (const row of rows) {
    const r = row.record;
    if (range && (r.end < range.start || row.lineStart > range.end)) continue;
    let head = pad(row.owner, wOwner) + ' ';
    if (wTtl) head += pad(row.ttl, wTtl) + ' ';
    if (wClass) head += pad(row.cls, wClass) + ' ';
    head += row.type;
    const afterType = r.typeToken!.end;
    const newText = head + formatData(text, r, afterType, indent, wType, wrap);
    const old = text.slice(row.lineStart, r.end);
    if (newText !== old) edits.push({ start: row.lineStart, end: r.end, newText });
  }
  return edits;
}

/** The text after the type: one space, the data, the comment; or the original lines re-indented. */
function formatData(text: string, r: ZoneRecord, from: number, indent: string, wType: number, wrap: number): string {
  const rest = text.slice(from, r.end);
  if (isBlank(rest)) return '';
  const typePad = ' '.repeat(Math.max(0, wType - (r.typeToken!.end - r.typeToken!.start)));
  // Single-line data: white space between the tokens, then perhaps a comment.
  let simple = !rest.includes('\n') && r.rdata.length > 0;
  let prev = from;
  for (const t of r.rdata) {
    if (!simple) break;
    if (!isGap(text.slice(prev, t.start))) simple = false;
    prev = t.end;
  }
  const tail = simple ? text.slice(prev, r.end) : '';
  if (simple && !/^[ \t]*(;.*)?$/.test(tail)) simple = false;
  if (simple) {
    const comment = tail.trim();
    const tokens = r.rdata.map((t) => raw(text, t));
    const b = blobStart(r);
    const blob = b >= 0 ? tokens.slice(b).join('') : '';
    if (b >= 0 && blob.length > wrap) {
      const lines = [typePad + ' ' + [...tokens.slice(0, b), '('].join(' ')];
      for (let k = 0; k < blob.length; k += wrap) lines.push(indent + blob.slice(k, k + wrap));
      lines[lines.length - 1] += ' )' + (comment ? ' ' + comment : '');
      return lines.join('\n');
    }
    return typePad + ' ' + tokens.join(' ') + (comment ? ' ' + comment : '');
  }
  // Anything else (parentheses, comments inside): keep the text, one space after the type,
  // continuation lines indented to the data column, no trailing white space.
  const lines = rest.split('\n');
  // Data that touches a quoted type token (`"TXT""a"`) keeps touching it: a space there would
  // change what the next formatting sees (and the diagnostics of the record).
  const touching = !/^[ \t\r\n]/.test(rest);
  lines[0] = lines[0].replace(/^[ \t]+/, '');
  if (!touching) lines[0] = (lines[0] ? typePad + ' ' : '') + lines[0];
  let escaped = false;
  for (let k = 0; k < lines.length; k++) {
    const cr = lines[k].endsWith('\r') ? '\r' : '';
    let body = cr ? lines[k].slice(0, -1) : lines[k];
    // A line after an escaped newline (`\` at the end of the line) continues a token: as written.
    const inToken = escaped;
    escaped = !cr && /(^|[^\\])(\\\\)*\\$/.test(body);
    if (inToken || escaped) continue;
    if (k > 0) body = body.replace(/^[ \t]+/, '');
    body = body.replace(/(?<!\\)[ \t]+$/, '');
    if (k > 0 && body) body = indent + body;
    lines[k] = body + cr;
  }
  return lines.join('\n');
}

/** The formatted text (the edits applied): for the CLI and tests. */
export function formatText(parsed: ParsedZone, text: string, options: FormatOptions = {}): string {
  const edits = formatZone(parsed, text, options).sort((a, b) => a.start - b.start);
  const parts: string[] = [];
  let at = 0;
  for (const e of edits) {
    parts.push(text.slice(at, e.start), e.newText);
    at = e.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}
