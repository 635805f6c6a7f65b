/**
 * The SMTP side of the live check against small scripted peers on loopback (real sockets,
 * real TLS; DNS from memory): a server that offers no STARTTLS, fails the handshake, never
 * answers, answers garbage, floods a 1 MB banner, injects data after STARTTLS; the chain
 * exactly as sent; IPv6; the connection cap; the overall deadline and cancellation.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { checkLive, LiveCheckOptions } from '../../server/src/live/check';
import { matchRecord, parseChain } from '../../server/src/live/match';
import { LiveReport } from '../../server/src/live/types';
import { a, fakeIO, FakeZone, goodServer, LabCerts, makeTestCerts, mx, Peer, PeerScript, startPeer, tlsa } from './helpers';

const HOST = 'mx.fault.test';
let certs: LabCerts;
let tlsLeafOnly: { key: string; cert: string };
let tlsChain: { key: string; cert: string };
let tlsFull: { key: string; cert: string };
const peers: Peer[] = [];

before(() => {
  certs = makeTestCerts([HOST, 'mx6.fault.test']);
  const key = fs.readFileSync(certs.leafKeyFile, 'utf8');
  tlsLeafOnly = { key, cert: certs.leafPem };
  tlsChain = { key, cert: certs.leafPem + certs.intermediatePem };
  tlsFull = { key, cert: certs.leafPem + certs.intermediatePem + certs.rootPem };
});

after(async () => {
  await Promise.all(peers.map((p) => p.close()));
  if (certs) fs.rmSync(certs.dir, { recursive: true, force: true });
});

async function peer(...args: Parameters<typeof startPeer>): Promise<Peer> {
  const p = await startPeer(...args);
  peers.push(p);
  return p;
}

/** A signed zone: fault.test MX → HOST at `address`, TLSA at _PORT._tcp.HOST = 3 1 1 of the leaf. */
function zoneFor(address: string | string[], port: number, extra: FakeZone = {}): FakeZone {
  const addrs = Array.isArray(address) ? address : [address];
  return {
    'fault.test MX': { answers: [mx('fault.test', 10, HOST)] },
    [`${HOST} A`]: { answers: addrs.filter((x) => !net.isIPv6(x)).map((x) => a(HOST, x)) },
    [`${HOST} AAAA`]: { answers: addrs.filter((x) => net.isIPv6(x)).map((x) => a(HOST, x)) },
    [`_${port}._tcp.${HOST} TLSA`]: { answers: [tlsa(`_${port}._tcp.${HOST}`, 3, 1, 1, certs.tlsa.leaf311)] },
    ...extra,
  };
}

const FAST = { timeouts: { connect: 1000, reply: 400, tls: 1000, dns: 500, overall: 5000 } };

async function run(p: Peer, options: LiveCheckOptions = {}, zone?: FakeZone): Promise<LiveReport> {
  return checkLive('fault.test', fakeIO(zone ?? zoneFor(p.host, p.port)), { port: p.port, ...FAST, ...options });
}

function only(r: LiveReport) {
  assert.equal(r.hosts.length, 1);
  assert.equal(r.hosts[0].addressReports.length, 1, JSON.stringify(r.hosts[0]));
  return r.hosts[0].addressReports[0];
}

function codes(r: LiveReport): string[] {
  return r.findings.map((f) => f.code);
}

test('a well-behaved peer: leaf matches 3 1 1, the chain is exactly what was sent (leaf + intermediate, no root)', async () => {
  const p = await peer(goodServer(), { tls: tlsChain });
  const r = await run(p);
  const ar = only(r);
  assert.equal(r.outcome, 'pass', JSON.stringify(r.findings));
  assert.equal(ar.dane, 'authenticated');
  assert.deepEqual(ar.steps.map((s) => [s.step, s.ok]), [['connect', true], ['banner', true], ['ehlo', true], ['starttls', true], ['tls', true], ['quit', true]]);
  assert.deepEqual(ar.chain.map((c) => c.subject), [`CN=${HOST}`, 'CN=DANE Lab Intermediate']);
});

