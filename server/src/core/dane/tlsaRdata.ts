/**
 * Per-record checks of TLSA (type 52) and SMIMEA (type 53) RDATA: usage, selector, matching
 * type and certificate association data (RFC 6698 §2, RFC 7218, RFC 7671, RFC 8162 §2).
 *
 * The parser calls parseTlsaRdata in place of parseRdata for these types; the result has the
 * same shape (wire when no error was found, issues with exact spans, severities and fix data).
 * The RFC 3597 generic form (`\# 35 0301 01 ab…`) is decoded and checked like the numeric
 * form, with spans on the hex digits of each field. Pure and never throws.
 */
import { RdataResult } from '../rdata';
import { RdataIssue } from '../rdata/context';
import { hexValue } from '../rdata/codec';
import { parseGeneric } from '../rdata/generic';
import { WireWriter } from '../rdata/writer';
import { Span, Token } from '../types';
import { checkDer } from './der';
import type { DaneFixData, Replacement } from './fixData';
import {
  describeTlsaValue, digestLength, digestName, TLSA_FIELD_ORDER, TLSA_FIELDS, tlsaAcronymField, tlsaAcronymValue,
  TlsaField, tlsaValue, tlsaValueClass, tlsaValueList,
} from './tlsaValues';
import { TYPE_SMIMEA, TYPE_TLSA } from '../rrtypes';


/** Largest association data that fits in RDATA (65535 octets minus the three one-octet fields). */
const MAX_DATA = 65535 - 3;

/** The decoded fields of a valid record (from its wire form). */
export interface TlsaFields {
  usage: number;
  selector: number;
  matchingType: number;
  /** Certificate association data. */
  data: Uint8Array;
}

/** Where each part of a TLSA record's RDATA is written. */
export interface TlsaSpans {
  /** True for the RFC 3597 form; spans then cover the hex digits of each field. */
  generic: boolean;
  usage?: Span;
  selector?: Span;
  matchingType?: Span;
  /** From the first to the last data token (or hex digit). */
  data?: Span;
}

export function isTlsaType(typeCode: number): boolean {
  return typeCode === TYPE_TLSA || typeCode === TYPE_SMIMEA;
}

/** The fields of TLSA/SMIMEA wire data, or undefined when it is too short. */
export function decodeTlsaWire(wire: Uint8Array | undefined): TlsaFields | undefined {
  if (!wire || wire.length < 4) return undefined;
  // (a view made with the constructor: cheaper than subarray, which looks up a species)
  return { usage: wire[0], selector: wire[1], matchingType: wire[2], data: new Uint8Array(wire.buffer, wire.byteOffset + 3, wire.length - 3) };
}

export function isGenericRdata(tokens: readonly Token[]): boolean {
  return tokens.length > 0 && !tokens[0].quoted && tokens[0].text === '\\#';
}

/** Maps octets of RFC 3597 hex tokens (each an even number of digits) back to text spans. */
class GenericMap {
  private readonly starts: number[] = [];
  private readonly toks: Token[] = [];
  readonly octets: number;

  constructor(tokens: readonly Token[]) {
    let n = 0;
    for (let i = 2; i < tokens.length; i++) {
      const t = tokens[i];
      if (t.text.length === 0 || t.text.length & 1) continue;
      this.starts.push(n);
      this.toks.push(t);
      n += t.text.length >> 1;
    }
    this.octets = n;
  }

  /** Text offset of the first digit of octet `i` (i may equal `octets`: the end of the data). */
  private offset(i: number, end: boolean): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] < i || (!end && this.starts[mid] === i)) lo = mid; else hi = mid - 1;
    }
    const t = this.toks[lo];
    return t.start + 2 * (i - this.starts[lo]);
  }

  /** Span of octets [from, to). */
  span(from: number, to: number): Span | undefined {
    if (this.toks.length === 0 || from >= to || to > this.octets) return undefined;
    return { start: this.offset(from, false), end: this.offset(to, true) };
  }
}

