import { EntryScan } from './lexer';
import { parseTypeMnemonic } from './rrtypes';

/** Type mnemonics read without making a string: packed upper-case ASCII → type code (-1: not a type). */
const typeCache = new Map<number, number>();
/**
 * In front of typeCache, the mnemonics read last by a hash of their characters (a zone names a
 * few types over and over): the packed key, and its code + 2 (0: an empty slot). A slot holds
 * what typeCache said for that key, so a hit is its answer without a Map lookup.
 */
const recentKeys = new Float64Array(256);
const recentCodes = new Int32Array(256);

/**
 * The type code token `i` of a scanned entry names, -1 when none (the parser's type field): a
 * short ASCII mnemonic is read from the scan's text without making a string.
 */
export function typeCodeAt(s: EntryScan, i: number): number {
  let key = 0;
  let slot = 0;
  if (!s.given && s.ends[i] - s.starts[i] <= 7) {
    const text = s.text;
    for (let p = s.starts[i]; p < s.ends[i]; p++) {
      let c = text.charCodeAt(p);
      if (c >= 0x80 || c === 0) { key = 0; break; }
      if (c >= 0x61 && c <= 0x7a) c -= 0x20;
      key = key * 128 + c;
      slot = (slot * 31 + c) & 0xff;
    }
    if (key !== 0 && recentKeys[slot] === key && recentCodes[slot] !== 0) return recentCodes[slot] - 2;
    const known = key === 0 ? undefined : typeCache.get(key);
    if (known !== undefined) {
      recentKeys[slot] = key;
      recentCodes[slot] = known + 2;
      return known;
    }
  }
  const code = parseTypeMnemonic(s.textOf(i))?.code ?? -1;
  if (key !== 0) typeCache.set(key, code);
  return code;
}