test('no mail is ever sent: the server sees only EHLO, STARTTLS and QUIT, on both connections (all algorithms, then one key type only)', async () => {
  const log: string[] = [];
  const p = await peer(goodServer({ log }), { tls: tlsChain });
  const r = await run(p);
  assert.equal(r.outcome, 'pass', JSON.stringify(r.findings));
  assert.equal(p.connections, 2, 'the first handshake, then the other key type');
  assert.deepEqual(log, ['EHLO localhost', 'STARTTLS', '[tls] QUIT', 'EHLO localhost', 'STARTTLS']);
});

test('chain as sent: a server that sends only its leaf gives one certificate; one that adds the root gives three', async () => {
  const leafOnly = await peer(goodServer(), { tls: tlsLeafOnly });
  const r1 = await run(leafOnly, {}, zoneFor(leafOnly.host, leafOnly.port, {
    [`_${leafOnly.port}._tcp.${HOST} TLSA`]: { answers: [tlsa(`_${leafOnly.port}._tcp.${HOST}`, 2, 1, 1, certs.tlsa.int211)] },
  }));
  const ar1 = only(r1);
  assert.equal(ar1.chain.length, 1);
  assert.equal(ar1.dane, 'mismatch');
  assert.match(ar1.records[0].reason, /no issuing CA certificate came with the leaf/);
  const full = await peer(goodServer(), { tls: tlsFull });
  const ar2 = only(await run(full));
  assert.deepEqual(ar2.chain.map((c) => c.subject), [`CN=${HOST}`, 'CN=DANE Lab Intermediate', 'CN=DANE Lab Root']);
});

test('DANE-TA: 2 1 1 of the intermediate matches and the path, name and dates are checked', async () => {
  const p = await peer(goodServer(), { tls: tlsChain });
  const r = await run(p, {}, zoneFor(p.host, p.port, {
    [`_${p.port}._tcp.${HOST} TLSA`]: { answers: [tlsa(`_${p.port}._tcp.${HOST}`, 2, 1, 1, certs.tlsa.int211)] },
  }));
  const ar = only(r);
  assert.equal(ar.dane, 'authenticated', JSON.stringify(ar.records));
  assert.equal(ar.records[0].depth, 1);
  assert.deepEqual(ar.records[0].taProblems, []);
  // The same record for a host name the leaf does not carry: matches, but does not authenticate.
  const other = 'other.fault.test';
  const z: FakeZone = {
    'fault.test MX': { answers: [mx('fault.test', 10, other)] },
    [`${other} A`]: { answers: [a(other, p.host)] },
    [`_${p.port}._tcp.${other} TLSA`]: { answers: [tlsa(`_${p.port}._tcp.${other}`, 2, 1, 1, certs.tlsa.int211)] },
  };
  const r2 = await run(p, {}, z);
  assert.equal(r2.outcome, 'fail');
  const f = r2.findings.find((x) => x.code === 'live-cert-mismatch');
  assert.ok(f, JSON.stringify(r2.findings));
  assert.match(f!.message, /do not include other\.fault\.test/);
});

test('DANE-TA: a matching CA certificate that did not sign the leaf does not authenticate (path checked)', async () => {
  // Chain [leaf, root]: 2 0 1 of the root matches at depth 1, but the root did not sign the leaf.
  const chain = parseChain([certs.leafDer, certs.rootDer]);
  const m = await matchRecord({ usage: 2, selector: 0, matchingType: 1, data: certs.tlsa.root201 }, chain, { names: [HOST], now: new Date() });
  assert.equal(m.result, 'match');
  assert.equal(m.depth, 1);
  assert.match(m.taProblems!.join(), /the leaf \(CN=mx\.fault\.test\) is not signed by certificate 1 \(CN=DANE Lab Root\)/);
  // Over the wire, Node shows the chain by issuance: a root sent after the leaf without the intermediate is not seen.
  const p = await peer(goodServer(), { tls: { key: tlsChain.key, cert: certs.leafPem + certs.rootPem } });
  const r = await run(p, {}, zoneFor(p.host, p.port, {
    [`_${p.port}._tcp.${HOST} TLSA`]: { answers: [tlsa(`_${p.port}._tcp.${HOST}`, 2, 0, 1, certs.tlsa.root201)] },
  }));
  const ar = only(r);
  assert.equal(ar.dane, 'mismatch');
  assert.deepEqual(ar.chain.map((c) => c.subject), [`CN=${HOST}`]);
  // Dates: an expired intermediate on the path of a DANE-TA match is a problem (DANE-EE ignores dates).
  const later = new Date(Date.now() + 400 * 86400e3);
  const m2 = await matchRecord({ usage: 2, selector: 1, matchingType: 1, data: certs.tlsa.int211 }, parseChain([certs.leafDer, certs.intermediateDer]), { names: [HOST], now: later });
  assert.match(m2.taProblems!.join(), /the leaf \(CN=mx\.fault\.test\) expired on/);
  const m3 = await matchRecord({ usage: 3, selector: 1, matchingType: 1, data: certs.tlsa.leaf311 }, parseChain([certs.leafDer]), { names: [HOST], now: later });
  assert.equal(m3.result, 'match');
  assert.equal(m3.taProblems, undefined);
});

