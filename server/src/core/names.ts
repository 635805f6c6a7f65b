/**
 * Domain names in master-file presentation form (RFC 1035 §5.1, RFC 4343).
 *
 * A parsed name is kept as a normalized absolute presentation string: labels joined by
 * dots, trailing dot, case preserved, characters that need it escaped (`\.`, `\\`, `\"`,
 * `\DDD` for non-printables). Grouping uses `nameKey()`, its ASCII-lowercased form.
 */

export interface NameParse {
  /** Normalized absolute name ending in '.', when the text is a valid name. */
  name?: string;
  /** Why the text is not a valid name. */
  error?: string;
  /** The code of that error: `invalid-name` or `relative-name-no-origin`. */
  code?: 'invalid-name' | 'relative-name-no-origin';
}

const MAX_LABEL = 63;
const utf8 = new TextEncoder();
const MAX_NAME = 255;

/** Characters allowed unescaped in a label (Knot's set: letters, digits, `-`, `_`, `/`, `*`, and 8-bit bytes). */
function plainLabelChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) ||
    c === 0x2d || c === 0x5f || c === 0x2f || c === 0x2a || c >= 0x80
  );
}

/** Presentation form of one octet inside a label. */
function escapeOctet(b: number): string {
  if (plainLabelChar(b) && b < 0x80) return String.fromCharCode(b);
  if (b > 0x20 && b < 0x7f) return '\\' + String.fromCharCode(b);
  return '\\' + String(b).padStart(3, '0');
}

/**
 * Parses a name token. `@` is the origin; a name without a trailing dot is relative to
 * `origin` (which must be absolute, normalized). Never throws.
 */
export function parseName(text: string, origin: string | undefined): NameParse {
  if (text === '@') {
    if (origin === undefined) return { error: '`@` used before any $ORIGIN is known', code: 'relative-name-no-origin' };
    return { name: origin };
  }
  if (text === '.') return { name: '.' };
  if (text.length === 0) return { error: 'empty name', code: 'invalid-name' };

  // Fast path: only plain characters and single dots.
  let simple = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) continue;
    if (!plainLabelChar(c) || c >= 0x80) { simple = false; break; }
  }
  if (simple) {
    let labelLen = 0;
    let wireLen = 1;
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 0x2e) {
        if (labelLen === 0) return { error: `empty label in \`${text}\` (two dots, or a leading dot)`, code: 'invalid-name' };
        wireLen += labelLen + 1;
        labelLen = 0;
      } else if (++labelLen > MAX_LABEL) {
        return { error: `label longer than ${MAX_LABEL} octets in \`${short(text)}\``, code: 'invalid-name' };
      }
    }
    const absolute = labelLen === 0;
    if (!absolute) wireLen += labelLen + 1;
    return finish(text, absolute, wireLen, origin);
  }
  return parseEscaped(text, origin);
}

/** Label characters (plainLabelChar's ASCII part): 1; the dot: 2. */
const SIMPLE = new Uint8Array(128);
for (let c = 0; c < 128; c++) SIMPLE[c] = c === 0x2e ? 2 : plainLabelChar(c) ? 1 : 0;

let dotOrigin = '';
let dotOriginOf: string | undefined;

/**
 * parseName(text.slice(from, to), origin).name for the common name (plain characters and single
 * dots, valid, absolute or with an origin), without making the token's string first or a result
 * object: one pass, and the name is the token's text and the origin joined once. Undefined for
 * anything else (`@`, `.`, escapes, an error): parseName reads it and explains.
 */
export function simpleNameAt(text: string, from: number, to: number, origin: string | undefined): string | undefined {
  if (to <= from) return undefined;
  let labelLen = 0;
  let wireLen = 1;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    const k = c < 128 ? SIMPLE[c] : 0;
    if (k === 1) {
      if (++labelLen > MAX_LABEL) return undefined;
    } else if (k === 2 && labelLen > 0) {
      wireLen += labelLen + 1;
      labelLen = 0;
    } else return undefined;
  }
  if (labelLen === 0) return wireLen > MAX_NAME ? undefined : text.slice(from, to);
  if (origin === undefined || wireLen + labelLen + originWireLength(origin) > MAX_NAME) return undefined;
  if (origin !== dotOriginOf) {
    dotOrigin = origin === '.' ? '.' : '.' + origin;
    dotOriginOf = origin;
  }
  return text.slice(from, to) + dotOrigin;
}

