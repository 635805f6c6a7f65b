/**
 * The live check against real servers on loopback (scripts/lab/lab.js): Knot signs the test
 * zones, Unbound validates with the lab's trust anchors, Postfix offers STARTTLS with a leaf +
 * intermediate chain. If the lab cannot start, every test here fails with the reason (it does
 * not pass silently). The lab is torn down in `after`, also when a test fails; only the PIDs it
 * recorded are stopped.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseZone } from '../../server/src/core/parser';
import { checkLive } from '../../server/src/live/check';
import { liveDiagnostics } from '../../server/src/live/diagnostics';
import { createNodeLiveIO } from '../../server/src/live/node';
import { LiveIO, LiveReport } from '../../server/src/live/types';
import { Lab, labModule, ROOT } from './helpers';

const MAIN = path.join(ROOT, 'out', 'server', 'src', 'cli', 'main.js');
let lab: Lab | undefined;
let labError: unknown;
let io: LiveIO;
let tmp: string;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dane-zone-live-lab-test-'));
  try {
    lab = await labModule().startLab();
    io = createNodeLiveIO({ resolvers: [lab.resolver] });
  } catch (e) {
    labError = e;
  }
});

after(async () => {
  await lab?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function needLab(): Lab {
  if (!lab) assert.fail(`the DANE lab could not start: ${labError instanceof Error ? labError.message : String(labError)}`);
  return lab;
}

const FAST = { timeouts: { dns: 3000, connect: 3000, reply: 5000, tls: 5000, overall: 20000 } };

function check(domain: string, zoneText?: string): Promise<LiveReport> {
  const zone = zoneText === undefined ? undefined : parseZone(zoneText);
  return checkLive(domain, io, { ...FAST, zone });
}

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: tmp });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => { stdout += b; });
    child.stderr.on('data', (b) => { stderr += b; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('lab: signed zone with matching TLSA → pass, over IPv4 and IPv6, chain = leaf + intermediate as Postfix sends it', async () => {
  const l = needLab();
  const r = await check('good.test');
  assert.equal(r.outcome, 'pass', JSON.stringify(r.findings, null, 1));
  assert.equal(r.mx.status, 'secure');
  const h = r.hosts[0];
  assert.equal(h.host, 'mx1.good.test');
  assert.equal(h.dane, 'in-effect');
  assert.equal(h.tlsa.status, 'secure');
  assert.equal(h.published.length, 2);
  const want = l.ipv6 ? ['127.0.0.25', '::1'] : ['127.0.0.25'];
  assert.deepEqual(h.addressReports.map((x) => x.address), want);
  for (const ar of h.addressReports) {
    assert.equal(ar.dane, 'authenticated');
    assert.deepEqual(ar.chain.map((c) => c.subject), ['CN=mx1.good.test', 'CN=DANE Lab Intermediate']);
    assert.deepEqual(ar.records.map((v) => [v.usage, v.result]).sort(), [[2, 'match'], [3, 'match']]);
    assert.equal(ar.tls?.protocol?.startsWith('TLS'), true);
  }
});

test('lab: non-matching TLSA → failure naming the host, the address and why each record misses', async () => {
  needLab();
  const r = await check('nomatch.test');
  assert.equal(r.outcome, 'fail');
  const f = r.findings.filter((x) => x.code === 'live-cert-mismatch');
  assert.equal(f.length, 1, JSON.stringify(r.findings));
  assert.equal(f[0].message, 'mx.nomatch.test (127.0.0.25) presents a certificate that matches no record at _25._tcp.mx.nomatch.test');
  const ar = r.hosts[0].addressReports[0];
  const ee = ar.records.find((v) => v.usage === 3)!;
  assert.match(ee.reason, /does not match the leaf \(CN=mx1\.good\.test\): the leaf's SHA2-256 of the public key is [0-9a-f]{64}/);
  const ta = ar.records.find((v) => v.usage === 2)!;
  assert.match(ta.reason, /matches no certificate above the leaf \(the server sent 1: CN=DANE Lab Intermediate\)/);
});

test('lab: unsigned zone → insecure, DANE not in effect', async () => {
  needLab();
  const r = await check('unsigned.test');
  assert.equal(r.outcome, 'fail');
  const h = r.hosts[0];
  assert.equal(h.tlsa.status, 'insecure');
  assert.equal(h.dane, 'insecure');
  assert.equal(h.published.length, 1);
  assert.equal(h.addressReports[0].dane, 'not-applicable');
  const f = r.findings.find((x) => x.code === 'live-tlsa-insecure')!;
  assert.match(f.message, /^insecure: DANE not in effect for mx\.unsigned\.test/);
});

test('lab: wrong trust anchor → bogus (SERVFAIL, answered with CD), not "unreachable"', async () => {
  needLab();
  const r = await check('bogus.test');
  assert.equal(r.outcome, 'fail');
  assert.equal(r.mx.status, 'bogus');
  const h = r.hosts[0];
  assert.equal(h.host, 'mx.bogus.test');
  assert.equal(h.tlsa.status, 'bogus');
  assert.equal(h.dane, 'bogus');
  assert.equal(h.published.length, 1, 'the CD answer shows what is published');
  assert.ok(r.findings.some((x) => x.code === 'live-tlsa-bogus' && /fails DNSSEC validation \(bogus\)/.test(x.message)), JSON.stringify(r.findings));
  // A zone nobody serves is "could not check", not bogus.
  const none = await check('absent.test');
  assert.equal(none.mx.status, 'failed');
  assert.equal(none.outcome, 'error');
});

test('lab: published RRset differs from the zone file → drift, as a report finding and as dane-live diagnostics', async () => {
  const l = needLab();
  const published = l.zones['good.test'];
  // Same zone, equal RRset: no drift.
  const same = await check('good.test', published);
  assert.deepEqual(same.hosts[0].drift?.fileOnly, []);
  assert.deepEqual(same.hosts[0].drift?.publishedOnly, []);
  assert.equal(same.outcome, 'pass', JSON.stringify(same.findings));
  // The file replaced the 2 1 1 record with a next-key 3 1 1 record.
  const edited = published.replace(/_25\._tcp\.mx1 IN TLSA 2 1 1 [0-9a-f]+/, `_25._tcp.mx1 IN TLSA 3 1 1 ${l.certs.tlsa.other311}`);
  assert.notEqual(edited, published);
  const r = await check('good.test', edited);
  assert.equal(r.outcome, 'fail');
  const d = r.hosts[0].drift!;
  assert.deepEqual(d.fileOnly.map((x) => x.data), [l.certs.tlsa.other311]);
  assert.deepEqual(d.publishedOnly.map((x) => x.data), [l.certs.tlsa.int211]);
  assert.ok(r.findings.some((x) => x.code === 'live-drift' && x.message.startsWith('published TLSA at _25._tcp.mx1.good.test differs from the zone file')));
  const zone = parseZone(edited);
  const diags = liveDiagnostics(r, zone);
  const drift = diags.filter((x) => x.code === 'live-drift');
  assert.ok(drift.length >= 2, JSON.stringify(diags));
  assert.ok(drift.every((x) => x.source === 'dane-live' && x.message.startsWith('published TLSA differs from this file')));
  const onNext = drift.find((x) => edited.slice(x.start, x.end).includes(l.certs.tlsa.other311));
  assert.ok(onNext, 'the record that is not published carries a diagnostic');
  assert.match(onNext!.message, /this record is not published \(the world sees 2 records at _25\._tcp\.mx1\)/);
  // A file whose records would not match the deployed certificate at all.
  const broken = published.replace(/_25\._tcp\.mx1 IN TLSA [23] 1 1 [0-9a-f]+\n/g, '') + `_25._tcp.mx1 IN TLSA 3 1 1 ${l.certs.tlsa.other311}\n`;
  const r2 = await check('good.test', broken);
  assert.ok(r2.findings.some((x) => x.code === 'live-file-mismatch'), JSON.stringify(r2.findings));
  const d2 = liveDiagnostics(r2, parseZone(broken)).find((x) => x.code === 'live-file-mismatch')!;
  assert.match(d2.message, /^mx1 \(127\.0\.0\.25(, ::1)?\) presents a certificate that matches none of this file's records/);
});

test('lab: the CLI reports and exits 0 / 1 / 2', async () => {
  const l = needLab();
  const resolver = `${l.resolver.host}:${l.resolver.port}`;
  const good = await cli(['live', 'good.test', '--resolver', resolver]);
  assert.equal(good.code, 0, good.stdout + good.stderr);
  assert.match(good.stdout, /mx1\.good\.test \(MX 10\): DANE in effect/);
  assert.match(good.stdout, /PASS: every host and address checks out/);
  const bad = await cli(['live', 'nomatch.test', '--resolver', resolver, '--format', 'json']);
  assert.equal(bad.code, 1, bad.stderr);
  const json = JSON.parse(bad.stdout) as LiveReport;
  assert.equal(json.outcome, 'fail');
  assert.equal(json.hosts[0].addressReports[0].dane, 'mismatch');
  const zoneFile = path.join(tmp, 'good.test.zone');
  fs.writeFileSync(zoneFile, l.zones['good.test'].replace(/2 1 1 [0-9a-f]+/, `2 1 1 ${l.certs.tlsa.other311}`));
  const drift = await cli(['live', 'good.test', '--resolver', resolver, '--zone', zoneFile]);
  assert.equal(drift.code, 1);
  assert.match(drift.stdout, /drift in the file, not published: 2 1 1/);
  const unreachable = await cli(['live', 'absent.test', '--resolver', resolver]);
  assert.equal(unreachable.code, 2, unreachable.stdout);
  assert.match(unreachable.stdout, /COULD NOT CHECK/);
});

/** posttls-finger, with the lab's resolver (a private mount namespace: the machine's resolv.conf stays untouched). */
function postTlsFinger(l: Lab, domain: string): string {
  const cmd = `mount --bind ${l.dir}/resolv.conf /etc/resolv.conf && MAIL_CONFIG=${l.postfixDir} posttls-finger -c -l dane -t5 -T10 ${domain}`;
  const r = spawnSync('unshare', ['-m', 'sh', '-c', cmd], { encoding: 'utf8', timeout: 20000 });
  return `${r.stdout}${r.stderr}${r.error ? String(r.error) : ''}`;
}

