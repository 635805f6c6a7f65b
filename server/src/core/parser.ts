import { EntryScan, scanEntry } from './lexer';
import { ParseOptions, ParsedZone, ZoneDirective, ZoneRecord } from './model';
import { nameKey, parseName, simpleNameAt } from './names';
import { parseRecordRdata } from './rdata/hooks';
import { scanRdata } from './rdata/fastScan';
import { wireSlab } from './rdata/writer';
import { metaTypeName, typeName } from './rrtypes';
import { typeCodeAt } from './typeCodeAt';
import { className, isQueryClass, parseClass } from './registries';
import { parseTtl, tooLargeMessage } from './ttl';
import { Span, Token, ZoneDiagnostic } from './types';
import { MAX_EXPANDED_CHARS, MAX_EXPANDED_RECORDS } from './generate';
import { work } from './work';
import { daneDirective, directive, error, IncludeContext, DirectiveHost } from './parserDirectives';
import { CompactRecord, NONE, RecordFrame } from './pipeline/compactRecord';
import { LineMarks, MARK_EVERY } from './lineMarks';

export { MAX_INCLUDE_DEPTH } from './parserDirectives';
export { initialState, ScanState } from './scanState';
import { ScanState, initialState } from './scanState';

/**
 * The zone-file parser: entries from the lexer become directives and records, each part
 * with its exact span. Never throws, linear time; $INCLUDE goes through options.io.
 *
 * The fast path: the lexer scans an entry into positions (EntryScan, no token objects); a
 * record's owner, TTL, class and type are read from those positions, and the common RDATA
 * shapes (A, AAAA, NS, CNAME, PTR, DNAME, MX) are encoded from the token texts without token
 * objects. A whole parse then makes the record with its tokens (the API of ZoneRecord); in
 * streaming mode (`onRecord`) the record is a CompactRecord whose tokens are made only when a
 * consumer asks.
 */

const CLASS_IN = 1;
const REPLACEMENT = '\uFFFD';

export function emptyZone(): ParsedZone {
  return { records: [], directives: [], comments: [], daneDirectives: [], multiLine: [], diagnostics: [] };
}

/** `marks`: given the start of every MARK_EVERY-th entry (lineMarks.ts: the CLI's line numbers). */
export function parseZone(text: string, options: ParseOptions = {}, marks?: LineMarks): ParsedZone {
  const out = emptyZone();
  const parser = new ZoneParser(text, options, out, options.fileName ? [options.fileName] : []);
  parser.lineMarks = marks;
  const state = initialState(options);
  parser.parseRange(0, text.length, state);
  if (marks) marks.multiLine = out.multiLine;
  out.zoneOrigin = state.zoneOrigin;
  return out;
}


/** The scan of the parser that ran last, for the next one (see parseRange). */
let spareScan: EntryScan | undefined;

/** One view of the slab the last wire form was written to (slabOf). */
let lastSlab: Uint8Array | undefined;

/** A view of all of `buffer` (the same one for successive records of one slab). */
function slabOf(buffer: ArrayBufferLike): Uint8Array {
  if (lastSlab === undefined || lastSlab.buffer !== buffer) lastSlab = new Uint8Array(buffer);
  return lastSlab;
}

export class ZoneParser implements DirectiveHost {
  /** Tokens made by $GENERATE, as a scan (made on first use, then reused). */
  private made?: EntryScan;
  /**
   * A whole parse keeps CompactRecords (no token objects) for the records read from the text
   * itself, as streaming does: the document (documentChunks.ts) then moves them onto its chunks.
   */
  compact = false;
  /**
   * A parse for its diagnostics only (the open's first pass, documentOpening.ts): no record is
   * made or handed on (`onRecord` is not called), and what only a record needs is skipped (the
   * owner's key, the CompactRecord or token objects, committing the wire form to the shared
   * slab: the next record writes over it), as are the comments and multi-line spans (the
   * `dane-zone` directives are still read). Everything a diagnostic or the scan state needs is
   * done as in any parse (test/unit/parser-drop-records.test.ts compares them).
   */
  dropRecords = false;
  /** The frame of this parser's compact records: its text, at 0. */
  private frame?: RecordFrame;
  /** Given the start of every MARK_EVERY-th entry of a parse from the text's start (parseZone). */
  lineMarks?: LineMarks;