function short(text: string): string {
  return text.length > 40 ? text.slice(0, 37) + '…' : text;
}

function finish(pres: string, absolute: boolean, wireLen: number, origin: string | undefined): NameParse {
  if (absolute) {
    if (wireLen > MAX_NAME) return { error: `name is ${wireLen} octets long; the limit is ${MAX_NAME}`, code: 'invalid-name' };
    return { name: pres };
  }
  if (origin === undefined) {
    return { error: `relative name \`${short(pres)}\` used before any $ORIGIN is known`, code: 'relative-name-no-origin' };
  }
  const total = wireLen - 1 + originWireLength(origin);
  if (total > MAX_NAME) {
    return { error: `name is ${total} octets long after appending the origin ${origin}; the limit is ${MAX_NAME}`, code: 'invalid-name' };
  }
  return { name: origin === '.' ? pres + '.' : pres + '.' + origin };
}

function parseEscaped(text: string, origin: string | undefined): NameParse {
  const labels: string[] = [];
  let cur = '';
  let curLen = 0;
  let wireLen = 1;
  let absolute = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) {
      // escape
      if (i + 1 >= text.length) return { error: 'name ends with a lone backslash', code: 'invalid-name' };
      const d1 = text.charCodeAt(i + 1);
      let octet: number;
      if (d1 >= 0x30 && d1 <= 0x39) {
        const digits = text.slice(i + 1, i + 4);
        if (!/^[0-9]{3}$/.test(digits)) return { error: `\`\\${digits}\`: a numeric escape needs exactly three digits (\\DDD)`, code: 'invalid-name' };
        octet = Number(digits);
        if (octet > 255) return { error: `\`\\${digits}\` is not an octet (0..255)`, code: 'invalid-name' };
        i += 3;
      } else {
        octet = d1;
        if (octet > 0xff) {
          // non-Latin-1 character after a backslash: take its UTF-8 bytes
          const bytes = utf8.encode(String.fromCodePoint(text.codePointAt(i + 1)!));
          for (const b of bytes) cur += escapeOctet(b);
          curLen += bytes.length;
          i += String.fromCodePoint(text.codePointAt(i + 1)!).length;
          continue;
        }
        i += 1;
      }
      cur += escapeOctet(octet);
      curLen++;
    } else if (c === 0x2e) {
      if (curLen === 0) return { error: `empty label in \`${short(text)}\` (two dots, or a leading dot)`, code: 'invalid-name' };
      labels.push(cur);
      wireLen += curLen + 1;
      cur = '';
      curLen = 0;
      if (i === text.length - 1) absolute = true;
    } else if (plainLabelChar(c)) {
      if (c >= 0x80) {
        const cp = text.codePointAt(i)!;
        const s = String.fromCodePoint(cp);
        const bytes = utf8.encode(s);
        for (const b of bytes) cur += escapeOctet(b);
        curLen += bytes.length;
        i += s.length - 1;
      } else {
        cur += text[i];
        curLen++;
      }
    } else if (c > 0x20 && c < 0x7f && c !== 0x22 && c !== 0x28 && c !== 0x29 && c !== 0x3b) {
      // RFC 1035 §5.1: only `.`, `\`, `(`, `)`, `;`, `"` and white space are special in a
      // master file (the lexer already split on the others), so `!`, `#`, `%`, `&`, `[`, `?`…
      // are ordinary label characters (BIND, NSD, PowerDNS agree; Knot wants them escaped).
      cur += escapeOctet(c);
      curLen++;
    } else {
      const ch = c < 0x20 || c === 0x7f ? `\\${String(c).padStart(3, '0')}` : text[i];
      return { error: `character \`${ch}\` must be escaped in a name (write \\${c < 0x20 ? String(c).padStart(3, '0') : text[i]})`, code: 'invalid-name' };
    }
    if (curLen > MAX_LABEL) return { error: `label longer than ${MAX_LABEL} octets in \`${short(text)}\``, code: 'invalid-name' };
  }
  if (curLen > 0) {
    labels.push(cur);
    wireLen += curLen + 1;
  }
  return finish(labels.join('.') + (absolute ? '.' : ''), absolute, wireLen, origin);
}

