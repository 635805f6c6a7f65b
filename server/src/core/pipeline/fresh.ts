/**
 * What a zone stage makes per RRset or per owner name, on the CLI's records made again from
 * their columns (keptColumns.ts): no V8 allocation site.
 *
 * V8 pretenures an object literal, an array literal or `new Array` (allocates it in the old
 * generation from then on) when, at one garbage collection, nearly all of the objects that site
 * made since the last are still alive. A full collection that ends its incremental marking while
 * a stage's loop runs can see that (the loop's objects made during the marking count as live),
 * in about one run in ten under load. From then on each RRset's context, list or decoded fields
 * were made old and died at once, but they still pointed at young objects (the records made
 * again, their wire views): the scavenger keeps whatever an old object points at, so those were
 * copied and promoted too, ~6.5 MB a scavenge, until the next full collection (heap 90 -> 192
 * MB, peak RSS 280 -> 320-403 MiB). A class instance, an empty `{}` and an array made by a
 * builtin (`Array.of`, `slice`, `filter`) have no allocation site, so they are never pretenured.
 * test/unit/stage-pretenure.test.ts runs the stages under `--stress-incremental-marking` and
 * fails when V8 pretenures a site in them.
 */

/**
 * Never written: an empty array whose elements are already of the kind that holds objects, so
 * its copies take objects without a transition.
 */
const BLANK: unknown[] = [undefined];
BLANK.length = 0;

/**
 * An empty array without an allocation site (see above): a copy of BLANK. (`Array.of()` has none
 * either, but sets `length` through the generic setter: ~5 times slower, ~20-30 ms a stage.)
 */
export function freshList<T>(): T[] {
  return BLANK.slice() as T[];
}

/** An empty result shared by the calls that find nothing (no array made per call). */
export const NOTHING: readonly never[] = Object.freeze([]);
