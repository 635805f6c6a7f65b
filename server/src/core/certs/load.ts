/**
 * Reads a linked certificate/key file (dane-rules.md, "Linking certificates to TLSA records")
 * into what TLSA needs from it: the certificates (leaf first) and the SubjectPublicKeyInfo of
 * the leaf or the key, with the exact octets the file holds.
 *
 * Accepted: PEM or DER certificates, PEM chains, PKCS#7 bundles, public keys (SPKI, PKCS#1),
 * private keys (PKCS#8, `BEGIN RSA PRIVATE KEY`, `BEGIN EC PRIVATE KEY`: only the public half is
 * derived and kept; the private key is never copied into the result or a message), and
 * certificate requests (PKCS#10). Anything else gets a sentence that says what the file is and
 * what to give instead. loadKeyMaterial never throws and refuses oversized input before looking
 * at it.
 */
import { checkDer } from '../dane/der';
import {
  announcedLength, bitStringBytes, bytesOf, children, contentOf, oidOf, readTlv, sameBytes, sequence,
  TAG_BIT_STRING, TAG_INTEGER, TAG_OCTET_STRING, TAG_OID, TAG_SEQUENCE, TAG_SET, Tlv, toHex, whole,
} from './asn1';
import {
  describeSpki, isEcPrivateKey, isRsaPrivateKey, isSpki, KeyResult, spkiFromEcPrivateKey, spkiFromPkcs8,
  spkiFromRsaPrivateKey, spkiFromRsaPublicKey,
} from './keys';
import { ChainWork, orderChain } from './chain';
import { fromBase64 } from '../bytes';

/** Largest certificate/key file read (a long chain is a few dozen KiB). */
export const DEFAULT_CERT_MAX_BYTES = 1024 * 1024;
/** Most certificates read from one file: a server's chain has a handful, a CA bundle about 150. */
export const MAX_CERTIFICATES = 1000;

