/*
 * A DANE lab on loopback for the live-check tests (../shared/docs/dane-lab.md):
 *   Knot DNS   127.0.0.20:5353  authoritative (ns1; also on port 53 for direct questions), signs
 *                               good.test, nomatch.test, bogus.test, cname.test, multi.test,
 *                               twoaddr.test, split.test (serial 2), parent.test and its children
 *                               ok.parent.test (DS in the parent), nods.parent.test (no DS),
 *                               badds.parent.test (a DS matching no key); serves unsigned.test unsigned
 *   Knot DNS   127.0.0.21:53    ns2 of split.test, out of sync: serial 1 with the old TLSA
 *   Unbound    127.0.0.30:53    validating resolver: stub zones → Knot, trust anchors = Knot's DS
 *                               (a wrong DS for bogus.test, none for unsigned.test; the children
 *                               of parent.test are found by delegation and validated through it)
 *   Postfix    127.0.0.25:25    STARTTLS with leaf + intermediate (and [::1]:25 when IPv6 works)
 *              127.0.0.26:25    an RSA and an ECDSA certificate (multi.test covers only the ECDSA one)
 *              127.0.0.27:25    another certificate (twoaddr.test's second address)
 * Every daemon writes to files in the lab directory; every PID is recorded in DIR/pids.json and
 * in a state file, and only those processes are ever stopped. Nothing leaves loopback: Unbound's
 * root is a stub pointing at Knot (which refuses it), so it never primes from the internet.
 *
 * This file: the addresses, certificates (openssl), zone texts and probes; labDaemons.ts starts
 * and stops the daemons.
 *
 * Usage (after `apt-get install knot knot-dnsutils unbound postfix bind9-dnsutils openssl` and `npx tsc -b`):
 *   node scripts/lab/lab.js up [DIR]    start, print the lab description as JSON
 *   node scripts/lab/lab.js down [DIR]  stop the processes recorded for DIR (default: the last lab)
 * From the tests: `const lab = await startLab(); … await lab.stop();` (this module, or test/support/lab.ts).
 */
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as packet from 'dns-packet';

export const KNOT = { host: '127.0.0.20', port: 5353 };
export const NS2 = { host: '127.0.0.21', port: 53 };
export const SMTP_MULTI = '127.0.0.26';
export const SMTP_OTHER = '127.0.0.27';
export const RESOLVER = { host: '127.0.0.30', port: 53 };
export const SMTP4 = '127.0.0.25';
export const SMTP6 = '::1';
export const STATE_FILE = path.join(os.tmpdir(), 'dane-zone-lab.state.json');
export const SIGNED_ZONES = ['good.test', 'nomatch.test', 'bogus.test', 'cname.test', 'multi.test', 'twoaddr.test', 'split.test', 'parent.test'];
/** Signed zones below parent.test: validated through the parent's DS (no trust anchor of their own). */
export const CHILD_ZONES = ['ok.parent.test', 'nods.parent.test', 'badds.parent.test'];
export const UNSIGNED_ZONES = ['unsigned.test'];
export const NEEDED: [string, string][] = [
  ['knotd', 'knot'], ['keymgr', 'knot'], ['unbound', 'unbound'], ['postfix', 'postfix'], ['openssl', 'openssl'],
];
export const SBIN = ['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/sbin', '/usr/local/bin'];

/** A leaf certificate of one of the other SMTP listeners (issued by the lab's intermediate). */
export interface LabLeaf {
  keyFile: string;
  chainFile: string;
  spki311: string;
}

export interface LabCerts {
  dir: string;
  leafPem: string;
  intermediatePem: string;
  rootPem: string;
  leafKeyFile: string;
  chainFile: string;
  leafDer: Buffer;
  intermediateDer: Buffer;
  rootDer: Buffer;
  multiEc: LabLeaf;
  multiRsa: LabLeaf;
  otherLeaf: LabLeaf;
  tlsa: Record<'leaf311' | 'leaf312' | 'leaf301' | 'int211' | 'root201' | 'other311' | 'multiEc311' | 'multiRsa311', string>;
}

export interface LabPid {
  name: string;
  pid: number;
}