  constructor(
    readonly text: string,
    readonly options: ParseOptions,
    readonly out: ParsedZone,
    readonly includeStack: string[],
    readonly include?: IncludeContext,
  ) {}

  /**
   * Parses entries from `pos` (a line start) until `end`, starting from `state` (which is
   * updated in place). `onEntry` sees each entry's start and the state before it, so an
   * incremental document can resume from any entry.
   */
  parseRange(pos: number, end: number, state: ScanState, onEntry?: (start: number, before: ScanState) => boolean | void): number {
    const sink = { comments: this.out.comments, diagnostics: this.out.diagnostics };
    // One scan for every parser (the document makes thousands); a nested parse ($INCLUDE) takes another.
    const s = spareScan ?? new EntryScan();
    spareScan = undefined;
    const marks = pos === 0 && !this.dropRecords ? this.lineMarks : undefined;
    // (one decrement an entry; -1: never 0 again. The first mark after the first entry: its
    // branch has run when the loop is optimized, which is not then thrown away at the 64th entry.)
    let toMark = marks ? 1 : -1;
    try {
      while (pos < end) {
        if (onEntry && onEntry(pos, state) === false) return pos;
        const seen = this.out.comments.length;
        scanEntry(this.text, pos, sink, s);
        for (let c = seen; c < this.out.comments.length; c++) daneDirective(this, this.out.comments[c]);
        if (this.dropRecords && this.out.comments.length !== seen) this.out.comments.length = seen;
        const next = s.next;
        if (s.count > 0) {
          if (s.multiLine && !this.dropRecords) this.out.multiLine.push({ start: s.start, end: s.end });
          this.entry(s, state);
        } else if (s.multiLine && marks) marks.bare.push(s.start, s.end);
        if (--toMark === 0) {
          // (at the first: the scan looks for the next backslash from the text's start, and its
          // own searches go on from there: whether the text has one is then known at the end)
          if (marks!.offsets.length === 0) s.noBackslash(0, 1);
          toMark = MARK_EVERY;
          if (next < end) marks!.offsets.push(next);
        }
        pos = next;
      }
      if (marks && marks.offsets.length > 0) marks.noBackslash = s.noBackslash(0, end);
      return pos;
    } finally {
      spareScan = s;
    }
  }

  private lastOwner = '';
  private lastOwnerKey = '';
  get maxRecords(): number { return this.options.expansionLimit?.records ?? MAX_EXPANDED_RECORDS; }
  get maxChars(): number { return this.options.expansionLimit?.chars ?? MAX_EXPANDED_CHARS; }

  /** nameKey(owner), reusing the previous record's key for the same owner (blank owners). */
  private keyOf(owner: string): string {
    if (owner !== this.lastOwner) {
      const key = nameKey(owner);
      // (the owner that is its own key is held as the key (see record): the next blank owner is
      // then this very string, and the test above compares no characters)
      this.lastOwner = key === owner ? key : owner;
      this.lastOwnerKey = key;
    }
    return this.lastOwnerKey;
  }

  diag(d: ZoneDiagnostic): void {
    this.out.diagnostics.push(d);
  }

  parseChild(text: string, options: ParseOptions, sub: ParsedZone, stack: string[], include: IncludeContext, state: ScanState, go: (s: ScanState) => boolean): void {
    const child = new ZoneParser(text, options, sub, stack, include);
    child.dropRecords = this.dropRecords;
    child.parseRange(0, text.length, state, (_p, st) => go(st));
  }

  generated(tokens: Token[], d: ZoneDirective, state: ScanState): void {
    const made = (this.made ??= new EntryScan());
    made.setTokens(tokens, d.start, d.end);
    this.record(made, state, true);
  }

  private entry(s: EntryScan, state: ScanState): void {
    if (s.replaced) for (let i = 0; i < s.count; i++) if (s.textOf(i).indexOf(REPLACEMENT) >= 0) this.replaced(s.token(i));
    if (!s.blankOwner && !s.quoted(0) && this.text.charCodeAt(s.starts[0]) === 0x24 /* $ */) {
      directive(this, s, s.tokens(), state);
      return;
    }
    this.record(s, state, false);
  }

