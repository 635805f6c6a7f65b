import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient } from './client';

/** `soa-serial-unchanged`: the open zone differs from the version committed in git, serial not bumped. */

const ZONE = (serial: string, extra = '') => `$ORIGIN example.com.\n$TTL 300\n@ SOA ns hm ${serial} 7200 3600 1209600 300\n@ NS ns\nns A 192.0.2.1\n${extra}`;

function repo(): { dir: string; file: string } | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dane-zone-git-'));
  const file = path.join(dir, 'example.com.zone');
  fs.writeFileSync(file, ZONE('2026112801'));
  try {
    const g = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, stdio: 'ignore' });
    g('init', '-q');
    g('add', '.');
    g('commit', '-qm', 'zone');
  } catch {
    return undefined;
  }
  return { dir, file };
}

test('a changed zone whose serial equals the committed one gets soa-serial-unchanged; bumping clears it', async (t) => {
  const r = repo();
  if (!r) return t.skip('git not found: this test needs git');
  const c = await TestClient.start({ settings: { diagnosticsDelay: 0 }, workspaceFolders: [r.dir] });
  try {
    const uri = pathToFileURL(r.file).href;
    await c.open(uri, ZONE('2026112801', 'www A 192.0.2.80\n'));
    const d = await c.diagnostics(uri, (x) => x.some((y) => y.code === 'soa-serial-unchanged'));
    const s = d.find((y) => y.code === 'soa-serial-unchanged')!;
    assert.deepEqual(s.range, { start: { line: 2, character: 12 }, end: { line: 2, character: 22 } });
    assert.equal(s.severity, 2);
    const since = c.published.length;
    await c.change(uri, [{ range: { start: { line: 2, character: 21 }, end: { line: 2, character: 22 } }, text: '2' }]);
    await c.diagnostics(uri, (x) => !x.some((y) => y.code === 'soa-serial-unchanged'), 10_000, since);
  } finally {
    await c.stop();
    fs.rmSync(r.dir, { recursive: true, force: true });
  }
});

test('untrusted workspace: git is not run, no serial check', async (t) => {
  const r = repo();
  if (!r) return t.skip('git not found: this test needs git');
  const c = await TestClient.start({ settings: { diagnosticsDelay: 0 }, workspaceFolders: [r.dir], initializationOptions: { trusted: false } });
  try {
    const uri = pathToFileURL(r.file).href;
    await c.open(uri, ZONE('2026112801', 'www A 192.0.2.80\n'));
    await new Promise((res) => setTimeout(res, 500));
    for (const p of c.published) assert.ok(!p.diagnostics.some((y) => y.code === 'soa-serial-unchanged'));
  } finally {
    await c.stop();
    fs.rmSync(r.dir, { recursive: true, force: true });
  }
});
