/**
 * The live check against real servers on loopback (test/support/labDaemons.ts): Knot signs the test
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
  const l = needLab();
  const r = await check('nomatch.test');
  assert.equal(r.outcome, 'fail');
  const f = r.findings.filter((x) => x.code === 'live-cert-mismatch');
  assert.equal(f.length, 1, JSON.stringify(r.findings));
  assert.match(f[0].message, /^mx\.nomatch\.test \(127\.0\.0\.25\) presents a certificate that matches no record at _25\._tcp\.mx\.nomatch\.test \(its key is `3 1 1 [0-9a-f]{64}`\)$/);
  assert.ok(f[0].message.includes(l.certs.tlsa.leaf311), 'the presented key is the one to publish');
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

test('lab: every key type at every address: the ECDSA leaf matches 3 1 1 at the leaf and 2 1 1 at the issuer; no RSA certificate is no failure', async () => {
  needLab();
  const r = await check('good.test');
  for (const ar of r.hosts[0].addressReports) {
    assert.deepEqual(ar.keyTypes?.map((k) => [k.keyType, k.offer, k.presented, k.dane]), [['ecdsa', 'all', true, 'authenticated'], ['rsa', 'only', false, 'not-checked']]);
    const ec = ar.keyTypes![0];
    assert.deepEqual(ec.matched.map((m) => [m.record.usage, m.depth, m.position]).sort(), [[2, 1, 'issuer'], [3, 0, 'leaf']]);
    assert.match(ar.keyTypes![1].note!, /^no RSA certificate: the server refused a handshake offering only RSA signatures \(the server sent the TLS alert "handshake failure"\)$/);
  }
});

test('lab: a listener with an RSA and an ECDSA certificate where only the ECDSA one is covered → fail naming the RSA certificate and its key', async () => {
  const l = needLab();
  const r = await check('multi.test');
  assert.equal(r.outcome, 'fail');
  const ar = r.hosts[0].addressReports[0];
  assert.equal(ar.address, '127.0.0.26');
  assert.equal(ar.dane, 'mismatch');
  assert.deepEqual(ar.keyTypes?.map((k) => [k.keyType, k.presented, k.dane, k.chain[0]?.keyAlgorithm]), [['ecdsa', true, 'authenticated', 'EC P-256'], ['rsa', true, 'mismatch', 'RSA 2048-bit']]);
  const f = r.findings.filter((x) => x.code === 'live-cert-mismatch');
  assert.equal(f.length, 1, JSON.stringify(r.findings));
  assert.equal(f[0].message, `mx.multi.test (127.0.0.26) presents an RSA certificate (to senders that offer only RSA signatures) that matches no record at _25._tcp.mx.multi.test (its key is \`3 1 1 ${l.certs.tlsa.multiRsa311}\`); its ECDSA certificate matches 3 1 1 ${l.certs.tlsa.multiEc311.slice(0, 16)}… at the leaf`);
});

test('lab: an MX host with two addresses, the second presenting another certificate → fail for that address only', async () => {
  needLab();
  const r = await check('twoaddr.test');
  assert.equal(r.outcome, 'fail');
  const h = r.hosts[0];
  assert.deepEqual(h.addressReports.map((x) => [x.address, x.dane]), [['127.0.0.25', 'authenticated'], ['127.0.0.27', 'mismatch']]);
  assert.deepEqual(r.findings.filter((x) => x.code === 'live-cert-mismatch').map((x) => x.address), ['127.0.0.27']);
});

test('lab: a CNAME\'d MX host → TLSA from the secure expanded name (RFC 7672 §2.2.2), pass', async () => {
  needLab();
  const r = await check('cname.test');
  assert.equal(r.outcome, 'pass', JSON.stringify(r.findings));
  const h = r.hosts[0];
  assert.equal(h.host, 'mail.cname.test');
  assert.deepEqual(h.cname, { expanded: 'mx1.good.test', secure: true, tlsaFrom: 'expanded' });
  assert.equal(h.tlsa.name, '_25._tcp.mx1.good.test');
  assert.equal(h.published.length, 2);
});

test('lab: two authoritative servers out of sync → "ns2 (127.0.0.21) still serves serial 1 with the old TLSA"', async () => {
  const l = needLab();
  const r = await check('split.test');
  assert.equal(r.outcome, 'fail');
  assert.equal(r.hosts[0].dane, 'in-effect', 'the resolver asks ns1, so the host itself passes');
  const z = r.zones!.find((x) => x.zone === 'split.test')!;
  assert.deepEqual(z.nameServers.sort(), ['ns1.split.test', 'ns2.split.test']);
  assert.deepEqual(z.servers.map((s) => [s.ns, s.address, s.serial]), [['ns1.split.test', '127.0.0.20', 2], ['ns2.split.test', '127.0.0.21', 1]]);
  const f = r.findings.filter((x) => x.code === 'live-ns-stale');
  assert.equal(f.length, 1, JSON.stringify(r.findings));
  assert.equal(f[0].message, `ns2.split.test (127.0.0.21) still serves serial 1 of split.test (others serve 2) with the old TLSA: 3 1 1 ${l.certs.tlsa.other311.slice(0, 16)}… at _25._tcp.mx.split.test: senders that ask it see an older zone`);
  // The in-sync zones give no such finding.
  const good = await check('good.test');
  assert.deepEqual(good.zones?.map((x) => [x.zone, x.servers.length, x.serial]), [['good.test', 1, 1]]);
  assert.ok(!good.findings.some((x) => x.code.startsWith('live-ns-')));
});

test('lab: why not secure: a signed child without DS at the parent, one with a DS matching no key, beside one with a correct DS', async () => {
  const l = needLab();
  const ok = await check('ok.parent.test');
  assert.equal(ok.outcome, 'pass', JSON.stringify(ok.findings));
  assert.equal(ok.hosts[0].why, undefined);
  const nods = await check('nods.parent.test');
  assert.equal(nods.outcome, 'fail');
  assert.equal(nods.hosts[0].dane, 'insecure');
  const why = nods.hosts[0].why!;
  assert.equal(why.cause, 'no-ds');
  assert.equal(why.zone, 'nods.parent.test');
  assert.match(why.message, /^nods\.parent\.test is signed \(it serves 1 DNSKEY record, key tag \d+\) but its parent parent\.test has no DS record for it: the chain of trust stops at the parent/);
  assert.match(why.suggestedDs!, /^nods\.parent\.test\. IN DS \d+ 13 2 [0-9a-f]{64}$/);
  // The DS computed here is the one Knot's keymgr prints for the zone's key.
  const digest = why.suggestedDs!.split(' ').pop()!;
  assert.ok(((l as unknown as { ds: Record<string, string[]> }).ds['nods.parent.test']).some((x) => x.toLowerCase().replace(/\s+/g, ' ').endsWith(` 13 2 ${digest}`)), why.suggestedDs);
  assert.ok(nods.findings.some((x) => x.code === 'live-tlsa-insecure' && x.message.includes(`Why: ${why.message}`)));
  const bad = await check('badds.parent.test');
  assert.equal(bad.outcome, 'fail');
  assert.equal(bad.hosts[0].dane, 'bogus');
  assert.equal(bad.hosts[0].why?.cause, 'ds-mismatch');
  assert.match(bad.hosts[0].why!.message, /^the DS at parent\.test for badds\.parent\.test \(key tag 4712 algorithm 13\) matches none of badds\.parent\.test's DNSKEY records/);
  // The cause is said once, not once per lookup (MX, A, TLSA).
  const text = bad.findings.map((x) => x.message).join('\n');
  assert.equal(text.split('matches none of badds.parent.test').length - 1, 1, text);
});

test('lab: the zone file\'s A record for the MX host differs from the published one → live-address-drift', async () => {
  const l = needLab();
  const edited = l.zones['good.test'].replace('mx1 IN A 127.0.0.25', 'mx1 IN A 127.0.0.26');
  const r = await check('good.test', edited);
  assert.equal(r.outcome, 'fail');
  assert.deepEqual(r.hosts[0].addressDrift, { fileOnly: ['127.0.0.26'], publishedOnly: ['127.0.0.25'] });
  const f = r.findings.find((x) => x.code === 'live-address-drift')!;
  assert.equal(f.message, 'the published addresses of mx1.good.test differ from the zone file (published but not in the file: 127.0.0.25; in the file but not published: 127.0.0.26)');
  const d = liveDiagnostics(r, parseZone(edited)).filter((x) => x.code === 'live-address-drift');
  assert.equal(d.length, 1);
  assert.equal(edited.slice(d[0].start, d[0].end), 'mx1 IN A 127.0.0.26');
});

test('lab: the CLI gives the verdict per host first and the exit code for each new case', async () => {
  const l = needLab();
  const resolver = `${l.resolver.host}:${l.resolver.port}`;
  const cases: [string, number, RegExp][] = [
    ['cname.test', 0, /^PASS  mail\.cname\.test \(MX 10\): DANE in effect/m],
    ['multi.test', 1, /^FAIL  mx\.multi\.test \(MX 10\): mx\.multi\.test \(127\.0\.0\.26\) presents an RSA certificate/m],
    ['twoaddr.test', 1, /^FAIL  mx\.twoaddr\.test \(MX 10\): mx\.twoaddr\.test \(127\.0\.0\.27\) presents a certificate that matches no record/m],
    ['split.test', 1, /^FAIL  mx\.split\.test \(MX 10\): ns2\.split\.test \(127\.0\.0\.21\) still serves serial 1 of split\.test/m],
    ['nods.parent.test', 1, /^FAIL  mx\.nods\.parent\.test \(MX 10\): insecure: .* Why: nods\.parent\.test is signed .* but its parent parent\.test has no DS record for it/m],
    ['badds.parent.test', 1, /the DS at parent\.test for badds\.parent\.test \(key tag 4712 algorithm 13\) matches none/],
    ['ok.parent.test', 0, /^PASS: every host and address checks out/m],
  ];
  for (const [domain, code, re] of cases) {
    const out = await cli(['live', domain, '--resolver', resolver, '--timeout', '30']);
    assert.equal(out.code, code, `${domain}:\n${out.stdout}${out.stderr}`);
    assert.match(out.stdout, re, `${domain}:\n${out.stdout}`);
    // The verdict comes before the details.
    assert.ok(out.stdout.indexOf('Details:') > out.stdout.search(/^(PASS|FAIL) /m), out.stdout);
  }
  const json = await cli(['live', 'multi.test', '--resolver', resolver, '--format', 'json']);
  assert.equal(json.code, 1);
  const r = JSON.parse(json.stdout) as LiveReport;
  assert.equal(r.hosts[0].addressReports[0].keyTypes?.find((k) => k.keyType === 'rsa')?.dane, 'mismatch');
});

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