test('2 0 0 names a trust anchor the server does not send (the root): it matches through the signatures', async () => {
  const p = await peer(goodServer(), { tls: tlsChain });
  const r = await run(p, {}, zoneFor(p.host, p.port, {
    [`_${p.port}._tcp.${HOST} TLSA`]: { answers: [tlsa(`_${p.port}._tcp.${HOST}`, 2, 0, 0, certs.rootDer.toString('hex'))] },
  }));
  const ar = only(r);
  assert.equal(ar.dane, 'authenticated', JSON.stringify(ar.records));
  assert.equal(ar.records[0].depth, 2);
  assert.match(ar.records[0].reason, /trust anchor the server does not send/);
});

test('usages 0 and 1 are reported as not used for SMTP', async () => {
  const p = await peer(goodServer(), { tls: tlsChain });
  const owner = `_${p.port}._tcp.${HOST}`;
  const r = await run(p, {}, zoneFor(p.host, p.port, {
    [`${owner} TLSA`]: { answers: [tlsa(owner, 1, 1, 1, certs.tlsa.leaf311), tlsa(owner, 0, 1, 1, certs.tlsa.int211)] },
  }));
  const ar = only(r);
  assert.deepEqual(ar.records.map((v) => v.result), ['unusable', 'unusable']);
  assert.match(ar.records[0].reason, /usage 1 \(PKIX-EE\) is not used for SMTP/);
  assert.ok(codes(r).includes('live-tlsa-unusable'));
});

test('no STARTTLS offered: the failing step is starttls, a failure while DANE is in effect', async () => {
  const p = await peer(goodServer({ ehlo: ['250-peer.test', '250 PIPELINING'] }));
  const r = await run(p);
  const ar = only(r);
  assert.equal(ar.failedStep, 'starttls');
  assert.equal(ar.starttlsOffered, false);
  assert.equal(r.outcome, 'fail');
  const f = r.findings.find((x) => x.code === 'live-no-starttls')!;
  assert.match(f.message, /mx\.fault\.test \(127\.0\.0\.1\) does not offer STARTTLS: DANE senders defer mail/);
});

test('TLS handshake failure: the server answers 220 to STARTTLS and then talks plain text', async () => {
  const p = await peer(async (socket, ctx) => {
    socket.write('220 peer ESMTP\r\n');
    for (;;) {
      const l = await ctx.line(socket);
      if (l === null) return;
      if (/^EHLO/i.test(l)) socket.write('250-peer\r\n250 STARTTLS\r\n');
      else if (/^STARTTLS/i.test(l)) { socket.write('220 ok\r\n'); setTimeout(() => socket.end('this is not TLS at all\r\n'), 20); return; }
    }
  });
  const r = await run(p);
  const ar = only(r);
  assert.equal(ar.failedStep, 'tls');
  assert.match(ar.error!, /TLS handshake failed/);
  assert.ok(codes(r).includes('live-tls-failed'));
  assert.equal(r.outcome, 'fail');
});