/** What one certificate says, with the exact octets TLSA hashes. */
export interface CertificateInfo {
  /** The whole certificate (selector 0). */
  der: Uint8Array;
  /** Its SubjectPublicKeyInfo (selector 1). */
  spki: Uint8Array;
  /** The to-be-signed part, its signature algorithm (raw AlgorithmIdentifier) and signature: for trust-anchor checks. */
  tbs: Uint8Array;
  signatureAlgorithm: Uint8Array;
  signature: Uint8Array;
  /** Distinguished names, RFC 4514 style (`CN=mx1.example.com, O=Example`), and their DER. */
  subject: string;
  issuer: string;
  subjectDer: Uint8Array;
  issuerDer: Uint8Array;
  /** Subject alternative names (DNS names, addresses, e-mail addresses), in order. */
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

export type MaterialKind = 'certificate' | 'chain' | 'public-key' | 'private-key' | 'csr';

/** What a linked file holds, reduced to what TLSA needs. Never holds private key octets. */
export interface KeyMaterial {
  kind: MaterialKind;
  format: 'PEM' | 'DER';
  /** Certificates, leaf first (empty for keys and CSRs). */
  certificates: CertificateInfo[];
  /** The SubjectPublicKeyInfo of the leaf certificate, the key or the CSR. */
  spki: Uint8Array;
  keyAlgorithm: string;
  /** Subject of the leaf certificate or of the CSR. */
  subject?: string;
  /** Remarks that did not stop the load (a block that was skipped, a chain put in order). */
  notes: string[];
}

export type LoadResult = { ok: true; material: KeyMaterial } | { ok: false; error: string };

export interface LoadOptions {
  /** Largest input accepted, in bytes (default DEFAULT_CERT_MAX_BYTES). */
  maxBytes?: number;
  /** Most certificates accepted in the file (default MAX_CERTIFICATES). */
  maxCertificates?: number;
  /** Counts the chain-ordering work (tests bound it). */
  work?: ChainWork;
}

export const ENCRYPTED_KEY = 'encrypted private key: give the certificate or public key instead (`openssl pkey -in KEY -pubout` writes the public key)';

export function formatSize(n: number): string {
  if (n < 1024) return `${n} byte${n === 1 ? '' : 's'}`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MiB`;
}

// ---------------------------------------------------------------- names, times, extensions

const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.9': 'STREET', '2.5.4.10': 'O', '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber', '2.5.4.4': 'SN', '2.5.4.42': 'GN', '2.5.4.12': 'title', '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.25': 'DC', '0.9.2342.19200300.100.1.1': 'UID', '1.2.840.113549.1.9.1': 'emailAddress',
};

const utf8 = new TextDecoder('utf-8', { fatal: false });

function latin1(d: Uint8Array): string {
  let s = '';
  for (let i = 0; i < d.length; i++) s += String.fromCharCode(d[i]);
  return s;
}

/** A directory string's text (UTF8String, PrintableString, IA5String, T61, BMPString, UniversalString). */
function stringValue(d: Uint8Array, t: Tlv): string {
  const c = contentOf(d, t);
  switch (t.tag) {
    case 0x0c: return utf8.decode(c);
    case 0x1e: { // BMPString: UTF-16BE
      let s = '';
      for (let i = 0; i + 1 < c.length; i += 2) s += String.fromCharCode((c[i] << 8) | c[i + 1]);
      return s;
    }
    case 0x1c: { // UniversalString: UTF-32BE
      let s = '';
      for (let i = 0; i + 3 < c.length; i += 4) s += String.fromCodePoint(((c[i] << 24) | (c[i + 1] << 16) | (c[i + 2] << 8) | c[i + 3]) >>> 0);
      return s;
    }
    case 0x13: case 0x16: case 0x14: case 0x1a: return latin1(c);
    default: return '#' + toHex(bytesOf(d, t));
  }
}

function escapeRdnValue(s: string): string {
  return s.replace(/([,+"\\<>;=])/g, '\\$1').replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');
}

/** A Name as RFC 4514 writes it (most specific first): `CN=mx1.example.com, O=Example`. Empty names give ''. */
export function formatName(d: Uint8Array, t: Tlv): string {
  const rdns = sequence(d, t) ?? [];
  const out: string[] = [];
  for (const set of rdns) {
    if (set.tag !== TAG_SET) continue;
    const atvs = children(d, set) ?? [];
    const parts: string[] = [];
    for (const atv of atvs) {
      const p = sequence(d, atv);
      if (!p || p.length !== 2) continue;
      const oid = oidOf(d, p[0]) ?? '?';
      parts.push(`${ATTRIBUTE_NAMES[oid] ?? oid}=${escapeRdnValue(stringValue(d, p[1]))}`);
    }
    if (parts.length) out.push(parts.join('+'));
  }
  return out.reverse().join(', ');
}

function parseTime(d: Uint8Array, t: Tlv | undefined): Date | undefined {
  if (!t || (t.tag !== 0x17 && t.tag !== 0x18)) return undefined;
  const s = latin1(contentOf(d, t));
  const m = t.tag === 0x17
    ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(s)
    : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?Z$/.exec(s);
  if (!m) return undefined;
  let year = Number(m[1]);
  if (t.tag === 0x17) year += year < 50 ? 2000 : 1900;
  const ms = Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

function ipText(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  if (b.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((b[i] << 8) | b[i + 1]).toString(16));
    return groups.join(':').replace(/\b(?:0:){2,}/, ':').replace(/^0::/, '::');
  }
  return toHex(b);
}

interface Extensions {
  sans: string[];
  isCA?: boolean;
}

function readExtensions(d: Uint8Array, t: Tlv | undefined): Extensions {
  const out: Extensions = { sans: [] };
  if (!t) return out;
  const inner = readTlv(d, t.body, t.end);
  const list = sequence(d, inner) ?? [];
  for (const ext of list) {
    const p = sequence(d, ext);
    if (!p || p.length < 2) continue;
    const oid = oidOf(d, p[0]);
    const value = p[p.length - 1];
    if (value.tag !== TAG_OCTET_STRING) continue;
    const v = readTlv(d, value.body, value.end);
    if (oid === '2.5.29.17') {
      for (const gn of sequence(d, v) ?? []) {
        const c = contentOf(d, gn);
        if (gn.tag === 0x82) out.sans.push(latin1(c));
        else if (gn.tag === 0x87) out.sans.push(ipText(c));
        else if (gn.tag === 0x81) out.sans.push(latin1(c));
        else if (gn.tag === 0x86) out.sans.push(latin1(c));
      }
    } else if (oid === '2.5.29.19') {
      const bc = sequence(d, v);
      out.isCA = !!bc && bc.length > 0 && bc[0].tag === 0x01 && d[bc[0].body] !== 0;
    }
  }
  return out;
}

// ---------------------------------------------------------------- certificates

function cutShort(d: Uint8Array, what: string): string | undefined {
  const n = announcedLength(d);
  if (n !== undefined && n > d.length) return `the ${what} is cut short: its DER structure announces ${n} octets but only ${d.length} are there`;
  if (n !== undefined && n < d.length) return `${d.length - n} octet${d.length - n === 1 ? '' : 's'} follow the end of the ${what}'s DER structure`;
  if (n === undefined && d.length > 0 && d.length < 6 && d[0] === TAG_SEQUENCE) return `the ${what} is cut short: only ${d.length} octet${d.length === 1 ? '' : 's'}`;
  return undefined;
}

/** True when `d` has the outer shape of a certificate: SEQUENCE { tbs SEQUENCE (≥ 6 fields), AlgorithmIdentifier, BIT STRING }. */
function looksLikeCertificate(d: Uint8Array, t: Tlv | undefined): boolean {
  const p = sequence(d, t);
  if (!p || p.length !== 3 || p[1].tag !== TAG_SEQUENCE || p[2].tag !== TAG_BIT_STRING) return false;
  const tbs = sequence(d, p[0]);
  return !!tbs && tbs.length >= 6;
}

/** A certificate's facts, or why it is not one. */
export function parseCertificate(d: Uint8Array): CertificateInfo | string {
  const top = whole(d);
  if (!top) return cutShort(d, 'certificate') ?? 'not a DER certificate';
  const der = checkDer(d, 'certificate');
  if (der !== undefined) return `not a valid X.509 certificate (${der.split(';')[0]})`;
  const p = sequence(d, top)!;
  const tbs = sequence(d, p[0]);
  if (!tbs) return 'not a valid X.509 certificate';
  const i = tbs[0].tag === 0xa0 ? 1 : 0;
  const [serial, , issuer, validity, subject, spki] = tbs.slice(i);
  if (!serial || !issuer || !validity || !subject || !spki || !isSpki(d, spki)) return 'not a valid X.509 certificate';
  const times = sequence(d, validity) ?? [];
  const notBefore = parseTime(d, times[0]);
  const notAfter = parseTime(d, times[1]);
  if (!notBefore || !notAfter) return 'not a valid X.509 certificate (unreadable validity dates)';
  const ext = readExtensions(d, tbs.slice(i + 6).find((x) => x.tag === 0xa3));
  const subjectDer = bytesOf(d, subject);
  const issuerDer = bytesOf(d, issuer);
  const spkiBytes = bytesOf(d, spki);
  return {
    der: d,
    spki: spkiBytes,
    tbs: bytesOf(d, p[0]),
    signatureAlgorithm: bytesOf(d, p[1]),
    signature: bitStringBytes(d, p[2]) ?? new Uint8Array(0),
    subject: formatName(d, subject),
    issuer: formatName(d, issuer),
    subjectDer,
    issuerDer,
    sans: ext.sans,
    notBefore,
    notAfter,
    serial: toHex(contentOf(d, serial)),
    isCA: ext.isCA,
    selfIssued: sameBytes(subjectDer, issuerDer),
    keyAlgorithm: describeSpki(spkiBytes),
  };
}

// ---------------------------------------------------------------- CSRs, PKCS#7, PKCS#12

function csrParts(d: Uint8Array, t: Tlv | undefined): { spki: Uint8Array; subject: string } | undefined {
  const p = sequence(d, t);
  if (!p || p.length !== 3 || p[1].tag !== TAG_SEQUENCE || p[2].tag !== TAG_BIT_STRING) return undefined;
  const info = sequence(d, p[0]);
  if (!info || info.length !== 4 || info[0].tag !== TAG_INTEGER || info[1].tag !== TAG_SEQUENCE || info[3].tag !== 0xa0 || !isSpki(d, info[2])) return undefined;
  return { spki: bytesOf(d, info[2]), subject: formatName(d, info[1]) };
}

const OID_PKCS7_SIGNED = '1.2.840.113549.1.7.2';

/** The certificates of a PKCS#7 SignedData bundle (`.p7b`), or undefined when `d` is not one. */
function pkcs7Certificates(d: Uint8Array, t: Tlv | undefined): Uint8Array[] | undefined {
  const p = sequence(d, t);
  if (!p || p.length !== 2 || oidOf(d, p[0]) !== OID_PKCS7_SIGNED || p[1].tag !== 0xa0) return undefined;
  const sd = sequence(d, readTlv(d, p[1].body, p[1].end));
  const certs = sd?.find((x) => x.tag === 0xa0);
  if (!certs) return [];
  return (children(d, certs) ?? []).map((c) => bytesOf(d, c));
}

function isPkcs12(d: Uint8Array, t: Tlv | undefined): boolean {
  const p = sequence(d, t);
  if (!p || p.length < 2 || p[0].tag !== TAG_INTEGER || p[0].end - p[0].body !== 1 || d[p[0].body] !== 3) return false;
  const ci = sequence(d, p[1]);
  return !!ci && (oidOf(d, ci[0]) ?? '').startsWith('1.2.840.113549.1.7.');
}

/** EncryptedPrivateKeyInfo: SEQUENCE { AlgorithmIdentifier (PBES2/PBE…), OCTET STRING }. */
function isEncryptedPkcs8(d: Uint8Array, t: Tlv | undefined): boolean {
  const p = sequence(d, t);
  if (!p || p.length !== 2 || p[1].tag !== TAG_OCTET_STRING) return false;
  const alg = sequence(d, p[0]);
  const oid = alg ? oidOf(d, alg[0]) ?? '' : '';
  return oid.startsWith('1.2.840.113549.1.5.') || oid.startsWith('1.2.840.113549.1.12.1.');
}

function isPkcs8(d: Uint8Array, t: Tlv | undefined): boolean {
  const p = sequence(d, t);
  return !!p && p.length >= 3 && p[0].tag === TAG_INTEGER && p[1].tag === TAG_SEQUENCE && p[2].tag === TAG_OCTET_STRING &&
    (sequence(d, p[1])?.[0]?.tag === TAG_OID);
}

// ---------------------------------------------------------------- items

/** One thing found in the file, before the choice of what the file "is". */
type Item =
  | { kind: 'certificate'; der: Uint8Array; where: string }
  | { kind: 'public-key'; spki: Uint8Array; where: string }
  | { kind: 'csr'; spki: Uint8Array; subject: string; where: string }
  | { kind: 'private-key'; derive: () => Promise<KeyResult> | KeyResult; where: string; wipe?: Uint8Array }
  | { kind: 'error'; error: string; category: 'certificate' | 'public-key' | 'csr' | 'private-key' | 'other'; where: string };

/** Classifies one DER structure (a whole DER file, or a PEM block whose label said nothing precise). */
function classifyDer(d: Uint8Array, where: string, owned: boolean): Item[] {
  const t = whole(d);
  if (!t) {
    const short = cutShort(d, 'data');
    return [{ kind: 'error', category: 'other', where, error: short ?? 'not DER (no complete ASN.1 structure)' }];
  }
  if (looksLikeCertificate(d, t)) return [{ kind: 'certificate', der: d, where }];
  const csr = csrParts(d, t);
  if (csr) return [{ kind: 'csr', ...csr, where }];
  if (isSpki(d, t)) return [{ kind: 'public-key', spki: d, where }];
  if (isEncryptedPkcs8(d, t)) return [{ kind: 'error', category: 'private-key', where, error: ENCRYPTED_KEY }];
  if (isPkcs8(d, t)) return [{ kind: 'private-key', derive: () => spkiFromPkcs8(d), where, wipe: owned ? d : undefined }];
  if (isRsaPrivateKey(d, t)) return [{ kind: 'private-key', derive: () => spkiFromRsaPrivateKey(d), where, wipe: owned ? d : undefined }];
  if (isEcPrivateKey(d, t)) return [{ kind: 'private-key', derive: () => spkiFromEcPrivateKey(d), where, wipe: owned ? d : undefined }];
  const p7 = pkcs7Certificates(d, t);
  if (p7) {
    if (p7.length === 0) return [{ kind: 'error', category: 'certificate', where, error: 'a PKCS#7 bundle without certificates' }];
    return p7.map((der, k) => ({ kind: 'certificate' as const, der, where: `${where}, certificate ${k + 1}` }));
  }
  if (isPkcs12(d, t)) {
    return [{ kind: 'error', category: 'other', where,
      error: 'a PKCS#12 (.p12/.pfx) bundle, usually password-protected: export the certificate chain with `openssl pkcs12 -in FILE -nokeys -out fullchain.pem` and link that' }];
  }
  const ints = sequence(d, t);
  if (ints && ints.length === 2 && ints.every((x) => x.tag === TAG_INTEGER)) {
    const r = spkiFromRsaPublicKey(d);
    if ('spki' in r) return [{ kind: 'public-key', spki: r.spki, where }];
  }
  return [{ kind: 'error', category: 'other', where, error: 'a DER structure that is neither a certificate, a public or private key, nor a certificate request' }];
}

// ---------------------------------------------------------------- PEM

interface PemBlock {
  label: string;
  line: number;
  headers: Record<string, string>;
  base64: string;
}

/** The PEM blocks of a text (text between blocks is ignored, as OpenSSL does). */
function pemBlocks(text: string): PemBlock[] | string {
  const blocks: PemBlock[] = [];
  const lines = text.split(/\r?\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const begin = /^\s*-----BEGIN ([^-]*)-----\s*$/.exec(lines[i]);
    if (!begin) continue;
    const label = begin[1].trim();
    const block: PemBlock = { label, line: i + 1, headers: {}, base64: '' };
    const body: string[] = [];
    let ended = false;
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j];
      const end = /^\s*-----END ([^-]*)-----\s*$/.exec(l);
      if (end) {
        if (end[1].trim() !== label) return `the \`-----BEGIN ${label}-----\` block at line ${i + 1} ends with \`-----END ${end[1].trim()}-----\``;
        ended = true;
        break;
      }
      if (/^\s*-----BEGIN /.test(l)) break;
      const h = /^([A-Za-z][\w-]*):\s*(.*)$/.exec(l);
      if (h && body.length === 0) { block.headers[h[1].toLowerCase()] = h[2]; continue; }
      body.push(l);
    }
    if (!ended) {
      return `truncated PEM: \`-----BEGIN ${label}-----\` at line ${i + 1} has no \`-----END ${label}-----\` line (the file is cut short?)`;
    }
    block.base64 = body.join('\n');
    blocks.push(block);
    i = j;
  }
  return blocks;
}

