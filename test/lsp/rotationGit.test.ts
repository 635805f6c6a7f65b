import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Hover, HoverRequest, MarkupContent } from 'vscode-languageserver/node';
import { fileUri, TestClient } from './client';
import { Fixtures, makeFixtures, opensslMatching, opensslMissing } from '../unit/certs-fixtures';

/**
 * Timed rotation (issue 14 item 5) in the language server, against a real git repository made in
 * a temp folder: the zone's records are committed at fixed committer dates (GIT_COMMITTER_DATE,
 * relative to the clock so the server's own "now" decides), and the server reads when each TLSA
 * record was first committed (lsp/gitHistory.ts) — tlsa-rotation-too-early on `cert=` and the
 * safe-after time in the hover of the next-key record. Untrusted workspace: no git, said once.
 */

let fx: Fixtures | undefined;
let gitMissing: string | undefined;
const skip = () => opensslMissing ?? gitMissing;
const MIN = 60_000;
const utc = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

const HEAD = '$ORIGIN example.com.\n$TTL 1800\n; dane-zone dnssec=signed\n@ SOA ns hm 1 3600 900 1209600 300\n@ MX 10 mx1\nmx1 A 192.0.2.1\n; dane-zone cert=fullchain.pem next=next.key\n';
let old = '';
let leaf = '';
let next = '';
let zoneFile = '';
/** When the new records were committed: 30 minutes ago (the switch waits 2 × 1800 + 3600 s = 2 hours). */
let recent = 0;

before(() => {
  if (opensslMissing) return;
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
  } catch {
    gitMissing = 'git not found: this test needs git';
    return;
  }
  fx = makeFixtures();
  old = opensslMatching(fx.certSpki('rsa.pem'), 1);
  leaf = opensslMatching(fx.certSpki('leaf.pem'), 1);
  next = opensslMatching(fx.keySpki('next.key'), 1);
  zoneFile = path.join(fx.dir, 'example.com.zone');
  const now = Date.now();
  recent = Math.floor((now - 30 * MIN) / 1000) * 1000;
  const commit = (text: string, ms: number, message: string) => {
    fs.writeFileSync(zoneFile, text);
    const date = `${Math.floor(ms / 1000)} +0000`;
    const env = { ...process.env, GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: date };
    const g = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: fx!.dir, stdio: 'ignore', env });
    g('add', 'example.com.zone');
    g('commit', '-qm', message);
  };
  execFileSync('git', ['init', '-q'], { cwd: fx.dir, stdio: 'ignore' });
  commit(HEAD + `_25._tcp.mx1 TLSA 3 1 1 ${old}\n`, now - 30 * 24 * 60 * MIN, 'old key');
  commit(HEAD + `_25._tcp.mx1 TLSA 3 1 1 ${old}\n_25._tcp.mx1 TLSA 3 1 1 ${leaf}\n_25._tcp.mx1 TLSA 3 1 1 ${next}\n`, recent, 'new certificate and next key');
});

after(() => fx?.cleanup());

async function hoverOn(c: TestClient, uri: string, text: string, data: string, until: string): Promise<string> {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(data));
  let value = '';
  for (let i = 0; i < 100 && !value.includes(until); i++) {
    const h: Hover | null = await c.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character: lines[line].indexOf(data) + 4 } });
    value = (h?.contents as MarkupContent | undefined)?.value ?? '';
    if (!value.includes(until)) await new Promise((r) => setTimeout(r, 50));
  }
  return value;
}

