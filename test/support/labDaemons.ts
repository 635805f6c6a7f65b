/**
 * The DANE lab's daemons (Knot, a second Knot, Unbound, Postfix on loopback): startLab brings
 * them up from the addresses, certificates and zones of labSetup.ts and records every PID;
 * stopLab stops only those. See labSetup.ts for what the lab serves; `node scripts/lab/lab.js
 * up|down` runs it from a shell.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as packet from 'dns-packet';
import {
  CHILD_ZONES, KNOT, LabError, NEEDED, NS2, RESOLVER, SIGNED_ZONES, SMTP4, SMTP6, SMTP_MULTI, SMTP_OTHER, STATE_FILE, UNSIGNED_ZONES, checkFree, dnsQuery, ipv6Works, makeCerts, need, parentZone, pidAlive, sleep, splitZone, tail, tcpBanner, until, which, zones,
} from './labSetup';
import type { Lab, LabPid } from './labSetup';

export { dnsQuery, KNOT, LabError, makeCerts, NS2, RESOLVER, SMTP4, SMTP6, SMTP_MULTI, SMTP_OTHER, STATE_FILE } from './labSetup';
export type { Lab, LabCerts, LabLeaf, LabPid } from './labSetup';
// ------------------------------------------------------------------ processes

function readState(): { dir?: string; pids?: LabPid[] } | undefined {
  try { return JSON.parse(fs.readFileSync(STATE_FILE, 'utf8')); } catch { return undefined; }
}

function writePids(dir: string, pids: LabPid[]): void {
  const data = JSON.stringify({ dir, pids }, null, 2);
  fs.writeFileSync(path.join(dir, 'pids.json'), data);
  fs.writeFileSync(STATE_FILE, data);
}

/** A PID recorded by a lab is only stopped while its command line still names that lab's directory. */
function stillOurs(pid: number, dir: string): boolean {
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

async function stopPids(dir: string, pids: LabPid[]): Promise<void> {
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
export async function stopLab(dir?: string, { keep = false } = {}): Promise<void> {
  const state = readState();
  dir = dir || (state && state.dir);
  if (!dir) return;
  let pids: LabPid[] | undefined = [];
  try { pids = JSON.parse(fs.readFileSync(path.join(dir, 'pids.json'), 'utf8')).pids; } catch {
    if (state && state.dir === dir) pids = state.pids;
  }
  await stopPids(dir, pids || []);
  if (state && state.dir === dir) { try { fs.unlinkSync(STATE_FILE); } catch { /* already gone */ } }
  if (!keep) fs.rmSync(dir, { recursive: true, force: true });
}

function daemon(cmd: string, args: string[], logFile: string, env?: NodeJS.ProcessEnv): { pid: number; exited: () => string | number | null | undefined } {
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { stdio: ['ignore', fd, fd], env: env || process.env });
  fs.closeSync(fd);
  child.unref();
  let exit: string | number | null | undefined;
  child.on('exit', (code, sig) => { exit = sig || code; });
  return { pid: child.pid ?? 0, exited: () => exit };
}

// ------------------------------------------------------------------ bring-up

export async function startLab(options: { dir?: string; ipv6?: boolean } = {}): Promise<Lab> {
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
  const pids: LabPid[] = [];
  writePids(dir, pids);
  const lab: Partial<Lab> & { dir: string; ipv6: boolean; ds?: Record<string, string[]> } = { dir, ipv6: v6 };
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
    const knot = daemon(need('knotd'), ['-c', knotConf], knotLog);
    pids.push({ name: 'knotd', pid: knot.pid });
    writePids(dir, pids);
    for (const z of [...SIGNED_ZONES, ...CHILD_ZONES]) {
      await until(`Knot signing ${z}`, 8000, async () => {
        if (knot.exited() !== undefined) throw new LabError(`knotd exited (${knot.exited()})`);
        const r = await dnsQuery(KNOT.host, KNOT.port, z, 'DNSKEY', { dnssec: true });
        return (r.answers ?? []).some((a) => a.type === 'DNSKEY');
      }, knotLog);
    }
    for (const z of UNSIGNED_ZONES) {
      await until(`Knot serving ${z}`, 5000, async () => {
        const r = await dnsQuery(KNOT.host, KNOT.port, z, 'SOA');
        return (r.answers ?? []).some((a) => a.type === 'SOA');
      }, knotLog);
    }
    const ds: Record<string, string[]> = {};
    for (const z of [...SIGNED_ZONES, ...CHILD_ZONES]) {
      const out = execFileSync(need('keymgr'), ['-c', knotConf, z, 'ds'], { encoding: 'utf8' });
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
      return (r.answers ?? []).some((a) => a.type === 'DS');
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
    const knot2 = daemon(need('knotd'), ['-c', knot2Conf], knot2Log);
    pids.push({ name: 'knotd-ns2', pid: knot2.pid });
    writePids(dir, pids);
    await until('Knot ns2 serving split.test', 5000, async () => {
      if (knot2.exited() !== undefined) throw new LabError(`knotd (ns2) exited (${knot2.exited()})`);
      const r = await dnsQuery(NS2.host, NS2.port, 'split.test', 'SOA');
      return (r.answers ?? []).some((a) => a.type === 'SOA');
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
    const unbound = daemon(need('unbound'), ['-d', '-c', unboundConf], unboundLog);
    pids.push({ name: 'unbound', pid: unbound.pid });
    writePids(dir, pids);
    await until('Unbound', 5000, async () => {
      if (unbound.exited() !== undefined) throw new LabError(`unbound exited (${unbound.exited()})`);
      const r = await dnsQuery(RESOLVER.host, RESOLVER.port, 'good.test', 'SOA', { dnssec: true });
      return (r as packet.Packet & { rcode?: string }).rcode === 'NOERROR' && (r.answers ?? []).length > 0;
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
    const postfix = (cmd: string) => {
      const r = spawnSync(need('postfix'), ['-c', pdir, cmd], { encoding: 'utf8', env: penv, stdio: ['ignore', 'pipe', 'pipe'] });
      if (r.status === 0) return r;
      const seen = which('script')
        ? spawnSync('script', ['-qec', `${which('postfix')} -c ${pdir} ${cmd}`, '/dev/null'], { encoding: 'utf8', env: penv }).stdout
        : '';
      throw new LabError(`postfix ${cmd} failed (${r.status}): ${r.stdout}${r.stderr}${seen}\n${tail(path.join(pdir, 'maillog'))}`);
    };
    postfix('check');
    const pstart = postfix('start');
    const masterPidFile = path.join(pdir, 'queue', 'pid', 'master.pid');
    let masterPid: number | undefined;
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
    return lab as Lab;
  } catch (e) {
    await stopLab(dir, { keep: !!process.env.DANE_LAB_KEEP }).catch(() => {});
    if (e instanceof LabError) throw e;
    throw new LabError(`lab bring-up failed: ${(e as Error)?.stack ?? e}`);
  }
}