/** The items of one PEM block, by its label. */
function pemItems(b: PemBlock): Item[] {
  const where = `the ${b.label} block at line ${b.line}`;
  const label = b.label.toUpperCase();
  const category = (): Exclude<Item, { kind: 'error' }>['kind'] | 'other' =>
    /CERTIFICATE REQUEST/.test(label) ? 'csr' : /CERTIFICATE|PKCS7/.test(label) ? 'certificate'
      : /PRIVATE KEY/.test(label) ? 'private-key' : /PUBLIC KEY/.test(label) ? 'public-key' : 'other';
  const err = (error: string): Item[] => [{ kind: 'error', category: category(), where, error }];
  if (/ENCRYPTED/.test(label) || /ENCRYPTED/i.test(b.headers['proc-type'] ?? '')) return err(ENCRYPTED_KEY);
  if (label === 'EC PARAMETERS' || label === 'DH PARAMETERS' || label === 'X509 CRL') return [];
  if (label === 'OPENSSH PRIVATE KEY') {
    return err('an OpenSSH private key, not a TLS key: give the TLS certificate or its public key instead');
  }
  const raw = fromBase64(b.base64);
  if (typeof raw === 'string') return err(`${where} is not valid base64: ${raw}`);
  if (raw.length === 0) return err(`${where} is empty`);
  const t = whole(raw);
  const short = t ? undefined : cutShort(raw, b.label.toLowerCase());
  if (short) return err(`${where}: ${short}`);
  switch (label) {
    case 'CERTIFICATE':
    case 'X509 CERTIFICATE':
      return looksLikeCertificate(raw, t) ? [{ kind: 'certificate', der: raw, where }] : err(`${where} does not hold a certificate`);
    case 'TRUSTED CERTIFICATE': {
      // OpenSSL's trusted form: the certificate followed by its trust settings.
      const c = readTlv(raw, 0);
      const der = c ? raw.subarray(0, c.end) : raw;
      return looksLikeCertificate(der, c) ? [{ kind: 'certificate', der, where }] : err(`${where} does not hold a certificate`);
    }
    case 'PUBLIC KEY':
      return isSpki(raw, t) ? [{ kind: 'public-key', spki: raw, where }] : err(`${where} does not hold a SubjectPublicKeyInfo`);
    case 'RSA PUBLIC KEY': {
      const r = spkiFromRsaPublicKey(raw);
      return 'spki' in r ? [{ kind: 'public-key', spki: r.spki, where }] : err(`${where}: ${r.error}`);
    }
    case 'CERTIFICATE REQUEST':
    case 'NEW CERTIFICATE REQUEST': {
      const csr = csrParts(raw, t);
      return csr ? [{ kind: 'csr', ...csr, where }] : err(`${where} does not hold a PKCS#10 certificate request`);
    }
    case 'PRIVATE KEY':
      if (isEncryptedPkcs8(raw, t)) return err(ENCRYPTED_KEY);
      return [{ kind: 'private-key', derive: () => spkiFromPkcs8(raw), where, wipe: raw }];
    case 'RSA PRIVATE KEY':
      return [{ kind: 'private-key', derive: () => spkiFromRsaPrivateKey(raw), where, wipe: raw }];
    case 'EC PRIVATE KEY':
      return [{ kind: 'private-key', derive: () => spkiFromEcPrivateKey(raw), where, wipe: raw }];
    case 'DSA PRIVATE KEY':
      raw.fill(0);
      return err('DSA keys are not used with DANE: give the certificate or public key instead');
    case 'PKCS7':
    case 'PKCS #7 SIGNED DATA':
      return classifyDer(raw, where, false);
    default:
      if (/PRIVATE KEY/.test(label)) raw.fill(0);
      return /PRIVATE KEY/.test(label)
        ? err(`unsupported private key type (\`${b.label}\`): give the certificate or public key instead`)
        : classifyDer(raw, where, false).map((it) => (it.kind === 'error' ? { ...it, error: `${where}: ${it.error}` } : it));
  }
}