/** A running lab, as startLab returns it. */
export interface Lab {
  dir: string;
  ipv6: boolean;
  certs: LabCerts;
  zones: Record<string, string>;
  /** The DS lines of each signed zone (keymgr). */
  ds: Record<string, string[]>;
  knot: { host: string; port: number };
  resolver: { host: string; port: number };
  smtp: { v4: string; v6?: string; multi: string; other: string; port: number };
  ns2: { host: string; port: number };
  postfixDir: string;
  pids: LabPid[];
  startedInMs: number;
  stop(): Promise<void>;
}

export class LabError extends Error {}

export function which(cmd: string): string | undefined {
  const dirs = (process.env.PATH || '').split(':').concat(SBIN);
  for (const d of dirs) {
    const p = path.join(d, cmd);
    try { fs.accessSync(p, fs.constants.X_OK); return p; } catch { /* next */ }
  }
  return undefined;
}

/** The path of a program startLab checked for (NEEDED). */
export function need(cmd: string): string {
  const p = which(cmd);
  if (!p) throw new LabError(`${cmd} not found`);
  return p;
}

export function sleep(ms: number): Promise<void> { return new Promise((r) => setTimeout(r, ms)); }

export function tail(file: string, n = 15): string {
  try { return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n'); } catch { return '(no log)'; }
}

export function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** Polls `probe` until it returns a truthy value or the deadline passes. */
export async function until<T>(what: string, ms: number, probe: () => T | Promise<T>, log?: string): Promise<T> {
  const end = Date.now() + ms;
  let last: Error | undefined;
  while (Date.now() < end) {
    try { const v = await probe(); if (v) return v; } catch (e) { last = e as Error; }
    await sleep(50);
  }
  throw new LabError(`${what}: not ready after ${ms} ms${last ? ` (${last.message})` : ''}${log ? `\n--- ${log}:\n${tail(log)}` : ''}`);
}

// ------------------------------------------------------------------ DNS probe (dns-packet over UDP)

export function dnsQuery(server: string, port: number, name: string, type: packet.RecordType, { dnssec = false, timeoutMs = 500 } = {}): Promise<packet.Packet> {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket(net.isIPv6(server) ? 'udp6' : 'udp4');
    const id = crypto.randomInt(65536);
    const msg = packet.encode({
      type: 'query', id, flags: packet.RECURSION_DESIRED,
      questions: [{ type, name, class: 'IN' }],
      additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096, flags: dnssec ? packet.DNSSEC_OK : 0 } as unknown as packet.Answer],
    });
    const timer = setTimeout(() => { sock.close(); reject(new Error(`no answer from ${server}:${port}`)); }, timeoutMs);
    sock.on('error', (e) => { clearTimeout(timer); sock.close(); reject(e); });
    sock.on('message', (buf) => {
      const r = packet.decode(buf);
      if (r.id !== id) return;
      clearTimeout(timer);
      sock.close();
      resolve(r);
    });
    sock.send(msg, port, server);
  });
}

export function tcpBanner(host: string, port: number, timeoutMs = 500): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port });
    let data = '';
    const timer = setTimeout(() => { s.destroy(); reject(new Error('no banner')); }, timeoutMs);
    s.on('data', (b) => {
      data += b.toString('latin1');
      if (data.includes('\n')) { clearTimeout(timer); s.end('QUIT\r\n'); s.destroy(); resolve(data.trim()); }
    });
    s.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

/** True when we can listen on [::1] (IPv6 loopback configured). */
export function ipv6Works(): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(0, SMTP6, () => srv.close(() => resolve(true)));
  });
}

/** Fails early, with the reason, when an address the lab needs is taken. */
export function checkFree(host: string, port: number, udp: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (e: NodeJS.ErrnoException) => reject(new LabError(`${host}:${port}${udp ? '/udp' : ''} is not free (${e.code || e.message}): another lab or DNS/SMTP server holds it; \`node scripts/lab/lab.js down\` stops a lab left behind`));
    if (udp) {
      const s = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
      s.once('error', fail);
      s.bind(port, host, () => s.close(() => resolve()));
    } else {
      const srv = net.createServer();
      srv.once('error', fail);
      srv.listen(port, host, () => srv.close(() => resolve()));
    }
  });
}

// ------------------------------------------------------------------ certificates (openssl)

export function openssl(args: string[], cwd: string): string {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new LabError(`openssl ${args.join(' ')} failed: ${r.stderr || r.error}`);
  return r.stdout;
}

