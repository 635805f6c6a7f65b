/**
 * `dane-zone check --format json` on DANE zones: the exact tlsa-* diagnostics (code, severity,
 * 0-based range) the command line reports, and its exit code. Runs the compiled CLI
 * (out/server/src/cli/main.js) on zone files written to a temp directory.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const MAIN = path.join(__dirname, '..', '..', 'server', 'src', 'cli', 'main.js');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dane-zone-cli-dane-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const D1 = '8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1';
const D2 = '2c20c9a237719fb2c0a678a0e0e0678f7f0178fa76f88802f702801dd88190ee';

/** Not signed, and one DANE mistake after another (line numbers below are 1-based). */
const DANE = [
  '$ORIGIN dane.example.',                            // 1
  '$TTL 3600',                                        // 2
  '@               SOA   ns1 hostmaster 2026010101 7200 3600 1209600 300',
  '@               NS    ns1',                        // 4
  '@               MX    10 mx1',                     // 5
  '@               MX    20 mx2',                     // 6
  'ns1             A     192.0.2.53',                 // 7
  'mx1             A     192.0.2.25',                 // 8
  'mx2             A     192.0.2.26',                 // 9
  'www             CNAME web',                        // 10
  'web             A     192.0.2.80',                 // 11
  `_25._tcp.mx1    TLSA  DANE-EE SPKI SHA2-256 ${D1}`, // 12 acronyms
  `_25._tcp.mx1    TLSA  3 1 1 ${D2}`,                // 13 the one usable record
  `_025._tcp.mx2   TLSA  3 1 1 ${D1}`,                // 14 leading zero in the port
  `_025._tcp.mx2   TLSA  1 1 1 ${D2}`,                // 15 PKIX-EE for SMTP
  `_443._tcp.www   86400 TLSA  3 1 1 ${D1}`,          // 16 a CNAME host, a day's TTL
  `_443._xyz.web   TLSA  3 0 1 ${D1}`,                // 17 no such protocol, the whole certificate
  `_443._xyz.web   TLSA  3 1 1 ${D2}`,                // 18
  `_25._tcp.ghost  TLSA  3 1 2 ${D1}${D1}`,           // 19 no such host, SHA2-512 only
  '',
].join('\n');

/** Signed, warnings only: one MX target without TLSA records, SHA2-512 for one key only. */
const SIGNED = [
  '; dane-zone dnssec=signed',                        // 1
  '$ORIGIN signed.example.',                          // 2
  '$TTL 3600',                                        // 3
  '@              SOA   ns1 hostmaster 2026010101 7200 3600 1209600 300',
  '@              NS    ns1',                         // 5
  '@              MX    10 mx1',                      // 6
  '@              MX    20 mx2',                      // 7
  'ns1            A     192.0.2.53',                  // 8
  'mx1            A     192.0.2.25',
  '_smtp._tls     TXT   "v=TLSRPTv1; rua=mailto:tlsrpt@clean.example"',                  // 9
  'mx2            A     192.0.2.26',                  // 10
  `_25._tcp.mx1   TLSA  3 1 1 ${D1}`,                 // 11
  `_25._tcp.mx1   TLSA  3 1 2 ${D2}${D2}`,            // 12
  `_25._tcp.mx1   TLSA  3 1 1 ${D2}`,                 // 13
  '',
].join('\n');

/** What a DANE zone should look like: nothing to report. */
const CLEAN = [
  '; dane-zone dnssec=signed',
  '$ORIGIN clean.example.',
  '$TTL 3600',
  '@              SOA   ns1 hostmaster 2026010101 7200 3600 1209600 300',
  '@              NS    ns1',
  '@              MX    10 mx1',
  'ns1            A     192.0.2.53',
  'mx1            A     192.0.2.25',
  '_smtp._tls     TXT   "v=TLSRPTv1; rua=mailto:tlsrpt@clean.example"',
  `_25._tcp.mx1   TLSA  3 1 1 ${D1} ; current key`,
  `_25._tcp.mx1   TLSA  3 1 1 ${D2} ; next key`,
  '',
].join('\n');

for (const [name, text] of [['dane.zone', DANE], ['signed.zone', SIGNED], ['clean.zone', CLEAN]]) {
  fs.writeFileSync(path.join(tmp, name), text);
}

interface JsonDiagnostic {
  code: string;
  severity: string;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

function check(...files: string[]): { code: number | null; reports: { file: string; diagnostics: JsonDiagnostic[] }[]; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, 'check', '--format', 'json', ...files], { cwd: tmp, encoding: 'utf8' });
  return { code: r.status, reports: JSON.parse(r.stdout), stderr: r.stderr };
}

/** `line:col text severity code`, 1-based like the text format, with the text the range covers. */
function describe(zone: string, d: JsonDiagnostic): string {
  const { start, end } = d.range;
  assert.equal(start.line, end.line, `one line: ${JSON.stringify(d)}`);
  const covered = zone.split('\n')[start.line].slice(start.character, end.character);
  return `${start.line + 1}:${start.character + 1} ${covered} ${d.severity} ${d.code}`;
}

