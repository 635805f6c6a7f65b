/**
 * Why an answer is not secure (issue 15 item 3): when the validating resolver's answer for a
 * name carries no AD bit (insecure) or fails validation (bogus), find the cause the way an
 * operator would with `dig +cd` and `dig DS`:
 *
 *   zone of the name      SOA with CD: the answer, or the SOA in the authority section
 *   the zone's keys       DNSKEY with CD (none: the zone is not signed)
 *   the parent's DS       DS, without CD then with CD; its AD bit says whether the parent is secure
 *   DS against DNSKEY     digests computed here (RFC 4034 §5.1.4): none matches → bogus
 *   the keys validate     DNSKEY without CD (SERVFAIL: the key set's signatures are bad)
 *   the RRset itself      a SERVFAIL where the CD answer is NXDOMAIN/NODATA: broken denial of existence
 *
 * Pure logic over LiveIO.dns (CD on the resolver); every question has the DNS deadline.
 */
import { withDeadline } from './deadline';
import { displayName, sameName } from './dns';
import { DnsAnswer, DnsResponse, DnssecStatus, LiveIO, LiveQueryType, SecurityDiagnosis } from './types';
import { toHex } from '../core';

export type { InsecureCause, SecurityDiagnosis } from './types';

type Asked = { response?: DnsResponse; error?: string };

