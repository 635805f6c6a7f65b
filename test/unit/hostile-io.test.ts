import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createNodeIO } from '../../server/src/node/io';
import { parseZone } from '../../server/src/core/parser';

/**
 * Issue 17 item 6: untrusted workspaces check the path, then open it. A symbolic link swapped
 * in between (the `afterCheck` hook runs exactly there) must not make the server read a file
 * outside the workspace folders.
 */

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dane-zone-race-')));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const ws = path.join(tmp, 'ws');
const outside = path.join(tmp, 'outside');
fs.mkdirSync(path.join(ws, 'sub'), { recursive: true });
fs.mkdirSync(outside);
fs.writeFileSync(path.join(outside, 'secret.zone'), 'secret TXT "leaked"\n');
fs.writeFileSync(path.join(outside, 'inc.zone'), 'secret TXT "leaked"\n');

function reset(): void {
  fs.rmSync(path.join(ws, 'inc.zone'), { force: true });
  fs.rmSync(path.join(ws, 'sub'), { recursive: true, force: true });
  fs.rmSync(path.join(ws, 'sub-old'), { recursive: true, force: true });
  fs.mkdirSync(path.join(ws, 'sub'));
  fs.writeFileSync(path.join(ws, 'inc.zone'), 'inside A 192.0.2.1\n');
  fs.writeFileSync(path.join(ws, 'sub', 'inc.zone'), 'inside A 192.0.2.1\n');
}

test('untrusted: the checked file swapped for a link to a file outside is not read', () => {
  reset();
  const plain = createNodeIO({ allowedRoots: [ws] });
  assert.equal(plain.readFile(path.join(ws, 'inc.zone')), 'inside A 192.0.2.1\n');
  const io = createNodeIO({
    allowedRoots: [ws],
    afterCheck: (real) => {
      fs.rmSync(real);
      fs.symlinkSync(path.join(outside, 'secret.zone'), real);
    },
  });
  assert.throws(() => io.readFile(path.join(ws, 'inc.zone')), (e: Error) => !/leaked/.test(e.message));
  reset();
  assert.throws(() => io.readBytes!(path.join(ws, 'inc.zone')));
});

test('untrusted: a directory of the checked path swapped for a link outside is not followed out', () => {
  reset();
  const io = createNodeIO({
    allowedRoots: [ws],
    afterCheck: () => {
      fs.renameSync(path.join(ws, 'sub'), path.join(ws, 'sub-old'));
      fs.symlinkSync(outside, path.join(ws, 'sub'));
    },
  });
  assert.throws(() => io.readFile(path.join(ws, 'sub', 'inc.zone')), /not trusted/);
});

test('untrusted: through $INCLUDE the swap gives include-unresolved and no record of the outside file', () => {
  reset();
  const io = createNodeIO({
    allowedRoots: [ws],
    baseDir: ws,
    afterCheck: (real) => {
      fs.rmSync(real);
      fs.symlinkSync(path.join(outside, 'secret.zone'), real);
    },
  });
  const p = parseZone('$ORIGIN example.\n$TTL 60\n$INCLUDE inc.zone\n', { io, fileName: path.join(ws, 'main.zone') });
  assert.deepEqual(p.records, []);
  assert.deepEqual(p.diagnostics.map((d) => d.code), ['include-unresolved']);
  // A trusted workspace (no roots) still follows links as before.
  reset();
  fs.rmSync(path.join(ws, 'inc.zone'));
  fs.symlinkSync(path.join(outside, 'secret.zone'), path.join(ws, 'inc.zone'));
  assert.match(createNodeIO({ baseDir: ws }).readFile(path.join(ws, 'inc.zone')), /leaked/);
});