test('check --format json: every tlsa-* diagnostic of an unsigned zone full of DANE mistakes, exact ranges; exit 1', () => {
  const r = check('dane.zone');
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stderr, '');
  assert.equal(r.reports.length, 1);
  assert.equal(r.reports[0].file, 'dane.zone');
  const ds = r.reports[0].diagnostics;
  assert.deepEqual(ds.filter((d) => !d.code.startsWith('tlsa-')).map((d) => d.code), [], 'only DANE findings in this zone');
  assert.deepEqual(ds.map((d) => describe(DANE, d)), [
    '12:1 _25._tcp.mx1 warning tlsa-unsigned-zone',
    '12:23 DANE-EE error tlsa-mnemonic',
    '12:31 SPKI error tlsa-mnemonic',
    '12:36 SHA2-256 error tlsa-mnemonic',
    '13:1 _25._tcp.mx1 warning tlsa-single-record',
    '14:1 _025 error tlsa-owner', // a name no sender queries: only the owner error (no rotation, DNSSEC or PKIX advice)
    '16:1 _443._tcp.www information tlsa-cname-owner',
    '16:1 _443._tcp.www warning tlsa-single-record',
    '16:17 86400 information tlsa-high-ttl',
    '17:6 _xyz warning tlsa-protocol',
    '17:25 0 warning tlsa-ee-cert-selector',
    '19:1 _25._tcp.ghost warning tlsa-wrong-host', // mx2's RRset is at `_025`, so MX host mx2 has none
    '19:27 2 warning tlsa-sha512-only',
  ]);
  // The same as plain (code, severity, range) tuples for two of them, as an editor receives them.
  const pick = (code: string) => ds.filter((d) => d.code === code).map((d) => [d.code, d.severity, d.range]);
  assert.deepEqual(pick('tlsa-owner'), [['tlsa-owner', 'error', { start: { line: 13, character: 0 }, end: { line: 13, character: 4 } }]]);
  assert.deepEqual(pick('tlsa-wrong-host'), [['tlsa-wrong-host', 'warning', { start: { line: 18, character: 0 }, end: { line: 18, character: 14 } }]]);
  for (const d of ds) assert.ok(d.message.length > 0 && !d.message.includes('\n'), `${d.code}: one-line message`);
  assert.match(ds.find((d) => d.code === 'tlsa-mnemonic')!.message, /`DANE-EE` is an RFC 7218 acronym.*number 3/);
});

test('check --format json: a signed zone with warnings only (MX coverage, digest agility) exits 0; a clean one reports nothing', () => {
  const r = check('signed.zone', 'clean.zone');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.reports.map((x) => x.file), ['signed.zone', 'clean.zone']);
  assert.deepEqual(r.reports[0].diagnostics.map((d) => describe(SIGNED, d)), [
    '7:25 mx2 warning tlsa-mx-coverage',
    '13:26 2 warning tlsa-digest-agility',
  ]);
  assert.deepEqual(r.reports[1].diagnostics, []);
  // Any file with an error makes the whole run exit 1.
  const all = check('clean.zone', 'dane.zone', 'signed.zone');
  assert.equal(all.code, 1);
  assert.deepEqual(all.reports.map((x) => [x.file, x.diagnostics.filter((d) => d.severity === 'error').length]),
    [['clean.zone', 0], ['dane.zone', 4], ['signed.zone', 0]]);
});

test('check --dnssec and --tlsa-max-ttl change what the DANE checks find', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dz-cli-dnssec-'));
  const file = path.join(dir, 'z.zone');
  fs.writeFileSync(file, '$ORIGIN d.example.\n$TTL 3600\n@ SOA ns hm 1 2 3 4 5\n@ MX 10 mx\nmx A 192.0.2.1\n' +
    '_25._tcp.mx 7200 TLSA 3 1 1 ' + 'ab'.repeat(32) + '\n_25._tcp.mx 7200 TLSA 3 1 1 ' + 'cd'.repeat(32) + '\n');
  const cli = path.join(__dirname, '..', '..', 'server', 'src', 'cli', 'main.js');
  const codesOf = (args: string[]) => {
    const r = spawnSync(process.execPath, [cli, 'check', '--format', 'json', ...args, file], { encoding: 'utf8' });
    return (JSON.parse(r.stdout) as { diagnostics: { code: string }[] }[])[0].diagnostics.map((d) => d.code).sort();
  };
  assert.deepEqual(codesOf([]), ['tlsa-high-ttl', 'tlsa-high-ttl', 'tlsa-unsigned-zone']);
  assert.deepEqual(codesOf(['--dnssec', 'signed', '--tlsa-max-ttl', '86400']), ['tlsrpt-missing']); // signed: DANE is on, failures go unreported
  const bad = spawnSync(process.execPath, [cli, 'check', '--dnssec', 'maybe', file], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  fs.rmSync(dir, { recursive: true, force: true });
});
