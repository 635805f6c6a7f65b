/**
 * An owner key read as characters, without its string (pipeline/keptColumns.ts keeps the CLI's
 * kept records' keys as characters in slabs, not as strings): what the DANE and mail-policy
 * stages read where they only test a key's start or look it up in a table of their own.
 */

/**
 * An owner key's characters, read without making its string (RecordRows.ownerText): `codes[at]`
 * to `codes[at + n - 1]` for the `n` the reader returned. `codes` is the reader's own array (a
 * column store's slab: nothing copied) or this object's (`own`, a key copied from its string).
 */
export class KeyText {
  codes: Uint16Array;
  at = 0;
  private own = new Uint16Array(256);
  constructor() {
    this.codes = this.own;
  }
  /** `codes` is the reader's, kept as long as the store that lent it (not overwritten by the next key read). */
  get lent(): boolean {
    return this.codes !== this.own;
  }
  /** Points at `n` characters of `codes` from `at`, lent by their store. */
  lend(codes: Uint16Array, at: number): void {
    this.codes = codes;
    this.at = at;
  }
  /** `codes` is this object's own array, with room for `n` characters from 0. */
  fit(n: number): Uint16Array {
    if (n > this.own.length) this.own = new Uint16Array(Math.max(n, 2 * this.own.length));
    this.codes = this.own;
    this.at = 0;
    return this.own;
  }
}

/** Copies `key` into `into`; returns its length (RecordRows.ownerText of a key held as a string). */
export function textOf(key: string, into: KeyText): number {
  const n = key.length;
  const codes = into.fit(n);
  for (let j = 0; j < n; j++) codes[j] = key.charCodeAt(j);
  return n;
}

/** The `n` characters in `t` start with `prefix`. */
export function textStartsWith(t: KeyText, n: number, prefix: string): boolean {
  if (n < prefix.length) return false;
  const codes = t.codes, at = t.at;
  for (let j = 0; j < prefix.length; j++) if (codes[at + j] !== prefix.charCodeAt(j)) return false;
  return true;
}

/** The `m` characters of `a` end with the `n` of `b`. */
export function textEndsWith(a: KeyText, m: number, b: KeyText, n: number): boolean {
  if (m < n) return false;
  const x = a.codes, y = b.codes, ax = a.at + m - n, by = b.at;
  for (let j = 0; j < n; j++) if (x[ax + j] !== y[by + j]) return false;
  return true;
}

/** The characters `from` to `end` in `t`, as a string. */
export function textString(t: KeyText, from: number, end: number): string {
  return String.fromCharCode.apply(null, t.codes.subarray(t.at + from, t.at + end) as unknown as number[]);
}
