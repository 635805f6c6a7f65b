import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getZoneLanguageService, ZoneDiagnostic, ZoneIO } from '../../server/src/core';

/** The named-checkzone zone rules (issue 11): code, severity and the exact text each one marks. */

const core = getZoneLanguageService();
const RULES = new Set(['soa-missing', 'soa-not-apex', 'soa-multiple', 'ns-apex-missing', 'ns-target-cname', 'target-is-cname', 'target-is-address',
  'glue-missing', 'occluded-data', 'ns-below-dname', 'ds-placement', 'cds-cdnskey-mismatch', 'svcb-dns-params', 'dnssec-algorithm-deprecated',
  'spf-type', 'nsec3-owner', 'cname-and-other-data']);
const NOW = new Date('2026-01-01T00:00:00Z');
const io: ZoneIO = { readFile: () => { throw new Error('no files'); }, resolvePath: (_f, p) => p, now: () => NOW };
const show = (text: string, ds: readonly ZoneDiagnostic[]) => ds.filter((d) => RULES.has(d.code)).map((d) => `${d.severity} ${d.code} ${text.slice(d.start, d.end)}`).sort();
/** The rules' findings, the same from analyzeZone, the streaming CLI and a freshly opened document. */
const rules = (text: string, origin: string | null = 'example.') => {
  const options = { origin: origin ?? undefined, now: NOW, io };
  const found = show(text, core.analyzeZone(text, options).diagnostics);
  assert.deepEqual(show(text, core.checkText(text, options).diagnostics), found, `checkText: ${text}`);
  assert.deepEqual(show(text, core.openDocument(text, options).diagnostics()), found, `document: ${text}`);
  return found;
};
const HEAD = '$TTL 60\n@ SOA ns hostmaster 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n';

test('SOA and apex NS: missing, below the apex, twice', () => {
  assert.deepEqual(rules('$TTL 60\nns A 192.0.2.1\n'), ['error ns-apex-missing $TTL 60', 'error soa-missing $TTL 60']);
  assert.deepEqual(rules('ns A 192.0.2.1\nmail MX 10 ns\n'), ['error ns-apex-missing mail', 'error soa-missing mail']);
  assert.deepEqual(rules(HEAD + 'sub SOA ns hostmaster 1 2 3 4 5\n'), ['error soa-multiple SOA', 'error soa-not-apex SOA']);
  // without a stated zone name a file may be a fragment: no "missing" rules, the others still apply
  assert.deepEqual(rules('$ORIGIN example.\n$TTL 60\n@ SOA ns hostmaster 1 2 3 4 5\n', null), []);
  assert.deepEqual(rules('$ORIGIN example.\n$TTL 60\nwww CNAME x\n@ MX 10 www\n', null), []);
  assert.deepEqual(rules(HEAD), []);
});

test('NS, MX and SRV targets: alias, address, glue, below a DNAME; with a quick fix to the alias target', () => {
  const z = HEAD + '@ NS alias\nalias CNAME ns\n@ MX 10 mail\nmail CNAME ns.example.\n_sip._tcp SRV 0 0 5060 mail\n@ MX 20 192.0.2.7\n';
  assert.deepEqual(rules(z), ['error ns-target-cname alias', 'warning target-is-address 192.0.2.7', 'warning target-is-cname mail', 'warning target-is-cname mail']);
  const d = core.analyzeZone(z, { origin: 'example.' }).diagnostics.find((x) => x.code === 'target-is-cname')!;
  assert.match(d.message, /point it at ns\.example\./);
  const [fix] = core.quickFixes(z, d);
  assert.match(fix.title, /Point at `ns\.example\.`/);
  assert.deepEqual(fix.edits, [{ start: d.start, end: d.end, newText: 'ns.example.' }]);
  const fixed = z.slice(0, d.start) + 'ns.example.' + z.slice(d.end);
  assert.ok(fixed.includes('@ MX 10 ns.example.\n'), fixed);
  assert.deepEqual(rules(fixed), ['error ns-target-cname alias', 'warning target-is-address 192.0.2.7', 'warning target-is-cname mail']);
  // targets are matched by key (case-insensitive, escapes decoded), also in the RFC 3597 form
  assert.deepEqual(rules(HEAD + 'm\\.x CNAME ns\n@ MX 10 M\\.X\n@ MX 20 M\\046X\nmail CNAME ns\n@ MX \\# 16 001e 046d61696c 076578616d706c65 00\n'),
    ['warning target-is-cname MX', 'warning target-is-cname M\\.X', 'warning target-is-cname M\\046X']);
  assert.deepEqual(rules(HEAD + '@ NS ns2\n'), ['error glue-missing ns2']);
  assert.deepEqual(rules(HEAD + 'sub NS ns.sub\n'), ['error glue-missing ns.sub']);
  assert.deepEqual(rules(HEAD + 'sub NS ns.sub\nns.sub A 192.0.2.9\n'), []);
  // sibling glue (a target below another delegation) is optional, as in BIND; the apex NS needs it
  assert.deepEqual(rules(HEAD + 'sub NS ns.sub\nns.sub A 192.0.2.9\nsub2 NS ns.sub\nsub3 NS ns.sub4\nsub4 NS ns.other.\n'), []);
  assert.deepEqual(rules(HEAD + '@ NS ns.sub\nsub NS ns.other.\n'), ['error glue-missing ns.sub']);
  assert.deepEqual(rules(HEAD + '@ NS ns.other.net.\n'), []);
});

