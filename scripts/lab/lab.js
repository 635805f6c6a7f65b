#!/usr/bin/env node
// A DANE lab on loopback for the live-check tests (../shared/docs/dane-lab.md):
//   Knot DNS   127.0.0.20:5353  authoritative (ns1; also on port 53 for direct questions), signs
//                               good.test, nomatch.test, bogus.test, cname.test, multi.test,
//                               twoaddr.test, split.test (serial 2), parent.test and its children
//                               ok.parent.test (DS in the parent), nods.parent.test (no DS),
//                               badds.parent.test (a DS matching no key); serves unsigned.test unsigned
//   Knot DNS   127.0.0.21:53    ns2 of split.test, out of sync: serial 1 with the old TLSA
//   Unbound    127.0.0.30:53    validating resolver: stub zones → Knot, trust anchors = Knot's DS
//                               (a wrong DS for bogus.test, none for unsigned.test; the children
//                               of parent.test are found by delegation and validated through it)
//   Postfix    127.0.0.25:25    STARTTLS with leaf + intermediate (and [::1]:25 when IPv6 works)
//              127.0.0.26:25    an RSA and an ECDSA certificate (multi.test covers only the ECDSA one)
//              127.0.0.27:25    another certificate (twoaddr.test's second address)
// Every daemon writes to files in the lab directory; every PID is recorded in DIR/pids.json and
// in a state file, and only those processes are ever stopped. Nothing leaves loopback: Unbound's
// root is a stub pointing at Knot (which refuses it), so it never primes from the internet.
//
// Usage (after `apt-get install knot knot-dnsutils unbound postfix bind9-dnsutils openssl`):
//   node scripts/lab/lab.js up [DIR]    start, print the lab description as JSON
//   node scripts/lab/lab.js down [DIR]  stop the processes recorded for DIR (default: the last lab)
// From code: const lab = await require('./scripts/lab/lab.js').startLab(); … await lab.stop();
'use strict';
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const dgram = require('node:dgram');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const KNOT = { host: '127.0.0.20', port: 5353 };
const NS2 = { host: '127.0.0.21', port: 53 };
const SMTP_MULTI = '127.0.0.26';
const SMTP_OTHER = '127.0.0.27';
const RESOLVER = { host: '127.0.0.30', port: 53 };
const SMTP4 = '127.0.0.25';
const SMTP6 = '::1';
const STATE_FILE = path.join(os.tmpdir(), 'dane-zone-lab.state.json');
const SIGNED_ZONES = ['good.test', 'nomatch.test', 'bogus.test', 'cname.test', 'multi.test', 'twoaddr.test', 'split.test', 'parent.test'];
/** Signed zones below parent.test: validated through the parent's DS (no trust anchor of their own). */
const CHILD_ZONES = ['ok.parent.test', 'nods.parent.test', 'badds.parent.test'];
const UNSIGNED_ZONES = ['unsigned.test'];
const NEEDED = [
  ['knotd', 'knot'], ['keymgr', 'knot'], ['unbound', 'unbound'], ['postfix', 'postfix'], ['openssl', 'openssl'],
];
const SBIN = ['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/sbin', '/usr/local/bin'];

class LabError extends Error {}

function which(cmd) {
  const dirs = (process.env.PATH || '').split(':').concat(SBIN);
  for (const d of dirs) {
    const p = path.join(d, cmd);
    try { fs.accessSync(p, fs.constants.X_OK); return p; } catch { /* next */ }
  }
  return undefined;
}

function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

function tail(file, n = 15) {
  try { return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n'); } catch { return '(no log)'; }
}

function pidAlive(pid) {
  try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
}

/** Polls `probe` until it returns a truthy value or the deadline passes. */
async function until(what, ms, probe, log) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try { const v = await probe(); if (v) return v; } catch (e) { last = e; }
    await sleep(50);
  }
  throw new LabError(`${what}: not ready after ${ms} ms${last ? ` (${last.message})` : ''}${log ? `\n--- ${log}:\n${tail(log)}` : ''}`);
}

// ------------------------------------------------------------------ DNS probe (dns-packet over UDP)

