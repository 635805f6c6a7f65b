/**
 * The records the streaming CLI keeps for the zone stages (ViewCollector), without their token
 * objects. Tokens hold most of a record's memory (an object and a string each), and the stages
 * read them only to report a finding or build a fix, on a few records. A compact record keeps
 * the position of its entry in the text and where its TTL, class and type tokens start; the
 * tokens are read again from the text (the lexer is deterministic from an entry's start) the
 * first time anything asks for one, then cached. The record's other fields are copied as they are.
 *
 * Only records read from the document's own text are compacted: records from $INCLUDEd files
 * (their spans are in another text) and from $GENERATE (their tokens are made, not read) stay
 * as the parser made them.
 */
import { readEntry } from '../lexer';
import { ZoneRecord } from '../model';
import { Token } from '../types';

interface Parts {
  ownerToken?: Token;
  ttlToken?: Token;
  classToken?: Token;
  typeToken?: Token;
  rdata: Token[];
}

const NONE = -1;

class CompactRecord implements ZoneRecord {
  readonly start: number;
  readonly end: number;
  readonly owner: string;
  readonly ownerKey: string;
  readonly ttl?: number;
  readonly classCode: number;
  readonly typeCode: number;
  readonly typeName: string;
  wire?: Uint8Array;
  readonly ok: boolean;
  readonly origin?: string;
  /** The owner token's span (-1: blank owner); not always `start`: `(www A 192.0.2.1)`. */
  private readonly ownerStart: number;
  private readonly ownerEnd: number;
  private ownerTok?: Token;
  private readonly ttlAt: number;
  private readonly classAt: number;
  private readonly typeAt: number;
  private parts?: Parts;

  constructor(r: ZoneRecord, private readonly text: string, private readonly entryStart: number, private readonly slim: boolean) {
    this.start = r.start;
    this.end = r.end;
    this.owner = r.owner;
    this.ownerKey = r.ownerKey;
    this.ttl = r.ttl;
    this.classCode = r.classCode;
    this.typeCode = r.typeCode;
    this.typeName = r.typeName;
    this.wire = r.wire;
    this.ok = r.ok;
    this.origin = r.origin;
    this.ownerStart = r.ownerToken ? r.ownerToken.start : NONE;
    this.ownerEnd = r.ownerToken ? r.ownerToken.end : NONE;
    this.ttlAt = r.ttlToken ? r.ttlToken.start : NONE;
    this.classAt = r.classToken ? r.classToken.start : NONE;
    this.typeAt = r.typeToken ? r.typeToken.start : NONE;
  }

  private read(): Parts {
    if (this.parts) return this.parts;
    const tokens = readEntry(this.text, this.entryStart, { diagnostics: [] }).entry.tokens;
    const at = (start: number) => (start === NONE ? NONE : tokens.findIndex((t) => t.start === start));
    const type = at(this.typeAt);
    const ttl = at(this.ttlAt);
    const cls = at(this.classAt);
    return (this.parts = {
      ownerToken: this.ownerToken,
      ttlToken: ttl === NONE ? undefined : tokens[ttl],
      classToken: cls === NONE ? undefined : tokens[cls],
      typeToken: type === NONE ? undefined : tokens[type],
      rdata: this.slim || type === NONE ? [] : tokens.slice(type + 1),
    });
  }

  /** The owner token without reading the entry again (an owner is never quoted in a kept record: it would be invalid). */
  get ownerToken(): Token | undefined {
    if (this.ownerStart === NONE) return undefined;
    return (this.ownerTok ??= { text: this.text.slice(this.ownerStart, this.ownerEnd), start: this.ownerStart, end: this.ownerEnd, quoted: false });
  }
  get ttlToken(): Token | undefined { return this.read().ttlToken; }
  get classToken(): Token | undefined { return this.read().classToken; }
  get typeToken(): Token | undefined { return this.read().typeToken; }
  get rdata(): Token[] { return this.read().rdata; }
}

/**
 * The record to keep for `r`, read from `text` at `entryStart` (the start of its entry; -1 for
 * a generated record): compact when it came from the text itself, else `r` (without its RDATA
 * tokens when `slim`).
 */
export function keptRecord(r: ZoneRecord, text: string | undefined, entryStart: number, slim: boolean): ZoneRecord {
  if (text === undefined || entryStart < 0 || r.includeFile !== undefined) return slim ? { ...r, rdata: [] } : r;
  return new CompactRecord(r, text, entryStart, slim);
}
