import { Entry, readEntry } from './lexer';
import { DaneDirective, ParseOptions, ParsedZone, ZoneDirective, ZoneRecord } from './model';
import { nameKey, parseName } from './names';
import { parseRecordRdata } from './rdata/hooks';
import { className, isQueryClass, metaTypeName, parseClass, parseTypeMnemonic, typeName } from './rrtypes';
import { looksLikeTtl, parseTtl, tooLargeMessage } from './ttl';
import { Span, Token, ZoneDiagnostic } from './types';
import { expandGenerate, MAX_EXPANDED_CHARS, MAX_EXPANDED_RECORDS } from './generate';
import { LineIndex } from './lineIndex';
import { work } from './work';

/**
 * The zone-file parser: entries from the lexer become directives and records, each part
 * with its exact span. Never throws, linear time; $INCLUDE goes through options.io.
 */

/** What an entry needs to know of the entries before it. Plain data, so parsing can resume. */
export interface ScanState {
  origin?: string;
  /** From $TTL (or options.defaultTtl). */
  defaultTtl?: number;
  /** Owner of the previous record ('' when it was invalid; undefined before the first record). */
  lastOwner?: string;
  /** TTL of the previous record (RFC 1035: used when neither the record nor $TTL gives one). */
  lastTtl?: number;
  lastClass: number;
  /** True once any record has been read (an $ORIGIN after that no longer names the zone). */
  sawRecord: boolean;
  /** The zone's origin as far as known: the initial or first $ORIGIN, else the first SOA owner. */
  zoneOrigin?: string;
  /**
   * The document's expansion budget spent so far (generate.ts): records made by $GENERATE or
   * read from $INCLUDEd files (MAX_EXPANDED_RECORDS + 1 once the limit was reported), and
   * characters of included files and generated tokens.
   */
  expanded: number;
  expandedChars: number;
  /** The class of the first record: a zone has one class (RFC 1035 §5.2). */
  zoneClass?: number;
}

export const MAX_INCLUDE_DEPTH = 16;
const DANE_DIRECTIVE = /^;+\s*dane-zone\s+(.*)$/;
const CLASS_IN = 1;
const REPLACEMENT = '\uFFFD';

export function initialState(options: ParseOptions): ScanState {
  return { origin: options.origin, defaultTtl: options.defaultTtl, lastClass: CLASS_IN, sawRecord: false, zoneOrigin: options.origin, expanded: 0, expandedChars: 0 };
}

export function emptyZone(): ParsedZone {
  return { records: [], directives: [], comments: [], daneDirectives: [], multiLine: [], diagnostics: [] };
}

export function parseZone(text: string, options: ParseOptions = {}): ParsedZone {
  const out = emptyZone();
  const parser = new ZoneParser(text, options, out, options.fileName ? [options.fileName] : []);
  const state = initialState(options);
  parser.parseRange(0, text.length, state);
  out.zoneOrigin = state.zoneOrigin;
  return out;
}

function error(code: string, span: Span, message: string): ZoneDiagnostic {
  return { code, severity: 'error', start: span.start, end: span.end, message };
}

interface IncludeContext {
  file: string;
  span: Span;
}

export class ZoneParser {

  constructor(
    private readonly text: string,
    private readonly options: ParseOptions,
    private readonly out: ParsedZone,
    private readonly includeStack: string[],
    private readonly include?: IncludeContext,
  ) {}

  /**
   * Parses entries from `pos` (a line start) until `end`, starting from `state` (which is
   * updated in place). `onEntry` sees each entry's start and the state before it, so an
   * incremental document can resume from any entry.
   */
  parseRange(pos: number, end: number, state: ScanState, onEntry?: (start: number, before: ScanState) => boolean | void): number {
    const sink = { comments: this.out.comments, diagnostics: this.out.diagnostics };
    while (pos < end) {
      if (onEntry && onEntry(pos, state) === false) return pos;
      const seen = this.out.comments.length;
      const { entry, next } = readEntry(this.text, pos, sink);
      for (let c = seen; c < this.out.comments.length; c++) this.daneDirective(this.out.comments[c]);
      if (entry.tokens.length > 0) {
        if (entry.multiLine) this.out.multiLine.push({ start: entry.start, end: entry.end });
        this.entry(entry, state);
      }
      pos = next;
    }
    return pos;
  }

