/**
 * The tokens a compact record (compactRecord.ts) has made, kept aside from it: a record holds
 * no token field, so the million records of a document or a CLI run cost nothing for tokens
 * until one is asked for. A streaming record keeps its RDATA tokens once read; a document's
 * record keeps every token it made (`Kept`, moved with its chunk's start) while it is among the
 * last RECENT records asked, so a feature that compares tokens by identity sees the same ones,
 * and a zone stage reading every record keeps none of them.
 */
import { Token } from '../types';

/** The record's `bits` flag: its tokens are in `partsOf`. */
export const PARTS = 1 << 30;

/** A record as this module sees it: the flag word it marks. */
interface Holder {
  bits: number;
}

/** The tokens made of a document's record (the same objects each time while kept), as of the frame's start `at`. */
export interface Kept {
  at: number;
  /** Owner, TTL, class and type tokens, made when asked for. */
  head: (Token | undefined)[];
  rdata: Token[] | undefined;
}

/** How many records of documents keep their tokens once made (the last asked). */
const RECENT = 4096;

/** The tokens made of a record (RDATA tokens streaming; Kept for a document's record), once asked for. */
export const partsOf = new WeakMap<Holder, Token[] | Kept>();

/** Records whose tokens are kept, as a ring (weak: a closed document's records are not held). */
const recent: (WeakRef<Holder> | undefined)[] = [];
let next = 0;

function remember(r: Holder): void {
  const old = recent[next]?.deref();
  if (old !== undefined && old !== r) forgetTokens(old);
  recent[next] = new WeakRef(r);
  next = (next + 1) % RECENT;
}

/** Drops the tokens a record made. */
export function forgetTokens(r: Holder): void {
  if (r.bits & PARTS) partsOf.delete(r);
  r.bits &= ~PARTS;
}

/**
 * A document's record: the tokens made so far (kept while the record is among the RECENT last
 * asked), moved to the frame's current start `at`.
 */
export function keptTokens(r: Holder, at: number): Kept {
  let k = partsOf.get(r) as Kept | undefined;
  if (k === undefined) {
    k = { at, head: [undefined, undefined, undefined, undefined], rdata: undefined };
    partsOf.set(r, k);
    r.bits |= PARTS;
    remember(r);
  } else if (k.at !== at) {
    const d = at - k.at;
    for (const t of k.head) if (t) { t.start += d; t.end += d; }
    if (k.rdata) for (const t of k.rdata) { t.start += d; t.end += d; }
    k.at = at;
  }
  return k;
}