  /**
   * U+FFFD is what decoding put where the file's bytes were not UTF-8: the octets of this
   * token are no longer the file's (BIND and Knot read the raw bytes). Say so.
   */
  private replaced(t: Token): void {
    const at = t.start + (t.quoted ? 1 : 0) + t.text.indexOf(REPLACEMENT);
    this.diag({
      code: 'syntax', severity: 'warning', start: at, end: at + 1,
      message: 'U+FFFD (�) here: the file has bytes that are not UTF-8 and reading replaced them, so the octets of this ' +
        `${t.quoted ? 'string' : 'name or value'} differ from the file's (BIND and Knot keep the raw bytes); write such bytes as \\DDD escapes or save the file as UTF-8`,
    });
  }

  /** The span of token `i` of the scan. */
  private at(s: EntryScan, i: number): Span {
    return { start: s.starts[i], end: s.ends[i] };
  }

  /** The first character of token `i` (plain tokens). */
  private firstCode(s: EntryScan, i: number): number {
    return s.given ? s.given[i].text.charCodeAt(0) : this.text.charCodeAt(s.starts[i]);
  }

  /**
   * The value of token `i` when it is 1 to 9 decimal digits (a TTL below 2^31 with nothing to
   * say about it: parseTtl gives the same), else -1 (then parseTtl reads it).
   */
  private digitsAt(s: EntryScan, i: number): number {
    const from = s.starts[i], to = s.ends[i];
    if (s.given || to - from > 9) return -1;
    let v = 0;
    for (let p = from; p < to; p++) {
      const d = this.text.charCodeAt(p) - 0x30;
      if (d < 0 || d > 9) return -1;
      v = v * 10 + d;
    }
    return v;
  }

  /** The class token `i` names (IN without making a string), else undefined. */
  private classAt(s: EntryScan, i: number): number | undefined {
    if (!s.given && s.ends[i] - s.starts[i] === 2) {
      const p = s.starts[i];
      if ((this.text.charCodeAt(p) | 0x20) === 0x69 && (this.text.charCodeAt(p + 1) | 0x20) === 0x6e) return CLASS_IN;
    }
    return parseClass(s.textOf(i));
  }

  /** Builds one record from an entry's tokens (or a $GENERATE line's); pushes diagnostics; updates state. */
  private record(s: EntryScan, state: ScanState, generated: boolean): void {
    const blankOwner = s.blankOwner;
    const span: Span = s;
    if (generated || this.include) {
      // The document's record budget (generate.ts): report reaching it once, then drop.
      if (state.expanded >= this.maxRecords) {
        if (state.expanded === this.maxRecords) {
          state.expanded++;
          this.diag(error(generated ? 'syntax' : 'include-unresolved', { start: span.start, end: span.end },
            `the records this file makes with $INCLUDE and $GENERATE reached the limit of ${this.maxRecords}: the rest is not read`));
        }
        return;
      }
      state.expanded++;
    }
    const n = s.count;
    work.steps += n;
    let k = 0;
    let ok = true;
    let owner = '';
    if (!blankOwner) {
      k = 1;
      // (the common owner in one pass from its positions; parseName for the rest, and to explain)
      const simple = s.given || s.quoted(0) ? undefined : simpleNameAt(this.text, s.starts[0], s.ends[0], state.origin);
      if (simple !== undefined) owner = simple;
      else {
        const r = s.quoted(0) ? { error: 'an owner name cannot be a quoted string', code: 'invalid-name' as const, name: undefined } : parseName(s.textOf(0), state.origin);
        if (r.name !== undefined) owner = r.name;
        else {
          ok = false;
          this.diag(error(r.code ?? 'invalid-name', this.at(s, 0), `owner: ${r.error}`));
        }
      }
    } else if (state.lastOwner === undefined) {
      ok = false;
      this.diag(error('missing-owner', { start: span.start, end: s.starts[0] },
        'this record starts with white space, so it takes the previous owner, but there is none: write the owner name at the start of the line'));
    } else if (state.lastOwner === '') {
      ok = false;
      this.diag(error('missing-owner', { start: span.start, end: s.starts[0] },
        'this record takes the previous owner (it starts with white space), but that owner is invalid: fix the previous owner or write one here'));
    } else {
      owner = state.lastOwner;
    }

