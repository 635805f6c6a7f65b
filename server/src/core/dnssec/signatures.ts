/**
 * Signatures and coverage of one RRset (RFC 4034 §3.1.8.1, RFC 4035 §2.2, RFC 6840 §5.11): each
 * RRSIG checked against the zone's DNSKEYs in canonical form, and every algorithm of the DNSKEY
 * RRset required to sign the RRset; the DNSKEY RRset signed by a SEP key where the zone has one.
 * Signature results and imported keys are kept in a `SignatureCache` between validations of one
 * document. Used by `DnssecState` (validate.ts).
 */
import { latin1, sameBytes } from '../bytes';
import { wireName } from '../names';
import { typeName } from '../rrtypes';
import { NativeVerifier } from '../webcrypto';
import { algorithmName, canVerify, importDnskey, PublicKey, verifySignature } from './crypto';
import { DnssecRecord, Finding, Node, SigRef } from './model';
import { Dnskey, labelCount, readRrsig, Rrsig, rrsetBody, signedData, wildcardOf } from './wire';

interface Verified {
  data: Uint8Array;
  keyRdata: Uint8Array;
  ok: boolean;
}

/** A zone key of the apex DNSKEY RRset: its record and what it says. */
export interface ZoneKey {
  rec: DnssecRecord;
  key: Dnskey;
}

/**
 * Signature results and imported keys, kept between validations of one document (an edit
 * re-verifies only signatures over data that changed).
 */
export class SignatureCache {
  private sigs = new Map<string, Verified>();
  private used = new Map<string, Verified>();
  private keys = new Map<string, Promise<PublicKey>>();
  private usedKeys = new Map<string, Promise<PublicKey>>();
  /** This validation's keys by their material's object (one per DNSKEY record: no string made per signature). */
  private runKeys = new Map<Uint8Array, { algorithm: number; key: Promise<PublicKey> }>();
  /** Signatures verified by the last validation (not answered by the cache). */
  verifiedLast = 0;

  /** The key of DNSKEY material, imported once (with `native`: a cache is used with one verifier, or always none). */
  key(algorithm: number, material: Uint8Array, native?: NativeVerifier): Promise<PublicKey> {
    const known = this.runKeys.get(material);
    if (known && known.algorithm === algorithm) return known.key;
    const k = `${native ? 'n' : 'w'}${algorithm}:${latin1(material)}`;
    let p = this.usedKeys.get(k) ?? this.keys.get(k);
    if (!p) p = importDnskey(algorithm, material, native);
    this.usedKeys.set(k, p);
    this.runKeys.set(material, { algorithm, key: p });
    return p;
  }

  lookup(sigKey: string, data: Uint8Array, keyRdata: Uint8Array): boolean | undefined {
    const v = this.used.get(sigKey) ?? this.sigs.get(sigKey);
    if (!v || !sameBytes(v.data, data) || !sameBytes(v.keyRdata, keyRdata)) return undefined;
    this.used.set(sigKey, v);
    return v.ok;
  }

  store(sigKey: string, v: Verified): void {
    this.used.set(sigKey, v);
  }

  /**
   * Ends a validation. Signature results and keys are kept (an RRset answered from its last
   * result does not look its signatures up, and needs them when its records are re-parsed)
   * until they outnumber `liveSignatures` twice; then only those of this validation stay.
   */
  sweep(liveSignatures = 0): void {
    if (this.sigs.size + this.used.size > 2 * liveSignatures + 1024) this.sigs = this.used;
    else for (const [k, v] of this.used) this.sigs.set(k, v);
    this.used = new Map();
    if (this.keys.size + this.usedKeys.size > 64) this.keys = this.usedKeys;
    else for (const [k, v] of this.usedKeys) this.keys.set(k, v);
    this.usedKeys = new Map();
    this.runKeys = new Map();
  }
}

/** What checking an RRset's signatures needs of the zone. */
export interface SignatureContext {
  cache: SignatureCache;
  zoneClass: number;
  /** The zone's apex, as written in messages, and in canonical wire form. */
  apex: string;
  apexWire: Uint8Array;
  /** A name as shown in messages (relative to the origin). */
  show(owner: string): string;
  /** The platform's own verification (the CLI's node:crypto); WebCrypto without it. */
  native?: NativeVerifier;
}

const finding = (rec: DnssecRecord, code: string, message: string): Finding => ({ rec, code, severity: 'error', message });

/**
 * The findings of one RRset's signatures: each RRSIG verified against the keys with its tag and
 * algorithm; then coverage by every verifiable algorithm of the DNSKEY RRset (`algorithms`), and
 * for the apex DNSKEY RRset (`sepAlgs` given) a signature by a SEP key.
 */