/** Where the usage, selector, matching type and data of a record are written. */
export function tlsaSpans(rdata: readonly Token[]): TlsaSpans {
  if (isGenericRdata(rdata)) {
    const m = new GenericMap(rdata);
    return {
      generic: true,
      usage: m.span(0, 1),
      selector: m.span(1, 2),
      matchingType: m.span(2, 3),
      data: m.span(3, m.octets),
    };
  }
  const data = rdata.length > 3 ? { start: rdata[3].start, end: rdata[rdata.length - 1].end } : undefined;
  return { generic: false, usage: rdata[0], selector: rdata[1], matchingType: rdata[2], data };
}

const w = new WireWriter();
const NO_ISSUES: RdataIssue[] = Object.freeze([]) as unknown as RdataIssue[];

/**
 * Parses and checks the RDATA of a TLSA or SMIMEA record (same contract as parseRdata:
 * `recordEnd` is where a missing field is reported when the record has no RDATA at all).
 */
export function parseTlsaRdata(typeCode: number, tokens: Token[], origin: string | undefined, recordEnd: number): RdataResult {
  void origin;
  try {
    return isGenericRdata(tokens) ? parseGenericForm(typeCode, tokens, recordEnd) : parsePresentation(typeCode, tokens, recordEnd);
  } catch (e) {
    const span = tokens.length > 0 ? { start: tokens[0].start, end: tokens[tokens.length - 1].end } : { start: recordEnd, end: recordEnd };
    return { issues: [{ ...span, code: 'invalid-rdata', message: `this data could not be checked (internal error: ${(e as Error)?.message ?? e})` }] };
  }
}

function typeLabel(typeCode: number): string {
  return typeCode === TYPE_SMIMEA ? 'SMIMEA' : 'TLSA';
}

function show(text: string): string {
  return text.length > 40 ? text.slice(0, 37) + '…' : text;
}

function fieldLabel(field: TlsaField): string {
  return TLSA_FIELDS[field].label;
}

const FIELD_EXAMPLE = 'like `3 1 1 <SHA2-256 of the public key, in hex>`';

/** Reads one of the three number fields. Returns its value (also for an acronym) or undefined. */
function readField(typeCode: number, field: TlsaField, t: Token, issues: RdataIssue[], mnemonics: Replacement[]): number | undefined {
  const label = fieldLabel(field);
  if (t.quoted) {
    issues.push({ start: t.start, end: t.end, code: 'tlsa-field-range', message: `the ${label} \`"${show(t.text)}"\` must not be quoted: write a number 0..255 (${tlsaValueList(field)})` });
    return undefined;
  }
  const text = t.text;
  if (/^[0-9]+$/.test(text)) {
    const digits = text.replace(/^0+(?=.)/, '');
    const value = digits.length > 3 ? 256 : Number(digits);
    if (value <= 255) return value;
    issues.push({ start: t.start, end: t.end, code: 'tlsa-field-range',
      message: `${label} \`${show(text)}\` is out of range: it is one octet, 0..255 (${tlsaValueList(field)})` });
    return undefined;
  }
  const own = tlsaAcronymValue(field, text);
  if (own !== undefined) {
    mnemonics.push({ start: t.start, end: t.end, oldText: text, newText: String(own) });
    issues.push({ start: t.start, end: t.end, code: 'tlsa-mnemonic',
      message: `\`${text}\` is an RFC 7218 acronym: only ldns reads it, BIND, Knot, NSD and PowerDNS reject the record; write the ${label} as the number ${own}` });
    return own;
  }
  const other = tlsaAcronymField(text);
  if (other !== undefined) {
    issues.push({ start: t.start, end: t.end, code: 'tlsa-field-range',
      message: `\`${show(text)}\` is the RFC 7218 acronym of a ${fieldLabel(other.field)}, not of a ${label}: ${typeLabel(typeCode)} data is usage, selector, matching type, association data, in that order; write the ${label} as a number (${tlsaValueList(field)})` });
    return undefined;
  }
  issues.push({ start: t.start, end: t.end, code: 'tlsa-field-range',
    message: `${label} \`${show(text)}\` is not a number: write a decimal 0..255 (${tlsaValueList(field)})` });
  return undefined;
}

