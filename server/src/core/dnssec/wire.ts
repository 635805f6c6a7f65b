import { compareBytes, sameBytes } from '../bytes';
import { WireWriter, writeName } from '../rdata/writer';
import type { DnssecRecord } from './model';

/**
 * DNSSEC canonical form (RFC 4034 §6) on wire data: lower-cased names, the canonical
 * name order, the names inside RDATA that are lower-cased for signing, and readers for
 * the DNSSEC RDATA layouts. Pure functions on Uint8Arrays.
 */

const scratch = new WireWriter();

/** Uncompressed wire form of a normalized absolute name (names.ts form), ASCII lower-cased. */
export function canonicalNameWire(name: string): Uint8Array {
  scratch.reset();
  writeName(scratch, name);
  const out = scratch.buf.slice(0, scratch.pos);
  lowerNameInPlace(out, 0);
  return out;
}

/** Lower-cases the ASCII letters of the uncompressed name at `p`; returns the offset after it. */
export function lowerNameInPlace(d: Uint8Array, p: number): number {
  while (p < d.length) {
    const len = d[p++];
    if (len === 0) return p;
    const end = Math.min(p + len, d.length);
    for (; p < end; p++) {
      const c = d[p];
      if (c >= 0x41 && c <= 0x5a) d[p] = c | 0x20;
    }
  }
  return p;
}

/** Offset after the uncompressed name at p (or d.length when it runs out). */
export function skipName(d: Uint8Array, p: number): number {
  while (p < d.length) {
    const len = d[p++];
    if (len === 0) return p;
    p += len;
  }
  return d.length;
}

/** Number of labels of a wire name, not counting the root nor a leading `*` label (RRSIG Labels, RFC 4034 §3.1.3). */
export function labelCount(wire: Uint8Array): number {
  let n = 0;
  let p = 0;
  let first = true;
  while (p < wire.length && wire[p] !== 0) {
    if (!(first && wire[p] === 1 && wire[p + 1] === 0x2a)) n++;
    first = false;
    p += wire[p] + 1;
  }
  return n;
}

/** The last `n` labels of a wire name (its suffix). */
export function nameSuffix(wire: Uint8Array, n: number): Uint8Array {
  const starts: number[] = [];
  let p = 0;
  while (p < wire.length && wire[p] !== 0) {
    starts.push(p);
    p += wire[p] + 1;
  }
  if (n >= starts.length) return wire;
  return wire.subarray(starts[starts.length - n]);
}

/**
 * A string that sorts (by plain `<`) in the canonical DNS name order of RFC 4034 §6.1:
 * labels from the right, each compared as lower-cased octets, a shorter label first.
 * Each octet becomes the code unit octet+1 and labels are separated by code unit 0.
 */
export function canonicalSortKey(wire: Uint8Array): string {
  const starts: number[] = [];
  let p = 0;
  while (p < wire.length && wire[p] !== 0) {
    starts.push(p);
    p += wire[p] + 1;
  }
  let s = '';
  for (let i = starts.length - 1; i >= 0; i--) {
    const q = starts[i];
    const len = wire[q];
    const codes = new Array<number>(len);
    for (let k = 0; k < len; k++) {
      const c = wire[q + 1 + k];
      codes[k] = (c >= 0x41 && c <= 0x5a ? c | 0x20 : c) + 1;
    }
    s += String.fromCharCode(...codes);
    if (i > 0) s += '\u0000';
  }
  return s;
}

/**
 * Where the names are in the RDATA of the types whose embedded names are lower-cased in
 * canonical form (RFC 4034 §6.2 item 3, without NSEC per RFC 6840 §5.1): a list of steps,
 * a number = skip that many octets, 'n' = a name, 's' = a character-string.
 */