    let ttl: number | undefined;
    let ttlAt = NONE;
    let classCode: number | undefined;
    let classAt = NONE;
    for (let round = 0; round < 2 && k < n; round++) {
      if (s.quoted(k)) break;
      const c0 = this.firstCode(s, k);
      if (ttlAt === NONE && c0 >= 0x30 && c0 <= 0x39) {
        ttlAt = k;
        const digits = this.digitsAt(s, k);
        const r = digits >= 0 ? undefined : parseTtl(s.textOf(k));
        if (r === undefined) ttl = digits;
        else if ('error' in r) { ok = false; this.diag(error('invalid-ttl', this.at(s, k), r.error)); } else {
          ttl = r.value;
          if (r.tooLarge !== undefined) this.diag({ ...error('ttl-too-large', this.at(s, k), tooLargeMessage(r.tooLarge)), severity: 'warning' });
        }
        k++;
        continue;
      }
      if (classAt === NONE) {
        const c = this.classAt(s, k);
        if (c !== undefined) { classAt = k; classCode = c; k++; continue; }
        if (k + 1 < n && isQueryClass(s.textOf(k))) {
          // RFC 1035 §3.2.5 / RFC 2136 §2.4: ANY and NONE exist only in queries and updates
          ok = false;
          const t = s.textOf(k);
          this.diag(error('syntax', this.at(s, k), `class ${t.toUpperCase()} is for queries and dynamic updates only (RFC 1035 §3.2.5, RFC 2136): a zone record is IN (or CH, HS); remove \`${t}\` or write IN`));
          classAt = k;
          k++;
          continue;
        }
      }
      break;
    }

    const typeAt = k < n ? k : NONE;
    let typeCode = 0;
    if (typeAt === NONE) {
      ok = false;
      const last = s.ends[n - 1];
      this.diag(error('syntax', { start: last, end: last }, 'the record has no type: write a type such as A, MX or TLSA and its data'));
    } else {
      const quoted = s.quoted(typeAt);
      const code = quoted ? -1 : typeCodeAt(s, typeAt);
      if (code >= 0) {
        typeCode = code;
      } else {
        ok = false;
        const text = s.textOf(typeAt);
        const meta = quoted ? undefined : metaTypeName(text);
        const where = this.at(s, typeAt);
        if (meta !== undefined) {
          this.diag(error('syntax', where, `${meta} is a meta-type (RFC 6895 §3.1): it exists only in DNS messages, never in a zone file; remove this record`));
        } else if (!quoted && /^[A-Za-z][A-Za-z0-9-]*$/.test(text)) {
          this.diag(error('unknown-type', where, `unknown record type \`${text}\`: check the spelling, or write TYPEnnn with \\# generic data (RFC 3597)`));
        } else if (text.length > 0 && text.charCodeAt(0) >= 0x30 && text.charCodeAt(0) <= 0x39 && ttlAt !== NONE) {
          this.diag(error('syntax', where, `a second TTL \`${text}\`: a record has at most one TTL, then its type`));
        } else {
          this.diag(error('syntax', where, `expected a record type (A, MX, TLSA, …), found \`${text}\``));
        }
      }
    }

    // TTL: explicit, else $TTL, else the previous record's (RFC 1035), with a warning.
    if (ttlAt === NONE) {
      if (state.defaultTtl !== undefined) ttl = state.defaultTtl;
      else {
        ttl = state.lastTtl;
        if (typeCode !== 0 && !generated) {
          const w = typeAt === NONE ? 0 : typeAt;
          this.diag({
            code: 'missing-ttl', severity: 'warning', start: s.starts[w], end: s.ends[w],
            message: ttl === undefined
              ? 'no TTL on this record and no $TTL before it: add `$TTL 3600` at the top of the file or a TTL on the record'
              : `no TTL on this record and no $TTL before it: it inherits ${ttl} from the previous record; add \`$TTL\` at the top to make this explicit`,
          });
        }
      }
    } else if (ttl !== undefined) state.lastTtl = ttl;
    if (classCode === undefined) classCode = state.lastClass;
    else state.lastClass = classCode;
    if (state.zoneClass === undefined) state.zoneClass = classCode;
    else if (classCode !== state.zoneClass && classAt !== NONE) {
      ok = false;
      this.diag(error('syntax', this.at(s, classAt), `class ${className(classCode)} differs from the zone's class ${className(state.zoneClass)} (its first record's): a zone holds one class; remove \`${s.textOf(classAt)}\` or fix the first record`));
    }

