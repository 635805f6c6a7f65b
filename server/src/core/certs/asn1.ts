/**
 * A minimal DER reader, for what @peculiar/x509 and its ASN.1 schemas do not give: the exact
 * octets TLSA hashes where the library re-encodes (a certificate's SubjectPublicKeyInfo, each
 * certificate of a PKCS#7 bundle), the outer shape of a block before it is parsed (so each
 * kind of file gets its own message), and "cut short" lengths. Pure; no function here throws:
 * malformed input gives undefined.
 */

/** One DER tag-length-value: offsets into the buffer it was read from. */
export interface Tlv {
  /** The identifier octet (class, constructed bit and tag number; low-tag-number form only). */
  tag: number;
  /** Offset of the identifier octet. */
  start: number;
  /** Offset of the first content octet. */
  body: number;
  /** Offset just past the last content octet. */
  end: number;
}

export const TAG_INTEGER = 0x02;
export const TAG_BIT_STRING = 0x03;
export const TAG_OCTET_STRING = 0x04;
export const TAG_OID = 0x06;
export const TAG_SEQUENCE = 0x30;

/** The TLV at `p`, when it is well-formed DER and fits before `limit`. */
export function readTlv(d: Uint8Array, p: number, limit = d.length): Tlv | undefined {
  if (p + 2 > limit) return undefined;
  const tag = d[p];
  if ((tag & 0x1f) === 0x1f) return undefined; // high-tag-number form: not used by X.509
  const l = d[p + 1];
  let len: number;
  let body: number;
  if (l < 0x80) {
    len = l;
    body = p + 2;
  } else {
    const n = l & 0x7f;
    if (n === 0 || n > 4 || p + 2 + n > limit) return undefined; // indefinite length is BER, not DER
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + d[p + 2 + i];
    body = p + 2 + n;
  }
  const end = body + len;
  if (end > limit) return undefined;
  return { tag, start: p, body, end };
}

/**
 * The length a TLV at `p` announces (header included), even when the buffer is shorter:
 * for "cut short" messages. Undefined when even the header cannot be read.
 */
export function announcedLength(d: Uint8Array, p = 0): number | undefined {
  if (p + 2 > d.length) return undefined;
  const l = d[p + 1];
  if (l < 0x80) return 2 + l;
  const n = l & 0x7f;
  if (n === 0 || n > 4 || p + 2 + n > d.length) return undefined;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + d[p + 2 + i];
  return 2 + n + len;
}

/** The TLVs that exactly tile the content of `t`; undefined when they do not. */
export function children(d: Uint8Array, t: Tlv): Tlv[] | undefined {
  const out: Tlv[] = [];
  let p = t.body;
  while (p < t.end) {
    const c = readTlv(d, p, t.end);
    if (!c) return undefined;
    out.push(c);
    p = c.end;
  }
  return out;
}

/** The TLV that covers all of `d` (a whole DER file), or undefined. */
export function whole(d: Uint8Array): Tlv | undefined {
  const t = readTlv(d, 0);
  return t && t.end === d.length ? t : undefined;
}

/** The children of a SEQUENCE that covers `t`, or undefined when `t` is not one. */
export function sequence(d: Uint8Array, t: Tlv | undefined): Tlv[] | undefined {
  if (!t || t.tag !== TAG_SEQUENCE) return undefined;
  return children(d, t);
}

export function bytesOf(d: Uint8Array, t: Tlv): Uint8Array {
  return d.subarray(t.start, t.end);
}

/** Dotted form of an OBJECT IDENTIFIER's content, or undefined. */
export function oidOf(d: Uint8Array, t: Tlv | undefined): string | undefined {
  if (!t || t.tag !== TAG_OID || t.end <= t.body) return undefined;
  const parts: number[] = [];
  let v = 0;
  for (let i = t.body; i < t.end; i++) {
    v = v * 128 + (d[i] & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 256) return undefined;
    if (!(d[i] & 0x80)) {
      if (parts.length === 0) {
        const first = v < 80 ? Math.floor(v / 40) : 2;
        parts.push(first, v - first * 40);
      } else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let p = 0;
  for (const x of parts) { out.set(x, p); p += x.length; }
  return out;
}

// The octet helpers live in core/bytes.ts (re-exported for this layer's modules).
export { fromHex, sameBytes, toHex } from '../bytes';