export async function checkRrset(ctx: SignatureContext, n: Node, type: number, rrset: DnssecRecord[], sigRefs: SigRef[],
  keys: ZoneKey[], algorithms: number[], sepAlgs?: Set<number>): Promise<Finding[]> {
  const out: Finding[] = [];
  // Named only in findings (most RRsets have none).
  let shownText: string | undefined;
  const shown = (): string => (shownText ??= `${typeName(type)} RRset at ${ctx.show(n.owner)}`);
  const valid = new Set<number>();
  const failed = new Set<number>();
  let bySep = false;
  const body = rrsetBody(type, ctx.zoneClass, rrset);
  const sigs = sigRefs.map((x) => ({ rec: x.rec, sig: readRrsig(x.rec.wire!) }));
  for (let si = 0; si < sigs.length; si++) {
    const { sig, rec } = sigs[si];
    if (!sig) continue;
    if (!canVerify(sig.algorithm)) continue;
    const problem = sigProblem(ctx, n, sig);
    if (problem) {
      failed.add(sig.algorithm);
      out.push(finding(rec, 'rrsig-invalid', `this RRSIG over the ${shown()} ${problem}`));
      continue;
    }
    const candidates = keys.filter((k) => k.key.keyTag === sig.keyTag && k.key.algorithm === sig.algorithm);
    if (candidates.length === 0) {
      failed.add(sig.algorithm);
      out.push(finding(rec, 'rrsig-invalid',
        `this RRSIG over the ${shown()} names key tag ${sig.keyTag} (${algorithmName(sig.algorithm)}), which is not in the zone's DNSKEY RRset: publish that key or re-sign the zone`));
      continue;
    }
    const owner = sig.labels < labelCount(n.wire) ? wildcardOf(n.wire, sig.labels) : n.wire;
    const data = signedData(sig, owner, body);
    let ok = false;
    for (const c of candidates) {
      if (await verify(ctx, sig, data, c.rec.wire!, c.key)) {
        ok = true;
        if (c.key.flags & 1) bySep = true;
        break;
      }
    }
    if (ok) valid.add(sig.algorithm);
    else {
      failed.add(sig.algorithm);
      out.push(finding(rec, 'rrsig-invalid',
        `this RRSIG (key tag ${sig.keyTag}, ${algorithmName(sig.algorithm)}) does not verify over the ${shown()}: the RRset changed after signing (or the signature is damaged); re-sign the zone`));
    }
  }
  const missingAlgs = algorithms.filter((a) => !valid.has(a));
  if (missingAlgs.length > 0) {
    const isTlsa = type === 52;
    const dane = isTlsa ? ': validating resolvers treat this TLSA RRset as bogus and DANE senders defer mail to this host' : '';
    if (missingAlgs.some((a) => failed.has(a))) {
      for (let ri = 0; ri < rrset.length; ri++) {
        out.push(finding(rrset[ri], 'rrsig-invalid',
          `the ${shown()} does not verify against its RRSIG${dane}; the data changed after signing: re-sign the zone`));
      }
    } else if (sigs.length === 0 || valid.size === 0) {
      for (let ri = 0; ri < rrset.length; ri++) {
        out.push(finding(rrset[ri], 'rrsig-missing',
          `the ${shown()} has no signature by the zone's DNSKEYs${dane}: re-sign the zone (a signer adds the RRSIG)`));
      }
    } else {
      const names = missingAlgs.map((a) => `${algorithmName(a)} (${a})`).join(', ');
      for (let ri = 0; ri < rrset.length; ri++) {
        out.push(finding(rrset[ri], 'dnssec-algorithm-missing',
          `the ${shown()} is not signed with ${names}, an algorithm of the DNSKEY RRset (RFC 6840 §5.11: every algorithm must sign every RRset): re-sign with all keys, or remove the algorithm's DNSKEYs once its DS is gone`));
      }
    }
  } else if (sepAlgs && sepAlgs.size > 0 && !bySep && [...sepAlgs].some(canVerify)) {
    for (let ri = 0; ri < rrset.length; ri++) {
      out.push(finding(rrset[ri], 'rrsig-missing',
        `the DNSKEY RRset is not signed by a key with the SEP flag (a KSK), though the zone has one: the DS in the parent points to that key, so resolvers cannot validate the zone; sign the DNSKEY RRset with the KSK`));
    }
  }
  return out;
}

/** A problem of an RRSIG that needs no cryptography, or undefined. */
function sigProblem(ctx: SignatureContext, n: Node, sig: Rrsig): string | undefined {
  if (!sameBytes(sig.signer, ctx.apexWire)) return `is signed by ${(wireName(sig.signer, 0) ?? '.')}, not by the zone ${ctx.apex}: re-sign the zone with its own keys`;
  const labels = labelCount(n.wire);
  if (sig.labels > labels) return `has Labels ${sig.labels}, more than the ${labels} of its owner: re-sign the zone`;
  return undefined;
}

async function verify(ctx: SignatureContext, sig: Rrsig, data: Uint8Array, keyRdata: Uint8Array, key: Dnskey): Promise<boolean> {
  const cache = ctx.cache;
  const sigKey = latin1(sig.signature.subarray(0, 48)) + sig.signature.length + ':' + key.keyTag;
  const cached = cache.lookup(sigKey, data, keyRdata);
  if (cached !== undefined) return cached;
  cache.verifiedLast++;
  const pub = await cache.key(key.algorithm, key.key, ctx.native);
  const ok = 'key' in pub ? await verifySignature(pub.key, key.algorithm, sig.signature, data, ctx.native) : false;
  cache.store(sigKey, { data, keyRdata, ok });
  return ok;
}