// ---------------------------------------------------------------- file types that are not certificates

const MAGIC: [number[], string][] = [
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive'],
  [[0x1f, 0x8b], 'a gzip archive'],
  [[0x7f, 0x45, 0x4c, 0x46], 'an executable (ELF)'],
];

function magic(d: Uint8Array): string | undefined {
  for (const [sig, what] of MAGIC) if (sig.every((b, i) => d[i] === b)) return what;
  return undefined;
}

function mostlyText(d: Uint8Array): boolean {
  const n = Math.min(d.length, 4096);
  let text = 0;
  for (let i = 0; i < n; i++) {
    const c = d[i];
    if (c === 9 || c === 10 || c === 13 || (c >= 0x20 && c < 0x7f) || c >= 0x80) text++;
  }
  return text >= n * 0.95;
}

// ---------------------------------------------------------------- the API

const CATEGORY_ORDER = ['certificate', 'public-key', 'csr', 'private-key'] as const;

/**
 * Reads a certificate/key file's bytes. The result says what the file holds, or why it cannot
 * be used, in a sentence (no path: the caller names the file). Never throws.
 */
export async function loadKeyMaterial(bytes: Uint8Array, options: LoadOptions = {}): Promise<LoadResult> {
  const max = options.maxBytes ?? DEFAULT_CERT_MAX_BYTES;
  try {
    if (bytes.length > max) {
      return { ok: false, error: `too large for a certificate or key (${formatSize(bytes.length)}; the limit is ${formatSize(max)})` };
    }
    if (bytes.length === 0) return { ok: false, error: 'the file is empty' };
    const m = magic(bytes);
    if (m) return { ok: false, error: `this is ${m}, not a certificate or key: link a PEM or DER certificate, public key or CSR` };
    const text = latin1(bytes);
    let items: Item[];
    let format: 'PEM' | 'DER';
    if (text.includes('-----BEGIN ')) {
      const blocks = pemBlocks(text);
      if (typeof blocks === 'string') return { ok: false, error: blocks };
      items = blocks.flatMap(pemItems);
      format = 'PEM';
      if (items.length === 0) return { ok: false, error: `no certificate or key in the PEM blocks (${blocks.map((b) => b.label).join(', ')})` };
    } else if (bytes[0] === 0x30) {
      items = classifyDer(bytes, 'the file', false);
      format = 'DER';
    } else if (/^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-\S+) AAAA/.test(text)) {
      return { ok: false, error: 'an OpenSSH public key, not a TLS one: give the server\'s TLS certificate (or convert with `ssh-keygen -e -m PKCS8 -f FILE`)' };
    } else if (mostlyText(bytes)) {
      return { ok: false, error: 'a text file without a `-----BEGIN …-----` line: not a PEM certificate or key' };
    } else {
      return { ok: false, error: 'not a certificate or key: neither PEM text nor DER' };
    }
    return await choose(items, format, options);
  } catch (e) {
    return { ok: false, error: `could not be read (internal error: ${e instanceof Error ? e.name : 'unknown'})` };
  }
}