export function derOfPem(pem: string): Buffer {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem);
  if (!m) throw new LabError('no certificate in the PEM text');
  return Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
}

export function sha(alg: string, data: crypto.BinaryLike): string { return crypto.createHash(alg).update(data).digest('hex'); }

export function spkiOf(pemCert: string): Buffer {
  return new crypto.X509Certificate(pemCert).publicKey.export({ type: 'spki', format: 'der' });
}

/** Root → intermediate → leaf (EC P-256), and an unrelated key for non-matching records. */
export function makeCerts(dir: string, names: string[]): LabCerts {
  fs.mkdirSync(dir, { recursive: true });
  const ext = path.join(dir, 'ext.cnf');
  fs.writeFileSync(ext, [
    '[ca]', 'basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash', '',
    '[leaf]', 'basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth',
    `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`, '',
  ].join('\n'));
  const key = (name: string) => openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`], dir);
  for (const k of ['root', 'int', 'leaf', 'other']) key(k);
  openssl(['req', '-x509', '-new', '-key', 'root.key', '-subj', '/CN=DANE Lab Root', '-days', '30', '-sha256',
    '-extensions', 'ca', '-config', ext, '-out', 'root.pem'], dir);
  openssl(['req', '-new', '-key', 'int.key', '-subj', '/CN=DANE Lab Intermediate', '-out', 'int.csr'], dir);
  openssl(['x509', '-req', '-in', 'int.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-set_serial', '2', '-days', '30',
    '-sha256', '-extfile', ext, '-extensions', 'ca', '-out', 'int.pem'], dir);
  openssl(['req', '-new', '-key', 'leaf.key', '-subj', `/CN=${names[0]}`, '-out', 'leaf.csr'], dir);
  openssl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'int.pem', '-CAkey', 'int.key', '-set_serial', '3', '-days', '30',
    '-sha256', '-extfile', ext, '-extensions', 'leaf', '-out', 'leaf.pem'], dir);
  const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
  fs.writeFileSync(path.join(dir, 'chain.pem'), read('leaf.pem') + read('int.pem'));
  const otherSpki = crypto.createPublicKey(read('other.key')).export({ type: 'spki', format: 'der' });
  // Leaves for the other listeners, issued by the same intermediate.
  const extraLeaf = (name: string, keyArgs: string[] | undefined, cn: string): LabLeaf => {
    if (keyArgs) openssl(['genpkey', ...keyArgs, '-out', `${name}.key`], dir);
    openssl(['req', '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}`, '-out', `${name}.csr`], dir);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'int.pem', '-CAkey', 'int.key', '-set_serial', String(10 + name.length), '-days', '30',
      '-sha256', '-extfile', ext, '-extensions', 'leaf', '-out', `${name}.pem`], dir);
    fs.writeFileSync(path.join(dir, `${name}.chain.pem`), read(`${name}.pem`) + read('int.pem'));
    return { keyFile: path.join(dir, `${name}.key`), chainFile: path.join(dir, `${name}.chain.pem`), spki311: sha('sha256', spkiOf(read(`${name}.pem`))) };
  };
  const multiEc = extraLeaf('multi-ec', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'mx.multi.test');
  const multiRsa = extraLeaf('multi-rsa', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], 'mx.multi.test');
  const otherLeaf = extraLeaf('other', undefined, 'mx.twoaddr.test');
  const leaf = read('leaf.pem');
  const int = read('int.pem');
  const root = read('root.pem');
  return {
    dir,
    leafPem: leaf, intermediatePem: int, rootPem: root,
    leafKeyFile: path.join(dir, 'leaf.key'), chainFile: path.join(dir, 'chain.pem'),
    multiEc, multiRsa, otherLeaf,
    leafDer: derOfPem(leaf), intermediateDer: derOfPem(int), rootDer: derOfPem(root),
    tlsa: {
      leaf311: sha('sha256', spkiOf(leaf)),
      leaf312: sha('sha512', spkiOf(leaf)),
      leaf301: sha('sha256', derOfPem(leaf)),
      int211: sha('sha256', spkiOf(int)),
      root201: sha('sha256', derOfPem(root)),
      other311: sha('sha256', otherSpki),
      multiEc311: multiEc.spki311,
      multiRsa311: multiRsa.spki311,
    },
  };
}

