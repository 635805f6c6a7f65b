/**
 * The pure parts of the live check, with fakes: DNSSEC classification of lookups, SMTP reply
 * parsing, resolver parsing, drift comparison, name matching, the CLI's arguments, and the
 * dane-live diagnostics on a zone file. No network.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseZone } from '../../server/src/core/parser';
import { runLive, parseLiveArgs, LiveUsageError } from '../../server/src/cli/live';
import { checkLive } from '../../server/src/live/check';
import { liveDiagnostics } from '../../server/src/live/diagnostics';
import { lookup } from '../../server/src/live/dns';
import { nameFits } from '../../server/src/live/match';
import { parseResolver, parseResolvConf } from '../../server/src/live/node';
import { ReplyReader } from '../../server/src/live/smtp';
import { DnsAnswer, DnsQuestion, LiveIO, LiveReport, SmtpConnection } from '../../server/src/live/types';
import { dsDigest, keyTag, whyNotSecure } from '../../server/src/live/diagnose';
import { liveText } from '../../server/src/live/format';
import { compareTlsa } from '../../server/src/live/zoneFile';
import { a, fakeIO, FakeZone, mx, tlsa } from './helpers';

const signal = new AbortController().signal;

function noNetwork(io: LiveIO): LiveIO {
  return { ...io, connect: async (address) => { throw new Error(`connect(${address}) must not be called`); } };
}

test('lookup: AD → secure, no AD → insecure, SERVFAIL answered with CD → bogus, SERVFAIL twice → failed', async () => {
  const asked: DnsQuestion[] = [];
  const io = fakeIO({
    'sec.test A': { answers: [a('sec.test', '192.0.2.1')] },
    'ins.test A': { ad: false, answers: [a('ins.test', '192.0.2.2')] },
    'bog.test A': { rcode: 'SERVFAIL', cdAnswers: [a('bog.test', '192.0.2.3')] },
    'down.test A': { rcode: 'SERVFAIL', cdRcode: 'SERVFAIL' },
    'ref.test A': { rcode: 'REFUSED' },
  }, { asked });
  const sec = await lookup(io, 'sec.test', 'A', signal, 500);
  assert.equal(sec.report.status, 'secure');
  assert.deepEqual(sec.records.map((r) => r.address), ['192.0.2.1']);
  assert.equal((await lookup(io, 'ins.test', 'A', signal, 500)).report.status, 'insecure');
  const bog = await lookup(io, 'bog.test', 'A', signal, 500);
  assert.equal(bog.report.status, 'bogus');
  assert.deepEqual(bog.records.map((r) => r.address), ['192.0.2.3']);
  assert.deepEqual(asked.filter((q) => q.name === 'bog.test').map((q) => !!q.checkingDisabled), [false, true]);
  const down = await lookup(io, 'down.test', 'A', signal, 500);
  assert.equal(down.report.status, 'failed');
  assert.match(down.report.error!, /also with checking disabled/);
  assert.equal((await lookup(io, 'ref.test', 'A', signal, 500)).report.status, 'failed');
  const thrown = await lookup({ ...io, dns: async () => { throw new Error('no answer from 192.0.2.53:53 within 2000 ms'); } }, 'x.test', 'A', signal, 500);
  assert.equal(thrown.report.status, 'failed');
  assert.match(thrown.report.error!, /no answer from/);
});

test('lookup: CNAMEs in the answer are followed to the data', async () => {
  const io = fakeIO({
    'alias.test A': { answers: [{ type: 'CNAME', name: 'alias.test', ttl: 60, target: 'real.test' }, a('real.test', '192.0.2.9')] },
  });
  const r = await lookup(io, 'alias.test', 'A', signal, 500);
  assert.deepEqual(r.report.cnames, ['alias.test']);
  assert.equal(r.report.canonicalName, 'real.test');
  assert.deepEqual(r.records.map((x) => x.address), ['192.0.2.9']);
});

function scripted(chunks: string[]): SmtpConnection {
  const queue = chunks.map((c) => Uint8Array.from(Buffer.from(c, 'latin1')));
  return {
    read: async () => queue.shift() ?? null,
    write: async () => undefined,
    startTls: async () => ({ chain: [] }),
    close: () => undefined,
  };
}

test('SMTP replies: multi-line, split across reads, bare LF; bounds and bad lines are errors', async () => {
  const r = await new ReplyReader(scripted(['250-mx.test hi\r\n250-PIPE', 'LINING\r\n250 STARTTLS\n'])).reply(signal);
  assert.deepEqual(r, { code: 250, lines: ['mx.test hi', 'PIPELINING', 'STARTTLS'] });
  assert.deepEqual(await new ReplyReader(scripted(['220\r\n'])).reply(signal), { code: 220, lines: [''] });
  await assert.rejects(new ReplyReader(scripted(['22 short\r\n'])).reply(signal), /not an SMTP reply: "22 short"/);
  await assert.rejects(new ReplyReader(scripted(['220-a\r\n'])).reply(signal), /closed the connection/);
  await assert.rejects(new ReplyReader(scripted(['220 ' + 'y'.repeat(5000)])).reply(signal), /more than 4096 octets without a line end/);
});

test('resolvers: --resolver forms and resolv.conf', () => {
  assert.deepEqual(parseResolver('192.0.2.53'), { host: '192.0.2.53', port: 53 });
  assert.deepEqual(parseResolver('127.0.0.30:5353'), { host: '127.0.0.30', port: 5353 });
  assert.deepEqual(parseResolver('[2001:db8::53]:853'), { host: '2001:db8::53', port: 853 });
  assert.deepEqual(parseResolver('2001:db8::53'), { host: '2001:db8::53', port: 53 });
  assert.equal(parseResolver('resolver.example'), undefined);
  assert.equal(parseResolver('192.0.2.53:99999'), undefined);
  assert.deepEqual(parseResolvConf('# c\nsearch x\nnameserver 127.0.0.53\noptions edns0 trust-ad\nnameserver ::1\n'), [
    { host: '127.0.0.53', port: 53 }, { host: '::1', port: 53 },
  ]);
});

test('drift is a set comparison; names match exactly or by a leftmost wildcard', () => {
  const r = (u: number, d: string) => ({ usage: u, selector: 1, matchingType: 1, data: d });
  const d = compareTlsa('_25._tcp.mx.test.', [r(3, 'AA'), r(2, 'bb')], [r(3, 'aa'), r(3, 'cc'), r(3, 'cc')]);
  assert.deepEqual(d, { owner: '_25._tcp.mx.test', inFile: true, fileOnly: [r(3, 'cc')], publishedOnly: [r(2, 'bb')] });
  assert.ok(nameFits('mx.example.com', 'MX.example.com.'));
  assert.ok(nameFits('*.example.com', 'mx.example.com'));
  assert.ok(!nameFits('*.example.com', 'a.mx.example.com'));
  assert.ok(!nameFits('*.com', 'example.com'));
});

test('CLI arguments: defaults, every option, and usage errors (exit 2)', async () => {
  assert.deepEqual(parseLiveArgs(['example.com']), { target: 'example.com.', port: 25, format: 'text', ipv4: true, ipv6: true });
  const all = parseLiveArgs(['--resolver', '127.0.0.1:5353', '--port=2525', '--zone', 'z.zone', '--format', 'json', '--timeout', '1.5', '--helo', 'me.test', '-4', 'mx.example.com.']);
  assert.deepEqual(all, { target: 'mx.example.com.', resolver: '127.0.0.1:5353', port: 2525, zone: 'z.zone', format: 'json', timeoutMs: 1500, helo: 'me.test', ipv4: true, ipv6: false });
  assert.equal(parseLiveArgs(['--help']), 'help');
  assert.throws(() => parseLiveArgs([]), LiveUsageError);
  assert.throws(() => parseLiveArgs(['--resolver', 'dns.example', 'x.test']), /give an IP address/);
  assert.throws(() => parseLiveArgs(['--port', '0', 'x.test']), /1\.\.65535/);
  assert.throws(() => parseLiveArgs(['a b']), /not a domain name/);
  let err = '';
  const code = await runLive(['--bogus'], { stdout: () => undefined, stderr: (s) => { err += s; } });
  assert.equal(code, 2);
  assert.match(err, /unknown option --bogus/);
});

test('no MX: the domain is its own host (implicit MX); a null MX means nothing to check; NXDOMAIN cannot be checked', async () => {
  const implicit = await checkLive('host.test', noNetwork(fakeIO({ 'host.test A': {} })), { timeouts: { dns: 300 } });
  assert.equal(implicit.implicitMx, true);
  assert.equal(implicit.hosts[0].host, 'host.test');
  assert.ok(implicit.findings.some((f) => f.code === 'live-no-address'));
  const nullMx = await checkLive('nomail.test', noNetwork(fakeIO({ 'nomail.test MX': { answers: [mx('nomail.test', 0, '.')] } })));
  assert.equal(nullMx.hosts.length, 0);
  assert.equal(nullMx.outcome, 'pass');
  const nx = await checkLive('gone.test', noNetwork(fakeIO({ 'gone.test MX': { rcode: 'NXDOMAIN' } })));
  assert.equal(nx.outcome, 'error');
  assert.ok(nx.findings.some((f) => f.code === 'live-nxdomain'));
});

test('runLive with a fake io: JSON report, exit code from the outcome', async () => {
  let out = '';
  const io = noNetwork(fakeIO({ 'd.test MX': { ad: false, answers: [mx('d.test', 10, 'mx.d.test')] }, 'mx.d.test A': { ad: false, answers: [] } }));
  const code = await runLive(['d.test', '--format', 'json'], { stdout: (s) => { out += s; }, stderr: () => undefined }, io);
  const report = JSON.parse(out) as LiveReport;
  assert.equal(report.target, 'd.test');
  assert.equal(report.hosts[0].dane, 'insecure');
  assert.equal(code, 1);
});

test('dane-live diagnostics land on the records concerned (or on the MX record when the file has no TLSA there)', async () => {
  const text = [
    '$ORIGIN example.test.',
    '$TTL 300',
    '@ IN SOA ns hostmaster 1 3600 600 86400 60',
    '@ IN MX 10 mx1',
    '@ IN MX 20 mx2',
    'mx1 IN A 192.0.2.6',
    'mx2 IN A 192.0.2.7',
    `_25._tcp.mx2 IN TLSA 3 1 1 ${'ab'.repeat(32)}`,
    '',
  ].join('\n');
  const zone = parseZone(text);
  const published = { usage: 3, selector: 1, matchingType: 1, data: 'cd'.repeat(32) };
  const addr = (address: string): LiveReport['hosts'][0]['addressReports'][0] => ({
    address, family: 4, steps: [], chain: [{ subject: 'CN=x', issuer: 'CN=y', notBefore: '', notAfter: '', expired: false, notYetValid: false, sha256: '', spkiSha256: '' }],
    records: [{ ...published, source: 'published', result: 'no-match', reason: 'does not match the leaf' }], dane: 'mismatch', ms: 1,
  });
  const lk = (name: string) => ({ name, type: 'A' as const, status: 'secure' as const, cnames: [], canonicalName: name, ms: 1 });
  const host = (h: string, address: string, drift: boolean): LiveReport['hosts'][0] => ({
    host: h, preference: 10, a: lk(h), aaaa: lk(h), addresses: [address], tlsa: { ...lk(`_25._tcp.${h}`), type: 'TLSA' },
    published: [published], dane: 'in-effect', addressReports: [addr(address)],
    drift: drift ? compareTlsa(`_25._tcp.${h}.`, [published], h === 'mx2.example.test' ? [{ ...published, data: 'ab'.repeat(32) }] : []) : undefined,
  });
  const report: LiveReport = {
    target: 'example.test', port: 25, mx: lk('example.test') as unknown as LiveReport['mx'], implicitMx: false,
    hosts: [host('mx1.example.test', '192.0.2.6', true), host('mx2.example.test', '192.0.2.7', true)],
    findings: [], outcome: 'fail', startedAt: '', ms: 1,
  };
  const diags = liveDiagnostics(report, zone);
  const at = (d: { start: number; end: number }) => text.slice(d.start, d.end).split('\n')[0];
  const mismatch2 = diags.find((d) => d.code === 'live-cert-mismatch' && at(d).startsWith('_25._tcp.mx2'));
  assert.equal(mismatch2?.message, 'mx2 (192.0.2.7) presents a certificate that matches no record');
  const mismatch1 = diags.find((d) => d.code === 'live-cert-mismatch' && at(d).startsWith('@ IN MX 10 mx1'));
  assert.equal(mismatch1?.message, 'mx1 (192.0.2.6) presents a certificate that matches no record');
  const drift2 = diags.filter((d) => d.code === 'live-drift' && at(d).startsWith('_25._tcp.mx2'));
  assert.deepEqual(drift2.map((d) => d.message).sort(), [
    'published TLSA differs from this file: the world also sees `3 1 1 cdcdcdcdcdcdcdcd…` at _25._tcp.mx2, which this file does not have',
    'published TLSA differs from this file: this record is not published (the world sees 1 record at _25._tcp.mx2)',
  ]);
  const drift1 = diags.find((d) => d.code === 'live-drift' && at(d).startsWith('@ IN MX 10 mx1'));
  assert.match(drift1!.message, /and this file has no TLSA records there/);
  assert.ok(diags.every((d) => d.source === 'dane-live'));
});

test('why not secure (fake DNS): an unsigned zone, a signed zone without DS, and a broken denial of existence for _25._tcp', async () => {
  const soa = (zone: string): DnsAnswer => ({ type: 'SOA', name: zone, ttl: 60, serial: 7, mname: `ns.${zone}` });
  const key: DnsAnswer = { type: 'DNSKEY', name: 'z.test', ttl: 60, flags: 257, algorithm: 13, key: Uint8Array.from(Array.from({ length: 64 }, (_, i) => i)) };
  const signal = new AbortController().signal;
  // Unsigned: no DNSKEY.
  const unsigned = fakeIO({ 'x.u.test SOA': { answers: [], authorities: [soa('u.test')] }, 'u.test DNSKEY': { answers: [] } });
  const u = await whyNotSecure(unsigned, 'x.u.test', 'TLSA', 'insecure', false, signal, 500);
  assert.equal(u.cause, 'unsigned');
  assert.match(u.message, /^u\.test is not signed \(it serves no DNSKEY records\)/);
  // Signed, DS securely denied at the parent.
  const nods = fakeIO({ '_9._tcp.mx.z.test SOA': { authorities: [soa('z.test')] }, 'z.test DNSKEY': { answers: [key], ad: false }, 'z.test DS': { answers: [], ad: true } });
  const n = await whyNotSecure(nods, '_9._tcp.mx.z.test', 'TLSA', 'insecure', false, signal, 500);
  assert.equal(n.cause, 'no-ds');
  assert.equal(n.zone, 'z.test');
  assert.deepEqual(n.keyTags, [keyTag(key as never)]);
  assert.equal(n.suggestedDs, `z.test. IN DS ${keyTag(key as never)} 13 2 ${await dsDigest('z.test', key as never, 2)}`);
  // A DS that matches the key, the key validates, but the TLSA name's denial fails: SERVFAIL where NXDOMAIN belongs.
  const digest = await dsDigest('z.test', key as never, 2);
  const ds: DnsAnswer = { type: 'DS', name: 'z.test', ttl: 60, keyTag: keyTag(key as never), algorithm: 13, digestType: 2, digest: Uint8Array.from(Buffer.from(digest!, 'hex')) };
  const zone: FakeZone = {
    'z.test MX': { answers: [mx('z.test', 10, 'mx.z.test')] },
    'mx.z.test A': { answers: [a('mx.z.test', '127.0.0.1')] },
    '_9._tcp.mx.z.test TLSA': { rcode: 'SERVFAIL', cdRcode: 'NXDOMAIN', cdAnswers: [] },
    '_9._tcp.mx.z.test SOA': { rcode: 'NXDOMAIN', authorities: [soa('z.test')] },
    'z.test DNSKEY': { answers: [key] },
    'z.test DS': { answers: [ds] },
  };
  const r = await checkLive('z.test', fakeIO(zone), { port: 9, timeouts: { dns: 500, connect: 500, reply: 500, tls: 500, overall: 5000 } });
  const h = r.hosts[0];
  assert.equal(h.dane, 'bogus');
  assert.equal(h.why?.cause, 'denial-broken');
  assert.match(h.why!.message, /^the denial of existence for TLSA at _9\._tcp\.mx\.z\.test is broken: the resolver answers SERVFAIL where an authenticated NXDOMAIN\/NODATA belongs/);
  const f = r.findings.find((x) => x.code === 'live-tlsa-bogus')!;
  assert.ok(f.message.endsWith(`. Why: ${h.why!.message}`), f.message);
  // The same DS, now matching no key (another key tag): ds-mismatch.
  const other = fakeIO({ ...zone, 'z.test DS': { answers: [{ ...ds, keyTag: (ds as { keyTag: number }).keyTag ^ 1 } as DnsAnswer] } });
  const m = await whyNotSecure(other, '_9._tcp.mx.z.test', 'TLSA', 'bogus', true, signal, 500);
  assert.equal(m.cause, 'ds-mismatch');
});

test('CNAME\'d MX host: TLSA at the expanded name first, the original name when the expanded has none (secure chain only)', async () => {
  const base: FakeZone = {
    'c.test MX': { answers: [mx('c.test', 10, 'mail.c.test')] },
    'mail.c.test A': { answers: [{ type: 'CNAME', name: 'mail.c.test', ttl: 60, target: 'real.d.test' }, a('real.d.test', '127.0.0.1')] },
    'mail.c.test AAAA': { answers: [{ type: 'CNAME', name: 'mail.c.test', ttl: 60, target: 'real.d.test' }] },
    '_9._tcp.mail.c.test TLSA': { answers: [tlsa('_9._tcp.mail.c.test', 3, 1, 1, '11'.repeat(32))] },
  };
  const opts = { port: 9, nameServers: false, timeouts: { dns: 500, connect: 500, reply: 500, tls: 500, overall: 5000 } };
  const fallback = await checkLive('c.test', fakeIO(base), opts);
  assert.deepEqual(fallback.hosts[0].cname, { expanded: 'real.d.test', secure: true, tlsaFrom: 'original' });
  assert.equal(fallback.hosts[0].tlsa.name, '_9._tcp.mail.c.test');
  const expanded = await checkLive('c.test', fakeIO({ ...base, '_9._tcp.real.d.test TLSA': { answers: [tlsa('_9._tcp.real.d.test', 3, 1, 1, '22'.repeat(32))] } }), opts);
  assert.deepEqual(expanded.hosts[0].cname, { expanded: 'real.d.test', secure: true, tlsaFrom: 'expanded' });
  assert.equal(expanded.hosts[0].published[0].data, '22'.repeat(32));
  assert.match(liveText(expanded), /CNAME mail\.c\.test is an alias of real\.d\.test \(secure\); TLSA records from the expanded name/);
  // An insecure CNAME chain: no expansion is trusted, DANE is not in effect.
  const insecure = await checkLive('c.test', fakeIO({ ...base, 'mail.c.test A': { ...base['mail.c.test A'], ad: false } }), opts);
  assert.equal(insecure.hosts[0].cname?.secure, false);
  assert.equal(insecure.hosts[0].dane, 'insecure');
});

test('authoritative servers (fake DNS): a laggard serial with other TLSA is named; a lame server is a warning', async () => {
  const t = (hex: string) => tlsa('_9._tcp.mx.s.test', 3, 1, 1, hex);
  const soaAt = (serial: number): DnsAnswer[] => [{ type: 'SOA', name: 's.test', ttl: 60, serial, mname: 'ns1.s.test' }];
  const zone: FakeZone = {
    's.test MX': { answers: [mx('s.test', 10, 'mx.s.test')] },
    'mx.s.test A': { answers: [a('mx.s.test', '127.0.0.1')] },
    '_9._tcp.mx.s.test TLSA': { answers: [t('aa'.repeat(32))] },
    '_9._tcp.mx.s.test SOA': { authorities: soaAt(2) },
    's.test NS': { answers: ['ns1', 'ns2', 'ns3'].map((n) => ({ type: 'NS', name: 's.test', ttl: 60, target: `${n}.s.test` }) as DnsAnswer) },
    'ns1.s.test A': { answers: [a('ns1.s.test', '192.0.2.1')] },
    'ns2.s.test A': { answers: [a('ns2.s.test', '192.0.2.2')] },
    'ns3.s.test A': { answers: [a('ns3.s.test', '192.0.2.3')] },
    's.test SOA @192.0.2.1': { answers: soaAt(2) },
    '_9._tcp.mx.s.test TLSA @192.0.2.1': { answers: [t('aa'.repeat(32))] },
    's.test SOA @192.0.2.2': { answers: soaAt(1) },
    '_9._tcp.mx.s.test TLSA @192.0.2.2': { answers: [t('bb'.repeat(32))] },
    's.test SOA @192.0.2.3': { rcode: 'REFUSED' },
  };
  const r = await checkLive('s.test', fakeIO(zone), { port: 9, timeouts: { dns: 500, connect: 500, reply: 500, tls: 500, overall: 5000 } });
  assert.deepEqual(r.zones?.[0].servers.map((s) => [s.ns, s.serial, s.error !== undefined]), [['ns1.s.test', 2, false], ['ns2.s.test', 1, false], ['ns3.s.test', undefined, true]]);
  const stale = r.findings.find((x) => x.code === 'live-ns-stale')!;
  assert.equal(stale.message, `ns2.s.test (192.0.2.2) still serves serial 1 of s.test (others serve 2) with the old TLSA: 3 1 1 ${'bb'.repeat(8)}… at _9._tcp.mx.s.test: senders that ask it see an older zone`);
  assert.equal(stale.host, 'mx.s.test');
  const lame = r.findings.find((x) => x.code === 'live-ns-unreachable')!;
  assert.equal(lame.level, 'warn');
  assert.match(lame.message, /^name server ns3\.s\.test \(192\.0\.2\.3\) of s\.test could not be compared: it answers REFUSED for s\.test$/);
});