/** Decodes the association data tokens; reports tlsa-hex problems. */
function readHex(tokens: readonly Token[], from: number, issues: RdataIssue[], missingAt: number): Uint8Array | undefined {
  if (from >= tokens.length) {
    issues.push({ start: missingAt, end: missingAt, code: 'tlsa-hex',
      message: `the certificate association data is missing: after usage, selector and matching type comes the data in hex, ${FIELD_EXAMPLE}` });
    return undefined;
  }
  let digits = 0;
  let bad = false;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.quoted) {
      issues.push({ start: t.start, end: t.end, code: 'tlsa-hex', message: 'the association data must not be quoted: write bare hex digits' });
      bad = true;
      continue;
    }
    const text = t.text;
    let k = 0;
    while (k < text.length && hexValue(text.charCodeAt(k)) >= 0) k++;
    if (k < text.length) {
      const ch = text[k];
      const b64 = text.length >= 16 && text.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(text) && /[g-zG-Z+/=]/.test(text);
      issues.push({ start: t.start, end: t.end, code: 'tlsa-hex',
        message: `\`${show(text)}\` has \`${ch}\`, which is not a hexadecimal digit: the association data is hex (0-9, a-f)` +
          (b64 ? '; this looks like base64: convert it to hex' : '') });
      bad = true;
      continue;
    }
    digits += text.length;
  }
  if (bad) return undefined;
  const span = { start: tokens[from].start, end: tokens[tokens.length - 1].end };
  if (digits & 1) {
    issues.push({ ...span, code: 'tlsa-hex',
      message: `the association data has an odd number of hex digits (${digits}): each octet takes two digits, so one is missing or extra` });
    return undefined;
  }
  if (digits / 2 > MAX_DATA) {
    issues.push({ ...span, code: 'rdata-too-long', message: `the association data is ${digits / 2} octets long; a record holds at most ${MAX_DATA} (RFC 1035 §3.2.1)` });
    return undefined;
  }
  w.reset();
  w.ensure(digits / 2);
  const buf = w.buf;
  let p = 0;
  // RFC 6698 §2.2: whitespace may split the data anywhere, even inside an octet (BIND, NSD,
  // PowerDNS and dnspython accept that; Knot's per-token rule is stricter than the RFC).
  let half = -1;
  for (let i = from; i < tokens.length; i++) {
    const text = tokens[i].text;
    for (let k = 0; k < text.length; k++) {
      const v = hexValue(text.charCodeAt(k));
      if (half < 0) half = v;
      else { buf[p++] = (half << 4) | v; half = -1; }
    }
  }
  w.pos = p;
  return w.take();
}

function octets(n: number): string {
  return `${n} octet${n === 1 ? '' : 's'} (${2 * n} hex digit${n === 1 ? '' : 's'})`;
}

