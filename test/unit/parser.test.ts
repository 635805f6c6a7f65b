import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseZone } from '../../server/src/core/parser';
import { analyzeZone } from '../../server/src/core/analysis';
import { ZoneIO } from '../../server/src/core/types';

/** The text a span covers: expectations read as zone text, not offsets. */
const at = (text: string, s: { start: number; end: number }) => text.slice(s.start, s.end);
const codes = (text: string, opts = {}) => analyzeZone(text, { now: new Date('2026-01-01T00:00:00Z'), ...opts }).diagnostics.map((d) => `${d.code}@${at(text, d)}`);

test('owner, TTL, class and type in either order keep exact spans', () => {
  const z = '$ORIGIN example.com.\n$TTL 300\nwww 3600 IN A 192.0.2.1\nmail IN 60 A 192.0.2.2\n A 192.0.2.3 ; blank owner\n';
  const p = parseZone(z);
  assert.deepEqual(p.diagnostics, []);
  assert.equal(p.records.length, 3);
  const [a, b, c] = p.records;
  assert.equal(a.owner, 'www.example.com.');
  assert.equal(at(z, a.ownerToken!), 'www');
  assert.equal(at(z, a.ttlToken!), '3600');
  assert.equal(a.ttl, 3600);
  assert.equal(at(z, a.classToken!), 'IN');
  assert.equal(b.ttl, 60);
  assert.equal(at(z, b.ttlToken!), '60');
  assert.equal(c.owner, 'mail.example.com.');
  assert.equal(c.ownerToken, undefined);
  assert.equal(c.ttl, 300);
  assert.equal(at(z, c.rdata[0]), '192.0.2.3');
  assert.deepEqual(p.comments.map((s) => at(z, s)), ['; blank owner']);
});

test('parentheses across lines with comments inside; folding span', () => {
  const z = '$TTL 1h\nexample.com. IN SOA ns1.example.com. hostmaster.example.com. (\n  2024010101 ; serial\n  7200 3600 1209600 300 )\n';
  const p = parseZone(z);
  assert.deepEqual(p.diagnostics, []);
  assert.equal(p.records[0].rdata.length, 7);
  assert.equal(p.records[0].ttl, 3600);
  assert.equal(p.multiLine.length, 1);
  assert.equal(p.zoneOrigin, 'example.com.');
});

test('quoted strings keep ; and escaped quotes', () => {
  const z = 'a. 1 TXT "v=spf1 ; not a comment" "say \\"hi\\""\n';
  const p = parseZone(z);
  assert.deepEqual(p.diagnostics, []);
  assert.deepEqual(p.records[0].rdata.map((t) => t.text), ['v=spf1 ; not a comment', 'say \\"hi\\"']);
  assert.equal(p.comments.length, 0);
});

test('syntax problems are diagnostics with exact spans', () => {
  assert.deepEqual(codes('$TTL 1\na. ( A 1.2.3.4\n'), ['unbalanced-parenthesis@(']);
  assert.deepEqual(codes('$TTL 1\na. A 1.2.3.4 )\n'), ['unbalanced-parenthesis@)']);
  assert.deepEqual(codes('$TTL 1\na. TXT "open\n'), ['unterminated-string@"open']);
  assert.deepEqual(codes('$FOO bar\n'), ['unknown-directive@$FOO']);
  assert.deepEqual(codes('$TTL 1\na. FOO 1\n'), ['unknown-type@FOO']);
  assert.deepEqual(codes('$TTL 1\na. 99999999999 A 1.2.3.4\n'), ['invalid-ttl@99999999999']);
  assert.deepEqual(codes('$TTL 1\nwww A 1.2.3.4\n'), ['relative-name-no-origin@www']);
  assert.deepEqual(codes('$TTL 1\n A 1.2.3.4\n'), ['missing-owner@ ']);
  assert.deepEqual(codes('a. A 1.2.3.4\n'), ['missing-ttl@A']);
  assert.deepEqual(codes('$TTL 1\na.. A 1.2.3.4\n'), ['invalid-name@a..']);
});

test('TTL units', () => {
  const p = parseZone('a. 1w2d3h4m5s A 1.2.3.4\nb. 1H A 1.2.3.4\n');
  assert.deepEqual(p.records.map((r) => r.ttl), [604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5, 3600]);
});

test('classes IN/CH/HS/CLASSnnn', () => {
  for (const [text, code] of [['a. CH A 1.2.3.4', 3], ['b. CLASS255 TYPE1 \\# 4 01020304', 255], ['c. hs 5 TXT x', 4], ['d. in 5 TXT x', 1]] as const) {
    const p = parseZone('$TTL 1\n' + text + '\n');
    assert.deepEqual(p.diagnostics, [], text);
    assert.equal(p.records[0].classCode, code, text);
  }
});

test('$ORIGIN relative and repeated; @', () => {
  const z = '$TTL 1\n$ORIGIN example.com.\n@ NS ns1\n$ORIGIN sub\nwww A 192.0.2.1\n';
  const p = parseZone(z);
  assert.deepEqual(p.diagnostics, []);
  assert.deepEqual(p.records.map((r) => r.owner), ['example.com.', 'www.sub.example.com.']);
  assert.equal(p.zoneOrigin, 'example.com.');
});

function memoryIO(files: Record<string, string>): ZoneIO {
  return {
    readFile(path) {
      if (!(path in files)) throw new Error('no such file');
      return files[path];
    },
    resolvePath(from, path) {
      if (path.startsWith('/')) return path;
      const dir = from ? from.slice(0, from.lastIndexOf('/') + 1) : '/';
      return dir + path;
    },
    now: () => new Date('2026-01-01T00:00:00Z'),
  };
}

