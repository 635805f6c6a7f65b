/**
 * Certificates and certificate requests read with @peculiar/x509 (the design card's library):
 * names, dates, SANs, basicConstraints, the CSR's subject, signature checks. The library needs
 * a reflect polyfill (tsyringe) and a WebCrypto provider: the core sets it from
 * `globalThis.crypto`, so no Node-specific global is used. The library loads on the first
 * certificate or request read here (certs/lib.ts). What the library re-encodes instead
 * of keeping (the SubjectPublicKeyInfo) is cut from the file's own octets here: a TLSA digest
 * covers exactly what the file holds.
 */
import type { Certificate, Name as AsnName } from '@peculiar/asn1-x509';
import type { X509Certificate } from '@peculiar/x509';
import { checkDer } from '../dane/der';
import { announcedLength, bytesOf, sameBytes, sequence, Tlv, TAG_SEQUENCE, whole } from './asn1';
import { describeSpki } from './keys';
import { certLib } from './lib';

/** What one certificate says, with the exact octets TLSA hashes. */
export interface CertificateInfo {
  /** The whole certificate (selector 0), as the file holds it. */
  der: Uint8Array;
  /** Its SubjectPublicKeyInfo (selector 1), as the file holds it. */
  spki: Uint8Array;
  /** The parsed certificate (signature checks). */
  x509: X509Certificate;
  /** The OID of its signature algorithm. */
  signatureAlgorithm: string;
  /** Distinguished names, RFC 4514 style (`CN=mx1.example.com, O=Example`), and their DER. */
  subject: string;
  issuer: string;
  subjectDer: Uint8Array;
  issuerDer: Uint8Array;
  /** Subject alternative names (DNS names, addresses, e-mail addresses, URIs), in order. */
  sans: string[];
  notBefore: Date;
  notAfter: Date;
  /** Serial number in hex. */
  serial: string;
  /** basicConstraints cA, when the extension is present. */
  isCA?: boolean;
  /** Issuer name equals subject name. */
  selfIssued: boolean;
  /** `RSA 2048-bit`, `EC P-256`, `Ed25519`… */
  keyAlgorithm: string;
}

const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.9': 'STREET', '2.5.4.10': 'O', '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber', '2.5.4.4': 'SN', '2.5.4.42': 'GN', '2.5.4.12': 'title', '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.25': 'DC', '0.9.2342.19200300.100.1.1': 'UID', '1.2.840.113549.1.9.1': 'emailAddress',
};

