/**
 * RDATA: validates the presentation form of one record's data against the RR-type table
 * (rrtypes.ts) and encodes it to uncompressed wire format (RFC 1035 §3.3, RFC 3597 and the
 * RFC of each type). Follows what Knot DNS's zone scanner accepts. Never throws.
 */
import { typeByCode } from './rrtypes';
import { RRTypeInfo } from './rrtypeSchema';
import { Token } from './types';
import { Ctx, INVALID, issue, missing, RdataIssue, show } from './rdata/context';
import { FIELD_PARSERS, FieldParser, MAY_BE_EMPTY, REST } from './rdata/fields';
import { genericOnlyMessage, parseGeneric } from './rdata/generic';
import { writeCommon } from './rdata/fastScan';
import { WireWriter } from './rdata/writer';

export type { RdataIssue } from './rdata/context';

export interface RdataResult {
  /**
   * Uncompressed wire-format RDATA, when the data is valid. Read-only; it may be a view into
   * a buffer shared with other records (mind `byteOffset` when using `.buffer`).
   */
  wire?: Uint8Array;
  /** Problems, each with the exact span of the offending token. Shared and frozen when empty. */
  issues: RdataIssue[];
}

const MAX_RDATA = 65535;
const NO_ISSUES: RdataIssue[] = Object.freeze([]) as unknown as RdataIssue[];
const w = new WireWriter();
const nums: number[] = [];

/**
 * Parses the RDATA tokens of a record of type `typeCode`. `origin` completes relative
 * names; `recordEnd` is where a missing field is reported (zero-length span).
 */
export function parseRdata(typeCode: number, tokens: Token[], origin: string | undefined, recordEnd: number): RdataResult {
  try {
    return parse(typeCode, tokens, origin, recordEnd);
  } catch (e) {
    const span = tokens.length > 0 ? { start: tokens[0].start, end: tokens[tokens.length - 1].end } : { start: recordEnd, end: recordEnd };
    return { issues: [{ ...span, code: INVALID, message: `this data could not be checked (internal error: ${(e as Error)?.message ?? e})` }] };
  }
}

function parse(typeCode: number, tokens: Token[], origin: string | undefined, recordEnd: number): RdataResult {
  const first = tokens[0] as Token | undefined;
  const info = typeByCode(typeCode);
  if (first !== undefined && !first.quoted && first.text === '\\#') return parseGeneric(typeCode, info, tokens, recordEnd, w);
  const glued = gluedToQuote(tokens);
  if (glued !== undefined) {
    return { issues: [{ start: glued.start, end: glued.end, code: INVALID, message: `\`${show(glued.text)}\` directly follows a closing quote: separate the two with a space` }] };
  }
  const fast = fastPath(typeCode, tokens, origin);
  if (fast !== undefined) return { wire: fast, issues: NO_ISSUES };
  if (info === undefined || info.genericOnly) {
    const message = genericOnlyMessage(typeCode, info !== undefined);
    const span = first === undefined ? { start: recordEnd, end: recordEnd } : { start: first.start, end: tokens[tokens.length - 1].end };
    return { issues: [{ ...span, code: INVALID, message }] };
  }
  return parseFields(info, tokens, origin, recordEnd);
}

/** A token that starts right where a quoted string ended (`"a"b`): Knot rejects it, and it is usually a typo. */
function gluedToQuote(tokens: Token[]): Token | undefined {
  for (let i = 1; i < tokens.length; i++) {
    if (tokens[i - 1].quoted && tokens[i].start === tokens[i - 1].end) return tokens[i];
  }
  return undefined;
}

/** The common shapes, without the general machinery. Undefined: take the general path (which also explains errors). */
function fastPath(typeCode: number, tokens: Token[], origin: string | undefined): Uint8Array | undefined {
  const n = tokens.length;
  if (n === 0 || n > 2 || tokens[0].quoted || (n === 2 && tokens[1].quoted)) return undefined;
  const a = tokens[0].text;
  const b = n === 2 ? tokens[1].text : '';
  return writeCommon(w, typeCode, n, a, 0, a.length, b, 0, b.length, origin) ? w.take() : undefined;
}

/** Per type: the parser of each field, in order (built on first use). */
const compiled = new Map<number, FieldParser[]>();

function parsersOf(info: RRTypeInfo): FieldParser[] {
  let list = compiled.get(info.code);
  if (list === undefined) {
    list = info.fields.map((f) => FIELD_PARSERS[f.kind]);
    compiled.set(info.code, list);
  }
  return list;
}

/** The general path: one parser per field kind, in table order. */
function parseFields(info: RRTypeInfo, tokens: Token[], origin: string | undefined, recordEnd: number): RdataResult {
  w.reset();
  const fields = info.fields;
  const parsers = parsersOf(info);
  for (let k = 0; k < fields.length; k++) nums[k] = -1;
  const ctx: Ctx = { tokens, i: 0, origin, recordEnd, info, w, issues: [], nums };
  const n = tokens.length;
  for (let k = 0; k < fields.length; k++) {
    const field = fields[k];
    if (ctx.i >= n && !MAY_BE_EMPTY.has(field.kind)) {
      if (!field.optional) missing(ctx, field);
      break;
    }
    if (!parsers[k](ctx, field, k) && REST.has(field.kind)) break;
  }
  if (ctx.issues.length > 0) return { issues: ctx.issues };
  if (ctx.i < n) {
    extra(ctx);
    return { issues: ctx.issues };
  }
  if (w.pos > MAX_RDATA) {
    return { issues: [{ start: tokens[0].start, end: tokens[n - 1].end, code: 'rdata-too-long', message: `the data is ${w.pos} octets long; RDATA holds at most ${MAX_RDATA} (RFC 1035 §3.2.1): split it over several records` }] };
  }
  return { wire: w.take(), issues: NO_ISSUES };
}

function extra(ctx: Ctx): void {
  const t = ctx.tokens[ctx.i];
  const last = ctx.tokens[ctx.tokens.length - 1];
  const names = ctx.info.fields.map((f) => f.name).join(', ');
  issue(ctx, { start: t.start, end: last.end },
    `unexpected \`${show(t.text)}\`${ctx.i + 1 < ctx.tokens.length ? ' and what follows' : ''}: ${ctx.info.name} data is ${names}; remove the extra text`);
}