test('a server that never answers: the banner deadline holds and the test stays fast', async () => {
  const p = await peer(() => { /* accept, say nothing */ });
  const t0 = Date.now();
  const r = await run(p, { timeouts: { reply: 300 } });
  const ms = Date.now() - t0;
  const ar = only(r);
  assert.equal(ar.failedStep, 'banner');
  assert.match(ar.error!, /^no greeting within the check's total deadline of 300 ms for it \(RFC 5321 §4\.5\.3\.2\.1 lets senders wait up to 5 minutes/);
  assert.ok(ms < 2000, `took ${ms} ms`);
  assert.ok(codes(r).includes('live-smtp-banner'));
});

test('a banner dripping one octet at a time: stopped at the total deadline, named as such (RFC 5321 allows 5 minutes)', async () => {
  const timers: NodeJS.Timeout[] = [];
  const p = await peer((socket) => {
    const text = '220 slow.fault.test ESMTP one octet at a time\r\n';
    let i = 0;
    const drip = setInterval(() => {
      if (socket.destroyed || i >= text.length) { clearInterval(drip); return; }
      socket.write(text[i++]);
    }, 40);
    timers.push(drip);
  });
  try {
    const r = await run(p, { timeouts: { reply: 400 } });
    const ar = only(r);
    assert.equal(ar.failedStep, 'banner');
    assert.match(ar.error!, /^the greeting was still incomplete when the check's total deadline of 400 ms for it passed \(\d+ octets? received, trickling in; RFC 5321 §4\.5\.3\.2\.1 lets senders wait up to 5 minutes/);
    const f = r.findings.find((x) => x.code === 'live-smtp-banner')!;
    assert.match(f.message, /greeting: the greeting was still incomplete when the check's total deadline/);
  } finally {
    for (const t of timers) clearInterval(t);
  }
});

test('more than 10 MX hosts: no MaxListenersExceededWarning (one abort listener per signal)', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => { warnings.push(`${w.name}: ${w.message}`); };
  process.on('warning', onWarning);
  try {
    const zone: FakeZone = { 'many.test MX': { answers: Array.from({ length: 14 }, (_, i) => mx('many.test', i, `mx${i}.many.test`)) } };
    for (let i = 0; i < 14; i++) {
      zone[`mx${i}.many.test A`] = { answers: [a(`mx${i}.many.test`, '127.0.0.1')] };
      zone[`_9._tcp.mx${i}.many.test TLSA`] = { answers: [tlsa(`_9._tcp.mx${i}.many.test`, 3, 1, 1, certs.tlsa.leaf311)] };
    }
    // Port 9 (discard) on loopback: refused at once, so every host ends quickly in "could not check".
    const r = await checkLive('many.test', fakeIO(zone), { port: 9, ...FAST });
    assert.equal(r.hosts.length, 14);
    assert.equal(r.outcome, 'error');
    await new Promise((res) => setImmediate(res));
    assert.deepEqual(warnings.filter((w) => /MaxListeners/.test(w)), []);
  } finally {
    process.off('warning', onWarning);
  }
});

test('garbage replies: named as not SMTP, at the step where they came', async () => {
  const p1 = await peer((socket) => { socket.write('HTTP/1.1 400 Bad Request\r\n\r\n'); });
  const ar1 = only(await run(p1));
  assert.equal(ar1.failedStep, 'banner');
  assert.match(ar1.error!, /not an SMTP reply: "HTTP\/1\.1 400 Bad Request"/);
  const p2 = await peer(async (socket, ctx) => {
    socket.write('220 fine\r\n');
    await ctx.line(socket);
    socket.write('250-ok\r\n\x00\x01\x02garbage\r\n');
  });
  const ar2 = only(await run(p2));
  assert.equal(ar2.failedStep, 'ehlo');
  assert.match(ar2.error!, /line 2 of a reply is not an SMTP reply line: "\\x00\\x01\\x02garbage"/);
  const p3 = await peer(async (socket) => { socket.write('220-first\r\n250 second\r\n'); });
  const ar3 = only(await run(p3));
  assert.match(ar3.error!, /changes its code from 220 to 250/);
});

test('a 1 MB banner: reading stops at the line limit, quickly', async () => {
  const p = await peer((socket) => {
    socket.write('220 ' + 'x'.repeat(1024 * 1024) + '\r\n');
  });
  const t0 = Date.now();
  const ar = only(await run(p));
  assert.equal(ar.failedStep, 'banner');
  assert.match(ar.error!, /more than 4096 octets without a line end/);
  assert.ok(Date.now() - t0 < 2000);
});

test('data after the 220 reply to STARTTLS is refused (command injection)', async () => {
  const p = await peer(async (socket, ctx) => {
    socket.write('220 peer\r\n');
    for (;;) {
      const l = await ctx.line(socket);
      if (l === null) return;
      if (/^EHLO/i.test(l)) socket.write('250-peer\r\n250 STARTTLS\r\n');
      else if (/^STARTTLS/i.test(l)) { socket.write('220 go\r\n250 injected\r\n'); return; }
    }
  });
  const ar = only(await run(p));
  assert.equal(ar.failedStep, 'starttls');
  assert.match(ar.error!, /after its 220 reply to STARTTLS/);
});

test('a refused connection is "could not check" (exit 2), not a failure', async () => {
  const p = await peer(() => undefined);
  const port = p.port;
  await p.close();
  const r = await checkLive('fault.test', fakeIO(zoneFor('127.0.0.1', port)), { port, ...FAST });
  const ar = only(r);
  assert.equal(ar.failedStep, 'connect');
  assert.match(ar.error!, /connection refused/);
  assert.equal(r.outcome, 'error');
});

test('IPv6: a peer on [::1] is checked like one on IPv4', async (t) => {
  const v6 = await new Promise<boolean>((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(0, '::1', () => s.close(() => resolve(true)));
  });
  if (!v6) { t.skip('no IPv6 loopback on this machine'); return; }
  const p = await peer(goodServer(), { host: '::1', tls: tlsChain });
  const r = await run(p);
  const ar = only(r);
  assert.equal(ar.family, 6);
  assert.equal(ar.address, '::1');
  assert.equal(ar.dane, 'authenticated', JSON.stringify(r.findings));
});

test('the connection cap holds: six addresses, at most two connections at once', async () => {
  const addrs = ['127.0.0.61', '127.0.0.62', '127.0.0.63', '127.0.0.64', '127.0.0.65', '127.0.0.66'];
  let active = 0;
  let most = 0;
  const base = goodServer();
  const script: PeerScript = (s, c) => {
    active++;
    most = Math.max(most, active);
    s.on('close', () => active--);
    // Hold each connection a moment so that overlaps would show.
    setTimeout(() => base(s, c), 50);
  };
  const first = await peer(script, { host: addrs[0], tls: tlsChain });
  for (const h of addrs.slice(1)) await peer(script, { host: h, port: first.port, tls: tlsChain });
  const r = await checkLive('fault.test', fakeIO(zoneFor(addrs, first.port)), { port: first.port, ...FAST, maxParallel: 2 });
  assert.equal(r.hosts[0].addressReports.length, 6);
  assert.ok(r.hosts[0].addressReports.every((x) => x.dane === 'authenticated'), JSON.stringify(r.findings));
  assert.ok(most <= 2, `at most 2 at once, saw ${most}`);
  assert.equal(most, 2);
});

test('the overall deadline and cancellation stop the check with a report, promptly', async () => {
  const p = await peer(() => { /* silent */ });
  const t0 = Date.now();
  const r = await run(p, { timeouts: { reply: 10000, overall: 300 } });
  assert.ok(Date.now() - t0 < 1500);
  assert.match(r.aborted ?? '', /overall deadline of 300 ms/);
  assert.equal(r.outcome, 'error');
  const ctl = new AbortController();
  setTimeout(() => ctl.abort(new Error('user cancelled')), 100);
  const t1 = Date.now();
  const r2 = await run(p, { timeouts: { reply: 10000, overall: 10000 }, signal: ctl.signal });
  assert.ok(Date.now() - t1 < 1500);
  assert.match(r2.aborted ?? '', /user cancelled/);
  // A DNS question that never comes back is cut by the same deadline.
  const hang = await checkLive('fault.test', fakeIO({ 'fault.test MX': { hang: true } }), { ...FAST, timeouts: { ...FAST.timeouts, dns: 200 } });
  assert.equal(hang.mx.status, 'failed');
  assert.match(hang.mx.error!, /no answer within 200 ms/);
});
