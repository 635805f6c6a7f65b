/**
 * Denial of existence (RFC 4034 §4, RFC 5155): the NSEC chain (complete, in canonical order,
 * closing the loop, each bitmap listing exactly the types present) and the NSEC3 chain (hashes
 * computed, complete, opt-out spans, NSEC3PARAM agreeing, RFC 9276 parameters). Findings go to
 * `findings`; DnssecState keeps them while the zone's names and types stay the same.
 */
import { sameBytes, toHex } from '../bytes';
import { wireName } from '../names';
import { typeName, TYPE_DS, TYPE_NS, TYPE_NSEC, TYPE_NSEC3, TYPE_NSEC3PARAM, TYPE_RRSIG, TYPE_SOA, TYPE_DNSKEY } from '../rrtypes';
import { ZoneDiagnostic } from '../types';
import { nsec3Hash } from './crypto';
import { coveringNsec3, DnssecRecord, Finding, firstRecord, hasType, keyAtOrBelowApex, Node, parentKey } from './model';
import { base32hex, canonicalNameWire, canonicalSortKey, readBitmap, readNsec3, skipName } from './wire';

export class DenialChecks {
  readonly findings: Finding[] = [];

  constructor(
    private readonly nodes: Map<string, Node>,
    private readonly apexKey: string,
    private readonly zoneClass: number,
    private readonly options: { apex: string },
    private readonly show: (owner: string) => string,
  ) {}

  private chain(code: string, severity: ZoneDiagnostic['severity'], rec: DnssecRecord, message: string): void {
    this.findings.push({ rec, code, severity, message });
  }

  /** The names that own authoritative data (and so an NSEC/NSEC3): not occluded, not only NSEC/RRSIG/NSEC3. */
  authNames(): Node[] {
    const out: Node[] = [];
    for (const n of this.nodes.values()) {
      if (n.status === 'occluded') continue;
      let data = false;
      for (const t of n.sets.keys()) if (t !== TYPE_NSEC && t !== TYPE_RRSIG && t !== TYPE_NSEC3) data = true;
      if (data) out.push(n);
    }
    return out;
  }

  /** The types an NSEC/NSEC3 at this name must list (`optional`: may or may not be listed). */
  expectedTypes(n: Node, nsec3: boolean): { types: Set<number>; optional: Set<number> } {
    const types = new Set<number>();
    const optional = new Set<number>();
    for (const t of n.sets.keys()) {
      if (t === TYPE_NSEC3) continue;
      if (n.status === 'delegation' && t !== TYPE_NS && t !== TYPE_DS && t !== TYPE_NSEC && t !== TYPE_RRSIG) optional.add(t);
      else types.add(t);
    }
    if (nsec3) types.delete(TYPE_NSEC);
    // RRSIG is listed where the name has signed data (an insecure delegation has none under NSEC3).
    if (nsec3 && n.status === 'delegation' && !n.sets.has(TYPE_DS)) types.delete(TYPE_RRSIG);
    else if (nsec3 && [...types].some((t) => t !== TYPE_NS)) types.add(TYPE_RRSIG);
    if (!nsec3) types.add(TYPE_NSEC).add(TYPE_RRSIG);
    return { types, optional };
  }

  bitmapProblem(listed: number[], expected: { types: Set<number>; optional: Set<number> }): string | undefined {
    const have = new Set(listed);
    const missing = [...expected.types].filter((t) => !have.has(t));
    const extra = listed.filter((t) => !expected.types.has(t) && !expected.optional.has(t));
    if (missing.length === 0 && extra.length === 0) return undefined;
    const parts: string[] = [];
    if (missing.length) parts.push(`does not list ${missing.map(typeName).join(' ')}`);
    if (extra.length) parts.push(`lists ${extra.map(typeName).join(' ')}, which the name does not have`);
    return parts.join(' and ');
  }

