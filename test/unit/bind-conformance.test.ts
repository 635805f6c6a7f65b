import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Runs scripts/bind-conformance.js (BIND's named-checkzone cases, read from ../shared at test
 * time) and asserts the agreement. Skips, saying so, when ../shared is absent.
 */

interface BindConformance {
  runBindConformance(sharedDir?: string): {
    classes: Record<string, { agree: number; disagree: number; contested: number }>;
    disagreements: { file: string; cls: string; why: string }[];
    contested: { file: string; why: string }[];
    total: { agree: number; disagree: number; contested: number; agreement: number };
  };
}

function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'scripts', 'bind-conformance.js'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`repository root not found above ${__dirname}`);
    dir = up;
  }
}

test('agrees with BIND named-checkzone on its own checkzone cases', (t) => {
  const root = repoRoot();
  const shared = path.resolve(root, '..', 'shared');
  if (!fs.existsSync(path.join(shared, 'conformance', 'bind-checkzone'))) {
    t.skip(`${shared}/conformance/bind-checkzone not found: BIND conformance not run`);
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bind = require(path.join(root, 'scripts', 'bind-conformance.js')) as BindConformance;
  const r = bind.runBindConformance(shared);
  t.diagnostic(`agree ${r.total.agree}, disagree ${r.total.disagree}, contested ${r.total.contested}`);
  for (const d of r.disagreements) t.diagnostic(`${d.file}: ${d.why}`);
  assert.ok(r.total.agree > 100, 'the cases were read');
  // every zone BIND loads loads here without an error: no false errors
  assert.equal(r.classes.accept.disagree, 0, 'a zone BIND accepts has an error here');
  assert.equal(r.classes['reject/syntax'].disagree, 0, 'a zone BIND rejects for syntax has no error here');
  // bad-rpz-prefix.db is a response-policy-zone rule BIND applies under -P (RPZ, not a DNS zone rule): no setting here
  assert.deepEqual(r.disagreements.map((d) => d.file), ['bad-rpz-prefix.db'], 'disagreements with BIND');
});
