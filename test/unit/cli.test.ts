import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeZone } from '../../server/src/core/analysis';
import { LineIndex } from '../../server/src/core/lineIndex';
import { RULES } from '../../server/src/core/rules';
import { createNodeIO, readTextFile } from '../../server/src/node/io';
import { sarifLog } from '../../server/src/cli/format';
import { ZoneDiagnostic } from '../../server/src/core/types';
import { TestClient } from '../lsp/client';

/** The compiled CLI (not the bin shim, which prefers a possibly stale bundle in dist/). */
const MAIN = path.join(__dirname, '..', '..', 'server', 'src', 'cli', 'main.js');
const ROOT = path.join(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'dane-zone.js');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dane-zone-cli-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const p = path.join(tmp, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: tmp, encoding: 'utf8', input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const GOOD = '$ORIGIN example.com.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n  IN NS ns1\nns1 IN A 192.0.2.53\n';
const WARN_ONLY = GOOD + 'ns1 IN A 192.0.2.53\n'; // duplicate-record: a warning
const BAD = [
  '$ORIGIN example.com.',
  '$TTL 3600',
  'www IN FOO 192.0.2.80',      // 3:8 unknown-type (error)
  'mail IN A 192.0.2.25',
  'mail IN A 192.0.2.25',       // 5:9 duplicate-record (warning)
  '',
].join('\n');
write('good.zone', GOOD);
write('warn.zone', WARN_ONLY);
write('bad.zone', BAD);

test('exit codes: 0 clean, 0 with warnings only, 1 with an error, 2 on usage or I/O failure', () => {
  assert.equal(cli(['check', 'good.zone']).code, 0);
  assert.equal(cli(['check', 'warn.zone']).code, 0);
  assert.equal(cli(['check', 'bad.zone']).code, 1);
  assert.equal(cli(['check', 'good.zone', 'bad.zone']).code, 1);

  const missing = cli(['check', 'good.zone', 'missing.zone']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /missing\.zone: no such file/);
  assert.match(missing.stdout, /in 1 file\n$/); // the readable file is still reported

  const dir = cli(['check', '.']);
  assert.equal(dir.code, 2);
  assert.match(dir.stderr, /is a directory/);

  for (const args of [[], ['check'], ['frobnicate'], ['check', '--format', 'xml', 'good.zone'], ['check', '--nope', 'good.zone'],
    ['check', '--origin'], ['check', '--origin', 'a..b', 'good.zone'], ['lsp'], ['lsp', '--bogus']]) {
    const r = cli(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /^dane-zone: .+\n\nUsage:/, args.join(' '));
    assert.equal(r.stdout, '');
  }
});

test('text format: file:line:col: severity code: message, then a summary', () => {
  const r = cli(['check', 'bad.zone']);
  const lines = r.stdout.split('\n');
  const expected = analyzeZone(BAD).diagnostics.sort((a, b) => a.start - b.start);
  assert.equal(expected.length, 2);
  assert.equal(lines[0], `bad.zone:3:8: error unknown-type: ${expected[0].message}`);
  assert.equal(lines[1], `bad.zone:5:9: warning duplicate-record: ${expected[1].message}`);
  assert.equal(lines[2], '1 error, 1 warning, 0 information, 0 hints in 1 file');
  assert.equal(lines.length, 4);
  assert.equal(lines[3], '');
  assert.equal(cli(['check', 'good.zone', 'warn.zone']).stdout.split('\n').pop() === '', true);
  assert.match(cli(['check', 'good.zone', 'warn.zone']).stdout, /\n0 errors, 1 warning, 0 information, 0 hints in 2 files\n$/);
});

test('json format: exactly [{file, diagnostics: [{code, severity, message, range}]}], 0-based', () => {
  const r = cli(['check', '--format', 'json', 'bad.zone', 'good.zone']);
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout);
  const messages = analyzeZone(BAD).diagnostics.sort((a, b) => a.start - b.start).map((d) => d.message);
  assert.deepEqual(out, [
    {
      file: 'bad.zone',
      diagnostics: [
        { code: 'unknown-type', severity: 'error', message: messages[0], range: { start: { line: 2, character: 7 }, end: { line: 2, character: 10 } } },
        { code: 'duplicate-record', severity: 'warning', message: messages[1], range: { start: { line: 4, character: 8 }, end: { line: 4, character: 9 } } },
      ],
    },
    { file: 'good.zone', diagnostics: [] },
  ]);
  // Key order as documented, nothing else.
  assert.deepEqual(Object.keys(out[0]), ['file', 'diagnostics']);
  assert.deepEqual(Object.keys(out[0].diagnostics[0]), ['code', 'severity', 'message', 'range']);
  assert.deepEqual(JSON.parse(cli(['check', '--format=json', 'good.zone']).stdout), [{ file: 'good.zone', diagnostics: [] }]);
});

