/**
 * Array helpers for arrays of any length. `a.push(...b)`, `Math.max(...b)` and
 * `a.splice(i, n, ...b)` pass every element as a call argument and throw
 * `RangeError: Maximum call stack size exceeded` once `b` has some 100,000 elements (one
 * `$GENERATE 0-65535` line, a line of 200,000 `)`): use these instead.
 */

/** Appends `items` to `out` (in place) and returns `out`. */
export function append<T>(out: T[], items: readonly T[]): T[] {
  for (let i = 0; i < items.length; i++) out.push(items[i]);
  return out;
}

/** The largest of `items` (-Infinity when empty), like Math.max(...items). */
export function maxOf(items: readonly number[]): number {
  let m = -Infinity;
  for (let i = 0; i < items.length; i++) if (items[i] > m) m = items[i];
  return m;
}

/** `list.splice(start, deleteCount, ...items)` for any number of items (in place). */
export function replaceRange<T>(list: T[], start: number, deleteCount: number, items: readonly T[]): void {
  if (items.length === deleteCount) {
    for (let i = 0; i < items.length; i++) list[start + i] = items[i];
    return;
  }
  if (items.length <= 10_000) {
    list.splice(start, deleteCount, ...items); // (few items: the native move of the tail)
    return;
  }
  const tail = list.slice(start + deleteCount);
  list.length = start;
  append(list, items);
  append(list, tail);
}
