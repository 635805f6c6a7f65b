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
  /**
   * @param remembers false for a validation that is not followed by another (the CLI's): no
   *   signature result is kept (nor its key string made), and RRsets keep no inputs to compare.
   */
  constructor(readonly remembers = true) {}

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

/** One RRSIG of an RRset: what needs no cryptography, or what to verify and how that went. */
interface SigCheck {
  rec: DnssecRecord;
  sig: Rrsig;
  /** Why it fails without cryptography (then nothing is verified): a problem, or no key with its tag. */
  problem?: 'problem' | 'no-key';
  problemText?: string;
  /** The signed data and the keys with the RRSIG's tag and algorithm, tried in order until one verifies. */
  data?: Uint8Array;
  candidates?: ZoneKey[];
  next: number;
  ok: boolean;
}

/**
 * One RRset's signatures, checked in three steps so that no step awaits per signature: `new`
 * reads the RRSIGs and finds what needs no cryptography (synchronous), `verifyRrsets` verifies
 * all the RRsets' signatures at once (a bounded number in flight), `findings` says what that
 * means for the RRset (synchronous): each RRSIG verified against the keys with its tag and
 * algorithm; then coverage by every verifiable algorithm of the DNSKEY RRset (`algorithms`),
 * and for the apex DNSKEY RRset (`sepAlgs` given) a signature by a SEP key.
 */
export class RrsetCheck {
  readonly sigs: SigCheck[] = [];

  constructor(private readonly ctx: SignatureContext, private readonly n: Node, private readonly type: number,
    private readonly rrset: DnssecRecord[], sigRefs: SigRef[], keys: ZoneKey[], private readonly algorithms: number[],
    private readonly sepAlgs?: Set<number>) {
    let body: ReturnType<typeof rrsetBody> | undefined;
    for (let si = 0; si < sigRefs.length; si++) {
      const rec = sigRefs[si].rec;
      const sig = readRrsig(rec.wire!);
      if (!sig) {
        this.sigs.push({ rec, sig: sig!, next: 0, ok: false });
        continue;
      }
      const c: SigCheck = { rec, sig, next: 0, ok: false };
      this.sigs.push(c);
      if (!canVerify(sig.algorithm)) continue;
      const problemText = sigProblem(ctx, n, sig);
      if (problemText) {
        c.problem = 'problem';
        c.problemText = problemText;
        continue;
      }
      const candidates = keys.filter((k) => k.key.keyTag === sig.keyTag && k.key.algorithm === sig.algorithm);
      if (candidates.length === 0) {
        c.problem = 'no-key';
        continue;
      }
      body ??= rrsetBody(type, ctx.zoneClass, rrset);
      const owner = sig.labels < labelCount(n.wire) ? wildcardOf(n.wire, sig.labels) : n.wire;
      c.data = signedData(sig, owner, body);
      c.candidates = candidates;
    }
  }

  /** The RRset's findings, once `verifyRrsets` has run. */
  findings(): Finding[] {
    const { ctx, n, type, rrset, algorithms, sepAlgs } = this;
    const out: Finding[] = [];
    // Named only in findings (most RRsets have none).
    let shownText: string | undefined;
    const shown = (): string => (shownText ??= `${typeName(type)} RRset at ${ctx.show(n.owner)}`);
    const valid = new Set<number>();
    const failed = new Set<number>();
    let bySep = false;
    for (const { rec, sig, problem, problemText, candidates, next, ok } of this.sigs) {
      if (!sig || !canVerify(sig.algorithm)) continue;
      if (problem === 'problem') {
        failed.add(sig.algorithm);
        out.push(finding(rec, 'rrsig-invalid', `this RRSIG over the ${shown()} ${problemText}`));
      } else if (problem === 'no-key') {
        failed.add(sig.algorithm);
        out.push(finding(rec, 'rrsig-invalid',
          `this RRSIG over the ${shown()} names key tag ${sig.keyTag} (${algorithmName(sig.algorithm)}), which is not in the zone's DNSKEY RRset: publish that key or re-sign the zone`));
      } else if (ok) {
        valid.add(sig.algorithm);
        if (candidates![next].key.flags & 1) bySep = true;
      } else {
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
      } else if (this.sigs.length === 0 || valid.size === 0) {
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
}

/** A problem of an RRSIG that needs no cryptography, or undefined. */
function sigProblem(ctx: SignatureContext, n: Node, sig: Rrsig): string | undefined {
  if (!sameBytes(sig.signer, ctx.apexWire)) return `is signed by ${(wireName(sig.signer, 0) ?? '.')}, not by the zone ${ctx.apex}: re-sign the zone with its own keys`;
  const labels = labelCount(n.wire);
  if (sig.labels > labels) return `has Labels ${sig.labels}, more than the ${labels} of its owner: re-sign the zone`;
  return undefined;
}

/** Verifications in flight at most (each holds its signed data in the crypto thread pool's queue). */
const IN_FLIGHT = 256;

/**
 * Verifies the signatures the checks planned, at most IN_FLIGHT at a time: each against its
 * candidate keys in order until one verifies (a result of an earlier validation, same signed
 * data and key, answers without cryptography). Keys are imported once, before.
 */
export async function verifyRrsets(ctx: SignatureContext, checks: RrsetCheck[]): Promise<void> {
  const cache = ctx.cache;
  const todo: SigCheck[] = [];
  const keyOf = new Map<Uint8Array, PublicKey>();
  for (const check of checks) {
    for (const c of check.sigs) {
      if (!c.candidates) continue;
      todo.push(c);
      for (const k of c.candidates) if (!keyOf.has(k.key.key)) keyOf.set(k.key.key, await cache.key(k.key.algorithm, k.key.key, ctx.native));
    }
  }
  let i = 0;
  let inFlight = 0;
  await new Promise<void>((resolve) => {
    // Starts c's current candidate; true when it is answered now (cached, or no key).
    const start = (c: SigCheck): boolean => {
      const k = c.candidates![c.next];
      const sigKey = cache.remembers ? latin1(c.sig.signature.subarray(0, 48)) + c.sig.signature.length + ':' + k.key.keyTag : '';
      const cached = cache.remembers ? cache.lookup(sigKey, c.data!, k.rec.wire!) : undefined;
      if (cached !== undefined) return settle(c, cached);
      cache.verifiedLast++;
      const pub = keyOf.get(k.key.key)!;
      if (!('key' in pub)) {
        if (cache.remembers) cache.store(sigKey, { data: c.data!, keyRdata: k.rec.wire!, ok: false });
        return settle(c, false);
      }
      inFlight++;
      const done = (ok: boolean): void => {
        inFlight--;
        if (cache.remembers) cache.store(sigKey, { data: c.data!, keyRdata: k.rec.wire!, ok });
        if (settle(c, ok)) pump();
      };
      verifySignature(pub.key, k.key.algorithm, c.sig.signature, c.data!, ctx.native).then(done, () => done(false));
      return false;
    };
    // Records a result; true when c is done (verified, or no candidate left), else tries the next candidate.
    const settle = (c: SigCheck, ok: boolean): boolean => {
      if (ok || c.next + 1 >= c.candidates!.length) {
        c.ok = ok;
        c.data = undefined; // (not kept while the other signatures are verified)
        return true;
      }
      c.next++;
      return start(c);
    };
    const pump = (): void => {
      while (inFlight < IN_FLIGHT && i < todo.length) start(todo[i++]);
      if (inFlight === 0 && i >= todo.length) resolve();
    };
    pump();
  });
}