test('sarif format: SARIF 2.1.0 with rules from rules.ts and located results', () => {
  const info = write('info.zone', GOOD + '_25._tcp.mail IN TLSA 255 1 1 8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1\n');
  const r = cli(['check', '--format', 'sarif', 'bad.zone', info]);
  assert.equal(r.code, 1);
  const log = JSON.parse(r.stdout);
  assert.equal(log.version, '2.1.0');
  assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
  assert.equal(log.runs.length, 1);
  const run = log.runs[0];
  const driver = run.tool.driver;
  assert.equal(driver.name, 'dane-zone');
  assert.equal(driver.version, JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  assert.match(driver.informationUri, /^https:\/\//);
  for (const [code, rule] of RULES) {
    const r2 = driver.rules.find((x: { id: string }) => x.id === code);
    assert.ok(r2, code);
    assert.equal(r2.helpUri, rule.href);
    assert.equal(r2.shortDescription.text, rule.title);
  }
  const [unknown, dup, ...rest] = run.results;
  assert.equal(unknown.ruleId, 'unknown-type');
  assert.equal(driver.rules[unknown.ruleIndex].id, 'unknown-type');
  assert.equal(unknown.level, 'error');
  assert.equal(typeof unknown.message.text, 'string');
  assert.deepEqual(unknown.locations[0].physicalLocation, {
    artifactLocation: { uri: 'bad.zone', index: 0 },
    region: { startLine: 3, startColumn: 8, endLine: 3, endColumn: 11 },
  });
  assert.equal(dup.ruleId, 'duplicate-record');
  assert.equal(dup.level, 'warning');
  // information → note; an absolute path becomes a file: URI
  const note = rest.find((x: { ruleId: string }) => x.ruleId === 'tlsa-private-value');
  if (note) {
    assert.equal(note.level, 'note');
    assert.match(note.locations[0].physicalLocation.artifactLocation.uri, /^file:\/\//);
  }
  assert.deepEqual(run.artifacts.map((a: { location: { uri: string } }) => a.location.uri.startsWith('file://') ? 'abs' : a.location.uri), ['bad.zone', 'abs']);
  for (const res of run.results) {
    assert.ok(['error', 'warning', 'note'].includes(res.level));
    assert.equal(driver.rules[res.ruleIndex].id, res.ruleId);
  }
});

test('sarif levels: error → error, warning → warning, information and hint → note; unknown codes get a rule', () => {
  const text = 'abc\ndef\n';
  const d = (code: string, severity: ZoneDiagnostic['severity'], start: number, end: number): ZoneDiagnostic => ({ code, severity, start, end, message: `${code} here` });
  const diagnostics = [d('syntax', 'error', 0, 1), d('missing-ttl', 'warning', 1, 3), d('tlsa-full-data', 'information', 4, 7), d('tlsa-high-ttl', 'hint', 7, 7), d('made-up', 'error', 5, 6)];
  const log = sarifLog([{ file: 'dir/a b.zone', result: { text, diagnostics, lines: () => new LineIndex(text) } }],
    { name: 'dane-zone', version: '9.9.9', informationUri: 'https://example.org/dane-zone' }) as any;
  const results = log.runs[0].results;
  assert.deepEqual(results.map((r: any) => r.level), ['error', 'warning', 'note', 'note', 'error']);
  assert.deepEqual(results[2].locations[0].physicalLocation.region, { startLine: 2, startColumn: 1, endLine: 2, endColumn: 4 });
  assert.deepEqual(results[3].locations[0].physicalLocation.region, { startLine: 2, startColumn: 4, endLine: 2, endColumn: 4 });
  assert.equal(results[0].locations[0].physicalLocation.artifactLocation.uri, 'dir/a%20b.zone');
  const rules = log.runs[0].tool.driver.rules;
  assert.equal(rules[results[4].ruleIndex].id, 'made-up');
  assert.equal(rules.length, RULES.size + 1);
  assert.equal(log.runs[0].columnKind, 'utf16CodeUnits');
});

test('--origin gives relative names their origin; standard input with -', () => {
  const rel = write('relative.zone', '$TTL 60\n@ IN SOA ns1 hostmaster 1 2 3 4 5\n  IN NS ns1\nns1 IN A 192.0.2.1\n');
  const without = cli(['check', rel]);
  assert.equal(without.code, 1);
  assert.match(without.stdout, /relative-name-no-origin/);
  assert.equal(cli(['check', '--origin', 'example.com', rel]).code, 0);
  assert.equal(cli(['check', '--origin=example.com.', rel]).code, 0);

  const stdin = cli(['check', '-'], BAD);
  assert.equal(stdin.code, 1);
  assert.match(stdin.stdout, /^-:3:8: error unknown-type: /);
});

test('problems inside an $INCLUDEd file are reported on the $INCLUDE line, naming the file', () => {
  write('inc/sub.zone', 'ok IN A 192.0.2.1\nbad IN A 192.0.2.999\n');
  const main = write('inc/main.zone', '$ORIGIN example.com.\n$TTL 60\n$INCLUDE sub.zone\n$INCLUDE nothere.zone\n');
  const r = cli(['check', main]);
  assert.equal(r.code, 1);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0], /main\.zone:3:1: error invalid-rdata: .*sub\.zone/);
  assert.match(lines[1], /main\.zone:4:\d+: error include-unresolved: .*nothere\.zone/);
});

test('streaming check gives the same diagnostics as analyzeZone on the examples', () => {
  const examples = path.join(ROOT, 'examples');
  for (const name of fs.readdirSync(examples)) {
    const file = path.join(examples, name);
    const text = readTextFile(file);
    const lines = new LineIndex(text);
    const expected = analyzeZone(text, { fileName: file, io: createNodeIO() }).diagnostics
      .sort((a, b) => a.start - b.start)
      .map((d) => `${d.code} ${d.severity} ${JSON.stringify(lines.positionAt(d.start))} ${d.message}`)
      .sort();
    const got = JSON.parse(cli(['check', '--format', 'json', file]).stdout)[0].diagnostics
      .map((d: { code: string; severity: string; range: { start: unknown }; message: string }) => `${d.code} ${d.severity} ${JSON.stringify(d.range.start)} ${d.message}`)
      .sort();
    assert.deepEqual(got, expected, name);
  }
});

test('--help, --version, and the bin shim', () => {
  const help = cli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /dane-zone check \[--format text\|json\|sarif\] \[--origin NAME\] .*FILE\.\.\./);
  assert.match(help.stdout, /dane-zone lsp --stdio/);
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
  assert.equal(cli(['--version']).stdout, `${version}\n`);
  const bin = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' });
  assert.equal(bin.status, 0);
  assert.equal(bin.stdout, `${version}\n`);
});

