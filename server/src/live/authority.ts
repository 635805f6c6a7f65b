/**
 * Every authoritative server of a zone (issue 15 item 4): the zone's NS RRset from the
 * resolver, each name server's addresses, and each address asked directly (RD clear) for the
 * SOA serial and the TLSA RRsets the check looked at. A server that serves an older serial or
 * other TLSA records than the rest is what some senders see and others do not.
 *
 * Pure logic over LiveIO.dns (`server` in the question); every question has the DNS deadline.
 */
import { Semaphore, withDeadline } from './deadline';
import { displayName, lookup } from './dns';
import { recordLabel } from './match';
import { DnsResponse, LiveIO, NameServerReport, TlsaData, ZoneServersReport } from './types';
import { sameTlsaSet } from './zoneFile';
import { toHex } from '../core';

export type { NameServerReport, ServerTlsa, ZoneServersReport } from './types';

function tlsaOf(r: DnsResponse, owner: string): TlsaData[] {
  const out: TlsaData[] = [];
  for (const a of r.answers) {
    if (a.type !== 'TLSA' || displayName(a.name).toLowerCase() !== displayName(owner).toLowerCase()) continue;
    out.push({ usage: a.usage, selector: a.selector, matchingType: a.matchingType, data: toHex(a.data) });
  }
  return out;
}

async function askServer(io: LiveIO, ns: string, address: string, port: number, zone: string, owners: readonly string[], signal: AbortSignal, ms: number): Promise<NameServerReport> {
  const out: NameServerReport = { ns, address, tlsa: [] };
  const server = { host: address, port };
  const q = async (name: string, type: 'SOA' | 'TLSA'): Promise<DnsResponse> =>
    withDeadline(signal, ms, `${type} ${name} at ${ns} (${address})`, (s) => io.dns({ name, type, server }, s));
  try {
    const soa = await q(zone, 'SOA');
    if (soa.rcode !== 'NOERROR') throw new Error(`it answers ${soa.rcode} for ${zone}`);
    if (soa.authoritative === false) throw new Error(`it does not answer authoritatively for ${zone} (lame delegation)`);
    const s = soa.answers.find((a) => a.type === 'SOA');
    if (!s || s.type !== 'SOA') throw new Error(`it gives no SOA for ${zone}`);
    out.serial = s.serial;
    for (const owner of owners) {
      const r = await q(owner, 'TLSA');
      out.tlsa.push({ owner: displayName(owner), rcode: r.rcode, records: tlsaOf(r, owner) });
    }
  } catch (e) {
    if (signal.aborted) throw e;
    out.error = e instanceof Error ? e.message : String(e);
  }
  return out;
}

/** Asks every address of every name server of `zone` for its serial and the TLSA RRsets at `owners`. */
export async function checkZoneServers(
  io: LiveIO, zone: string, owners: readonly string[], options: { port: number; dnsMs: number; maxServers?: number }, signal: AbortSignal,
): Promise<ZoneServersReport> {
  const ns = await lookup(io, zone, 'NS', signal, options.dnsMs);
  const out: ZoneServersReport = { zone: displayName(zone), nameServers: ns.records.map((r) => displayName(r.target)), servers: [] };
  if (ns.report.status === 'failed') {
    out.error = `the NS lookup of ${out.zone} failed: ${ns.report.error}`;
    return out;
  }
  const addrs: { ns: string; address: string }[] = [];
  await Promise.all(out.nameServers.map(async (n) => {
    const [a, aaaa] = await Promise.all([lookup(io, n, 'A', signal, options.dnsMs), lookup(io, n, 'AAAA', signal, options.dnsMs)]);
    for (const r of [...a.records, ...aaaa.records]) addrs.push({ ns: n, address: r.address });
    if (a.records.length === 0 && aaaa.records.length === 0) out.servers.push({ ns: n, address: '', tlsa: [], error: `${n} has no address (A/AAAA): ${a.report.error ?? 'none published'}` });
  }));
  addrs.sort((x, y) => x.ns.localeCompare(y.ns) || x.address.localeCompare(y.address));
  const limit = options.maxServers ?? 16;
  const sem = new Semaphore(4);
  out.servers.push(...(await Promise.all(addrs.slice(0, limit).map((x) => sem.run(signal, () => askServer(io, x.ns, x.address, options.port, out.zone, owners, signal, options.dnsMs))))));
  const serials = out.servers.map((s) => s.serial).filter((s): s is number => s !== undefined);
  // RFC 1982 serial arithmetic is not needed to find the laggard among copies of one zone: the largest wins.
  if (serials.length) out.serial = Math.max(...serials);
  return out;
}

/** Findings for servers out of step: a laggard serial (with its TLSA), other TLSA at the same serial, a server that could not be asked. */
export function serverProblems(z: ZoneServersReport, published: ReadonlyMap<string, readonly TlsaData[]>): { level: 'fail' | 'warn'; code: string; message: string; address: string }[] {
  const out: { level: 'fail' | 'warn'; code: string; message: string; address: string }[] = [];
  for (const s of z.servers) {
    const who = `${s.ns}${s.address ? ` (${s.address})` : ''}`;
    if (s.error !== undefined) {
      out.push({ level: 'warn', code: 'live-ns-unreachable', address: s.address, message: `name server ${who} of ${z.zone} could not be compared: ${s.error}` });
      continue;
    }
    const differs = s.tlsa.filter((t) => {
      const want = published.get(t.owner.toLowerCase());
      return want !== undefined && !sameTlsaSet(t.records, want);
    });
    const tlsaText = differs.map((t) => `${t.records.length ? t.records.map(recordLabel).join(', ') : 'no TLSA records'} at ${t.owner}`).join('; ');
    if (z.serial !== undefined && s.serial !== undefined && s.serial < z.serial) {
      out.push({
        level: 'fail', code: 'live-ns-stale', address: s.address,
        message: `${who} still serves serial ${s.serial} of ${z.zone} (others serve ${z.serial})${differs.length ? ` with the old TLSA: ${tlsaText}` : ''}: senders that ask it see an older zone`,
      });
    } else if (differs.length > 0) {
      out.push({ level: 'fail', code: 'live-ns-tlsa-differs', address: s.address, message: `${who} serves other TLSA records than the resolver sees (${tlsaText}), at serial ${s.serial} of ${z.zone}` });
    }
  }
  return out;
}
