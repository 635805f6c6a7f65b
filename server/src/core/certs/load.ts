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
 * at it. The parts: PEM and file sniffing (pem.ts), what each block is (classify.ts), the
 * certificate and CSR parse on @peculiar/x509 (x509.ts), chain order (chain.ts), keys (keys.ts).
 */
import { ChainWork, orderChain } from './chain';
import { classifyDer, Item, pemItems } from './classify';
import { describeSpki } from './keys';
import { latin1 } from '../bytes';
import { magic, mostlyText, pemBlocks } from './pem';
import { CertificateInfo, parseCertificate } from './x509';

export { ENCRYPTED_KEY } from './classify';
export { formatName, parseCertificate } from './x509';
export type { CertificateInfo } from './x509';

/** Largest certificate/key file read (a long chain is a few dozen KiB). */
export const DEFAULT_CERT_MAX_BYTES = 1024 * 1024;
/** Most certificates read from one file: a server's chain has a handful, a CA bundle about 150. */
export const MAX_CERTIFICATES = 1000;

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

export function formatSize(n: number): string {
  if (n < 1024) return `${n} byte${n === 1 ? '' : 's'}`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MiB`;
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