test('dane-zone lsp --stdio runs the language server', async () => {
  const c = await TestClient.start({ args: [MAIN, 'lsp', '--stdio'] });
  try {
    assert.equal(c.initializeResult?.serverInfo?.name, 'dane-zone');
    await c.open('untitled:x', BAD);
    const d = await c.diagnostics('untitled:x', (x) => x.some((y) => y.code === 'unknown-type'));
    assert.ok(d.length > 0);
    assert.equal(await c.stop(), 0);
  } finally {
    c.kill();
  }
});

test('node io: size limit, non-regular files, byte-order mark, confinement to folders', () => {
  const big = write('io/big.zone', 'x'.repeat(900));
  assert.throws(() => readTextFile(big, 500), /big\.zone: too large \(900 bytes; the limit is 500 bytes\)/);
  assert.throws(() => readTextFile(path.join(tmp, 'io')), /is a directory/);
  assert.throws(() => readTextFile(path.join(tmp, 'io', 'none')), /none: no such file/);
  if (fs.existsSync('/dev/zero')) assert.throws(() => readTextFile('/dev/zero'), /not a regular file/);
  const fifo = path.join(tmp, 'io', 'fifo');
  if (spawnSync('mkfifo', [fifo]).status === 0) assert.throws(() => readTextFile(fifo), /not a regular file/); // and does not block
  const bom = write('io/bom.zone', '\ufeffa. 1 A 192.0.2.1\n');
  assert.equal(readTextFile(bom), 'a. 1 A 192.0.2.1\n');

  const inside = path.join(tmp, 'io');
  const io = createNodeIO({ allowedRoots: [inside], baseDir: inside });
  assert.equal(io.resolvePath(path.join(inside, 'main.zone'), 'sub/x.zone'), path.join(inside, 'sub', 'x.zone'));
  assert.equal(io.resolvePath(undefined, 'x.zone'), path.join(inside, 'x.zone'));
  assert.equal(io.resolvePath(undefined, '/abs/x.zone'), '/abs/x.zone');
  assert.equal(io.readFile(bom), 'a. 1 A 192.0.2.1\n');
  assert.throws(() => io.readFile(path.join(tmp, 'good.zone')), /not trusted/);
  assert.throws(() => io.readFile(path.join(inside, '..', 'good.zone')), /not trusted/);
  fs.symlinkSync(path.join(tmp, 'good.zone'), path.join(inside, 'escape.zone'));
  assert.throws(() => io.readFile(path.join(inside, 'escape.zone')), /not trusted/);
  assert.ok(createNodeIO().now() instanceof Date);
});

test('check --check-names: BIND host-name rules as warnings (bare flag) or errors (=error)', () => {
  const zone = GOOD + 'mail_1 IN A 192.0.2.54\n';
  assert.equal(cli(['check', '-'], zone).code, 0);
  const warn = cli(['check', '--check-names', '-'], zone);
  assert.equal(warn.code, 0);
  assert.match(warn.stdout, /:6:1: warning check-names: mail_1\.example\.com\. is not a host name/);
  const err = cli(['check', '--check-names=error', '-'], zone);
  assert.equal(err.code, 1);
  assert.match(err.stdout, /error check-names/);
  assert.equal(cli(['check', '--check-names', 'error', '-'], zone).code, 1);
  assert.match(cli(['check', '--check-names=loud', '-'], zone).stderr, /--check-names loud: use off, warn or error/);
});