async function ask(io: LiveIO, name: string, type: LiveQueryType, cd: boolean, signal: AbortSignal, ms: number): Promise<Asked> {
  try {
    return { response: await withDeadline(signal, ms, `${type} ${displayName(name)}${cd ? ' (CD)' : ''}`, (s) => io.dns({ name, type, checkingDisabled: cd }, s)) };
  } catch (e) {
    if (signal.aborted) throw e;
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

function of<T extends DnsAnswer['type']>(answers: readonly DnsAnswer[] | undefined, type: T, name?: string): Extract<DnsAnswer, { type: T }>[] {
  return (answers ?? []).filter((a) => a.type === type && (name === undefined || sameName(a.name, name))) as Extract<DnsAnswer, { type: T }>[];
}

/** The zone a name is in: the owner of the SOA in the answer or in the authority section of a CD query. */
export async function zoneOf(io: LiveIO, name: string, signal: AbortSignal, ms: number): Promise<string | undefined> {
  const r = (await ask(io, name, 'SOA', true, signal, ms)).response;
  if (!r) return undefined;
  const soa = of(r.answers, 'SOA', name)[0] ?? of(r.authorities, 'SOA')[0];
  return soa ? displayName(soa.name) : undefined;
}

/** Owner name in canonical wire form (RFC 4034 §6.2: lower case). */
function nameWire(name: string): Uint8Array {
  const labels = displayName(name).toLowerCase().split('.').filter((l) => l.length > 0);
  const out: number[] = [];
  for (const l of labels) {
    const b = new TextEncoder().encode(l);
    out.push(b.length, ...b);
  }
  out.push(0);
  return Uint8Array.from(out);
}

function dnskeyRdata(k: Extract<DnsAnswer, { type: 'DNSKEY' }>): Uint8Array {
  const out = new Uint8Array(4 + k.key.length);
  out[0] = k.flags >> 8;
  out[1] = k.flags & 0xff;
  out[2] = 3;
  out[3] = k.algorithm;
  out.set(k.key, 4);
  return out;
}

/** RFC 4034 Appendix B. */
export function keyTag(k: Extract<DnsAnswer, { type: 'DNSKEY' }>): number {
  const rd = dnskeyRdata(k);
  let ac = 0;
  for (let i = 0; i < rd.length; i++) ac += i & 1 ? rd[i] : rd[i] << 8;
  ac += (ac >> 16) & 0xffff;
  return ac & 0xffff;
}

const DIGEST_ALG: Record<number, string> = { 1: 'SHA-1', 2: 'SHA-256', 4: 'SHA-384' };

/** The DS digest of a DNSKEY (RFC 4034 §5.1.4, RFC 4509, RFC 6605), lowercase hex; undefined for unknown digest types. */
export async function dsDigest(owner: string, k: Extract<DnsAnswer, { type: 'DNSKEY' }>, digestType: number): Promise<string | undefined> {
  const alg = DIGEST_ALG[digestType];
  if (!alg) return undefined;
  const w = nameWire(owner);
  const rd = dnskeyRdata(k);
  const buf = new Uint8Array(w.length + rd.length);
  buf.set(w, 0);
  buf.set(rd, w.length);
  return toHex(new Uint8Array(await globalThis.crypto.subtle.digest(alg, buf)));
}

function dsText(d: Extract<DnsAnswer, { type: 'DS' }>): string {
  return `${d.keyTag} ${d.algorithm} ${d.digestType} ${toHex(d.digest)}`;
}

function parentOf(zone: string): string {
  const n = displayName(zone);
  const i = n.indexOf('.');
  return i < 0 ? '.' : n.slice(i + 1);
}

/**
 * Why `type` at `name` came back `status` (insecure or bogus). `cdEmpty`: the answer with
 * checking disabled had no records of the type (NXDOMAIN or NODATA). Never throws for DNS
 * trouble (only when `signal` aborts).
 */
export async function whyNotSecure(
  io: LiveIO, name: string, type: LiveQueryType, status: DnssecStatus, cdEmpty: boolean, signal: AbortSignal, ms: number,
): Promise<SecurityDiagnosis> {
  const base = { name: displayName(name), type, status };
  const zone = await zoneOf(io, name, signal, ms);
  if (!zone) return { ...base, cause: 'unknown', message: `could not tell why: no SOA found for ${displayName(name)} even with checking disabled` };
  const z = { ...base, zone };
  const keysAsked = await ask(io, zone, 'DNSKEY', true, signal, ms);
  if (!keysAsked.response) return { ...z, cause: 'unknown', message: `could not tell why: the DNSKEY lookup of ${zone} failed (${keysAsked.error})` };
  const keys = of(keysAsked.response.answers, 'DNSKEY', zone);
  const keyTags = keys.map(keyTag);
  let dsAsked = await ask(io, zone, 'DS', false, signal, ms);
  const dsSecure = dsAsked.response?.rcode === 'NOERROR' && dsAsked.response.authenticated;
  if (dsAsked.response?.rcode === 'SERVFAIL') dsAsked = await ask(io, zone, 'DS', true, signal, ms);
  const ds = dsAsked.response && (dsAsked.response.rcode === 'NOERROR' || dsAsked.response.rcode === 'NXDOMAIN') ? of(dsAsked.response.answers, 'DS', zone) : undefined;
  const dsList = ds?.map(dsText);
  const parent = parentOf(zone);

  if (keys.length === 0) {
    if (ds && ds.length > 0) {
      return { ...z, cause: 'ds-mismatch', ds: dsList, keyTags, message: `${parent} publishes a DS for ${zone} (key tag ${ds.map((d) => d.keyTag).join(', ')}), but ${zone} serves no DNSKEY records: validation fails (bogus); remove the DS at the parent or sign the zone` };
    }
    return { ...z, cause: 'unsigned', message: `${zone} is not signed (it serves no DNSKEY records), so nothing in it can be validated; sign the zone and publish its DS at the parent (${parent})` };
  }
  const ksk = keys.find((k) => (k.flags & 1) === 1) ?? keys[0];
  const suggested = `${zone}. IN DS ${keyTag(ksk)} ${ksk.algorithm} 2 ${await dsDigest(zone, ksk, 2)}`;
  if (ds === undefined) {
    return { ...z, cause: 'unknown', keyTags, message: `could not tell why: ${zone} is signed (key tags ${keyTags.join(', ')}), but the DS lookup at its parent failed (${dsAsked.error ?? `${dsAsked.response?.rcode}`})` };
  }
  if (ds.length === 0) {
    if (!dsSecure) {
      return { ...z, cause: 'parent-insecure', keyTags, suggestedDs: suggested, message: `${zone} is signed (key tags ${keyTags.join(', ')}), but its parent ${parent} is not secure itself (the DS answer is not validated): the chain of trust is broken above ${zone}` };
    }
    return {
      ...z, cause: 'no-ds', keyTags, suggestedDs: suggested,
      message: `${zone} is signed (it serves ${keys.length} DNSKEY record${keys.length === 1 ? '' : 's'}, key tag${keyTags.length === 1 ? '' : 's'} ${keyTags.join(', ')}) but its parent ${parent} has no DS record for it: the chain of trust stops at the parent, so validating resolvers treat ${zone} as unsigned. Publish the DS at the parent (registrar): ${suggested}`,
    };
  }
  let matches = 0;
  for (const d of ds) {
    for (const k of keys) {
      if (k.algorithm !== d.algorithm || keyTag(k) !== d.keyTag) continue;
      if ((await dsDigest(zone, k, d.digestType)) === toHex(d.digest)) matches++;
    }
  }
  if (matches === 0) {
    return {
      ...z, cause: 'ds-mismatch', ds: dsList, keyTags, suggestedDs: suggested,
      message: `the DS at ${parent} for ${zone} (key tag ${ds.map((d) => `${d.keyTag} algorithm ${d.algorithm}`).join(', ')}) matches none of ${zone}'s DNSKEY records (key tag${keyTags.length === 1 ? '' : 's'} ${keyTags.join(', ')}): validation fails (bogus), validating senders defer mail. Replace the DS at the parent with: ${suggested}`,
    };
  }
  if (status === 'insecure') {
    if (!dsSecure) {
      return { ...z, cause: 'parent-insecure', ds: dsList, keyTags, message: `${zone} is signed and ${parent} publishes its DS, but the DS answer is not validated: ${parent} (or a zone above it) is not secure, so the chain of trust is broken above ${zone}` };
    }
    return { ...z, cause: 'unknown', ds: dsList, keyTags, message: `${zone} is signed and its DS at ${parent} matches, yet the answer is not validated: the resolver may not validate (is it a validating resolver?)` };
  }
  const keysValid = await ask(io, zone, 'DNSKEY', false, signal, ms);
  if (keysValid.response?.rcode === 'SERVFAIL') {
    return { ...z, cause: 'signatures', ds: dsList, keyTags, message: `the DS at ${parent} matches ${zone}'s key, but the DNSKEY RRset of ${zone} does not validate (missing or expired RRSIG by that key)${ede(keysValid.response)}` };
  }
  if (cdEmpty) {
    return { ...z, cause: 'denial-broken', ds: dsList, keyTags, message: `the denial of existence for ${type} at ${displayName(name)} is broken: the resolver answers SERVFAIL where an authenticated NXDOMAIN/NODATA belongs (the servers answer with no records when checking is disabled; NSEC/NSEC3 records missing or badly signed)` };
  }
  return { ...z, cause: 'signatures', ds: dsList, keyTags, message: `${zone}'s keys validate, but the ${type} RRset at ${displayName(name)} does not (missing or expired RRSIG)` };
}

function ede(r: DnsResponse | undefined): string {
  return r?.extendedErrors?.length ? ` (${r.extendedErrors.join('; ')})` : '';
}
