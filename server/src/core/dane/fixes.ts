/**
 * Quick fixes and refactorings for the DANE diagnostics, as pure text edits. Diagnostics carry
 * their fix in `data` (DaneFixData); quickFixes reads it back, checks that the text still says
 * what it said when the diagnostic was made, and returns minimal edits: only the replaced
 * field changes, comments, parentheses and line breaks stay.
 */
import { TextEdit } from '../edits';
import { ZoneRecord } from '../model';
import { hexValue } from '../rdata/codec';
import { Span, ZoneDiagnostic } from '../types';
import { DaneFixData, EditsFixData, PkixToDaneFixData, ReplaceDiagnosticFixData, Replacement } from './fixData';
import { isGenericRdata, isTlsaType } from './tlsaRdata';
import { describeTlsaValue } from './tlsaValues';

export interface DaneCodeAction {
  title: string;
  edits: TextEdit[];
  isPreferred?: boolean;
}

function isReplacements(x: unknown): x is Replacement[] {
  return Array.isArray(x) && x.every((r) => r !== null && typeof r === 'object' &&
    Number.isInteger(r.start) && Number.isInteger(r.end) && typeof r.oldText === 'string' && typeof r.newText === 'string');
}

/** The edits of `replace`, or undefined when the text no longer matches (stale diagnostic). */
function editsOf(text: string, replace: Replacement[]): TextEdit[] | undefined {
  for (const r of replace) {
    if (r.start < 0 || r.end > text.length || r.start > r.end || text.slice(r.start, r.end) !== r.oldText) return undefined;
  }
  return replace.map((r) => ({ start: r.start, end: r.end, newText: r.newText }));
}

/** Quick fixes for one diagnostic, from its `data`. Empty when it has none or the text changed. */
export function quickFixes(text: string, diagnostic: ZoneDiagnostic): DaneCodeAction[] {
  const data = diagnostic.data as Partial<DaneFixData> | undefined;
  // Problems inside an $INCLUDEd file are shown on the $INCLUDE line: their edits are for the other file.
  if (!data || typeof data !== 'object' || typeof data.fix !== 'string' || diagnostic.includedFrom !== undefined) return [];
  if (data.fix === 'edits') return editsActions(text, data as Partial<EditsFixData>);
  if (data.fix === 'replace-diagnostic') {
    const r = data as Partial<ReplaceDiagnosticFixData>;
    if (typeof r.title !== 'string' || typeof r.oldText !== 'string' || typeof r.newText !== 'string') return [];
    const edits = editsOf(text, [{ start: diagnostic.start, end: diagnostic.end, oldText: r.oldText, newText: r.newText }]);
    return edits ? [{ title: r.title, edits, isPreferred: true }] : [];
  }
  if (data.fix === 'tlsa-rotation-pair' || !('replace' in data) || !isReplacements(data.replace) || data.replace.length === 0) return [];
  const edits = editsOf(text, data.replace);
  if (!edits) return [];
  const from = data.replace.map((r) => r.oldText).join(' ');
  const to = data.replace.map((r) => r.newText).join(' ');
  switch (data.fix) {
    case 'tlsa-mnemonic':
      return [{ title: `Write \`${from}\` as \`${to}\` (numbers, which every DNS server reads)`, edits, isPreferred: true }];
    case 'tlsa-port':
      return [{ title: `Write the port label as \`${to}\` (clients query \`${to}\`, never \`${from}\`)`, edits, isPreferred: true }];
    case 'tlsa-pkix-to-dane': {
      const f = (data as PkixToDaneFixData).from;
      const t = (data as PkixToDaneFixData).to;
      const why = t === 3
        ? 'same certificate data; SMTP senders ignore PKIX-EE and need no CA for DANE-EE'
        : 'same CA data; the server must send this CA certificate in its chain';
      return [{ title: `Change usage ${describeTlsaValue('usage', f)} to ${describeTlsaValue('usage', t)}: ${why}`, edits, isPreferred: true }];
    }
    default:
      return [];
  }
}