test('occluded data below a delegation or a DNAME; NS below a DNAME (BIND: error at the apex, a warning for a delegation)', () => {
  assert.deepEqual(rules(HEAD + 'sub NS ns.sub\nns.sub A 192.0.2.9\nwww.sub TXT "x"\nsub TXT "y"\n'),
    ['warning occluded-data TXT', 'warning occluded-data TXT']);
  assert.deepEqual(rules(HEAD + 'd DNAME example.net.\nx.d A 192.0.2.5\n'), ['warning occluded-data A']);
  // deeper delegations, names beside them, an escaped dot in a label
  assert.deepEqual(rules(HEAD + 'a.b NS ns.other.\nx.y.a.b MX 1 m\ny.b MX 2 m\nc\\.d NS ns.other.\nw.c\\.d MX 3 m\nw.d MX 4 m\n'),
    ['warning occluded-data MX', 'warning occluded-data MX']);
  const apexDname = '$TTL 60\n@ SOA ns.other. h 1 2 3 4 5\n@ DNAME example.net.\n@ NS ns.example.\nns A 192.0.2.2\n';
  assert.deepEqual(rules(apexDname), ['error ns-below-dname ns.example.', 'warning occluded-data A']);
  assert.deepEqual(rules(HEAD + 'sub NS ns.d\nd DNAME example.net.\nns.d A 192.0.2.2\n'), ['warning ns-below-dname ns.d', 'warning occluded-data A']);
  // an NS record that is itself occluded is not checked (BIND's good-occulted-ns-by-ns)
  assert.deepEqual(rules(HEAD + 'foo NS ns.other.net.\nbar.foo NS x.foo\n'), []);
});

test('DS placement, CDS/CDNSKEY against the DNSKEYs, deprecated algorithms, SPF, NSEC3 owners, _dns SVCB, KEY beside a CNAME', () => {
  const key = 'AwEAAbqjg7xdvnU2Q/gtLw5LOfr5cDeTRjYuEbkzGrUiVSOSoxcTxuao';
  assert.deepEqual(rules(HEAD + '@ DS 1 13 2 00\nfoo DS 1 13 2 00\n'), ['error ds-placement DS', 'error ds-placement DS']);
  assert.deepEqual(rules(HEAD + 'sub NS ns.other.\nsub DS 1 13 2 00\n'), []);
  assert.deepEqual(rules(HEAD + `@ DNSKEY 257 3 13 ${key}\n@ CDNSKEY 257 3 13 ${key}\n@ CDS 0 0 0 00\n`), []);
  assert.deepEqual(rules(HEAD + `@ DNSKEY 257 3 13 ${key}\n@ CDNSKEY 257 3 14 ${key}\n@ CDS 1 13 2 00\n`),
    ['error cds-cdnskey-mismatch CDNSKEY', 'error cds-cdnskey-mismatch CDS']);
  assert.deepEqual(rules(HEAD + `@ DNSKEY 257 3 5 ${key}\nsub NS ns.other.\nsub DS 1 8 1 00\n`),
    ['warning dnssec-algorithm-deprecated DNSKEY', 'warning dnssec-algorithm-deprecated DS']);
  assert.deepEqual(rules(HEAD + '@ SPF "v=spf1 -all"\n'), ['warning spf-type SPF']);
  assert.deepEqual(rules(HEAD + 'CPNMU=== NSEC3 2 1 12 aabbccdd CPNMU MX\n').filter((x) => x.includes('nsec3-owner')), ['error nsec3-owner NSEC3']);
  assert.deepEqual(rules(HEAD + 'CPNMU NSEC3 2 1 12 aabbccdd CPNMU MX\n'), []);
  assert.deepEqual(rules(HEAD + '_dns SVCB 1 ns dohpath=/{?dns}\n_dns.a SVCB 1 ns alpn=h2\n_dns.b SVCB 1 ns alpn=dot\n_dns.c SVCB 1 ns alpn=h2 dohpath=/q{?dns}\n'),
    ['error svcb-dns-params SVCB', 'error svcb-dns-params SVCB']);
  // KEY beside a CNAME is other data (BIND's set)
  assert.deepEqual(rules(HEAD + `x CNAME ns\nx KEY 0 3 13 ${key}\n`), ['error cname-and-other-data CNAME', 'error cname-and-other-data KEY']);
});