  private lastOwner = '';
  private lastOwnerKey = '';
  private get maxRecords(): number { return this.options.expansionLimit?.records ?? MAX_EXPANDED_RECORDS; }
  private get maxChars(): number { return this.options.expansionLimit?.chars ?? MAX_EXPANDED_CHARS; }

  /** nameKey(owner), reusing the previous record's key for the same owner (blank owners). */
  private keyOf(owner: string): string {
    if (owner !== this.lastOwner) {
      this.lastOwner = owner;
      this.lastOwnerKey = nameKey(owner);
    }
    return this.lastOwnerKey;
  }

  /** Recognizes `; dane-zone key=value ...` comments (not inside $INCLUDEd files). */
  private daneDirective(c: Span): void {
    if (this.include) return;
    const m = DANE_DIRECTIVE.exec(this.text.slice(c.start, Math.min(c.end, c.start + 4096)));
    if (!m) return;
    const d: DaneDirective = { start: c.start, end: c.end, settings: {}, items: [] };
    const word = /([A-Za-z][\w-]*)=(\S*)/g;
    const body = m[1];
    const base = c.start + m[0].length - body.length;
    for (let w = word.exec(body); w; w = word.exec(body)) {
      const key = w[1].toLowerCase();
      d.settings[key] = w[2];
      d.items.push({ key, value: w[2], start: base + w.index, end: base + w.index + w[0].length });
    }
    this.out.daneDirectives.push(d);
  }

  private diag(d: ZoneDiagnostic): void {
    this.out.diagnostics.push(d);
  }