const NAME_LAYOUT: Record<number, (number | 'n' | 's')[]> = {
  2: ['n'], 3: ['n'], 4: ['n'], 5: ['n'], 7: ['n'], 8: ['n'], 9: ['n'], 12: ['n'], 39: ['n'], // NS MD MF CNAME MB MG MR PTR DNAME
  6: ['n', 'n'], 14: ['n', 'n'], 17: ['n', 'n'], // SOA MINFO RP
  15: [2, 'n'], 18: [2, 'n'], 21: [2, 'n'], 36: [2, 'n'], // MX AFSDB RT KX
  26: [2, 'n', 'n'], // PX
  33: [6, 'n'], // SRV
  35: [4, 's', 's', 's', 'n'], // NAPTR
  24: [18, 'n'], 46: [18, 'n'], // SIG RRSIG
  30: ['n'], // NXT
};

/** RDATA in canonical form: a copy with the embedded names lower-cased where RFC 4034 §6.2 says so (the input when nothing changes). */
export function canonicalRdata(type: number, rdata: Uint8Array): Uint8Array {
  const layout = NAME_LAYOUT[type];
  if (!layout) return rdata;
  let p = 0;
  let out: Uint8Array | undefined;
  for (const step of layout) {
    if (p >= rdata.length) break;
    if (typeof step === 'number') p += step;
    else if (step === 's') p += 1 + rdata[p];
    else {
      const end = skipName(rdata, p);
      for (let i = p; i < end; i++) {
        const c = rdata[i];
        if (c >= 0x41 && c <= 0x5a) {
          out ??= rdata.slice();
          break;
        }
      }
      if (out) lowerNameInPlace(out, p);
      p = end;
    }
  }
  return out ?? rdata;
}

export const u16 = (d: Uint8Array, p: number): number => (d[p] << 8) | d[p + 1];
export const u32 = (d: Uint8Array, p: number): number => ((d[p] << 24) | (d[p + 1] << 16) | (d[p + 2] << 8) | d[p + 3]) >>> 0;

export interface Rrsig {
  typeCovered: number;
  algorithm: number;
  labels: number;
  originalTtl: number;
  expiration: number;
  inception: number;
  keyTag: number;
  /** Signer name, wire form, lower-cased. */
  signer: Uint8Array;
  /** RDATA up to the signature, signer lower-cased (the start of the signed data). */
  head: Uint8Array;
  signature: Uint8Array;
}

export function readRrsig(d: Uint8Array): Rrsig | undefined {
  if (d.length < 19) return undefined;
  const end = skipName(d, 18);
  if (end > d.length) return undefined;
  const head = d.slice(0, end);
  lowerNameInPlace(head, 18);
  return {
    typeCovered: u16(d, 0), algorithm: d[2], labels: d[3], originalTtl: u32(d, 4), expiration: u32(d, 8), inception: u32(d, 12),
    keyTag: u16(d, 16), signer: head.subarray(18), head, signature: d.subarray(end),
  };
}

export interface Dnskey {
  flags: number;
  protocol: number;
  algorithm: number;
  key: Uint8Array;
  keyTag: number;
}

export function readDnskey(d: Uint8Array): Dnskey | undefined {
  if (d.length < 4) return undefined;
  return { flags: u16(d, 0), protocol: d[2], algorithm: d[3], key: d.subarray(4), keyTag: keyTag(d) };
}

/** The key tag of DNSKEY RDATA (RFC 4034 Appendix B; algorithm 1 uses its own rule). */
export function keyTag(d: Uint8Array): number {
  if (d.length >= 4 && d[3] === 1) return d.length >= 4 ? u16(d, d.length - 3) : 0;
  let ac = 0;
  for (let i = 0; i < d.length; i++) ac += i & 1 ? d[i] : d[i] << 8;
  ac += (ac >> 16) & 0xffff;
  return ac & 0xffff;
}