/** Case-insensitive key of a normalized name (RFC 4343: ASCII letters only). */
export function nameKey(name: string): string {
  return name.toLowerCase();
}

/** The labels of a normalized absolute name, still in presentation form. */
export function nameLabels(name: string): string[] {
  if (name === '.') return [];
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < name.length; i++) {
    const ch = name[i];
    if (ch === '\\') {
      const n = name.charCodeAt(i + 1);
      if (n >= 0x30 && n <= 0x39) { cur += name.slice(i, i + 4); i += 3; } else { cur += name.slice(i, i + 2); i += 1; }
    } else if (ch === '.') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

function labelOctets(label: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    if (c === 0x5c) {
      const n = label.charCodeAt(i + 1);
      if (n >= 0x30 && n <= 0x39) { out.push(Number(label.slice(i + 1, i + 4))); i += 3; } else { out.push(n); i += 1; }
    } else out.push(c);
  }
  return out;
}

/** Uncompressed wire form (RFC 1035 §3.1) of a normalized absolute name. */
export function nameToWire(name: string): Uint8Array {
  const out: number[] = [];
  for (const label of nameLabels(name)) {
    const o = labelOctets(label);
    out.push(o.length, ...o);
  }
  out.push(0);
  return Uint8Array.from(out);
}

let lastOrigin: string | undefined;
let lastOriginLength = 0;

/** wireLengthOf(origin), remembered for the last origin (every relative name of a zone asks it). */
function originWireLength(origin: string): number {
  if (origin !== lastOrigin) {
    lastOriginLength = wireLengthOf(origin);
    lastOrigin = origin;
  }
  return lastOriginLength;
}

export function wireLengthOf(name: string): number {
  let n = 1;
  for (const label of nameLabels(name)) n += labelOctets(label).length + 1;
  return n;
}

/** True when `name` equals `zone` or lies below it (both normalized absolute). */
export function isAtOrBelow(name: string, zone: string): boolean {
  const n = nameKey(name);
  const z = nameKey(zone);
  if (z === '.') return true;
  return n === z || (n.endsWith('.' + z) && !n.endsWith('\\.' + z));
}

/** `name` written relative to `origin` where it lies below it (for display). */
export function relativize(name: string, origin: string | undefined): string {
  if (!origin || origin === '.') return name;
  if (nameKey(name) === nameKey(origin)) return '@';
  if (isAtOrBelow(name, origin)) return name.slice(0, name.length - origin.length - 1);
  return name;
}

/** Presentation form of one octet in a label, as parseName normalizes it. */
function labelOctet(b: number): string {
  const plain = (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x5f || b === 0x2f || b === 0x2a;
  if (plain) return String.fromCharCode(b);
  if (b > 0x20 && b < 0x7f) return '\\' + String.fromCharCode(b);
  return '\\' + String(b).padStart(3, '0');
}

/** The normalized absolute name at `p` in uncompressed wire data, or undefined. */
export function wireName(d: Uint8Array, p: number): string | undefined {
  const labels: string[] = [];
  for (let guard = 0; guard < 128; guard++) {
    if (p >= d.length) return undefined;
    const len = d[p];
    if (len === 0) return labels.length ? labels.join('.') + '.' : '.';
    if (len & 0xc0 || p + 1 + len > d.length) return undefined;
    let s = '';
    for (let i = p + 1; i <= p + len; i++) s += labelOctet(d[i]);
    labels.push(s);
    p += len + 1;
  }
  return undefined;
}