    let wire: Uint8Array | undefined;
    let rdata: Token[] | undefined;
    // The wire form as `wireLength` octets at `wireAt` in the writer's slab `wireIn` (no view
    // object per compact record), when not as `wire`.
    let wireAt = -1;
    let wireLength = 0;
    let wireIn: Uint8Array | undefined;
    if (typeCode !== 0) {
      // The common shapes first, from the scan (no token objects or strings); else the RDATA parser.
      const fast = scanRdata(typeCode, s, typeAt + 1, state.origin);
      if (fast !== undefined) {
        // (where it is in the slab: a compact record keeps that, no view object per record;
        // diagnostics only: not taken, so the next wire form is written over it)
        if (!this.dropRecords) {
          wireLength = fast.pos - fast.base;
          wireAt = fast.takeAt();
          wireIn = wireSlab();
          if (wireAt < 0) wire = fast.take();
        }
      } else {
        rdata = s.tokens(typeAt + 1);
        const r = parseRecordRdata(typeCode, rdata, state.origin, span.end);
        for (const issue of r.issues) {
          const severity = issue.severity ?? 'error';
          if (severity === 'error') ok = false;
          const d: ZoneDiagnostic = { code: issue.code, severity, start: issue.start, end: issue.end, message: `${typeName(typeCode)}: ${issue.message}` };
          if (issue.data !== undefined) d.data = issue.data;
          this.diag(d);
        }
        wire = r.wire;
      }
    }

    // One string for both when the owner is its own key (lower case): kept records hold it once.
    // (diagnostics only: no key, no record; the scan state is the same)
    const ownerKey = this.dropRecords ? '' : this.keyOf(owner);
    if (ownerKey === owner) owner = ownerKey;
    state.lastOwner = owner;
    state.sawRecord = true;
    if (state.zoneOrigin === undefined && typeCode === 6 && owner) state.zoneOrigin = owner;
    if (this.dropRecords) return;

    const start = blankOwner ? s.starts[0] : span.start;
    const onRecord = this.options.onRecord;
    if ((onRecord || this.compact) && !generated && !this.include && (blankOwner || !s.quoted(0)) && (typeAt === NONE || !s.quoted(typeAt))) {
      // Streaming (or a document's parse): no token objects unless a consumer asks.
      const c = CompactRecord.fromScan(this.frame ??= { text: this.text, start: 0 }, s, blankOwner, owner, ownerKey, ttl, classCode, typeCode, ok, state.origin, ttlAt, classAt, typeAt);
      if (wireAt >= 0) c.wireFrom(wireIn!, wireAt, wireLength);
      else if (this.compact && wire !== undefined && (wire.byteOffset !== 0 || wire.length !== wire.buffer.byteLength)) {
        // A view into the writer's shared slab (rdata/writer.ts): the document keeps where it
        // is, not a view object per record (a million fewer objects to copy and keep).
        c.wireFrom(slabOf(wire.buffer), wire.byteOffset, wire.length);
      } else c.wire = wire;
      if (onRecord) onRecord(c, span.start); else this.out.records.push(c);
      return;
    }
    if (wireAt >= 0) wire = new Uint8Array(wireIn!.buffer, wireIn!.byteOffset + wireAt, wireLength);
    const rec: ZoneRecord = {
      start,
      end: span.end,
      owner,
      ownerKey,
      ownerToken: blankOwner ? undefined : s.token(0),
      ttl,
      ttlToken: ttlAt === NONE ? undefined : s.token(ttlAt),
      classCode,
      classToken: classAt === NONE ? undefined : s.token(classAt),
      typeCode,
      typeName: typeCode === 0 ? '' : typeName(typeCode),
      typeToken: typeAt === NONE ? undefined : s.token(typeAt),
      rdata: typeAt === NONE ? [] : rdata ?? s.tokens(typeAt + 1),
      wire,
      ok,
      origin: state.origin,
    };
    if (generated) rec.start = span.start;
    if (this.include) { rec.includeFile = this.include.file; rec.includeSpan = this.include.span; }
    if (onRecord) onRecord(rec, generated ? -1 : span.start);
    else this.out.records.push(rec);
  }
}