/** The types listed in an NSEC/NSEC3 type bitmap starting at p (RFC 4034 §4.1.2). */
export function readBitmap(d: Uint8Array, p: number): number[] {
  const out: number[] = [];
  while (p + 2 <= d.length) {
    const win = d[p];
    const len = d[p + 1];
    p += 2;
    for (let i = 0; i < len && p + i < d.length; i++) {
      const b = d[p + i];
      for (let bit = 0; bit < 8; bit++) if (b & (0x80 >> bit)) out.push(win * 256 + i * 8 + bit);
    }
    p += len;
  }
  return out;
}

export interface Nsec3 {
  hashAlgorithm: number;
  flags: number;
  iterations: number;
  salt: Uint8Array;
  next: Uint8Array;
  types: number[];
}

export function readNsec3(d: Uint8Array): Nsec3 | undefined {
  if (d.length < 5) return undefined;
  const saltLen = d[4];
  const hp = 5 + saltLen;
  if (hp >= d.length) return undefined;
  const hashLen = d[hp];
  if (hp + 1 + hashLen > d.length) return undefined;
  return {
    hashAlgorithm: d[0], flags: d[1], iterations: u16(d, 2), salt: d.subarray(5, hp), next: d.subarray(hp + 1, hp + 1 + hashLen),
    types: readBitmap(d, hp + 1 + hashLen),
  };
}

const B32HEX = '0123456789abcdefghijklmnopqrstuv';

/** Lower-case base32hex without padding (NSEC3 owner labels, RFC 5155 §3.3). */
export function base32hex(d: Uint8Array): string {
  let s = '';
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < d.length; i++) {
    acc = (acc << 8) | d[i];
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      s += B32HEX[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) s += B32HEX[(acc << (5 - bits)) & 31];
  return s;
}

export function concatBytes(parts: Uint8Array[], total?: number): Uint8Array {
  let n = total ?? 0;
  if (total === undefined) for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The fixed part of an RR after its owner: type, class, TTL, RDLENGTH. */
export function rrHeader(type: number, cls: number, ttl: number, rdlen: number): Uint8Array {
  return Uint8Array.of(type >> 8, type & 0xff, cls >> 8, cls & 0xff, ttl >>> 24, (ttl >>> 16) & 0xff, (ttl >>> 8) & 0xff, ttl & 0xff, rdlen >> 8, rdlen & 0xff);
}

/** The RDATA of an RRset in canonical order, duplicates removed, each with its RDLENGTH (the part after owner/type/class/TTL). */
export function rrsetBody(type: number, cls: number, rrset: DnssecRecord[]): { type: number; cls: number; rdatas: Uint8Array[] } {
  const rdatas = rrset.map((r) => canonicalRdata(type, r.wire!)).sort(compareBytes);
  const unique: Uint8Array[] = [];
  for (const d of rdatas) if (unique.length === 0 || !sameBytes(unique[unique.length - 1], d)) unique.push(d);
  return { type, cls, rdatas: unique };
}

/** RFC 4034 §3.1.8.1: RRSIG RDATA (without the signature) then each RR with the original TTL. */
export function signedData(sig: Rrsig, owner: Uint8Array, body: { type: number; cls: number; rdatas: Uint8Array[] }): Uint8Array {
  let total = sig.head.length;
  for (const d of body.rdatas) total += owner.length + 10 + d.length;
  const out = new Uint8Array(total);
  out.set(sig.head);
  let p = sig.head.length;
  const ttl = sig.originalTtl;
  for (const d of body.rdatas) {
    out.set(owner, p);
    p += owner.length;
    out.set(rrHeader(body.type, body.cls, ttl, d.length), p);
    p += 10;
    out.set(d, p);
    p += d.length;
  }
  return out;
}

/** `*.` + the last `labels` labels of the owner (RFC 4035 §5.3.2). */
export function wildcardOf(owner: Uint8Array, labels: number): Uint8Array {
  const suffix = nameSuffix(owner, labels);
  const out = new Uint8Array(2 + suffix.length);
  out[0] = 1;
  out[1] = 0x2a;
  out.set(suffix, 2);
  return out;
}
