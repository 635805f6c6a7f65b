/**
 * DNS for the live check in Node: dns-packet queries (RD, DO, optionally CD; EDNS0 with a
 * 1232-octet UDP size) over UDP to a configured resolver, again over TCP when the answer is
 * truncated. `node:dns` cannot report the AD flag, hence the hand-made client. Several
 * servers (resolv.conf) are tried in order when one does not answer.
 */
import * as crypto from 'node:crypto';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import * as packet from 'dns-packet';
import { DnsAnswer, DnsQuestion, DnsResponse } from '../types';
import { ResolverAddress } from '../address';

export { parseResolver } from '../address';
export type { ResolverAddress } from '../address';

export interface NodeDnsOptions {
  servers: ResolverAddress[];
  /** Per attempt on one server, UDP or TCP (default 2000 ms). */
  attemptTimeoutMs?: number;
}

const UDP_SIZE = 1232;
const MAX_TCP_MESSAGE = 65535;

export function formatResolver(r: ResolverAddress): string {
  return net.isIPv6(r.host) ? `[${r.host}]:${r.port}` : `${r.host}:${r.port}`;
}

function encodeQuery(q: DnsQuestion, id: number): Buffer {
  // A direct question to an authoritative server does not ask for recursion.
  let flags = q.server ? 0 : packet.RECURSION_DESIRED;
  if (q.checkingDisabled) flags |= packet.CHECKING_DISABLED;
  return packet.encode({
    type: 'query',
    id,
    flags,
    questions: [{ type: q.type, name: q.name.replace(/\.$/, '') || '.', class: 'IN' }],
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: UDP_SIZE, extendedRcode: 0, ednsVersion: 0, flags: packet.DNSSEC_OK, flag_do: true, options: [] }],
  });
}

interface RawAnswer { type: string; name: string; ttl?: number; data?: unknown; options?: { code: number; data?: Buffer }[] }

function toAnswer(a: RawAnswer): DnsAnswer | undefined {
  const ttl = a.ttl ?? 0;
  const d = a.data as Record<string, unknown> | string | undefined;
  switch (a.type) {
    case 'MX': {
      const m = d as { preference?: number; exchange: string };
      return { type: 'MX', name: a.name, ttl, preference: m.preference ?? 0, exchange: m.exchange };
    }
    case 'A':
      return { type: 'A', name: a.name, ttl, address: String(d) };
    case 'AAAA':
      return { type: 'AAAA', name: a.name, ttl, address: String(d) };
    case 'CNAME':
    case 'NS':
      return { type: a.type, name: a.name, ttl, target: String(d) };
    case 'TLSA': {
      const t = d as { usage: number; selector: number; matchingType: number; certificate: Buffer };
      return { type: 'TLSA', name: a.name, ttl, usage: t.usage, selector: t.selector, matchingType: t.matchingType, data: new Uint8Array(t.certificate) };
    }
    case 'SOA': {
      const o = d as { serial: number; mname: string };
      return { type: 'SOA', name: a.name, ttl, serial: o.serial >>> 0, mname: o.mname };
    }
    case 'DS': {
      const o = d as { keyTag: number; algorithm: number; digestType: number; digest: Buffer };
      return { type: 'DS', name: a.name, ttl, keyTag: o.keyTag, algorithm: o.algorithm, digestType: o.digestType, digest: new Uint8Array(o.digest) };
    }
    case 'DNSKEY': {
      const o = d as { flags: number; algorithm: number; key: Buffer };
      return { type: 'DNSKEY', name: a.name, ttl, flags: o.flags, algorithm: o.algorithm, key: new Uint8Array(o.key) };
    }
    case 'OPT':
      return undefined;
    default:
      return { type: 'other', name: a.name, ttl, rrtype: a.type };
  }
}

/** Extended DNS Errors (RFC 8914, option 15): `INFO-CODE: text`. */
function extendedErrors(additionals: RawAnswer[] | undefined): string[] {
  const out: string[] = [];
  for (const a of additionals ?? []) {
    if (a.type !== 'OPT') continue;
    for (const o of a.options ?? []) {
      if (o.code !== 15 || !o.data || o.data.length < 2) continue;
      const code = o.data.readUInt16BE(0);
      const text = o.data.subarray(2).toString('utf8').replace(/[^\x20-\x7e]/g, '?');
      out.push(text ? `EDE ${code}: ${text}` : `EDE ${code}`);
    }
  }
  return out;
}

function decode(buf: Buffer, id: number, q: DnsQuestion): (DnsResponse & { truncated: boolean }) | undefined {
  let r: packet.DecodedPacket & { rcode?: string };
  try {
    r = packet.decode(buf) as packet.DecodedPacket & { rcode?: string };
  } catch {
    return undefined;
  }
  if (r.id !== id || r.type !== 'response') return undefined;
  const qq = r.questions?.[0];
  if (!qq || qq.type !== q.type || qq.name.toLowerCase() !== (q.name.replace(/\.$/, '') || '.').toLowerCase()) return undefined;
  const answers = ((r.answers ?? []) as RawAnswer[]).map(toAnswer).filter((x): x is DnsAnswer => x !== undefined);
  const authorities = ((r.authorities ?? []) as RawAnswer[]).map(toAnswer).filter((x): x is DnsAnswer => x !== undefined && x.type !== 'other');
  const ede = extendedErrors(r.additionals as RawAnswer[] | undefined);
  return {
    rcode: r.rcode ?? 'NOERROR', authenticated: r.flag_ad, authoritative: r.flag_aa, answers, truncated: r.flag_tc,
    ...(authorities.length ? { authorities } : {}), ...(ede.length ? { extendedErrors: ede } : {}),
  };
}