function hasPostTlsFinger(): boolean {
  return ['/usr/sbin/posttls-finger', '/usr/bin/posttls-finger'].some((p) => fs.existsSync(p)) && spawnSync('unshare', ['--help']).status === 0;
}

test('lab: posttls-finger (Postfix\'s own DANE client) agrees with our verdicts', async (t) => {
  const l = needLab();
  if (!hasPostTlsFinger()) { t.skip('posttls-finger (postfix) or unshare is not installed'); return; }
  const cases: [string, (r: LiveReport) => boolean, RegExp, RegExp | undefined][] = [
    ['good.test', (r) => r.outcome === 'pass', /Verified TLS connection established/, undefined],
    ['nomatch.test', (r) => r.hosts[0].addressReports[0].dane === 'mismatch', /Untrusted TLS connection established/, /Verified TLS/],
    ['unsigned.test', (r) => r.hosts[0].dane === 'insecure', /Untrusted TLS connection established/, /Verified TLS/],
    ['bogus.test', (r) => r.hosts[0].dane === 'bogus', /try again|lookup error|not found/i, /TLS connection established/],
  ];
  for (const [domain, ours, theirs, notTheirs] of cases) {
    const r = await check(domain);
    assert.ok(ours(r), `${domain}: our verdict ${r.outcome} ${JSON.stringify(r.findings)}`);
    const out = postTlsFinger(l, domain);
    assert.match(out, theirs, `${domain}: posttls-finger said:\n${out}`);
    if (notTheirs) assert.doesNotMatch(out, notTheirs, `${domain}: posttls-finger said:\n${out}`);
  }
});