  private entry(e: Entry, state: ScanState): void {
    for (const t of e.tokens) if (t.text.indexOf(REPLACEMENT) >= 0) this.replaced(t);
    const first = e.tokens[0];
    if (!e.blankOwner && !first.quoted && first.text.charCodeAt(0) === 0x24 /* $ */) {
      this.directive(e, state);
      return;
    }
    this.record(e.tokens, e.blankOwner, e, state);
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

  private directive(e: Entry, state: ScanState): void {
    const [nameToken, ...args] = e.tokens;
    const name = nameToken.text.toUpperCase();
    const d: ZoneDirective = { start: e.start, end: e.end, name, nameToken, args };
    if (!this.include) this.out.directives.push(d);
    switch (name) {
      case '$ORIGIN': {
        if (!this.expectArgs(d, 1, 1, '$ORIGIN takes one domain name')) return;
        const r = parseName(args[0].text, state.origin);
        if (r.name === undefined || args[0].quoted) {
          this.diag(error(r.code ?? 'invalid-name', args[0], `$ORIGIN: ${r.error ?? 'a name cannot be quoted'}`));
          return;
        }
        state.origin = r.name;
        if (state.zoneOrigin === undefined && !state.sawRecord && !this.include) state.zoneOrigin = r.name;
        return;
      }
      case '$TTL': {
        if (!this.expectArgs(d, 1, 1, '$TTL takes one TTL value')) return;
        const t = parseTtl(args[0].text);
        if ('error' in t) { this.diag(error('invalid-ttl', args[0], `$TTL: ${t.error}`)); return; }
        if (t.tooLarge !== undefined) this.diag({ ...error('ttl-too-large', args[0], `$TTL: ${tooLargeMessage(t.tooLarge)}`), severity: 'warning' });
        state.defaultTtl = t.value;
        return;
      }
      case '$INCLUDE':
        this.includeFile(d, state);
        return;
      case '$GENERATE':
        this.generate(d, state);
        return;
      default:
        this.diag(error('unknown-directive', nameToken,
          `unknown directive \`${nameToken.text}\`: the master-file directives are $ORIGIN, $TTL, $INCLUDE and $GENERATE`));
    }
  }

  private expectArgs(d: ZoneDirective, min: number, max: number, what: string): boolean {
    if (d.args.length < min) {
      this.diag(error('syntax', d.nameToken, `${what}; none given`));
      return false;
    }
    if (d.args.length > max) {
      const extra = d.args[max];
      this.diag(error('syntax', { start: extra.start, end: d.args[d.args.length - 1].end }, `${what}; remove the extra text`));
      return false;
    }
    return true;
  }

  private includeFile(d: ZoneDirective, state: ScanState): void {
    if (!this.expectArgs(d, 1, 2, '$INCLUDE takes a file name and an optional origin')) return;
    let origin = state.origin;
    if (d.args.length === 2) {
      const r = parseName(d.args[1].text, state.origin);
      if (r.name === undefined) {
        this.diag(error(r.code ?? 'invalid-name', d.args[1], `$INCLUDE origin: ${r.error}`));
        return;
      }
      origin = r.name;
    }
    const io = this.options.io;
    const from = this.include?.file ?? this.options.fileName;
    const span = this.include?.span ?? d;
    if (!io) {
      this.diag(error('include-unresolved', d.args[0], `$INCLUDE ${d.args[0].text}: files cannot be read here`));
      return;
    }
    let path: string;
    let text: string;
    try {
      path = io.resolvePath(from, unescapeText(d.args[0].text));
    } catch (e) {
      this.diag(error('include-unresolved', d.args[0], `$INCLUDE ${d.args[0].text}: ${(e as Error).message}`));
      return;
    }
    if (this.includeStack.includes(path)) {
      this.diag(error('include-unresolved', d.args[0], `$INCLUDE ${path}: include cycle (${[...this.includeStack, path].join(' → ')})`));
      return;
    }
    if (this.includeStack.length >= MAX_INCLUDE_DEPTH) {
      this.diag(error('include-unresolved', d.args[0], `$INCLUDE ${path}: includes nested more than ${MAX_INCLUDE_DEPTH} deep`));
      return;
    }
    if (state.expanded >= this.maxRecords) {
      // Said once inside included files (their parents stop reading too), on every line of the document itself.
      if (state.expanded > this.maxRecords && this.include) return;
      state.expanded = this.maxRecords + 1;
      this.diag(error('include-unresolved', d.args[0], `$INCLUDE ${path}: not read: the records this file makes with $INCLUDE and $GENERATE reached the limit of ${this.maxRecords}`));
      return;
    }
    try {
      text = io.readFile(path);
    } catch (e) {
      this.diag(error('include-unresolved', d.args[0], `$INCLUDE ${path}: ${(e as Error).message}`));
      return;
    }
    if (state.expandedChars + text.length > this.maxChars) {
      this.diag(error('include-unresolved', d.args[0],
        `$INCLUDE ${path}: not read: it would bring the text this file reads with $INCLUDE and makes with $GENERATE to ${state.expandedChars + text.length} characters; the limit for one file is ${this.maxChars}`));
      return;
    }
    state.expandedChars += text.length;
    const sub = emptyZone();
    const child = new ZoneParser(text, { ...this.options, fileName: path }, sub, [...this.includeStack, path], { file: path, span });
    const childState: ScanState = { ...state, origin };
    // Stop reading the included file once the document's record budget is spent (reported once).
    child.parseRange(0, text.length, childState, (_p, s) => s.expanded <= this.maxRecords);
    state.expanded = childState.expanded;
    state.expandedChars = childState.expandedChars;
    state.sawRecord = childState.sawRecord;
    state.zoneOrigin = childState.zoneOrigin;
    for (const r of sub.records) this.out.records.push(r);
    // Problems inside the included file are shown on the $INCLUDE line, with file:line.
    const lines = sub.diagnostics.length ? new LineIndex(text) : undefined;
    for (const x of sub.diagnostics) {
      const where = x.includedFrom ? '' : `${path}:${lines!.positionAt(x.start).line + 1}: `;
      this.out.diagnostics.push({ ...x, start: span.start, end: span.end, message: where + x.message, includedFrom: x.includedFrom ?? path });
    }
    // RFC 1035 §5.1: the origin and, like BIND and Knot, the current owner are restored after
    // the included file: a blank owner after $INCLUDE is the owner from before it (state.lastOwner
    // is left as it was). The TTL defaults it set stay in force only inside it.
    state.lastTtl = childState.lastTtl;
    state.lastClass = childState.lastClass;
  }

  private generate(d: ZoneDirective, state: ScanState): void {
    const result = expandGenerate(d.args, d.nameToken, { records: state.expanded, chars: state.expandedChars }, { records: this.maxRecords, chars: this.maxChars });
    state.expandedChars += result.chars;
    for (const x of result.diagnostics) this.diag(x);
    // Like BIND and Knot, a blank owner after $GENERATE is the owner from before it.
    const ownerBefore = state.lastOwner;
    for (const tokens of result.records) this.record(tokens, false, d, state, true);
    if (result.records.length) state.lastOwner = ownerBefore;
  }

  /** Builds one record from its tokens; pushes diagnostics; updates state. */
  private record(tokens: Token[], blankOwner: boolean, span: Span, state: ScanState, generated = false): void {
    if (generated || this.include) {
      // The document's record budget (generate.ts): report reaching it once, then drop.
      if (state.expanded >= this.maxRecords) {
        if (state.expanded === this.maxRecords) {
          state.expanded++;
          this.diag(error(generated ? 'syntax' : 'include-unresolved', span,
            `the records this file makes with $INCLUDE and $GENERATE reached the limit of ${this.maxRecords}: the rest is not read`));
        }
        return;
      }
      state.expanded++;
    }
    work.steps += tokens.length;
    let k = 0;
    let ok = true;
    let owner = '';
    let ownerToken: Token | undefined;
    if (!blankOwner) {
      ownerToken = tokens[0];
      k = 1;
      const r = ownerToken.quoted ? { error: 'an owner name cannot be a quoted string', code: 'invalid-name' as const } : parseName(ownerToken.text, state.origin);
      if (r.name !== undefined) owner = r.name;
      else {
        ok = false;
        this.diag(error(r.code ?? 'invalid-name', ownerToken, `owner: ${r.error}`));
      }
    } else if (state.lastOwner === undefined) {
      ok = false;
      this.diag(error('missing-owner', { start: span.start, end: tokens[0].start },
        'this record starts with white space, so it takes the previous owner, but there is none: write the owner name at the start of the line'));
    } else if (state.lastOwner === '') {
      ok = false;
      this.diag(error('missing-owner', { start: span.start, end: tokens[0].start },
        'this record takes the previous owner (it starts with white space), but that owner is invalid: fix the previous owner or write one here'));
    } else {
      owner = state.lastOwner;
    }

    let ttl: number | undefined;
    let ttlToken: Token | undefined;
    let classCode: number | undefined;
    let classToken: Token | undefined;
    for (let round = 0; round < 2 && k < tokens.length; round++) {
      const t = tokens[k];
      if (t.quoted) break;
      if (ttlToken === undefined && looksLikeTtl(t.text)) {
        ttlToken = t;
        const r = parseTtl(t.text);
        if ('error' in r) { ok = false; this.diag(error('invalid-ttl', t, r.error)); } else {
          ttl = r.value;
          if (r.tooLarge !== undefined) this.diag({ ...error('ttl-too-large', t, tooLargeMessage(r.tooLarge)), severity: 'warning' });
        }
        k++;
        continue;
      }
      if (classToken === undefined) {
        const c = parseClass(t.text);
        if (c !== undefined) { classToken = t; classCode = c; k++; continue; }
        if (k + 1 < tokens.length && isQueryClass(t.text)) {
          // RFC 1035 §3.2.5 / RFC 2136 §2.4: ANY and NONE exist only in queries and updates
          ok = false;
          this.diag(error('syntax', t, `class ${t.text.toUpperCase()} is for queries and dynamic updates only (RFC 1035 §3.2.5, RFC 2136): a zone record is IN (or CH, HS); remove \`${t.text}\` or write IN`));
          classToken = t;
          k++;
          continue;
        }
      }
      break;
    }

    const typeToken = tokens[k];
    let typeCode = 0;
    let typeLabel = '';
    if (typeToken === undefined) {
      ok = false;
      const last = tokens[tokens.length - 1];
      this.diag(error('syntax', { start: last.end, end: last.end }, 'the record has no type: write a type such as A, MX or TLSA and its data'));
    } else {
      const t = typeToken.quoted ? undefined : parseTypeMnemonic(typeToken.text);
      if (t) {
        typeCode = t.code;
        typeLabel = typeName(t.code);
      } else {
        ok = false;
        const meta = typeToken.quoted ? undefined : metaTypeName(typeToken.text);
        if (meta !== undefined) {
          this.diag(error('syntax', typeToken, `${meta} is a meta-type (RFC 6895 §3.1): it exists only in DNS messages, never in a zone file; remove this record`));
        } else if (!typeToken.quoted && /^[A-Za-z][A-Za-z0-9-]*$/.test(typeToken.text)) {
          this.diag(error('unknown-type', typeToken, `unknown record type \`${typeToken.text}\`: check the spelling, or write TYPEnnn with \\# generic data (RFC 3597)`));
        } else if (looksLikeTtl(typeToken.text) && ttlToken) {
          this.diag(error('syntax', typeToken, `a second TTL \`${typeToken.text}\`: a record has at most one TTL, then its type`));
        } else {
          this.diag(error('syntax', typeToken, `expected a record type (A, MX, TLSA, …), found \`${typeToken.text}\``));
        }
      }
    }
    const rdata = typeToken ? tokens.slice(k + 1) : [];

    // TTL: explicit, else $TTL, else the previous record's (RFC 1035), with a warning.
    if (ttlToken === undefined) {
      if (state.defaultTtl !== undefined) ttl = state.defaultTtl;
      else {
        ttl = state.lastTtl;
        if (typeCode !== 0 && !generated) {
          this.diag({
            code: 'missing-ttl', severity: 'warning', start: (typeToken ?? tokens[0]).start, end: (typeToken ?? tokens[0]).end,
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
    else if (classCode !== state.zoneClass && classToken) {
      ok = false;
      this.diag(error('syntax', classToken, `class ${className(classCode)} differs from the zone's class ${className(state.zoneClass)} (its first record's): a zone holds one class; remove \`${classToken.text}\` or fix the first record`));
    }

    let wire: Uint8Array | undefined;
    if (typeCode !== 0) {
      const r = parseRecordRdata(typeCode, rdata, state.origin, span.end);
      for (const issue of r.issues) {
        const severity = issue.severity ?? 'error';
        if (severity === 'error') ok = false;
        const d: ZoneDiagnostic = { code: issue.code, severity, start: issue.start, end: issue.end, message: `${typeLabel}: ${issue.message}` };
        if (issue.data !== undefined) d.data = issue.data;
        this.diag(d);
      }
      wire = r.wire;
    }

    state.lastOwner = owner;
    state.sawRecord = true;
    if (state.zoneOrigin === undefined && typeCode === 6 && owner) state.zoneOrigin = owner;

    const rec: ZoneRecord = {
      start: blankOwner ? tokens[0].start : span.start,
      end: span.end,
      owner,
      ownerKey: this.keyOf(owner),
      ownerToken,
      ttl,
      ttlToken,
      classCode,
      classToken,
      typeCode,
      typeName: typeLabel,
      typeToken,
      rdata,
      wire,
      ok,
      origin: state.origin,
    };
    if (generated) rec.start = span.start;
    if (this.include) { rec.includeFile = this.include.file; rec.includeSpan = this.include.span; }
    if (this.options.onRecord) this.options.onRecord(rec, generated ? -1 : span.start);
    else this.out.records.push(rec);
  }
}

/** Master-file escapes in a file name: `\DDD` is the octet DDD, `\X` is X. */
function unescapeText(text: string): string {
  if (text.indexOf('\\') < 0) return text;
  return text.replace(/\\(\d{3}|.)/g, (_, e: string) => (e.length === 3 ? String.fromCharCode(Number(e)) : e));
}
