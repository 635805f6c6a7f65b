import { WireWriter } from './writer';

const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX['0123456789abcdef'.charCodeAt(i)] = i;
  HEX['0123456789ABCDEF'.charCodeAt(i)] = i;
}

/** Value of a hex digit, or -1. */
export function hexValue(c: number): number {
  return c < 256 ? HEX[c] : -1;
}

function badHex(text: string): string {
  for (let i = 0; i < text.length; i++) {
    if (hexValue(text.charCodeAt(i)) < 0) return `has \`${text[i]}\`, which is not a hexadecimal digit (0-9, a-f)`;
  }
  return `has an odd number of hex digits (${text.length}): each octet takes two digits`;
}

/** Decodes one hex token (an even number of digits) into `w`. Returns an error message or undefined. */
export function writeHex(w: WireWriter, text: string): string | undefined {
  const n = text.length;
  if (n === 0) return 'is empty';
  if (n & 1) return badHex(text);
  w.ensure(n >> 1);
  const b = w.buf;
  let p = w.pos;
  for (let i = 0; i < n; i += 2) {
    const c1 = text.charCodeAt(i);
    const c2 = text.charCodeAt(i + 1);
    const hi = c1 < 256 ? HEX[c1] : -1;
    const lo = c2 < 256 ? HEX[c2] : -1;
    if ((hi | lo) < 0) return badHex(text);
    b[p++] = (hi << 4) | lo;
  }
  w.pos = p;
  return undefined;
}

const B64 = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;

function b64(c: number): number {
  return c < 128 ? B64[c] : -1;
}

/**
 * Decodes one base64 token (RFC 4648 §4) into `w`. Like Knot, each token must be whole
 * quartets (`AA==`, `Zm8=`, `Zm9v`); padding only ends a quartet.
 */
export function writeBase64(w: WireWriter, text: string): string | undefined {
  const n = text.length;
  if (n === 0) return 'is empty';
  if (n & 3) return `is ${n} characters long: base64 comes in groups of 4 characters (pad the last group with \`=\`)`;
  w.ensure((n >> 2) * 3);
  const b = w.buf;
  let p = w.pos;
  for (let i = 0; i < n; i += 4) {
    const a = b64(text.charCodeAt(i));
    const c2 = b64(text.charCodeAt(i + 1));
    if (a < 0 || c2 < 0) return badBase64(text, i, a < 0 ? 0 : 1);
    const ch3 = text.charCodeAt(i + 2);
    const ch4 = text.charCodeAt(i + 3);
    b[p++] = (a << 2) | (c2 >> 4);
    // RFC 4648 §3.3: padding only ends the data
    if ((ch3 === 0x3d || ch4 === 0x3d) && i + 4 < n) return `has data after the padding \`=\` in \`${text.slice(i, i + 4)}\`: \`=\` may only end the value`;
    if (ch3 === 0x3d) {
      if (ch4 !== 0x3d) return badBase64(text, i, 3);
      continue;
    }
    const c3 = b64(ch3);
    if (c3 < 0) return badBase64(text, i, 2);
    b[p++] = ((c2 & 15) << 4) | (c3 >> 2);
    if (ch4 === 0x3d) continue;
    const c4 = b64(ch4);
    if (c4 < 0) return badBase64(text, i, 3);
    b[p++] = ((c3 & 3) << 6) | c4;
  }
  w.pos = p;
  return undefined;
}

function badBase64(text: string, group: number, k: number): string {
  const ch = text[group + k];
  if (ch === '=') return `has misplaced padding \`=\` in \`${text.slice(group, group + 4)}\`: only the last one or two characters of a group may be \`=\``;
  return `has \`${ch}\`, which is not a base64 character (A-Z, a-z, 0-9, +, /)`;
}

function b32(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x76) return l - 0x61 + 10;
  return -1;
}

/** Valid numbers of data characters in a final base32 group (the rest is `=`). */
const B32_TAIL = [false, false, true, false, true, true, false, true, true];

/**
 * Decodes unpadded base32hex (RFC 4648 §7 without `=`, as RFC 5155 §3.3 writes NSEC3 hashes)
 * into `w`. Returns an error message or undefined.
 */
export function writeBase32HexUnpadded(w: WireWriter, text: string): string | undefined {
  const n = text.length;
  if (n === 0) return 'is empty';
  const eq = text.indexOf('=');
  if (eq >= 0) return 'is padded with `=`: an NSEC3 hash is written without padding (RFC 5155 §3.3); remove the `=`';
  for (let i = 0; i < n; i++) {
    if (b32(text.charCodeAt(i)) < 0) return `has \`${text[i]}\`, which is not a base32hex character (0-9, A-V)`;
  }
  if (!B32_TAIL[n & 7] && (n & 7) !== 0) return `is ${n} characters long: no whole number of octets is ${n} base32hex characters (1, 3 and 6 extra characters cannot occur)`;
  w.ensure(Math.ceil((n * 5) / 8));
  let acc = 0;
  let bits = 0;
  for (let j = 0; j < n; j++) {
    acc = ((acc << 5) | b32(text.charCodeAt(j))) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      w.buf[w.pos++] = (acc >> bits) & 0xff;
    }
  }
  return undefined;
}

/** True when `label` is unpadded base32hex of a whole number of octets (an NSEC3 owner's first label). */
export function isBase32HexLabel(label: string): boolean {
  const n = label.length;
  if (n === 0 || (!B32_TAIL[n & 7] && (n & 7) !== 0)) return false;
  for (let i = 0; i < n; i++) if (b32(label.charCodeAt(i)) < 0) return false;
  return true;
}

