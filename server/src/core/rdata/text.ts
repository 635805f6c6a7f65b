import { WireWriter } from './writer';

/** Result of parsing an unsigned decimal: the value, NOT_NUMBER or TOO_BIG. */
export const NOT_NUMBER = -1;
export const TOO_BIG = -2;

/** Unsigned decimal (digits only, leading zeros allowed) up to `max`. */
export function parseUnsigned(text: string, max: number): number {
  const n = text.length;
  if (n === 0) return NOT_NUMBER;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return NOT_NUMBER;
    v = v * 10 + d;
  }
  return v > max ? TOO_BIG : v;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/**
 * A 32-bit duration as Knot and BIND read SOA timers: a number, or number+unit blocks
 * (`1w2d3h4m5s`; after the first unit every block needs a unit). Returns the value, or an
 * error message.
 */
export function parseDuration(text: string): number | string {
  let total = 0;
  let num = -1;
  let units = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      num = (num < 0 ? 0 : num) * 10 + (c - 0x30);
      if (num > 0xffffffff) return 'is larger than 4294967295';
      continue;
    }
    const unit = UNIT_SECONDS[String.fromCharCode(c | 0x20)];
    if (unit === undefined || num < 0) return 'is not a number of seconds or a duration like 1h30m (units s, m, h, d, w)';
    total += num * unit;
    num = -1;
    units++;
  }
  if (num >= 0) {
    if (units > 0) return 'has a number without a unit after a unit: write every part with its unit, like 1h30m';
    total = num;
  } else if (units === 0) return 'is empty';
  if (total > 0xffffffff) return 'is larger than 4294967295 seconds';
  return total;
}

/** How a character-string is stored. */
export const enum StringMode {
  /** One character-string with its length octet; more than 255 octets is an error. */
  Single,
  /** Character-strings with length octets; text longer than 255 octets is split (Knot does this for TXT). */
  Split,
  /** Raw octets without a length octet (URI target, CAA value, SvcParam values). */
  Raw,
}

/**
 * Decodes the presentation text of a string (RFC 1035 §5.1: `\X` and `\DDD` escapes;
 * UTF-8 for non-ASCII) into `w`. Returns an error message, or undefined.
 */
export function writeString(w: WireWriter, text: string, quoted: boolean, mode: StringMode): string | undefined {
  return writeStringRange(w, text, 0, text.length, quoted, mode);
}

/** Printable ASCII but `\\` and `"`: an octet as it is, in any string (one table load for the common character). */
const AS_IS = new Uint8Array(128);
for (let c = 0x20; c < 0x7f; c++) AS_IS[c] = c === 0x5c || c === 0x22 ? 0 : 1;

/**
 * writeString of `text.slice(from, to)`, without making that string (the parser's fast path).
 * `clean`: the caller knows that range holds no backslash and no `"` (a quoted string the lexer
 * read to its closing quote with no backslash on the way): a run of common characters is then
 * told by one range test a character.
 */
export function writeStringRange(w: WireWriter, text: string, from: number, to: number, quoted: boolean, mode: StringMode, clean = false): string | undefined {
  const n = to - from;
  w.ensure(n * 3 + 2 + (n >> 6));
  const b = w.buf;
  let p = w.pos;
  let lenAt = -1;
  if (mode !== StringMode.Raw) lenAt = p++;
  let len = 0;
  // (Raw: no string is ever full)
  const max = mode === StringMode.Raw ? Infinity : 255;
  for (let i = from; i < to; i++) {
    let c = text.charCodeAt(i);
    if (c < 128 && AS_IS[c] === 1 && len < max) {
      // the common character, as the general case below would write it, and the run of them
      // after it that the string still has room for (one test a character)
      const stop = mode === StringMode.Raw || to - i <= max - len ? to : i + (max - len);
      const at = i;
      b[p++] = c;
      // (printable ASCII is 0x20..0x7e: one unsigned comparison, and `\` and `"` unless clean)
      if (clean) {
        while (++i < stop) {
          c = text.charCodeAt(i);
          if ((c - 0x20) >>> 0 > 0x5e) break;
          b[p++] = c;
        }
      } else {
        while (++i < stop) {
          c = text.charCodeAt(i);
          if ((c - 0x20) >>> 0 > 0x5e || c === 0x5c || c === 0x22) break;
          b[p++] = c;
        }
      }
      len += i - at;
      i--;
      continue;
    }
    if (c === 0x5c) {
      if (i + 1 >= to) return 'ends with a lone backslash: write `\\\\` for a backslash';
      const d = text.charCodeAt(i + 1);
      if (d >= 0x30 && d <= 0x39) {
        const d2 = i + 2 < to ? text.charCodeAt(i + 2) - 0x30 : -1;
        const d3 = i + 3 < to ? text.charCodeAt(i + 3) - 0x30 : -1;
        if (!(d2 >= 0 && d2 <= 9 && d3 >= 0 && d3 <= 9)) {
          return `has the escape \`\\${text.slice(i + 1, Math.min(i + 4, to))}\`: a numeric escape needs exactly three digits (\\DDD)`;
        }
        c = (d - 0x30) * 100 + d2 * 10 + d3;
        if (c > 255) return `has the escape \`\\${text.slice(i + 1, i + 4)}\`, which is not an octet (\\000..\\255)`;
        i += 3;
      } else {
        i++;
        c = d;
        if (c >= 0x80) {
          i--; // encode the escaped non-ASCII character as UTF-8 below
          continue;
        }
      }
    } else if (c < 0x20 || c === 0x7f) {
      if (!(quoted && c === 0x09)) return `contains the control character \\${String(c).padStart(3, '0')}: write it as \\${String(c).padStart(3, '0')}`;
    } else if (c === 0x22 && !quoted) {
      return 'contains an unescaped `"`: write `\\"`, or quote the whole string';
    } else if (c >= 0x80) {
      // UTF-8 of one code point (surrogate pairs joined)
      let cp = c;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
        const lo = text.charCodeAt(i + 1);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          cp = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
          i++;
        }
      }
      const start = len;
      if (cp < 0x800) {
        p = put(b, p, 0xc0 | (cp >> 6));
        p = put(b, p, 0x80 | (cp & 63));
        len += 2;
      } else if (cp < 0x10000) {
        p = put(b, p, 0xe0 | (cp >> 12));
        p = put(b, p, 0x80 | ((cp >> 6) & 63));
        p = put(b, p, 0x80 | (cp & 63));
        len += 3;
      } else {
        p = put(b, p, 0xf0 | (cp >> 18));
        p = put(b, p, 0x80 | ((cp >> 12) & 63));
        p = put(b, p, 0x80 | ((cp >> 6) & 63));
        p = put(b, p, 0x80 | (cp & 63));
        len += 4;
      }
      if (mode !== StringMode.Raw && len > 255) {
        if (mode === StringMode.Single) return tooLong(text);
        // split before this character's octets
        const k = len - start;
        b.copyWithin(p - k + 1, p - k, p);
        b[lenAt] = start;
        lenAt = p - k;
        p++;
        len = k;
      }
      continue;
    }
    if (mode !== StringMode.Raw && len === 255) {
      if (mode === StringMode.Single) return tooLong(text);
      b[lenAt] = 255;
      lenAt = p++;
      len = 0;
    }
    b[p++] = c;
    len++;
  }
  if (lenAt >= 0) b[lenAt] = len;
  w.pos = p;
  return undefined;
}

function put(b: Uint8Array, p: number, v: number): number {
  b[p] = v;
  return p + 1;
}

function tooLong(_text: string): string {
  return 'is longer than 255 octets (a character-string holds at most 255): split it into several strings';
}
