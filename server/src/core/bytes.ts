/**
 * Octet strings: hex, base64 and comparison. The one home for these helpers; the core has no
 * Node `Buffer`, so everything works on `Uint8Array`.
 */

const HEX = '0123456789abcdef';

/** Each octet as one character (U+0000..U+00FF): map keys, ASCII protocol text. */
export function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

/** Lower-case hex (the form TLSA association data is written in). */
export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i] >> 4] + HEX[b[i] & 15];
  return s;
}

/** The octets of an even-length hex string; undefined for anything else. */
export function fromHex(s: string): Uint8Array | undefined {
  if (s.length & 1 || !/^[0-9a-fA-F]*$/.test(s)) return undefined;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Octet-by-octet order, shorter first on a common prefix (the canonical order of RFC 4034 §6.3). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_VALUE[B64.charCodeAt(i)] = i;

/** Standard base64 with padding (RFC 4648 §4). */
export function toBase64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    s += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < b.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < b.length ? B64[n & 63] : '=');
  }
  return s;
}

/**
 * Strict base64 (RFC 4648 §4; whitespace ignored, `=` only at the end; `url: true` for the
 * `-_` alphabet of §5, padding optional). The octets, or why the text is not base64.
 */
export function fromBase64(s: string, options: { url?: boolean } = {}): Uint8Array | string {
  const out = new Uint8Array(Math.floor((s.length * 3) / 4) + 3);
  let n = 0;
  let acc = 0;
  let bits = 0;
  let pad = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    if (c === 0x3d) { pad++; continue; }
    const ch = options.url ? (c === 0x2d ? 0x2b : c === 0x5f ? 0x2f : c === 0x2b || c === 0x2f ? -1 : c) : c;
    const v = ch >= 0 && ch < 128 ? B64_VALUE[ch] : -1;
    if (v < 0 || pad > 0) {
      const shown = /[\x21-\x7e]/.test(s[i]) ? s[i] : `\\u${c.toString(16).padStart(4, '0')}`;
      return v < 0 ? `\`${shown}\` is not a base64 character` : '`=` in the middle of the base64 data';
    }
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
      acc &= (1 << bits) - 1;
    }
  }
  if (pad > 2 || bits >= 6) return 'the base64 data ends in the middle of a group (the file is cut short?)';
  return out.slice(0, n);
}
