/**
 * DER structure checks for TLSA full data (matching type 0, RFC 6698 §2.1.3): selector 0
 * must be a whole X.509 Certificate, selector 1 a SubjectPublicKeyInfo, as the ASN.1 schemas
 * of @peculiar/asn1-x509 read them (the certificate layer, ../certs, uses the same library).
 * Pure: bytes in, a message or undefined out. Never throws. The schemas load on the first
 * structure that reaches them (certs/lib.ts).
 */
import { asn1Lib } from '../certs/lib';

export type DerKind = 'certificate' | 'spki';

const WHAT: Record<DerKind, string> = {
  certificate: 'a certificate',
  spki: 'a SubjectPublicKeyInfo',
};

const SELECTOR: Record<DerKind, number> = { certificate: 0, spki: 1 };

/** Outer TLV of DER data: the total length it announces, or a problem. */
function outerLength(d: Uint8Array): number | string {
  if (d.length < 2) return `${d.length} octet${d.length === 1 ? '' : 's'} cannot hold an ASN.1 structure`;
  if (d[0] !== 0x30) return `it does not start with an ASN.1 SEQUENCE (first octet 0x${d[0].toString(16).padStart(2, '0')}, expected 0x30)`;
  const l = d[1];
  if (l < 0x80) return 2 + l;
  if (l === 0x80) return 'it uses the BER indefinite length form, which DER does not allow';
  const n = l & 0x7f;
  if (n > 4) return `its length field is ${n} octets long`;
  if (d.length < 2 + n) return 'the data ends inside the length field';
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + d[2 + i];
  if (len < 0x80 || (n > 1 && d[2] === 0)) return 'its length is not in the shortest (DER) form';
  return 2 + n + len;
}

function parses(d: Uint8Array, kind: DerKind): string | undefined {
  try {
    const { AsnConvert, Certificate, SubjectPublicKeyInfo } = asn1Lib();
    if (kind === 'certificate') AsnConvert.parse(d, Certificate);
    else AsnConvert.parse(d, SubjectPublicKeyInfo);
    return undefined;
  } catch (e) {
    const m = e instanceof Error ? e.message : String(e);
    return m.replace(/\.$/, '') || 'unknown ASN.1 error';
  }
}

/**
 * Checks that `data` is exactly one DER `expected` structure. Returns undefined when it is,
 * else a sentence saying what was found and what selector `expected` stands for.
 */
export function checkDer(data: Uint8Array, expected: DerKind): string | undefined {
  try {
    return check(data, expected);
  } catch (e) {
    return `the data could not be read as ASN.1 (${e instanceof Error ? e.message : String(e)})`;
  }
}

function check(data: Uint8Array, expected: DerKind): string | undefined {
  const sel = SELECTOR[expected];
  const want = `selector ${sel} with matching type 0 expects ${WHAT[expected]} in DER`;
  if (data.length === 32 || data.length === 64) {
    // A digest put under matching type 0 is the common slip; say so when it is not DER at all.
    if (typeof outerLength(data) === 'string' || outerLength(data) !== data.length) {
      return `the data is ${data.length} octets, the size of a ${data.length === 32 ? 'SHA2-256' : 'SHA2-512'} digest, but ${want}: ` +
        `use matching type ${data.length === 32 ? 1 : 2} for a digest`;
    }
  }
  const total = outerLength(data);
  if (typeof total === 'string') return `this is not DER: ${total}; ${want}`;
  if (total > data.length) return `the ASN.1 structure announces ${total} octets but the data has ${data.length}: it is cut short; ${want}`;
  if (total < data.length) {
    return `${data.length - total} octet${data.length - total === 1 ? '' : 's'} follow the end of the ASN.1 structure: remove them; ${want}`;
  }
  const err = parses(data, expected);
  if (err === undefined) return undefined;
  const other: DerKind = expected === 'certificate' ? 'spki' : 'certificate';
  if (parses(data, other) === undefined) {
    return `this is ${WHAT[other]}, but selector ${sel} expects ${WHAT[expected]}: ` +
      `use selector ${SELECTOR[other]}, or put ${WHAT[expected]} in the data`;
  }
  return `this is not ${WHAT[expected]} (${err}); ${want}`;
}