test('the document (incremental), analyzeZone and the CLI give the same zone-rule findings after each edit', () => {
  let text = HEAD + '@ MX 10 mail\nmail A 192.0.2.3\nsub NS ns.sub\nns.sub A 192.0.2.9\n';
  const options = { origin: 'example.', now: NOW, io };
  const doc = core.openDocument(text, options);
  const same = () => {
    const expected = rules(text);
    assert.deepEqual(show(text, doc.diagnostics()), expected, text);
    return expected;
  };
  const edit = (start: number, end: number, insert: string) => {
    doc.update([{ start, end, text: insert }]);
    text = text.slice(0, start) + insert + text.slice(end);
  };
  assert.deepEqual(same(), []);
  // the MX target becomes an alias: the MX owner (not touched by the edit) is re-checked
  const at = text.indexOf('mail A');
  edit(at, text.indexOf('\n', at), 'mail CNAME ns');
  assert.deepEqual(same(), ['warning target-is-cname mail']);
  // glue removed below a delegation
  const g = text.indexOf('ns.sub A');
  edit(g, text.indexOf('\n', g) + 1, '');
  assert.deepEqual(same(), ['error glue-missing ns.sub', 'warning target-is-cname mail']);
  // a new delegation above existing data: the owners below it are re-checked
  edit(text.length, text.length, 'www.sub2 TXT "x"\n');
  assert.deepEqual(same(), ['error glue-missing ns.sub', 'warning target-is-cname mail']);
  edit(text.length, text.length, 'sub2 NS ns.other.\n');
  assert.deepEqual(same(), ['error glue-missing ns.sub', 'warning occluded-data TXT', 'warning target-is-cname mail']);
  edit(0, 0, '; a comment moves everything\n');
  assert.deepEqual(same(), ['error glue-missing ns.sub', 'warning occluded-data TXT', 'warning target-is-cname mail']);
  // the quick fix still applies after the finding moved with the text
  const d = doc.diagnostics().find((x) => x.code === 'target-is-cname')!;
  const [fix] = core.quickFixes(text, d);
  assert.deepEqual(fix.edits, [{ start: d.start, end: d.end, newText: 'ns.example.' }]);
  // the delegation goes away again
  const s2 = text.indexOf('sub2 NS');
  edit(s2, text.indexOf('\n', s2) + 1, '');
  assert.deepEqual(same(), ['error glue-missing ns.sub', 'warning target-is-cname mail']);
});

test('check-names (off by default; warn or error by option): host names where BIND wants them', () => {
  const z = HEAD + 'a_b A 192.0.2.5\n*.w A 192.0.2.6\ngc._msdcs A 192.0.2.7\nx._spf A 192.0.2.8\n@ MX 10 mail_1\n@ NS ns.under_score.net.\n';
  const names = (mode?: 'off' | 'warn' | 'error') => core.analyzeZone(z, { origin: 'example.', checkNames: mode }).diagnostics
    .filter((d) => d.code === 'check-names').map((d) => `${d.severity} ${z.slice(d.start, d.end)}`);
  assert.deepEqual(names(), []);
  assert.deepEqual(names('off'), []);
  assert.deepEqual(names('warn'), ['warning a_b', 'warning mail_1', 'warning ns.under_score.net.']);
  assert.deepEqual(names('error'), ['error a_b', 'error mail_1', 'error ns.under_score.net.']);
  assert.equal(core.checkText(z, { origin: 'example.', io, checkNames: 'warn' }).diagnostics.filter((d) => d.code === 'check-names').length, 3);
  // PTR targets only in reverse zones, and not under DNS-SD names
  const rev = '$ORIGIN 0.0.0.0.in-addr.arpa.\n$TTL 60\n@ SOA ns.example. h.example. 1 2 3 4 5\n@ NS ns.example.\n1 PTR !@#3.\nb._dns-sd._udp PTR !@#3.\n';
  assert.deepEqual(core.analyzeZone(rev, { checkNames: 'error' }).diagnostics.filter((d) => d.code === 'check-names').map((d) => rev.slice(d.start, d.end)), ['!@#3.']);
});

test('the daneZone.checkNames setting reaches the analysis options', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { sanitizeSettings, analysisSettings } = require('../../server/src/lsp/settings') as typeof import('../../server/src/lsp/settings');
  const problems: string[] = [];
  assert.equal(analysisSettings(sanitizeSettings({ checkNames: 'error' }, problems)).checkNames, 'error');
  assert.equal(analysisSettings(sanitizeSettings({}, problems)).checkNames, undefined);
  assert.deepEqual(problems, []);
  sanitizeSettings({ checkNames: 'loud' }, problems);
  assert.match(problems[0], /checkNames: `loud` is not off, warn or error/);
});