/** The actions of an `edits` fix that still apply to the text. */
function editsActions(text: string, data: Partial<EditsFixData>): DaneCodeAction[] {
  if (!Array.isArray(data.actions)) return [];
  const crlf = text.includes('\r\n');
  const out: DaneCodeAction[] = [];
  for (const a of data.actions) {
    if (!a || typeof a.title !== 'string' || !isReplacements(a.replace) || a.replace.length === 0) continue;
    const edits = editsOf(text, a.replace);
    if (!edits) continue;
    if (crlf) for (const e of edits) e.newText = e.newText.replace(/\r?\n/g, '\r\n');
    out.push(a.preferred ? { title: a.title, edits, isPreferred: true } : { title: a.title, edits });
  }
  return out;
}

// ---------------------------------------------------------------- refactorings

const WS_ONLY = /^[ \t\r\n]*$/;
const SPACES_ONLY = /^[ \t]*$/;

function hexOnly(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (hexValue(s.charCodeAt(i)) < 0) return false;
  return s.length > 0;
}

/**
 * Refactorings offered on a TLSA/SMIMEA record (code actions of kind refactor.rewrite): the
 * RFC 3597 `\#` form → the presentation form; association data → lowercase; split data → one word.
 */
export function tlsaRefactors(text: string, record: ZoneRecord): DaneCodeAction[] {
  if (!isTlsaType(record.typeCode) || record.includeFile || record.rdata.length === 0) return [];
  for (const t of record.rdata) if (t.end > text.length || text.slice(t.start, t.end) !== t.text) return []; // stale
  if (isGenericRdata(record.rdata)) {
    const a = genericToPresentation(text, record);
    return a ? [a] : [];
  }
  const data = record.rdata.slice(3);
  if (data.length === 0 || data.some((t) => t.quoted || !hexOnly(t.text))) return [];
  const out: DaneCodeAction[] = [];
  const upper = data.filter((t) => t.text !== t.text.toLowerCase());
  if (upper.length > 0) {
    out.push({ title: 'Write the association data in lowercase', edits: upper.map((t) => ({ start: t.start, end: t.end, newText: t.text.toLowerCase() })) });
  }
  if (data.length > 1) {
    const first = data[0];
    const last = data[data.length - 1];
    let between = true;
    for (let i = 1; i < data.length; i++) if (!WS_ONLY.test(text.slice(data[i - 1].end, data[i].start))) between = false;
    if (between) {
      out.push({ title: 'Join the association data into one word', edits: [{ start: first.start, end: last.end, newText: data.map((t) => t.text).join('') }] });
    }
  }
  return out;
}

/** `TLSA \# 35 0301 01 ab…` → `TLSA 3 1 1 ab…`: token by token, so comments and parentheses stay. */
function genericToPresentation(text: string, record: ZoneRecord): DaneCodeAction | undefined {
  const toks = record.rdata;
  if (toks.length < 3) return undefined;
  const hexToks = toks.slice(2);
  if (hexToks.some((t) => t.quoted || t.text.length & 1 || !hexOnly(t.text))) return undefined;
  const digits = hexToks.map((t) => t.text).join('');
  if (digits.length < 8 || Number(toks[1].text) !== digits.length / 2) return undefined;
  const u = parseInt(digits.slice(0, 2), 16);
  const s = parseInt(digits.slice(2, 4), 16);
  const m = parseInt(digits.slice(4, 6), 16);
  const edits: TextEdit[] = [
    { start: toks[0].start, end: toks[0].end, newText: `${u} ${s}` },
    { start: toks[1].start, end: toks[1].end, newText: String(m) },
  ];
  // Drop the first six digits (the three fields) from the hex tokens.
  let skip = 6;
  let prevEnd = toks[1].end;
  for (const t of hexToks) {
    if (skip === 0) break;
    if (t.text.length <= skip) {
      skip -= t.text.length;
      // A token that disappears takes the spaces before it along, when there is nothing else there.
      const start = SPACES_ONLY.test(text.slice(prevEnd, t.start)) ? prevEnd : t.start;
      edits.push({ start, end: t.end, newText: '' });
    } else {
      edits.push({ start: t.start, end: t.end, newText: t.text.slice(skip) });
      skip = 0;
    }
    prevEnd = t.end;
  }
  return { title: `Write in presentation form (${u} ${s} ${m} and hex) instead of RFC 3597 \\# data`, edits, isPreferred: true };
}
