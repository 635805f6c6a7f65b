/**
 * Workspace symbols read the workspace's zone files through the server's ZoneIO (issue 10:
 * no feature reads files itself): listing, size limit and untrusted confinement are the IO's.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ZoneIO } from '../../server/src/core';
import { createNodeIO } from '../../server/src/node/io';
import { MAX_ZONE_FILE_BYTES, WorkspaceZones } from '../../server/src/lsp/features/workspaceZones';

const ZONE = '$ORIGIN example.com.\n@ 300 SOA ns h 1 2 3 4 5\nmail 300 A 192.0.2.1\n';

/** An in-memory ZoneIO that records every call. */
function memoryIO(files: Record<string, string | { size: number }>, links: string[] = []): { io: ZoneIO; calls: string[] } {
  const calls: string[] = [];
  const dirs = new Set<string>();
  for (const f of Object.keys(files)) for (let d = path.posix.dirname(f); d !== '/'; d = path.posix.dirname(d)) dirs.add(d);
  const io: ZoneIO = {
    readFile: (f) => { calls.push(`readFile ${f}`); throw new Error('readBytes is there'); },
    readBytes: (f, max) => {
      calls.push(`readBytes ${f} ${max}`);
      const v = files[f];
      if (typeof v !== 'string') throw new Error('no such file');
      return new TextEncoder().encode(v);
    },
    statFile: (f) => {
      calls.push(`statFile ${f}`);
      const v = files[f];
      if (v === undefined) throw new Error('no such file');
      return { size: typeof v === 'string' ? v.length : v.size, mtimeMs: 1 };
    },
    listDir: (d) => {
      calls.push(`listDir ${d}`);
      if (!dirs.has(d)) throw new Error('not read: outside');
      const names = new Set<string>();
      for (const p of [...Object.keys(files), ...dirs, ...links]) if (path.posix.dirname(p) === d) names.add(path.posix.basename(p));
      return [...names].sort().map((name) => {
        const p = path.posix.join(d, name);
        return { name, directory: dirs.has(p), link: links.includes(p) };
      });
    },
    resolvePath: (_from, p) => p,
    now: () => new Date(0),
  };
  return { io, calls };
}

test('workspace zone files: listed with ZoneIO.listDir, read with ZoneIO.statFile + readBytes (16 MiB limit), parsed once', () => {
  const { io, calls } = memoryIO({
    '/ws/a.zone': ZONE,
    '/ws/sub/db.example': ZONE,
    '/ws/notes.txt': 'x',
    '/ws/.git/x.zone': ZONE,
    '/ws/node_modules/y.zone': ZONE,
    '/ws/big.zone': { size: MAX_ZONE_FILE_BYTES + 1 },
  }, ['/ws/link.zone', '/ws/linkdir']);
  const zones = new WorkspaceZones(() => io, path.join);
  const files = zones.list(['/ws']);
  assert.deepEqual(files, ['/ws/a.zone', '/ws/big.zone', '/ws/sub/db.example']);
  assert.deepEqual(calls.splice(0), ['listDir /ws', 'listDir /ws/sub']);

  const a = zones.parsed('/ws/a.zone');
  assert.deepEqual(a?.parsed.records.map((r) => r.owner), ['example.com.', 'mail.example.com.']);
  assert.equal(zones.parsed('/ws/big.zone'), undefined, 'over the limit: not read');
  assert.deepEqual(calls.splice(0), [`statFile /ws/a.zone`, `readBytes /ws/a.zone ${MAX_ZONE_FILE_BYTES}`, 'statFile /ws/big.zone']);
  assert.equal(zones.parsed('/ws/a.zone'), a, 'unchanged size and mtime: the cached parse');
  assert.deepEqual(calls.splice(0), ['statFile /ws/a.zone']);
});

test('workspace zone files: a folder the IO refuses (untrusted, outside) gives nothing, no throw', () => {
  const { io } = memoryIO({ '/ws/a.zone': ZONE });
  const zones = new WorkspaceZones(() => io, path.join);
  assert.deepEqual(zones.list(['/elsewhere', '/ws']), ['/ws/a.zone']);
  assert.equal(zones.parsed('/elsewhere/b.zone'), undefined);
});

test('workspace zone files with the Node IO of an untrusted workspace: a zone file outside is not read', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dane-zone-wsz-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const ws = path.join(dir, 'ws');
  fs.mkdirSync(path.join(ws, 'zones'), { recursive: true });
  fs.writeFileSync(path.join(ws, 'zones', 'in.zone'), ZONE);
  fs.writeFileSync(path.join(dir, 'out.zone'), ZONE);
  fs.symlinkSync(path.join(dir, 'out.zone'), path.join(ws, 'linked.zone'));
  const zones = new WorkspaceZones(() => createNodeIO({ allowedRoots: [ws] }), path.join);
  assert.deepEqual(zones.list([ws]), [path.join(ws, 'zones', 'in.zone')], 'the link is not listed');
  assert.ok(zones.parsed(path.join(ws, 'zones', 'in.zone')));
  assert.equal(zones.parsed(path.join(ws, 'linked.zone')), undefined, 'and not read when asked for: it points outside');
  assert.equal(zones.parsed(path.join(dir, 'out.zone')), undefined);
  // Trusted (no allowedRoots): the same IO path reads it.
  assert.ok(new WorkspaceZones(() => createNodeIO(), path.join).parsed(path.join(ws, 'linked.zone')));
});