function escapeRdnValue(s: string): string {
  return s.replace(/([,+"\\<>;=])/g, '\\$1').replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');
}

/** A Name as RFC 4514 writes it, most specific first (the library's toString keeps DER order): `CN=mx1.example.com, O=Example`. */
export function formatName(name: AsnName): string {
  const out: string[] = [];
  for (const rdn of name) {
    // A value of a type the schema does not know comes as its DER: `#` and hex, as RFC 4514 writes it.
    const parts = rdn.map((atv) => `${ATTRIBUTE_NAMES[atv.type] ?? atv.type}=${atv.value.anyValue ? `#${hexOf(atv.value.anyValue)}` : escapeRdnValue(atv.value.toString())}`);
    if (parts.length) out.push(parts.join('+'));
  }
  return out.reverse().join(', ');
}

function hexOf(b: ArrayBuffer): string {
  return Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
}

/** Why `d` is not one whole DER structure (cut short, or octets after it), or undefined. */
export function cutShort(d: Uint8Array, what: string): string | undefined {
  const n = announcedLength(d);
  if (n !== undefined && n > d.length) return `the ${what} is cut short: its DER structure announces ${n} octets but only ${d.length} are there`;
  if (n !== undefined && n < d.length) return `${d.length - n} octet${d.length - n === 1 ? '' : 's'} follow the end of the ${what}'s DER structure`;
  if (n === undefined && d.length > 0 && d.length < 6 && d[0] === TAG_SEQUENCE) return `the ${what} is cut short: only ${d.length} octet${d.length === 1 ? '' : 's'}`;
  return undefined;
}

/** The file's own octets of the SubjectPublicKeyInfo in a TBSCertificate (the library re-encodes it). */
function tbsSpki(d: Uint8Array, top: Tlv): Uint8Array | undefined {
  const tbs = sequence(d, sequence(d, top)?.[0]);
  if (!tbs) return undefined;
  const t = tbs[(tbs[0]?.tag === 0xa0 ? 1 : 0) + 5];
  return t ? bytesOf(d, t) : undefined;
}

const der = (x: unknown) => new Uint8Array(certLib().AsnConvert.serialize(x));

/** A certificate's facts, or why it is not one. */
export function parseCertificate(d: Uint8Array): CertificateInfo | string {
  const top = whole(d);
  if (!top) return cutShort(d, 'certificate') ?? 'not a DER certificate';
  const bad = checkDer(d, 'certificate');
  if (bad !== undefined) return `not a valid X.509 certificate (${bad.split(';')[0]})`;
  const { AsnConvert, Certificate, X509Certificate, SubjectAlternativeNameExtension, BasicConstraintsExtension } = certLib();
  let asn: Certificate;
  let cert: X509Certificate;
  try {
    asn = AsnConvert.parse(d, Certificate);
    cert = new X509Certificate(asn);
  } catch {
    return 'not a valid X.509 certificate';
  }
  const spki = tbsSpki(d, top);
  if (!spki) return 'not a valid X.509 certificate';
  let notBefore: Date;
  let notAfter: Date;
  try {
    notBefore = cert.notBefore;
    notAfter = cert.notAfter;
  } catch {
    return 'not a valid X.509 certificate (unreadable validity dates)';
  }
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) return 'not a valid X.509 certificate (unreadable validity dates)';
  const tbs = asn.tbsCertificate;
  const subjectDer = der(tbs.subject);
  const issuerDer = der(tbs.issuer);
  let sans: string[] = [];
  let isCA: boolean | undefined;
  try {
    const san = cert.getExtension(SubjectAlternativeNameExtension);
    sans = san ? san.names.items.filter((n) => ['dns', 'ip', 'email', 'url'].includes(n.type)).map((n) => n.value) : [];
    const bc = cert.getExtension(BasicConstraintsExtension);
    if (bc) isCA = bc.ca;
  } catch {
    // A malformed extension hides only what it would have said.
  }
  return {
    der: d,
    spki,
    x509: cert,
    signatureAlgorithm: asn.signatureAlgorithm.algorithm,
    subject: formatName(tbs.subject),
    issuer: formatName(tbs.issuer),
    subjectDer,
    issuerDer,
    sans,
    notBefore,
    notAfter,
    serial: cert.serialNumber.toLowerCase(),
    isCA,
    selfIssued: sameBytes(subjectDer, issuerDer),
    keyAlgorithm: describeSpki(spki),
  };
}

/** A PKCS#10 request's subject and the file's own octets of its SubjectPublicKeyInfo, or undefined when it is not one. */
export function parseCsr(d: Uint8Array, t: Tlv | undefined): { spki: Uint8Array; subject: string } | undefined {
  const info = sequence(d, sequence(d, t)?.[0]);
  if (!info || info.length !== 4 || info[3].tag !== 0xa0) return undefined;
  try {
    const { AsnConvert, CertificationRequest, Pkcs10CertificateRequest } = certLib();
    const asn = AsnConvert.parse(bytesOf(d, t!), CertificationRequest);
    // The library's reading of the request and its key; it throws when they are not one.
    if (!new Pkcs10CertificateRequest(asn).publicKey) return undefined;
    return { spki: bytesOf(d, info[2]), subject: formatName(asn.certificationRequestInfo.subject) };
  } catch {
    return undefined;
  }
}