  nsecChain(apex: Node): void {
    const names = this.authNames().map((n) => ({ n, sortKey: canonicalSortKey(n.wire) }));
    names.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    const anyNsec = hasType(this.nodes, TYPE_NSEC);
    if (!anyNsec) {
      const at = (apex.sets.get(TYPE_SOA) ?? apex.sets.get(TYPE_DNSKEY)!)[0];
      this.chain('nsec-chain', 'error', at,
        'the zone has DNSKEYs but no NSEC or NSEC3 chain: resolvers cannot validate a negative answer; sign the zone with NSEC or NSEC3 (re-run the signer)');
      return;
    }
    for (let i = 0; i < names.length; i++) {
      const { n } = names[i];
      const nsecs = (n.sets.get(TYPE_NSEC) ?? []).filter((r) => r.classCode === this.zoneClass);
      const next = names[(i + 1) % names.length].n;
      if (nsecs.length === 0) {
        const first = firstRecord(n);
        this.chain('nsec-chain', 'error', first,
          `${this.show(n.owner)} has no NSEC record: the chain has a gap here, so denial of existence around this name fails; re-sign the zone`);
        continue;
      }
      const r = nsecs[0];
      const end = skipName(r.wire!, 0);
      const nextWire = r.wire!.slice(0, end);
      for (let k = 0; k < nextWire.length; k = k + nextWire[k] + 1) {
        for (let j = k + 1; j <= k + nextWire[k] && j < nextWire.length; j++) if (nextWire[j] >= 0x41 && nextWire[j] <= 0x5a) nextWire[j] |= 0x20;
        if (nextWire[k] === 0) break;
      }
      if (nsecs.length > 1) {
        for (const extra of nsecs.slice(1)) this.chain('nsec-chain', 'error', extra, `${this.show(n.owner)} has more than one NSEC record: keep one (re-sign the zone)`);
      }
      if (!sameBytes(nextWire, next.wire)) {
        this.chain('nsec-chain', 'error', r,
          `this NSEC points to ${(wireName(nextWire, 0) ?? '.')}, but the next name in canonical order is ${next.owner}${i === names.length - 1 ? ' (the apex: the chain must close the loop)' : ''}: a name was added or removed after signing; re-sign the zone`);
      }
      const problem = this.bitmapProblem(readBitmap(r.wire!, end), this.expectedTypes(n, false));
      if (problem) this.chain('nsec-chain', 'error', r, `the type bitmap of this NSEC ${problem}: the name's records changed after signing; re-sign the zone`);
    }
    // NSEC records at names that own nothing else (removed data, glue, occluded names).
    for (const n of this.nodes.values()) {
      const nsecs = n.sets.get(TYPE_NSEC);
      if (!nsecs) continue;
      if (n.status === 'occluded' || [...n.sets.keys()].every((t) => t === TYPE_NSEC || t === TYPE_RRSIG)) {
        this.chain('nsec-chain', 'error', nsecs[0],
          n.status === 'occluded'
            ? `this NSEC is at ${this.show(n.owner)}, below a delegation or DNAME, where the zone has no authoritative data: remove it (re-sign the zone)`
            : `this NSEC is at ${this.show(n.owner)}, which owns no other data: its records were removed after signing; re-sign the zone`);
      }
    }
  }

  // ---- NSEC3 ----