/** The checks that need the values: unassigned/private values, digest length, DER, full data. */
function valueChecks(typeCode: number, values: (number | undefined)[], spans: TlsaSpans, data: Uint8Array | undefined, issues: RdataIssue[]): void {
  const fieldSpans = [spans.usage, spans.selector, spans.matchingType];
  const type = typeLabel(typeCode);
  for (let k = 0; k < 3; k++) {
    const v = values[k];
    const at = fieldSpans[k];
    if (v === undefined || at === undefined) continue;
    const field = TLSA_FIELD_ORDER[k];
    const label = fieldLabel(field);
    const cls = tlsaValueClass(field, v);
    if (cls === 'unassigned') {
      const advice = field === 'usage' ? 'use 3 (DANE-EE) or 2 (DANE-TA)' : field === 'selector' ? 'use 1 (SPKI) or 0 (Cert)' : 'use 1 (SHA2-256)';
      issues.push({ start: at.start, end: at.end, code: 'tlsa-unassigned-value', severity: 'warning',
        message: `${label} ${v} is not assigned (${tlsaValueList(field)}): no client can use this record; ${advice}` });
    } else if (cls === 'private') {
      issues.push({ start: at.start, end: at.end, code: 'tlsa-private-value', severity: 'information',
        message: `${label} 255 (${tlsaValue(field, 255)?.acronym}) is reserved for private use: public clients ignore this record; use an assigned value unless every client is yours` });
    }
  }
  const [, selector, mt] = values;
  if (mt === undefined) return;
  const dataAt = spans.data;
  const expected = digestLength(mt);
  if (data !== undefined && dataAt !== undefined && expected !== undefined && data.length !== expected) {
    const other = data.length === 32 ? 1 : data.length === 64 ? 2 : undefined;
    const hint = other !== undefined
      ? `: that is the size of a ${digestName(other)} digest; use matching type ${other}, or put the ${digestName(mt)} digest here`
      : data.length === 20 ? ': that is the size of a SHA-1 digest, which TLSA does not use; put the SHA2-256 digest here' : ': the digest is truncated or not a digest; compute it again';
    issues.push({ start: dataAt.start, end: dataAt.end, code: 'tlsa-digest-length',
      message: `the association data is ${octets(data.length)}, but matching type ${describeTlsaValue('matchingType', mt)} needs ${octets(expected)}${hint}` });
  }
  if (mt === 0 && data !== undefined && dataAt !== undefined && (selector === 0 || selector === 1)) {
    const problem = checkDer(data, selector === 0 ? 'certificate' : 'spki');
    if (problem !== undefined) issues.push({ start: dataAt.start, end: dataAt.end, code: 'tlsa-invalid-der', message: problem });
  }
  if (mt === 0 && typeCode === TYPE_TLSA && spans.matchingType !== undefined) {
    const size = data !== undefined ? ` (${data.length} octets here)` : '';
    issues.push({ start: spans.matchingType.start, end: spans.matchingType.end, code: 'tlsa-full-data', severity: 'information',
      message: `matching type 0 publishes the whole ${selector === 1 ? 'public key' : 'certificate'}${size}: large ${type} answers, doubled during a rollover, may need TCP; publish its SHA2-256 digest instead (matching type 1)` });
  }
}

/** Codes that make the text unreadable as TLSA data (what a DNS server's scanner rejects). */
const SYNTAX: ReadonlySet<string> = new Set(['tlsa-field-range', 'tlsa-mnemonic', 'tlsa-hex', 'invalid-rdata']);

/**
 * The result: wire whenever the data is syntactically TLSA (so duplicates and the RRset-level
 * checks can see it), also when a semantic error (digest length, DER) marks the record not ok.
 */
function finish(issues: RdataIssue[], values: (number | undefined)[], data: Uint8Array | undefined): RdataResult {
  if (issues.some((i) => SYNTAX.has(i.code)) || data === undefined || values.some((v) => v === undefined)) {
    return { issues };
  }
  const wire = new Uint8Array(3 + data.length);
  wire[0] = values[0]!;
  wire[1] = values[1]!;
  wire[2] = values[2]!;
  wire.set(data, 3);
  return { wire, issues: issues.length ? issues : NO_ISSUES };
}

/** A field token that is a plain decimal 0..255 (no sign, no quotes): its value, else -1. */
function plainOctet(t: Token): number {
  const s = t.text;
  if (t.quoted || s.length === 0 || s.length > 3) return -1;
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v <= 255 ? v : -1;
}

/**
 * The common record, read in one pass with nothing to report: assigned usage and selector, a
 * SHA2-256/512 matching type, bare hex data of exactly the digest's length. Undefined for any
 * other record, which the full path reads (and reports on). Its result is the full path's.
 */