function dnsQuery(server, port, name, type, { dnssec = false, timeoutMs = 500 } = {}) {
  const packet = require('dns-packet');
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket(net.isIPv6(server) ? 'udp6' : 'udp4');
    const id = crypto.randomInt(65536);
    const msg = packet.encode({
      type: 'query', id, flags: packet.RECURSION_DESIRED,
      questions: [{ type, name, class: 'IN' }],
      additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096, flags: dnssec ? packet.DNSSEC_OK : 0 }],
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

function tcpBanner(host, port, timeoutMs = 500) {
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
function ipv6Works() {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(0, SMTP6, () => srv.close(() => resolve(true)));
  });
}

/** Fails early, with the reason, when an address the lab needs is taken. */
function checkFree(host, port, udp) {
  return new Promise((resolve, reject) => {
    const fail = (e) => reject(new LabError(`${host}:${port}${udp ? '/udp' : ''} is not free (${e.code || e.message}): another lab or DNS/SMTP server holds it; \`node scripts/lab/lab.js down\` stops a lab left behind`));
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

function openssl(args, cwd) {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new LabError(`openssl ${args.join(' ')} failed: ${r.stderr || r.error}`);
  return r.stdout;
}

function derOfPem(pem) {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem);
  return Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
}

function sha(alg, data) { return crypto.createHash(alg).update(data).digest('hex'); }

function spkiOf(pemCert) {
  return new crypto.X509Certificate(pemCert).publicKey.export({ type: 'spki', format: 'der' });
}

/** Root → intermediate → leaf (EC P-256), and an unrelated key for non-matching records. */
function makeCerts(dir, names) {
  fs.mkdirSync(dir, { recursive: true });
  const ext = path.join(dir, 'ext.cnf');
  fs.writeFileSync(ext, [
    '[ca]', 'basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash', '',
    '[leaf]', 'basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth',
    `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`, '',
  ].join('\n'));
  const key = (name) => openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`], dir);
  for (const k of ['root', 'int', 'leaf', 'other']) key(k);
  openssl(['req', '-x509', '-new', '-key', 'root.key', '-subj', '/CN=DANE Lab Root', '-days', '30', '-sha256',
    '-extensions', 'ca', '-config', ext, '-out', 'root.pem'], dir);
  openssl(['req', '-new', '-key', 'int.key', '-subj', '/CN=DANE Lab Intermediate', '-out', 'int.csr'], dir);
  openssl(['x509', '-req', '-in', 'int.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-set_serial', '2', '-days', '30',
    '-sha256', '-extfile', ext, '-extensions', 'ca', '-out', 'int.pem'], dir);
  openssl(['req', '-new', '-key', 'leaf.key', '-subj', `/CN=${names[0]}`, '-out', 'leaf.csr'], dir);
  openssl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'int.pem', '-CAkey', 'int.key', '-set_serial', '3', '-days', '30',
    '-sha256', '-extfile', ext, '-extensions', 'leaf', '-out', 'leaf.pem'], dir);
  const read = (f) => fs.readFileSync(path.join(dir, f), 'utf8');
  fs.writeFileSync(path.join(dir, 'chain.pem'), read('leaf.pem') + read('int.pem'));
  const otherSpki = crypto.createPublicKey(read('other.key')).export({ type: 'spki', format: 'der' });
  // Leaves for the other listeners, issued by the same intermediate.
  const extraLeaf = (name, keyArgs, cn) => {
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

function zoneText(zone, body, { serial = 1, ns = ['@ IN NS ns', `ns IN A ${KNOT.host}`] } = {}) {
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
function parentZone(ds = []) {
  return zoneText('parent.test', [
    ...CHILD_ZONES.map((z) => `${z.split('.')[0]} IN NS ns.parent.test.`),
    ...ds,
  ], { serial: ds.length ? 2 : 1 });
}

/** split.test as ns1 serves it (serial 2, the new TLSA) and as the stale ns2 does (serial 1, the old one). */
function splitZone(t, stale) {
  return zoneText('split.test', [
    '@ IN MX 10 mx', `mx IN A ${SMTP4}`,
    ...(stale ? [`_25._tcp.mx IN TLSA 3 1 1 ${t.other311}`] : [`_25._tcp.mx IN TLSA 3 1 1 ${t.leaf311}`, `_25._tcp.mx IN TLSA 2 1 1 ${t.int211}`]),
  ], { serial: stale ? 1 : 2, ns: ['@ IN NS ns1', '@ IN NS ns2', `ns1 IN A ${KNOT.host}`, `ns2 IN A ${NS2.host}`] });
}

function zones(t, v6) {
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

// ------------------------------------------------------------------ processes

function readState() {
  try { return JSON.parse(fs.readFileSync(STATE_FILE, 'utf8')); } catch { return undefined; }
}

function writePids(dir, pids) {
  const data = JSON.stringify({ dir, pids }, null, 2);
  fs.writeFileSync(path.join(dir, 'pids.json'), data);
  fs.writeFileSync(STATE_FILE, data);
}

/** A PID recorded by a lab is only stopped while its command line still names that lab's directory. */
function stillOurs(pid, dir) {
  try {
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmd.includes(dir)) return true;
    // Postfix's master shows no arguments: look for its config dir in the environment.
    const env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
    return env.includes(dir);
  } catch {
    return false;
  }
}

async function stopPids(dir, pids) {
  const live = pids.filter((p) => p.pid && pidAlive(p.pid) && stillOurs(p.pid, dir));
  for (const p of live) { try { process.kill(p.pid, 'SIGTERM'); } catch { /* gone */ } }
  const end = Date.now() + 3000;
  while (Date.now() < end && live.some((p) => pidAlive(p.pid))) await sleep(25);
  for (const p of live) {
    if (pidAlive(p.pid)) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } }
  }
  // Postfix children (smtpd, qmgr, …) exit when their master does; give them a moment.
  await sleep(live.length ? 50 : 0);
}

/** Stops the processes recorded for `dir` (default: the last lab started on this machine) and removes it. */
async function stopLab(dir, { keep = false } = {}) {
  const state = readState();
  dir = dir || (state && state.dir);
  if (!dir) return;
  let pids = [];
  try { pids = JSON.parse(fs.readFileSync(path.join(dir, 'pids.json'), 'utf8')).pids; } catch {
    if (state && state.dir === dir) pids = state.pids;
  }
  await stopPids(dir, pids || []);
  if (state && state.dir === dir) { try { fs.unlinkSync(STATE_FILE); } catch { /* already gone */ } }
  if (!keep) fs.rmSync(dir, { recursive: true, force: true });
}

function daemon(cmd, args, logFile, env) {
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { stdio: ['ignore', fd, fd], env: env || process.env });
  fs.closeSync(fd);
  child.unref();
  let exit;
  child.on('exit', (code, sig) => { exit = sig || code; });
  return { pid: child.pid, exited: () => exit };
}

// ------------------------------------------------------------------ bring-up

async function startLab(options = {}) {
  const t0 = Date.now();
  const missing = NEEDED.filter(([cmd]) => !which(cmd));
  if (missing.length) {
    const pkgs = [...new Set(missing.map(([, p]) => p))];
    throw new LabError(`the DANE lab needs ${missing.map(([c]) => c).join(', ')}: apt-get install ${pkgs.join(' ')} (.ci/run installs them)`);
  }
  if (process.getuid && process.getuid() !== 0) throw new LabError('the DANE lab must run as root (Unbound on port 53, Postfix on port 25)');
  // A lab left behind by a killed test run: stop what it recorded (only those PIDs).
  const old = readState();
  if (old && old.dir && old.dir !== options.dir) await stopLab(old.dir);

  const v6 = options.ipv6 !== false && (await ipv6Works());
  await checkFree(KNOT.host, KNOT.port, true);
  await checkFree(KNOT.host, KNOT.port, false);
  await checkFree(RESOLVER.host, RESOLVER.port, true);
  await checkFree(KNOT.host, 53, true);
  await checkFree(NS2.host, NS2.port, true);
  await checkFree(SMTP4, 25, false);
  await checkFree(SMTP_MULTI, 25, false);
  await checkFree(SMTP_OTHER, 25, false);
  if (v6) await checkFree(SMTP6, 25, false);

  const dir = options.dir || fs.mkdtempSync(path.join(os.tmpdir(), 'dane-zone-lab-'));
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o755); // Postfix daemons drop to the postfix user and must reach their files
  const pids = [];
  writePids(dir, pids);
  const lab = { dir, ipv6: v6 };
  try {
    const hostNames = ['mx1.good.test', 'mx.nomatch.test', 'mx.bogus.test', 'mx.unsigned.test', 'mx.split.test', ...CHILD_ZONES.map((z) => `mx.${z}`)];
    const certs = makeCerts(path.join(dir, 'certs'), hostNames);
    lab.certs = certs;
    lab.zones = zones(certs.tlsa, v6);

    // --- Knot
    const kdir = path.join(dir, 'knot');
    fs.mkdirSync(path.join(kdir, 'zones'), { recursive: true });
    fs.mkdirSync(path.join(kdir, 'db'), { recursive: true });
    for (const [z, text] of Object.entries(lab.zones)) fs.writeFileSync(path.join(kdir, 'zones', `${z}.zone`), text);
    const knotConf = path.join(kdir, 'knot.conf');
    fs.writeFileSync(knotConf, [
      'server:',
      `  listen: [ ${KNOT.host}@${KNOT.port}, ${KNOT.host}@53 ]`,
      `  rundir: "${kdir}"`,
      'control:',
      `  listen: "${path.join(kdir, 'knot.sock')}"`,
      'database:',
      `  storage: "${path.join(kdir, 'db')}"`,
      'log:',
      '  - target: stderr',
      '    any: info',
      'policy:',
      '  - id: lab',
      '    algorithm: ecdsap256sha256',
      '    single-type-signing: on',
      '    nsec3: off',
      'template:',
      '  - id: default',
      `    storage: "${path.join(kdir, 'zones')}"`,
      '    file: "%s.zone"',
      '    zonefile-sync: -1',
      '    zonefile-load: whole',
      '    journal-content: none',
      'zone:',
      ...[...SIGNED_ZONES, ...CHILD_ZONES].flatMap((z) => [`  - domain: ${z}`, '    dnssec-signing: on', '    dnssec-policy: lab']),
      ...UNSIGNED_ZONES.map((z) => `  - domain: ${z}`),
      '',
    ].join('\n'));
    const knotLog = path.join(kdir, 'knotd.log');
    const knot = daemon(which('knotd'), ['-c', knotConf], knotLog);
    pids.push({ name: 'knotd', pid: knot.pid });
    writePids(dir, pids);
    for (const z of [...SIGNED_ZONES, ...CHILD_ZONES]) {
      await until(`Knot signing ${z}`, 8000, async () => {
        if (knot.exited() !== undefined) throw new LabError(`knotd exited (${knot.exited()})`);
        const r = await dnsQuery(KNOT.host, KNOT.port, z, 'DNSKEY', { dnssec: true });
        return r.answers.some((a) => a.type === 'DNSKEY');
      }, knotLog);
    }
    for (const z of UNSIGNED_ZONES) {
      await until(`Knot serving ${z}`, 5000, async () => {
        const r = await dnsQuery(KNOT.host, KNOT.port, z, 'SOA');
        return r.answers.some((a) => a.type === 'SOA');
      }, knotLog);
    }
    const ds = {};
    for (const z of [...SIGNED_ZONES, ...CHILD_ZONES]) {
      const out = execFileSync(which('keymgr'), ['-c', knotConf, z, 'ds'], { encoding: 'utf8' });
      ds[z] = out.split('\n').filter((l) => /\sDS\s/.test(l));
      if (ds[z].length === 0) throw new LabError(`keymgr printed no DS for ${z}: ${out}`);
    }
    lab.ds = ds;
    // parent.test publishes the right DS for ok., a DS matching no key for badds., none for nods.
    const wrongChildDs = `badds.parent.test. 300 IN DS 4712 13 2 ${crypto.randomBytes(32).toString('hex').toUpperCase()}`;
    lab.zones['parent.test'] = parentZone([...ds['ok.parent.test'].map((l) => l.replace(/^(\S+)\s+(?:\d+\s+)?(?:IN\s+)?DS/, '$1 300 IN DS')), wrongChildDs]);
    fs.writeFileSync(path.join(kdir, 'zones', 'parent.test.zone'), lab.zones['parent.test']);
    const reload = spawnSync(which('knotc') || 'knotc', ['-c', knotConf, 'zone-reload', 'parent.test'], { encoding: 'utf8' });
    if (reload.status !== 0) throw new LabError(`knotc zone-reload parent.test: ${reload.stdout}${reload.stderr}`);
    await until('Knot publishing the DS of ok.parent.test', 8000, async () => {
      const r = await dnsQuery(KNOT.host, KNOT.port, 'ok.parent.test', 'DS', { dnssec: true });
      return r.answers.some((a) => a.type === 'DS');
    }, knotLog);

    // --- Knot, second instance: ns2 of split.test, an unsigned stale copy (serial 1, the old TLSA).
    const k2dir = path.join(dir, 'knot2');
    fs.mkdirSync(path.join(k2dir, 'zones'), { recursive: true });
    fs.mkdirSync(path.join(k2dir, 'db'), { recursive: true });
    fs.writeFileSync(path.join(k2dir, 'zones', 'split.test.zone'), splitZone(certs.tlsa, true));
    const knot2Conf = path.join(k2dir, 'knot.conf');
    fs.writeFileSync(knot2Conf, [
      'server:', `  listen: ${NS2.host}@${NS2.port}`, `  rundir: "${k2dir}"`,
      'control:', `  listen: "${path.join(k2dir, 'knot.sock')}"`,
      'database:', `  storage: "${path.join(k2dir, 'db')}"`,
      'log:', '  - target: stderr', '    any: info',
      'template:', '  - id: default', `    storage: "${path.join(k2dir, 'zones')}"`, '    file: "%s.zone"',
      '    zonefile-sync: -1', '    zonefile-load: whole', '    journal-content: none',
      'zone:', '  - domain: split.test', '',
    ].join('\n'));
    const knot2Log = path.join(k2dir, 'knotd.log');
    const knot2 = daemon(which('knotd'), ['-c', knot2Conf], knot2Log);
    pids.push({ name: 'knotd-ns2', pid: knot2.pid });
    writePids(dir, pids);
    await until('Knot ns2 serving split.test', 5000, async () => {
      if (knot2.exited() !== undefined) throw new LabError(`knotd (ns2) exited (${knot2.exited()})`);
      const r = await dnsQuery(NS2.host, NS2.port, 'split.test', 'SOA');
      return r.answers.some((a) => a.type === 'SOA');
    }, knot2Log);

    // --- Unbound
    const udir = path.join(dir, 'unbound');
    fs.mkdirSync(udir, { recursive: true });
    // bogus.test gets a DS that matches none of its keys: validation fails (SERVFAIL, bogus).
    const wrongDs = `bogus.test. 3600 IN DS 4711 13 2 ${crypto.randomBytes(32).toString('hex').toUpperCase()}`;
    const anchors = [...SIGNED_ZONES.filter((z) => z !== 'bogus.test').flatMap((z) => ds[z]), wrongDs];
    fs.writeFileSync(path.join(udir, 'anchors.ds'), anchors.join('\n') + '\n');
    const unboundConf = path.join(udir, 'unbound.conf');
    fs.writeFileSync(unboundConf, [
      'server:',
      `  interface: ${RESOLVER.host}@${RESOLVER.port}`,
      '  interface-automatic: no',
      '  do-ip4: yes',
      '  do-ip6: no',
      '  do-udp: yes',
      '  do-tcp: yes',
      '  access-control: 127.0.0.0/8 allow',
      '  do-not-query-localhost: no',
      `  directory: "${udir}"`,
      '  chroot: ""',
      '  username: ""',
      `  pidfile: "${path.join(udir, 'unbound.pid')}"`,
      '  use-syslog: no',
      '  verbosity: 1',
      '  val-log-level: 2',
      '  ede: yes',
      '  module-config: "validator iterator"',
      `  trust-anchor-file: "${path.join(udir, 'anchors.ds')}"`,
      '  local-zone: "test." nodefault',
      '  cache-max-ttl: 5',
      '  cache-max-negative-ttl: 5',
      '  val-bogus-ttl: 1',
      '  qname-minimisation: no',
      '  harden-referral-path: no',
      '  prefetch: no',
      'remote-control:',
      '  control-enable: no',
      // The root is a stub pointing at Knot (which refuses it): nothing is ever sent off loopback.
      'stub-zone:',
      '  name: "."',
      `  stub-addr: ${KNOT.host}@${KNOT.port}`,
      ...[...SIGNED_ZONES, ...UNSIGNED_ZONES].flatMap((z) => ['stub-zone:', `  name: "${z}."`, `  stub-addr: ${KNOT.host}@${KNOT.port}`]),
      '',
    ].join('\n'));
    const check = spawnSync(which('unbound-checkconf') || 'unbound-checkconf', [unboundConf], { encoding: 'utf8' });
    if (check.status !== 0 && !check.error) throw new LabError(`unbound-checkconf: ${check.stdout}${check.stderr}`);
    const unboundLog = path.join(udir, 'unbound.log');
    const unbound = daemon(which('unbound'), ['-d', '-c', unboundConf], unboundLog);
    pids.push({ name: 'unbound', pid: unbound.pid });
    writePids(dir, pids);
    await until('Unbound', 5000, async () => {
      if (unbound.exited() !== undefined) throw new LabError(`unbound exited (${unbound.exited()})`);
      const r = await dnsQuery(RESOLVER.host, RESOLVER.port, 'good.test', 'SOA', { dnssec: true });
      return r.rcode === 'NOERROR' && r.answers.length > 0;
    }, unboundLog);
    fs.writeFileSync(path.join(dir, 'resolv.conf'), `nameserver ${RESOLVER.host}\noptions edns0 trust-ad\n`);

    // --- Postfix
    const pdir = path.join(dir, 'postfix');
    fs.mkdirSync(pdir, { recursive: true });
    const listen = [
      `${SMTP4}:25      inet  n  -  n  -  -  smtpd`,
      `${SMTP_MULTI}:25 inet  n  -  n  -  -  smtpd -o { smtpd_tls_chain_files = ${certs.multiEc.keyFile}, ${certs.multiEc.chainFile}, ${certs.multiRsa.keyFile}, ${certs.multiRsa.chainFile} }`,
      `${SMTP_OTHER}:25 inet  n  -  n  -  -  smtpd -o { smtpd_tls_chain_files = ${certs.otherLeaf.keyFile}, ${certs.otherLeaf.chainFile} }`,
    ];
    if (v6) listen.push(`[${SMTP6}]:25    inet  n  -  n  -  -  smtpd`);
    fs.writeFileSync(path.join(pdir, 'master.cf'), [
      ...listen,
      'pickup    unix  n  -  n  60    1  pickup',
      'cleanup   unix  n  -  n  -     0  cleanup',
      'qmgr      unix  n  -  n  300   1  qmgr',
      'tlsmgr    unix  -  -  n  1000? 1  tlsmgr',
      'rewrite   unix  -  -  n  -     -  trivial-rewrite',
      'bounce    unix  -  -  n  -     0  bounce',
      'defer     unix  -  -  n  -     0  bounce',
      'trace     unix  -  -  n  -     0  bounce',
      'verify    unix  -  -  n  -     1  verify',
      'flush     unix  n  -  n  1000? 0  flush',
      'proxymap  unix  -  -  n  -     -  proxymap',
      'proxywrite unix -  -  n  -     1  proxymap',
      'smtp      unix  -  -  n  -     -  smtp',
      'relay     unix  -  -  n  -     -  smtp',
      'showq     unix  n  -  n  -     -  showq',
      'error     unix  -  -  n  -     -  error',
      'retry     unix  -  -  n  -     -  error',
      'discard   unix  -  -  n  -     -  discard',
      'local     unix  -  n  n  -     -  local',
      'anvil     unix  -  -  n  -     1  anvil',
      'scache    unix  -  -  n  -     1  scache',
      'postlog   unix-dgram n - n -   1  postlogd',
      '',
    ].join('\n'));
    // No trailing comments in main.cf: Postfix reads them as part of the value.
    fs.writeFileSync(path.join(pdir, 'main.cf'), [
      'compatibility_level = 3.6',
      `queue_directory = ${path.join(pdir, 'queue')}`,
      `data_directory = ${path.join(pdir, 'data')}`,
      `maillog_file_prefixes = ${pdir}`,
      `maillog_file = ${path.join(pdir, 'maillog')}`,
      'mail_owner = postfix',
      'setgid_group = postdrop',
      'inet_interfaces = loopback-only',
      `inet_protocols = ${v6 ? 'all' : 'ipv4'}`,
      'myhostname = mx1.good.test',
      'mydestination =',
      'mynetworks = 127.0.0.0/8',
      'smtpd_banner = $myhostname ESMTP lab',
      'smtpd_tls_security_level = may',
      `smtpd_tls_chain_files = ${certs.leafKeyFile}, ${certs.chainFile}`,
      'smtpd_tls_loglevel = 1',
      'smtp_tls_loglevel = 1',
      'smtp_dns_support_level = dnssec',
      'smtp_tls_security_level = dane',
      'dnssec_probe = ns:good.test',
      'biff = no',
      '',
    ].join('\n'));
    fs.mkdirSync(path.join(pdir, 'queue'), { recursive: true, mode: 0o755 });
    fs.mkdirSync(path.join(pdir, 'data'), { recursive: true, mode: 0o700 });
    const pw = spawnSync('id', ['-u', 'postfix'], { encoding: 'utf8' });
    const gw = spawnSync('id', ['-g', 'postfix'], { encoding: 'utf8' });
    if (pw.status === 0 && gw.status === 0) fs.chownSync(path.join(pdir, 'data'), Number(pw.stdout), Number(gw.stdout));
    const penv = { ...process.env, MAIL_CONFIG: pdir };
    // Postfix reports to syslog (there is none) and to a terminal: run it under `script` to see why it failed.
    const postfix = (cmd) => {
      const r = spawnSync(which('postfix'), ['-c', pdir, cmd], { encoding: 'utf8', env: penv, stdio: ['ignore', 'pipe', 'pipe'] });
      if (r.status === 0) return r;
      const seen = which('script')
        ? spawnSync('script', ['-qec', `${which('postfix')} -c ${pdir} ${cmd}`, '/dev/null'], { encoding: 'utf8', env: penv }).stdout
        : '';
      throw new LabError(`postfix ${cmd} failed (${r.status}): ${r.stdout}${r.stderr}${seen}\n${tail(path.join(pdir, 'maillog'))}`);
    };
    postfix('check');
    const pstart = postfix('start');
    const masterPidFile = path.join(pdir, 'queue', 'pid', 'master.pid');
    let masterPid;
    try { masterPid = Number(fs.readFileSync(masterPidFile, 'utf8').trim()); } catch { /* below */ }
    if (pstart.status !== 0 || !masterPid) {
      throw new LabError(`postfix start failed (${pstart.status}): ${pstart.stdout}${pstart.stderr}\n${tail(path.join(pdir, 'maillog'))}`);
    }
    pids.push({ name: 'postfix-master', pid: masterPid });
    writePids(dir, pids);
    lab.postfixDir = pdir;
    await until('Postfix on 127.0.0.25:25', 8000, () => tcpBanner(SMTP4, 25), path.join(pdir, 'maillog'));
    for (const host of [SMTP_MULTI, SMTP_OTHER]) await until(`Postfix on ${host}:25`, 5000, () => tcpBanner(host, 25), path.join(pdir, 'maillog'));
    if (v6) await until('Postfix on [::1]:25', 5000, () => tcpBanner(SMTP6, 25), path.join(pdir, 'maillog'));

    Object.assign(lab, {
      knot: KNOT,
      ns2: NS2,
      resolver: RESOLVER,
      smtp: { v4: SMTP4, v6: v6 ? SMTP6 : undefined, multi: SMTP_MULTI, other: SMTP_OTHER, port: 25 },
      pids,
      startedInMs: Date.now() - t0,
      stop: () => stopLab(dir),
    });
    return lab;
  } catch (e) {
    await stopLab(dir, { keep: !!process.env.DANE_LAB_KEEP }).catch(() => {});
    if (e instanceof LabError) throw e;
    throw new LabError(`lab bring-up failed: ${e && e.stack ? e.stack : e}`);
  }
}

module.exports = { startLab, stopLab, makeCerts, LabError, KNOT, NS2, RESOLVER, SMTP4, SMTP6, SMTP_MULTI, SMTP_OTHER, STATE_FILE, dnsQuery };

if (require.main === module) {
  const [cmd, dir] = process.argv.slice(2);
  (async () => {
    if (cmd === 'up') {
      const lab = await startLab({ dir });
      const { stop, certs, ...rest } = lab;
      void stop;
      console.log(JSON.stringify({ ...rest, certs: { dir: certs.dir, tlsa: certs.tlsa } }, null, 2));
    } else if (cmd === 'down') {
      await stopLab(dir);
    } else {
      console.error('usage: node scripts/lab/lab.js up [DIR] | down [DIR]');
      process.exitCode = 2;
    }
  })().catch((e) => { console.error(`lab: ${e.message}`); process.exitCode = 1; });
}