/** Socket errors in words a user can act on (not `recvmsg ECONNREFUSED`). */
export function plainSocketError(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ECONNREFUSED': return 'nothing answers DNS there (connection refused): is the resolver address right, and is the resolver running?';
    case 'EHOSTUNREACH': case 'ENETUNREACH': return 'the resolver cannot be reached from here (no route)';
    case 'EADDRNOTAVAIL': return 'that address is not available from this machine';
    case 'ECONNRESET': return 'the resolver closed the connection';
    case 'EACCES': case 'EPERM': return 'not permitted to send DNS queries there (a firewall?)';
    default: return e.message;
  }
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

function udpAttempt(server: ResolverAddress, q: DnsQuestion, timeoutMs: number, signal: AbortSignal): Promise<DnsResponse & { truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const id = crypto.randomInt(65536);
    const msg = encodeQuery(q, id);
    const sock = dgram.createSocket(net.isIPv6(server.host) ? 'udp6' : 'udp4');
    let done = false;
    const end = (err?: Error, value?: DnsResponse & { truncated: boolean }): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      try { sock.close(); } catch { /* closed */ }
      if (err) reject(err); else resolve(value!);
    };
    const onAbort = (): void => end(abortError(signal));
    const timer = setTimeout(() => end(new Error(`no answer from ${formatResolver(server)} within ${timeoutMs} ms`)), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    sock.on('error', (e) => end(new Error(`${formatResolver(server)}: ${plainSocketError(e as NodeJS.ErrnoException)}`)));
    sock.on('message', (buf, rinfo) => {
      if (rinfo.port !== server.port) return;
      const r = decode(buf, id, q);
      if (r) end(undefined, r);
    });
    sock.connect(server.port, server.host, () => {
      sock.send(msg, (e) => { if (e) end(new Error(`${formatResolver(server)}: ${plainSocketError(e as NodeJS.ErrnoException)}`)); });
    });
  });
}

function tcpAttempt(server: ResolverAddress, q: DnsQuestion, timeoutMs: number, signal: AbortSignal): Promise<DnsResponse> {
  return new Promise((resolve, reject) => {
    const id = crypto.randomInt(65536);
    const msg = encodeQuery(q, id);
    const framed = Buffer.alloc(msg.length + 2);
    framed.writeUInt16BE(msg.length, 0);
    msg.copy(framed, 2);
    const sock = net.connect({ host: server.host, port: server.port });
    let buf = Buffer.alloc(0);
    let done = false;
    const end = (err?: Error, value?: DnsResponse): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      sock.destroy();
      if (err) reject(err); else resolve(value!);
    };
    const onAbort = (): void => end(abortError(signal));
    const timer = setTimeout(() => end(new Error(`no answer over TCP from ${formatResolver(server)} within ${timeoutMs} ms`)), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    sock.on('connect', () => sock.write(framed));
    sock.on('error', (e) => end(new Error(`${formatResolver(server)} (TCP): ${plainSocketError(e as NodeJS.ErrnoException)}`)));
    sock.on('end', () => end(new Error(`${formatResolver(server)} closed the TCP connection without an answer`)));
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length > MAX_TCP_MESSAGE + 2) return end(new Error(`${formatResolver(server)}: oversized TCP answer`));
      if (buf.length < 2) return;
      const len = buf.readUInt16BE(0);
      if (buf.length < len + 2) return;
      const r = decode(buf.subarray(2, len + 2), id, q);
      if (!r) return end(new Error(`${formatResolver(server)}: an answer over TCP that does not fit the question`));
      const { truncated, ...rest } = r;
      void truncated;
      end(undefined, { ...rest, transport: 'tcp', server: formatResolver(server) });
    });
  });
}

/** A `LiveIO.dns` for the given resolvers. */
export function createNodeDns(options: NodeDnsOptions): (q: DnsQuestion, signal: AbortSignal) => Promise<DnsResponse> {
  const attempt = options.attemptTimeoutMs ?? 2000;
  if (options.servers.length === 0) throw new Error('no DNS resolver configured');
  return async (q, signal) => {
    const errors: string[] = [];
    for (const server of q.server ? [q.server] : options.servers) {
      if (signal.aborted) throw abortError(signal);
      try {
        const r = await udpAttempt(server, q, attempt, signal);
        if (!r.truncated) {
          const { truncated, ...rest } = r;
          void truncated;
          return { ...rest, transport: 'udp', server: formatResolver(server) };
        }
        return await tcpAttempt(server, q, attempt, signal);
      } catch (e) {
        if (signal.aborted) throw abortError(signal);
        errors.push((e as Error).message);
      }
    }
    throw new Error(errors.join('; '));
  };
}
