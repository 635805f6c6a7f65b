import { Span, Token, ZoneDiagnostic, ZoneIO } from './types';

/** One resource record as written in the file, with the exact spans of its parts. */
export interface ZoneRecord extends Span {
  /** Normalized absolute owner name (see names.ts); '' when the owner could not be parsed. */
  owner: string;
  /** Case-insensitive grouping key of the owner (nameKey(owner)). */
  ownerKey: string;
  /** The owner token; undefined when the owner was blank (inherited from the previous record). */
  ownerToken?: Token;
  /** Effective TTL (explicit, or $TTL / previous record), undefined when none is known. */
  ttl?: number;
  ttlToken?: Token;
  /** Class code (1 = IN). */
  classCode: number;
  classToken?: Token;
  /** Type code (e.g. 52 for TLSA); 0 when the type could not be parsed. */
  typeCode: number;
  /** Type mnemonic as the table spells it (`TLSA`), or `TYPEnnn`. */
  typeName: string;
  typeToken?: Token;
  /** The RDATA tokens, in order (quoted strings without their quotes; `\#` generic form included). */
  rdata: Token[];
  /** RDATA in wire format, when the record is valid. */
  wire?: Uint8Array;
  /** False when any error-severity problem was found in this record (Knot would reject it). */
  ok: boolean;
  /** Set when the record came from an $INCLUDEd file: that file's resolved path. Spans then refer to that file's text. */
  includeFile?: string;
  /** For included records: the span of the $INCLUDE directive in the including document. */
  includeSpan?: Span;
  /** The origin in force for this record (for relative names in RDATA, display, completion). */
  origin?: string;
}

export interface ZoneDirective extends Span {
  /** Upper-case directive name: `$ORIGIN`, `$TTL`, `$INCLUDE`, `$GENERATE`, or the unknown word. */
  name: string;
  nameToken: Token;
  args: Token[];
}

/** A comment (from `;` to end of line, without the newline). */
export type ZoneComment = Span;

/**
 * A `; dane-zone key=value ...` comment: a directive to this tool that DNS servers ignore
 * (`dnssec=signed|unsigned|inline`, `disable=CODE[,CODE]`, `cert=PATH next=PATH`).
 */
export interface DaneDirective extends Span {
  /** The key=value pairs in order of appearance (later keys win). */
  settings: Record<string, string>;
  /** Spans of each `key=value` word, for diagnostics and document links. */
  items: { key: string; value: string; start: number; end: number }[];
}

export interface ParseOptions {
  /** Initial origin (normalized absolute), like `named-checkzone ZONE`. */
  origin?: string;
  /** Initial default TTL (as if `$TTL` had been given). */
  defaultTtl?: number;
  /** Path of the file being parsed (for $INCLUDE resolution). */
  fileName?: string;
  /** File access for $INCLUDE; without it, $INCLUDE gives `include-unresolved`. */
  io?: ZoneIO;
  /**
   * Called for each record instead of collecting them (streaming mode for huge files), with
   * the offset of the entry it was read from (-1 when $GENERATE made it).
   */
  onRecord?: (record: ZoneRecord, entryStart: number) => void;
  /**
   * The document's budget for what $GENERATE and $INCLUDE add (defaults MAX_EXPANDED_RECORDS
   * and MAX_EXPANDED_CHARS in generate.ts); tests lower it.
   */
  expansionLimit?: { records?: number; chars?: number };
}

export interface ParsedZone {
  /** All records in file order (empty in streaming mode). */
  records: ZoneRecord[];
  directives: ZoneDirective[];
  comments: ZoneComment[];
  /** `; dane-zone ...` comment directives, in file order. */
  daneDirectives: DaneDirective[];
  /** Spans of entries that cover more than one line (parenthesised records): folding ranges. */
  multiLine: Span[];
  /** Syntax and per-record diagnostics, in file order. */
  diagnostics: ZoneDiagnostic[];
  /** The zone's origin: the initial or first $ORIGIN, else the owner of the first SOA. */
  zoneOrigin?: string;
  /** Indexed lookups over `records` (the open document gives them: core/documentOwners.ts); features scan `records` without. */
  lookup?: RecordLookup;
}

/** Answers over a parse's records without scanning them all; undefined: ask `records` instead. */
export interface RecordLookup {
  /** The records whose ownerKey is `key`, in file order. */
  recordsAt(key: string): ZoneRecord[] | undefined;
  /**
   * The MX records `pred` accepts, in file order, among those whose target as written may have
   * `firstLabel` (lower case) as its first label (relative or absolute; all when undefined).
   */
  mxWhere(firstLabel: string | undefined, pred: (r: ZoneRecord) => boolean): ZoneRecord[] | undefined;
}