async function choose(items: Item[], format: 'PEM' | 'DER', options: LoadOptions): Promise<LoadResult> {
  const notes: string[] = [];
  try {
    const by = (k: (typeof CATEGORY_ORDER)[number]) => items.filter((i) => i.kind === k || (i.kind === 'error' && i.category === k));
    let picked: (typeof CATEGORY_ORDER)[number] | undefined = CATEGORY_ORDER.find((k) => by(k).some((i) => i.kind === k));
    if (!picked) {
      const e = items.find((i): i is Extract<Item, { kind: 'error' }> => i.kind === 'error');
      return { ok: false, error: e?.error ?? 'no certificate or key found' };
    }
    const mine = by(picked);
    const err = mine.find((i): i is Extract<Item, { kind: 'error' }> => i.kind === 'error');
    if (err) return { ok: false, error: err.error };
    for (const other of items) {
      if (mine.includes(other)) continue;
      const what = other.kind === 'error' ? other.category : other.kind;
      if (what !== 'other') notes.push(`${other.where} (${what.replace('-', ' ')}) was not used`);
    }
    if (picked === 'certificate') {
      const cap = options.maxCertificates ?? MAX_CERTIFICATES;
      const n = mine.length;
      if (n > cap) {
        return { ok: false, error: `${n} certificates in one file, more than the ${cap} read: link the server's own chain (leaf first, e.g. fullchain.pem), not a bundle of CAs` };
      }
      const certs: CertificateInfo[] = [];
      for (const it of mine) {
        if (it.kind !== 'certificate') continue;
        const c = parseCertificate(it.der);
        if (typeof c === 'string') return { ok: false, error: `${it.where}: ${c}` };
        certs.push(c);
      }
      const chain = orderChain(certs, notes, options.work);
      return { ok: true, material: {
        kind: chain.length > 1 ? 'chain' : 'certificate', format, certificates: chain, spki: chain[0].spki,
        keyAlgorithm: chain[0].keyAlgorithm, subject: chain[0].subject, notes,
      } };
    }
    const first = mine[0];
    if (mine.length > 1) notes.push(`${mine.length} ${picked.replace('-', ' ')}s in the file: the first one is used`);
    if (first.kind === 'public-key') {
      return { ok: true, material: { kind: 'public-key', format, certificates: [], spki: first.spki, keyAlgorithm: describeSpki(first.spki), notes } };
    }
    if (first.kind === 'csr') {
      return { ok: true, material: { kind: 'csr', format, certificates: [], spki: first.spki, keyAlgorithm: describeSpki(first.spki), subject: first.subject, notes } };
    }
    if (first.kind === 'private-key') {
      const r = await first.derive();
      if ('error' in r) return { ok: false, error: r.error };
      return { ok: true, material: { kind: 'private-key', format, certificates: [], spki: r.spki, keyAlgorithm: describeSpki(r.spki), notes } };
    }
    return { ok: false, error: 'no certificate or key found' };
  } finally {
    // Private key octets decoded from PEM are ours: zero them.
    for (const it of items) if (it.kind === 'private-key' && it.wipe) it.wipe.fill(0);
  }
}

/** A short phrase for what a file holds: `certificate CN=mx1.example.com`, `chain of 2 certificates (leaf CN=…)`, `Ed25519 private key (public half)`. */
export function describeMaterial(m: KeyMaterial): string {
  switch (m.kind) {
    case 'certificate': return `certificate ${m.subject || '(empty subject)'}`;
    case 'chain': return `chain of ${m.certificates.length} certificates (leaf ${m.subject || '(empty subject)'})`;
    case 'public-key': return `${m.keyAlgorithm} public key`;
    case 'private-key': return `${m.keyAlgorithm} private key (its public half)`;
    case 'csr': return `certificate request ${m.subject || '(empty subject)'} (${m.keyAlgorithm})`;
  }
}