function plainDigest(tokens: Token[]): RdataResult | undefined {
  if (tokens.length < 4) return undefined;
  const usage = plainOctet(tokens[0]);
  const selector = plainOctet(tokens[1]);
  const mt = plainOctet(tokens[2]);
  if (usage < 0 || usage >= TLSA_FIELDS.usage.unassignedFrom || selector < 0 || selector >= TLSA_FIELDS.selector.unassignedFrom) return undefined;
  const n = digestLength(mt);
  if (n === undefined) return undefined;
  let digits = 0;
  for (let i = 3; i < tokens.length; i++) {
    if (tokens[i].quoted) return undefined;
    digits += tokens[i].text.length;
  }
  if (digits !== 2 * n) return undefined;
  const wire = new Uint8Array(3 + n);
  wire[0] = usage;
  wire[1] = selector;
  wire[2] = mt;
  let p = 3;
  let half = -1;
  for (let i = 3; i < tokens.length; i++) {
    const text = tokens[i].text;
    for (let k = 0; k < text.length; k++) {
      const v = hexValue(text.charCodeAt(k));
      if (v < 0) return undefined;
      if (half < 0) half = v;
      else { wire[p++] = (half << 4) | v; half = -1; }
    }
  }
  return { wire, issues: NO_ISSUES };
}

/** Test knob: `plain: false` reads every record on the full path (the reference the fast path is compared with). */
export const tlsaParsing = { plain: true };

function parsePresentation(typeCode: number, tokens: Token[], recordEnd: number): RdataResult {
  const plain = tlsaParsing.plain ? plainDigest(tokens) : undefined;
  if (plain) return plain;
  const issues: RdataIssue[] = [];
  const mnemonics: Replacement[] = [];
  const missingAt = tokens.length > 0 ? tokens[tokens.length - 1].end : recordEnd;
  const values: (number | undefined)[] = [];
  for (let k = 0; k < 3; k++) {
    const field = TLSA_FIELD_ORDER[k];
    const t = tokens[k];
    if (t === undefined) {
      issues.push({ start: missingAt, end: missingAt, code: 'tlsa-field-range',
        message: `the ${fieldLabel(field)} is missing: ${typeLabel(typeCode)} data is usage, selector, matching type and association data, ${FIELD_EXAMPLE}` });
      return { issues };
    }
    values.push(readField(typeCode, field, t, issues, mnemonics));
  }
  // Every mnemonic diagnostic carries the fix for the whole record (one edit per acronym).
  for (const i of issues) {
    if (i.code === 'tlsa-mnemonic') {
      const value = Number(mnemonics.find((m) => m.start === i.start)!.newText);
      const data: DaneFixData = { fix: 'tlsa-mnemonic', value, replace: mnemonics };
      i.data = data;
    }
  }
  const data = readHex(tokens, 3, issues, missingAt);
  valueChecks(typeCode, values, tlsaSpans(tokens), data, issues);
  return finish(issues, values, data);
}

function parseGenericForm(typeCode: number, tokens: Token[], recordEnd: number): RdataResult {
  const g = parseGeneric(typeCode, undefined, tokens, recordEnd, w);
  if (g.issues.length > 0 || g.wire === undefined) return g;
  const bytes = g.wire;
  const issues: RdataIssue[] = [];
  const all = { start: tokens[0].start, end: tokens[tokens.length - 1].end };
  if (bytes.length < 3) {
    const missing = TLSA_FIELD_ORDER.slice(bytes.length).map(fieldLabel).join(', ');
    issues.push({ ...all, code: 'tlsa-field-range',
      message: `this RFC 3597 data has ${bytes.length} octet${bytes.length === 1 ? '' : 's'}, so the ${missing} ${bytes.length === 2 ? 'is' : 'are'} missing: ${typeLabel(typeCode)} data is three one-octet fields, then the association data` });
    return { issues };
  }
  const spans = tlsaSpans(tokens);
  const values = [bytes[0], bytes[1], bytes[2]];
  let data: Uint8Array | undefined = bytes.subarray(3);
  if (data.length === 0) {
    const at = tokens[tokens.length - 1].end;
    issues.push({ start: at, end: at, code: 'tlsa-hex',
      message: 'the certificate association data is missing: this RFC 3597 data ends after the matching type; add the data (and fix the length)' });
    data = undefined;
  }
  valueChecks(typeCode, values, spans, data, issues);
  return finish(issues, values, data);
}
