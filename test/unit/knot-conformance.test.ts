import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Runs scripts/knot-conformance.js (Knot DNS's zone-scanner cases, read from ../shared at
 * test time) and asserts the agreement target. Skips, saying so, when ../shared is absent.
 */

interface ConformanceCase {
  name: string;
  acceptBoth: number;
  rejectBoth: number;
  disagree: number;
  disagreements: string[];
}

interface Conformance {
  runConformance(sharedDir?: string): {
    cases: ConformanceCase[];
    excluded: { name: string; why: string }[];
    total: { acceptBoth: number; rejectBoth: number; disagree: number; agreement: number };
  };
  defaultSharedDir(): string;
  TARGET: number;
}

/** The repository root: the nearest folder above this file holding package.json and scripts/knot-conformance.js. */
function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'scripts', 'knot-conformance.js'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`repository root not found above ${__dirname}`);
    dir = up;
  }
}

test('agrees with Knot DNS zscanner on its own test cases', (t) => {
  const root = repoRoot();
  const shared = path.resolve(root, '..', 'shared');
  const cases = path.join(shared, 'conformance', 'knot-zscanner');
  if (!fs.existsSync(cases)) {
    t.skip(`${shared} not found: conformance not run`);
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const conformance = require(path.join(root, 'scripts', 'knot-conformance.js')) as Conformance;
  const r = conformance.runConformance(shared);
  const { acceptBoth, rejectBoth, disagree, agreement } = r.total;
  t.diagnostic(`both accept ${acceptBoth}, both reject ${rejectBoth}, disagree ${disagree}: ${(100 * agreement).toFixed(1)}%`);
  for (const c of r.cases) for (const d of c.disagreements) t.diagnostic(`${c.name} ${d}`);
  assert.ok(acceptBoth + rejectBoth > 900, 'the cases were read');
  assert.ok(agreement >= conformance.TARGET, `agreement ${(100 * agreement).toFixed(1)}% is below ${100 * conformance.TARGET}%`);
  // the RDATA cases (07-* and 10_A onwards) must not regress
  const rdataDisagreements = r.cases.filter((c) => /^(07|[1-9]\d)/.test(c.name)).reduce((n, c) => n + c.disagree, 0);
  assert.ok(rdataDisagreements <= 4, `${rdataDisagreements} disagreements on RDATA cases`);
});