  nsec3Chain(apex: Node): void {
    const param = apex.sets.get(TYPE_NSEC3PARAM)?.[0];
    const nsec3s: { rec: DnssecRecord; n: Node; hash: string; data: ReturnType<typeof readNsec3> & object }[] = [];
    for (const n of this.nodes.values()) {
      const list = n.sets.get(TYPE_NSEC3);
      if (!list) continue;
      const parent = parentKey(n.key);
      const label = n.key.slice(0, n.key.length - (parent === '.' ? 1 : (parent?.length ?? 0) + 1));
      for (const rec of list) {
        const data = readNsec3(rec.wire!);
        if (!data) continue;
        if (parent !== this.apexKey) {
          this.chain('nsec3-chain', 'error', rec, `this NSEC3 is at ${this.show(n.owner)}, not directly below the apex ${this.options.apex}: NSEC3 owners are <hash>.<zone>; re-sign the zone`);
          continue;
        }
        nsec3s.push({ rec, n, hash: label, data });
      }
    }
    if (nsec3s.length === 0) {
      if (param) this.chain('nsec3-chain', 'error', param, 'the zone has NSEC3PARAM but no NSEC3 records: re-sign the zone with NSEC3');
      return;
    }
    // Parameters: those most NSEC3 records use (the chain is hashed with them); NSEC3PARAM must agree.
    const paramsOf = (alg: number, it: number, salt: Uint8Array) => `${alg}/${it}/${toHex(salt)}`;
    const counts = new Map<string, number>();
    for (const x of nsec3s) {
      const k = paramsOf(x.data.hashAlgorithm, x.data.iterations, x.data.salt);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    let chainKey = '';
    for (const [k, c] of counts) if (!chainKey || c > counts.get(chainKey)!) chainKey = k;
    const chainData = nsec3s.find((x) => paramsOf(x.data.hashAlgorithm, x.data.iterations, x.data.salt) === chainKey)!.data;
    const alg = chainData.hashAlgorithm;
    const iterations = chainData.iterations;
    const salt = chainData.salt;
    const showParams = (it: number, sa: Uint8Array) => `${it} iteration${it === 1 ? '' : 's'}, salt ${sa.length ? toHex(sa) : '-'}`;
    if (param && param.wire!.length >= 5) {
      const pAlg = param.wire![0];
      const pIter = (param.wire![2] << 8) | param.wire![3];
      const pSalt = param.wire!.subarray(5, 5 + param.wire![4]);
      if (paramsOf(pAlg, pIter, pSalt) !== chainKey) {
        this.chain('nsec3-chain', 'error', param,
          `this NSEC3PARAM (${showParams(pIter, pSalt)}) disagrees with the NSEC3 chain (${showParams(iterations, salt)}): servers hash names with NSEC3PARAM's values and find no NSEC3; re-sign the zone`);
      }
      if (pIter > 0 || pSalt.length > 0) {
        this.chain('nsec3-params', 'warning', param,
          `NSEC3 with ${pIter} additional iteration${pIter === 1 ? '' : 's'}${pSalt.length ? ` and a ${pSalt.length}-octet salt` : ''}: RFC 9276 says iterations 0 and no salt (more only costs resolvers, and validators may treat high counts as insecure); re-sign with \`-3 - -H 0\` (BIND) or nsec3-iterations: 0, nsec3-salt-length: 0 (Knot)`);
      }
    } else {
      this.chain('nsec3-chain', 'error', nsec3s[0].rec, 'the zone has NSEC3 records but no NSEC3PARAM at the apex: authoritative servers need it to answer with NSEC3; re-sign the zone');
    }
    if (alg !== 1) return; // only SHA-1 is defined (RFC 5155 §11)
    const consistent = nsec3s.filter((x) => {
      const ok = paramsOf(x.data.hashAlgorithm, x.data.iterations, x.data.salt) === chainKey;
      if (!ok) this.chain('nsec3-chain', 'error', x.rec, `this NSEC3's parameters (algorithm ${x.data.hashAlgorithm}, ${showParams(x.data.iterations, x.data.salt)}) differ from the rest of the chain's (${showParams(iterations, salt)}): re-sign the zone`);
      return ok;
    });
    const optOut = consistent.some((x) => x.data.flags & 1);
    // The names: authoritative ones and the empty non-terminals between them and the apex.
    const required = new Map<string, Node | string>(); // hash → node (or ENT key)
    const optional = new Map<string, Node | string>();
    const ents = new Map<string, boolean>(); // ENT key → required
    for (const n of this.authNames()) {
      const insecureDelegation = n.status === 'delegation' && !n.sets.has(TYPE_DS);
      const h = base32hex(nsec3Hash(n.wire, salt, iterations));
      (insecureDelegation && optOut ? optional : required).set(h, n);
      for (let p = parentKey(n.key); p !== undefined && p !== this.apexKey && keyAtOrBelowApex(p, this.apexKey); p = parentKey(p)) {
        const pn = this.nodes.get(p);
        if (pn && [...pn.sets.keys()].some((t) => t !== TYPE_NSEC3 && t !== TYPE_RRSIG && t !== TYPE_NSEC)) break;
        ents.set(p, (ents.get(p) ?? false) || !(insecureDelegation && optOut));
      }
    }
    for (const [k, req] of ents) {
      const h = base32hex(nsec3Hash(canonicalNameWire(k), salt, iterations));
      (req ? required : optional).set(h, k);
    }
    const sorted = [...consistent].sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
    const byHash = new Map<string, (typeof sorted)[number]>();
    for (const x of sorted) {
      if (byHash.has(x.hash)) {
        this.chain('nsec3-chain', 'error', x.rec, `a second NSEC3 at ${this.show(x.n.owner)}: keep one (re-sign the zone)`);
        continue;
      }
      byHash.set(x.hash, x);
    }
    const chain = [...byHash.values()];
    for (let i = 0; i < chain.length; i++) {
      const x = chain[i];
      const next = chain[(i + 1) % chain.length];
      const nextHash = base32hex(x.data.next);
      if (nextHash !== next.hash) {
        this.chain('nsec3-chain', 'error', x.rec,
          `this NSEC3's next hash ${nextHash.toUpperCase()} is not the next NSEC3 owner in hash order (${next.hash.toUpperCase()}${i === chain.length - 1 ? ', the first: the chain must close the loop' : ''}): an NSEC3 was added or removed after signing; re-sign the zone`);
      }
      const owner = required.get(x.hash) ?? optional.get(x.hash);
      if (owner === undefined) {
        this.chain('nsec3-chain', 'error', x.rec,
          `this NSEC3's hash matches no name of the zone (with ${iterations} iterations and ${salt.length ? `salt ${toHex(salt)}` : 'no salt'}): its name was removed after signing; re-sign the zone`);
        continue;
      }
      const expected = typeof owner === 'string' ? { types: new Set<number>(), optional: new Set<number>() } : this.expectedTypes(owner, true);
      const problem = this.bitmapProblem(x.data.types, expected);
      if (problem) {
        this.chain('nsec3-chain', 'error', x.rec,
          `the type bitmap of this NSEC3 (for ${typeof owner === 'string' ? owner : owner.owner}) ${problem}: the name's records changed after signing; re-sign the zone`);
      }
    }
    for (const [h, owner] of required) {
      if (byHash.has(h)) continue;
      const at = typeof owner === 'string' ? this.firstRecordBelow(owner) : firstRecord(owner);
      const name = typeof owner === 'string' ? `the empty non-terminal ${owner}` : this.show(owner.owner);
      this.chain('nsec3-chain', 'error', at,
        `${name} has no NSEC3 record (hash ${h.toUpperCase()}): the chain has a gap, so denial of existence around this name fails; re-sign the zone`);
    }
    for (const [h, owner] of optional) {
      if (byHash.has(h) || typeof owner === 'string') continue;
      // An insecure delegation without its own NSEC3 must fall in an opt-out span.
      const cover = coveringNsec3(chain, h);
      if (cover && !(cover.data.flags & 1)) {
        this.chain('nsec3-chain', 'error', firstRecord(owner),
          `${this.show(owner.owner)} is an insecure delegation without an NSEC3, and the NSEC3 covering it does not have the opt-out flag: re-sign the zone (with opt-out, or with an NSEC3 for this name)`);
      }
    }
  }

  firstRecordBelow(key: string): DnssecRecord {
    for (const n of this.nodes.values()) if (n.key.endsWith('.' + key)) return firstRecord(n);
    return [...this.nodes.get(this.apexKey)!.sets.values()][0][0];
  }
}
