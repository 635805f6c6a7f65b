/**
 * Shared pieces of the live-check tests: an in-memory DNS (LiveIO.dns), scripted SMTP peers
 * on loopback (node:net / node:tls), certificates from the lab (openssl), and the lab itself
 * (labDaemons.ts: Knot, Unbound, Postfix on loopback).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { DnsAnswer, DnsQuestion, DnsResponse, LiveIO } from '../../server/src/live/types';
import { connectSmtp } from '../../server/src/live/node/smtp';
import * as labDaemons from './labDaemons';
import { LabCerts } from './labDaemons';

export const ROOT = path.join(__dirname, '..', '..', '..');

export type { Lab, LabCerts, LabLeaf, LabPid } from './labDaemons';

/** The lab's bring-up and tear-down (labDaemons.ts; `node scripts/lab/lab.js up|down` from a shell). */
export type LabModule = typeof labDaemons;

export function labModule(): LabModule {
  return labDaemons;
}

/** Certificates for scripted peers (root → intermediate → leaf for the names), in a temp dir. */
export function makeTestCerts(names: string[]): LabCerts {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dane-zone-live-certs-'));
  return labModule().makeCerts(dir, names);
}

// ---------------------------------------------------------------- in-memory DNS

/**
 * Answers keyed `name TYPE` (the resolver) or `name TYPE @address` (a direct question to that
 * authoritative server). `authorities`: the authority section (the SOA of a negative answer).
 */
export type FakeZone = Record<string, { rcode?: string; ad?: boolean; answers?: DnsAnswer[]; authorities?: DnsAnswer[]; cdRcode?: string; cdAnswers?: DnsAnswer[]; hang?: boolean }>;

const key = (name: string, type: string) => `${name.replace(/\.$/, '').toLowerCase()} ${type}`;

/** A LiveIO whose DNS answers from `zone` (keyed `name TYPE`; missing keys: secure NODATA) and whose SMTP is the real Node transport. */
export function fakeIO(zone: FakeZone, options: { now?: Date; asked?: DnsQuestion[] } = {}): LiveIO {
  const table = new Map(Object.entries(zone).map(([k, v]) => {
    const [n, t, at] = k.split(' ');
    return [key(n, t) + (at ?? ''), v];
  }));
  return {
    dns: async (q: DnsQuestion, signal: AbortSignal): Promise<DnsResponse> => {
      options.asked?.push(q);
      const e = table.get(key(q.name, q.type) + (q.server ? `@${q.server.host}` : ''));
      if (e?.hang) {
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
      }
      if (!e) return { rcode: 'NOERROR', authenticated: true, answers: [] };
      const auth = e.authorities ? { authorities: e.authorities } : {};
      if (q.checkingDisabled && e.rcode === 'SERVFAIL') return { rcode: e.cdRcode ?? 'NOERROR', authenticated: false, answers: e.cdAnswers ?? [], ...auth };
      return { rcode: e.rcode ?? 'NOERROR', authenticated: e.ad ?? true, answers: e.answers ?? [], ...auth };
    },
    connect: connectSmtp,
    now: () => options.now ?? new Date(),
    resolverName: 'fake',
  };
}

export function a(name: string, address: string): DnsAnswer {
  return net.isIPv6(address) ? { type: 'AAAA', name, ttl: 60, address } : { type: 'A', name, ttl: 60, address };
}

export function mx(name: string, preference: number, exchange: string): DnsAnswer {
  return { type: 'MX', name, ttl: 60, preference, exchange };
}

export function tlsa(name: string, usage: number, selector: number, matchingType: number, hex: string): DnsAnswer {
  return { type: 'TLSA', name, ttl: 60, usage, selector, matchingType, data: Uint8Array.from(Buffer.from(hex, 'hex')) };
}

// ---------------------------------------------------------------- scripted SMTP peers

export interface PeerScript {
  /** Called for each connection; the default plays a well-behaved STARTTLS server. */
  (socket: net.Socket, ctx: PeerContext): void;
}