test('a certificate whose only record was committed 30 minutes ago: tlsa-rotation-too-early on cert=, the safe-after time in the next key\'s hover', { skip: skip() }, async (t) => {
  if (skip()) return t.skip(skip());
  const c = await TestClient.start({ settings: { diagnosticsDelay: 0 }, workspaceFolders: [fx!.dir] });
  try {
    const uri = fileUri(zoneFile);
    const text = fs.readFileSync(zoneFile, 'utf8');
    await c.open(uri, text);
    const ds = await c.diagnostics(uri, (d) => d.some((x) => x.code === 'tlsa-rotation-too-early'), 20_000);
    const d = ds.find((x) => x.code === 'tlsa-rotation-too-early')!;
    assert.equal(d.severity, 2);
    const line = 6;
    assert.deepEqual(d.range, { start: { line, character: text.split('\n')[line].indexOf('cert=') }, end: { line, character: text.split('\n')[line].indexOf(' next=') } });
    const safe = utc(recent + 2 * 3600_000);
    assert.equal(d.message, `the linked certificate \`fullchain.pem\` matches only \`3 1 1 ${leaf.slice(0, 8)}…${leaf.slice(-6)}\` at _25._tcp.mx1.example.com., ` +
      `published ${utc(recent)}, safe after ${safe.slice(0, 10) === utc(recent).slice(0, 10) ? safe.slice(11) : safe} ` +
      '(its first git commit + two TTLs 2 × 1800 s + SOA refresh 3600 s = 2 hours): deploy the certificate after that — until then DANE senders that cached the RRset without it cannot deliver (RFC 7671 §8.1)');
    const hover = await hoverOn(c, uri, text, next, 'Published');
    assert.ok(hover.includes(`**Published ${utc(recent)}, safe after `), hover);
    assert.match(hover, /\(first git commit with this record \+ two TTLs 2 × 1800 s \+ SOA refresh 3600 s = 2 hours\): the switch to the next key is not safe yet/);
    // The old key's record, committed a month ago, has no such line (it matches no linked file).
    assert.ok(!(await hoverOn(c, uri, text, old, 'Matches no linked')).includes('Published'));
  } finally {
    await c.stop();
  }
});

test('uncommitted records count as not published; untrusted workspace: git is not run, said once in the log', { skip: skip() }, async (t) => {
  if (skip()) return t.skip(skip());
  // The buffer links another certificate, whose record is only in the editor (in no commit).
  const uncommitted = HEAD.replace('cert=fullchain.pem next=next.key', 'cert=ec.pem') + `_25._tcp.mx1 TLSA 3 1 1 ${old}\n_25._tcp.mx1 TLSA 3 1 1 ${opensslMatching(fx!.certSpki('ec.pem'), 1)}\n`;
  const c = await TestClient.start({ settings: { diagnosticsDelay: 0 }, workspaceFolders: [fx!.dir] });
  try {
    const uri = fileUri(zoneFile);
    await c.open(uri, uncommitted);
    const ds = await c.diagnostics(uri, (d) => d.some((x) => x.code === 'tlsa-rotation-too-early'), 20_000);
    assert.match(ds.find((x) => x.code === 'tlsa-rotation-too-early')!.message as string, /^the linked certificate `ec\.pem` matches only `3 1 1 [0-9a-f]{8}…[0-9a-f]{6}` at _25\._tcp\.mx1\.example\.com\., which is in no git commit yet \(not published\)/);
  } finally {
    await c.stop();
  }
  const u = await TestClient.start({ settings: { diagnosticsDelay: 0 }, workspaceFolders: [fx!.dir], initializationOptions: { trusted: false } });
  try {
    const uri = fileUri(zoneFile);
    const text = fs.readFileSync(zoneFile, 'utf8');
    await u.open(uri, text);
    // Stage 3 ran (the stale old record is reported by it), without a timing.
    const ds = await u.diagnostics(uri, (d) => d.some((x) => x.code === 'tlsa-stale-record'), 20_000);
    assert.ok(!ds.some((x) => x.code === 'tlsa-rotation-too-early'));
    await u.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '; edited\n' }]);
    await u.diagnostics(uri, (d, p) => p.version === 2 && d.some((x) => x.code === 'tlsa-stale-record'), 20_000);
    assert.equal(u.logs.filter((l) => l.includes('untrusted workspace: git is not run')).length, 1, u.logs.join('\n'));
  } finally {
    await u.stop();
  }
});

test('dane-zone check --git-history: the same check from the command line, as at --now', { skip: skip() }, (t) => {
  if (skip()) return t.skip(skip());
  const main = path.join(__dirname, '..', '..', 'server', 'src', 'cli', 'main.js');
  const check = (...args: string[]) => spawnSync(process.execPath, [main, 'check', ...args, 'example.com.zone'], { cwd: fx!.dir, encoding: 'utf8' });
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  const early = check('--git-history', '--now', iso(recent + 60 * MIN));
  assert.match(early.stdout, /^example\.com\.zone:7:\d+: warning tlsa-rotation-too-early: the linked certificate `fullchain\.pem` matches only `3 1 1 /m, early.stdout + early.stderr);
  assert.doesNotMatch(check('--git-history', '--now', iso(recent + 121 * MIN)).stdout, /tlsa-rotation-too-early/);
  assert.doesNotMatch(check('--now', iso(recent + 60 * MIN)).stdout, /tlsa-rotation-too-early/, 'without --git-history git is not run');
});
