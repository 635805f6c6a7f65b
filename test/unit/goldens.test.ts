/** Each example zone's diagnostics against its golden file (test/support/goldens.ts; `npm run goldens` rewrites them). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { exampleZones, goldenOf, goldenPath } from '../support/goldens';

test('every example zone has a golden diagnostics file', () => {
  const zones = exampleZones();
  assert.ok(zones.length >= 4);
  for (const z of zones) assert.ok(fs.existsSync(goldenPath(z)), `${path.basename(goldenPath(z))} is missing: run \`npm run goldens\``);
});

for (const zone of exampleZones()) {
  test(`${path.basename(zone)}: diagnostics as in its golden file`, async () => {
    const want = fs.existsSync(goldenPath(zone)) ? fs.readFileSync(goldenPath(zone), 'utf8') : '';
    assert.equal(await goldenOf(zone), want, `${path.basename(zone)} changed: if that is intended, run \`npm run goldens\` and commit the .diagnostics.txt`);
  });
}