// ------------------------------------------------------------------ zones

export function zoneText(zone: string, body: string[], { serial = 1, ns = ['@ IN NS ns', `ns IN A ${KNOT.host}`] } = {}): string {
  return [
    `$ORIGIN ${zone}.`,
    '$TTL 300',
    `@ IN SOA ns.${zone}. hostmaster.${zone}. ${serial} 3600 600 86400 60`,
    ...ns,
    ...body,
    '',
  ].join('\n');
}

/** parent.test with its delegations; `ds` holds the DS lines to publish (none at first). */
export function parentZone(ds: string[] = []): string {
  return zoneText('parent.test', [
    ...CHILD_ZONES.map((z) => `${z.split('.')[0]} IN NS ns.parent.test.`),
    ...ds,
  ], { serial: ds.length ? 2 : 1 });
}

/** split.test as ns1 serves it (serial 2, the new TLSA) and as the stale ns2 does (serial 1, the old one). */
export function splitZone(t: LabCerts['tlsa'], stale: boolean): string {
  return zoneText('split.test', [
    '@ IN MX 10 mx', `mx IN A ${SMTP4}`,
    ...(stale ? [`_25._tcp.mx IN TLSA 3 1 1 ${t.other311}`] : [`_25._tcp.mx IN TLSA 3 1 1 ${t.leaf311}`, `_25._tcp.mx IN TLSA 2 1 1 ${t.int211}`]),
  ], { serial: stale ? 1 : 2, ns: ['@ IN NS ns1', '@ IN NS ns2', `ns1 IN A ${KNOT.host}`, `ns2 IN A ${NS2.host}`] });
}

export function zones(t: LabCerts['tlsa'], v6: boolean): Record<string, string> {
  const aaaa = v6 ? [`mx1 IN AAAA ${SMTP6}`] : [];
  return {
    'good.test': zoneText('good.test', [
      '@ IN MX 10 mx1', `mx1 IN A ${SMTP4}`, ...aaaa,
      `_25._tcp.mx1 IN TLSA 3 1 1 ${t.leaf311}`,
      `_25._tcp.mx1 IN TLSA 2 1 1 ${t.int211}`,
    ]),
    'nomatch.test': zoneText('nomatch.test', [
      '@ IN MX 10 mx', `mx IN A ${SMTP4}`,
      `_25._tcp.mx IN TLSA 3 1 1 ${t.other311}`,
      `_25._tcp.mx IN TLSA 2 0 1 ${t.root201}`,
    ]),
    'bogus.test': zoneText('bogus.test', [
      '@ IN MX 10 mx', `mx IN A ${SMTP4}`, `_25._tcp.mx IN TLSA 3 1 1 ${t.leaf311}`,
    ]),
    'unsigned.test': zoneText('unsigned.test', [
      '@ IN MX 10 mx', `mx IN A ${SMTP4}`, `_25._tcp.mx IN TLSA 3 1 1 ${t.leaf311}`,
    ]),
    // An MX host that is an alias (RFC 7672 §2.2.2): TLSA at the expanded name.
    'cname.test': zoneText('cname.test', ['@ IN MX 10 mail', 'mail IN CNAME mx1.good.test.']),
    // An RSA and an ECDSA certificate on one listener; only the ECDSA one is covered.
    'multi.test': zoneText('multi.test', ['@ IN MX 10 mx', `mx IN A ${SMTP_MULTI}`, `_25._tcp.mx IN TLSA 3 1 1 ${t.multiEc311}`]),
    // Two addresses; the second presents another certificate.
    'twoaddr.test': zoneText('twoaddr.test', ['@ IN MX 10 mx', `mx IN A ${SMTP4}`, `mx IN A ${SMTP_OTHER}`, `_25._tcp.mx IN TLSA 3 1 1 ${t.leaf311}`]),
    'split.test': splitZone(t, false),
    'parent.test': parentZone(),
    ...Object.fromEntries(CHILD_ZONES.map((z) => [z, zoneText(z, ['@ IN MX 10 mx', `mx IN A ${SMTP4}`, `_25._tcp.mx IN TLSA 3 1 1 ${t.leaf311}`], { ns: ['@ IN NS ns.parent.test.'] })])),
  };
}

