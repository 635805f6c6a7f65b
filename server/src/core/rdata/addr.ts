import { hexValue } from './codec';

/**
 * IPv4 dotted-decimal (exactly four decimal parts 0..255, no leading zeros, like inet_pton)
 * into out[off..off+4). Returns false when the text is not such an address.
 */
export function parseIPv4Into(text: string, out: Uint8Array, off: number): boolean {
  return parseIPv4Range(text, 0, text.length, out, off);
}

/** parseIPv4Into of `text.slice(from, to)`, without making that string. */
export function parseIPv4Range(text: string, from: number, to: number, out: Uint8Array, off: number): boolean {
  const n = to - from;
  if (n < 7 || n > 15) return false;
  let part = 0;
  let digits = 0;
  let v = 0;
  for (let i = from; i <= to; i++) {
    const c = i < to ? text.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (digits === 0 || part > 3) return false;
      out[off + part++] = v;
      digits = 0;
      v = 0;
      continue;
    }
    const d = c - 0x30;
    if (d < 0 || d > 9) return false;
    if (digits > 0 && v === 0) return false; // leading zero
    v = v * 10 + d;
    if (v > 255) return false;
    digits++;
  }
  return part === 4;
}

const words = new Uint16Array(8);
const v4 = new Uint8Array(4);

/** IPv6 text form (RFC 4291 §2.2, with `::` and a trailing dotted IPv4) into out[off..off+16). */
export function parseIPv6Into(text: string, out: Uint8Array, off: number): boolean {
  return parseIPv6Range(text, 0, text.length, out, off);
}

/** parseIPv6Into of `text.slice(from, n)`, without making that string. */
export function parseIPv6Range(text: string, from: number, n: number, out: Uint8Array, off: number): boolean {
  if (n - from < 2 || n - from > 45) return false;
  let count = 0;
  let gap = -1;
  let i = from;
  if (text.charCodeAt(from) === 0x3a) {
    if (text.charCodeAt(from + 1) !== 0x3a) return false;
    gap = 0;
    i = from + 2;
  }
  while (i < n) {
    let j = i;
    let v = 0;
    while (j < n && j - i < 5) {
      const h = hexValue(text.charCodeAt(j));
      if (h < 0) break;
      v = (v << 4) | h;
      j++;
    }
    if (j < n && text.charCodeAt(j) === 0x2e) {
      // embedded IPv4 in the last 32 bits
      if (count > 6 || !parseIPv4Range(text, i, n, v4, 0)) return false;
      words[count++] = (v4[0] << 8) | v4[1];
      words[count++] = (v4[2] << 8) | v4[3];
      i = n;
      break;
    }
    if (j === i || j - i > 4 || count >= 8) return false;
    words[count++] = v;
    if (j === n) break;
    if (text.charCodeAt(j) !== 0x3a) return false;
    j++;
    if (j < n && text.charCodeAt(j) === 0x3a) {
      if (gap >= 0) return false;
      gap = count;
      j++;
    } else if (j === n) return false;
    i = j;
  }
  if (gap >= 0) {
    if (count > 7) return false;
    const tail = count - gap;
    for (let k = 0; k < 8; k++) {
      let val = 0;
      if (k < gap) val = words[k];
      else if (k >= 8 - tail) val = words[gap + (k - (8 - tail))];
      out[off + 2 * k] = val >> 8;
      out[off + 2 * k + 1] = val & 0xff;
    }
    return true;
  }
  if (count !== 8) return false;
  for (let k = 0; k < 8; k++) {
    out[off + 2 * k] = words[k] >> 8;
    out[off + 2 * k + 1] = words[k] & 0xff;
  }
  return true;
}

/** `count` hex pairs joined by `-` (EUI-48/EUI-64, RFC 7043) into out. */
export function parseEuiInto(text: string, count: number, out: Uint8Array, off: number): boolean {
  if (text.length !== count * 3 - 1) return false;
  for (let k = 0; k < count; k++) {
    const i = k * 3;
    const hi = hexValue(text.charCodeAt(i));
    const lo = hexValue(text.charCodeAt(i + 1));
    if (hi < 0 || lo < 0) return false;
    if (k < count - 1 && text.charCodeAt(i + 2) !== 0x2d) return false;
    out[off + k] = (hi << 4) | lo;
  }
  return true;
}

/** Four groups of four hex digits joined by `:` (ILNP NID/L64, RFC 6742) into out. */
export function parseIlnp64Into(text: string, out: Uint8Array, off: number): boolean {
  if (text.length !== 19) return false;
  for (let g = 0; g < 4; g++) {
    const i = g * 5;
    let v = 0;
    for (let k = 0; k < 4; k++) {
      const h = hexValue(text.charCodeAt(i + k));
      if (h < 0) return false;
      v = (v << 4) | h;
    }
    if (g < 3 && text.charCodeAt(i + 4) !== 0x3a) return false;
    out[off + 2 * g] = v >> 8;
    out[off + 2 * g + 1] = v & 0xff;
  }
  return true;
}