test('$INCLUDE resolves relative to the including file, restores the origin, reports problems on the directive', () => {
  const io = memoryIO({ '/z/inc/hosts': 'www A 192.0.2.1\nbad A 300.1.1.1\n', '/z/loop': '$INCLUDE loop\n' });
  const z = '$TTL 1\n$ORIGIN example.com.\n$INCLUDE inc/hosts sub\nafter A 192.0.2.9\n$INCLUDE missing\n$INCLUDE loop\n';
  const p = parseZone(z, { fileName: '/z/main.zone', io });
  assert.deepEqual(p.records.map((r) => r.owner), ['www.sub.example.com.', 'bad.sub.example.com.', 'after.example.com.']);
  assert.equal(p.records[0].includeFile, '/z/inc/hosts');
  const d = p.diagnostics.map((x) => `${x.code}@${at(z, x)}: ${x.message}`);
  assert.equal(d.length, 3, d.join('\n'));
  assert.match(d[0], /^invalid-rdata@\$INCLUDE inc\/hosts sub: \/z\/inc\/hosts:2: /);
  assert.match(d[1], /^include-unresolved@missing: \$INCLUDE \/z\/missing: no such file/);
  assert.match(d[2], /include cycle/);
});

test('$GENERATE expands ranges, steps and ${offset,width,base}', () => {
  const z = '$TTL 1\n$ORIGIN 2.0.192.in-addr.arpa.\n$GENERATE 1-5/2 $ PTR host-${10,3,d}.example.com.\n$GENERATE 10-11 h$ A 192.0.2.$\n';
  const p = parseZone(z);
  assert.deepEqual(p.diagnostics, []);
  assert.deepEqual(p.records.map((r) => `${r.owner} ${r.rdata[0].text}`), [
    '1.2.0.192.in-addr.arpa. host-011.example.com.',
    '3.2.0.192.in-addr.arpa. host-013.example.com.',
    '5.2.0.192.in-addr.arpa. host-015.example.com.',
    'h10.2.0.192.in-addr.arpa. 192.0.2.10',
    'h11.2.0.192.in-addr.arpa. 192.0.2.11',
  ]);
  assert.deepEqual(codes('$TTL 1\n$ORIGIN a.\n$GENERATE 5-1 $ A 1.2.3.$\n').map((s) => s.split('@')[0]), ['syntax']);
});

test('RFC 3597 generic data is length-checked', () => {
  assert.deepEqual(codes('$TTL 1\na. TYPE65280 \\# 2 0102\n'), []);
  assert.deepEqual(codes('$TTL 1\na. TYPE65280 \\# 3 0102\n').map((s) => s.split('@')[0]), ['invalid-rdata']);
});

test('zone-wide checks: CNAME and other data, TTL mismatch, duplicates, out-of-zone', () => {
  const z = '$ORIGIN example.com.\n$TTL 300\n@ SOA ns hm 1 2 3 4 5\nwww CNAME a\nwww A 192.0.2.1\nmx 300 A 192.0.2.2\nmx 600 A 192.0.2.3\nmx A 192.0.2.2\nother.net. A 192.0.2.4\n';
  assert.deepEqual(codes(z), [
    'cname-and-other-data@CNAME',
    'cname-and-other-data@A',
    'rrset-ttl-mismatch@600',
    'duplicate-record@A',
    'out-of-zone@A',
  ]);
});

test('expired RRSIG is reported on its expiration field', () => {
  const sig = 'a. 300 RRSIG A 8 1 300 20250101000000 20241201000000 12345 a. AAAA\n';
  assert.deepEqual(codes('$TTL 1\n' + sig), ['rrsig-expired@20250101000000']);
  assert.deepEqual(codes('$TTL 1\n' + sig, { now: new Date('2024-12-15T00:00:00Z') }), []);
});

test('binary junk and unclosed parentheses never throw', () => {
  let junk = '';
  for (let i = 0; i < 5000; i++) junk += String.fromCharCode((i * 7919) % 256);
  assert.doesNotThrow(() => analyzeZone(junk));
  const parens = 'a. 1 TXT ' + '('.repeat(10000) + '\n';
  const r = analyzeZone(parens);
  assert.ok(r.diagnostics.some((d) => d.code === 'unbalanced-parenthesis'));
});

test('`; dane-zone key=value` comments become directives with item spans', () => {
  const z = '$TTL 1\n; dane-zone cert=certs/mx1.pem next=keys/next.key\n_25._tcp.mx1.a. TLSA 3 1 1 00\n;dane-zone dnssec=inline\n; dane-zoned x=y\n';
  const p = parseZone(z);
  assert.equal(p.daneDirectives.length, 2);
  assert.deepEqual(p.daneDirectives[0].settings, { cert: 'certs/mx1.pem', next: 'keys/next.key' });
  assert.deepEqual(p.daneDirectives[0].items.map((i) => at(z, i)), ['cert=certs/mx1.pem', 'next=keys/next.key']);
  assert.deepEqual(p.daneDirectives[1].settings, { dnssec: 'inline' });
});

test('TTLs like 1h30 are rejected (a number after a unit needs its own unit), as BIND and Knot do', () => {
  assert.deepEqual(codes('$TTL 1h30\na. A 1.2.3.4\n'), ['invalid-ttl@1h30', 'missing-ttl@A']);
  assert.deepEqual(codes('a. 1h30m A 1.2.3.4\n'), []);
});

test('a record of another class than the zone is an error on its class', () => {
  assert.deepEqual(codes('$TTL 1\na. SOA ns.a. hm.a. 1 2 3 4 5\nx.a. CH A 192.0.2.2\ny.a. IN A 192.0.2.3\n'), ['syntax@CH']);
});