export interface PeerContext {
  tls?: { key: string; cert: string };
  /** Reads the next line the client sends. */
  line(socket: net.Socket): Promise<string | null>;
}

export interface Peer {
  host: string;
  port: number;
  connections: number;
  maxConcurrent: number;
  close(): Promise<void>;
}

/** Lines from a socket, one per call (the buffer is kept on the socket). */
function lineReader(): PeerContext['line'] {
  const state = new WeakMap<net.Socket, { buf: string; waiters: ((l: string | null) => void)[]; lines: string[]; ended: boolean }>();
  return (socket) => {
    let s = state.get(socket);
    if (!s) {
      const st = { buf: '', waiters: [] as ((l: string | null) => void)[], lines: [] as string[], ended: false };
      s = st;
      state.set(socket, st);
      socket.on('data', (b: Buffer) => {
        st.buf += b.toString('latin1');
        let i;
        while ((i = st.buf.indexOf('\n')) >= 0) {
          const l = st.buf.slice(0, i).replace(/\r$/, '');
          st.buf = st.buf.slice(i + 1);
          const w = st.waiters.shift();
          if (w) w(l); else st.lines.push(l);
        }
      });
      const end = () => { st.ended = true; for (const w of st.waiters.splice(0)) w(null); };
      socket.on('end', end);
      socket.on('close', end);
      socket.on('error', end);
    }
    const st = s;
    if (st.lines.length) return Promise.resolve(st.lines.shift()!);
    if (st.ended) return Promise.resolve(null);
    return new Promise((resolve) => st.waiters.push(resolve));
  };
}

/** A well-behaved server: banner, EHLO with STARTTLS, TLS with `tls`, QUIT. */
export function goodServer(options: { banner?: string; ehlo?: string[]; log?: string[] } = {}): PeerScript {
  return async (socket, ctx) => {
    socket.write(`${options.banner ?? '220 peer.test ESMTP scripted'}\r\n`);
    for (;;) {
      const l = await ctx.line(socket);
      if (l === null) return;
      options.log?.push(l);
      if (/^EHLO/i.test(l)) socket.write((options.ehlo ?? ['250-peer.test', '250-PIPELINING', '250 STARTTLS']).join('\r\n') + '\r\n');
      else if (/^STARTTLS/i.test(l)) {
        socket.write('220 2.0.0 go ahead\r\n');
        socket.removeAllListeners('data');
        const t = new tls.TLSSocket(socket, { isServer: true, key: ctx.tls!.key, cert: ctx.tls!.cert });
        t.on('error', () => t.destroy());
        const fresh = lineReader();
        for (;;) {
          const m = await fresh(t);
          if (m === null) return;
          options.log?.push(`[tls] ${m}`);
          if (/^QUIT/i.test(m)) { t.end('221 2.0.0 bye\r\n'); return; }
          t.write('502 5.5.2 not here\r\n');
        }
      } else if (/^QUIT/i.test(l)) { socket.end('221 bye\r\n'); return; }
      else socket.write('502 5.5.2 not here\r\n');
    }
  };
}

/** Starts a scripted peer on `host` (an ephemeral port unless `port` is given). */
export function startPeer(script: PeerScript, options: { host?: string; port?: number; tls?: { key: string; cert: string } } = {}): Promise<Peer> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<net.Socket>();
  const ctx: PeerContext = { tls: options.tls, line: lineReader() };
  let active = 0;
  const peer: Peer = { host, port: 0, connections: 0, maxConcurrent: 0, close: async () => undefined };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    peer.connections++;
    active++;
    peer.maxConcurrent = Math.max(peer.maxConcurrent, active);
    socket.on('error', () => undefined);
    socket.on('close', () => { active--; sockets.delete(socket); });
    try { script(socket, ctx); } catch { socket.destroy(); }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      peer.port = (server.address() as net.AddressInfo).port;
      peer.close = () => new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      });
      resolve(peer);
    });
  });
}

export function spkiSha256(pem: string): string {
  const spki = new crypto.X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return crypto.createHash('sha256').update(spki).digest('hex');
}
