/**
 * Golden diagnostics of the example zones: `examples/NAME.diagnostics.txt` is what
 * `dane-zone check NAME` prints in `examples/` (every stage of the pipeline, the certificate
 * stage included), on a fixed date so that RRSIG and certificate expiry do not move it.
 *
 *   npm run goldens        rewrite them after a change that is meant to change diagnostics
 *
 * test/unit/goldens.test.ts compares them on every run (and so in CI).
 */
import fs from 'node:fs';
import path from 'node:path';
import { AnalysisOptions, getZoneLanguageService } from '../../server/src/core';
import { ChunkWriter, FileReport, writeText } from '../../server/src/cli/format';
import { createNodeIO } from '../../server/src/node/io';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const EXAMPLES = path.join(ROOT, 'examples');
/** The date the goldens are computed at. */
export const GOLDEN_DATE = new Date('2027-01-01T00:00:00Z');

const core = getZoneLanguageService();

/** The example zones (absolute paths). */
export function exampleZones(): string[] {
  return fs.readdirSync(EXAMPLES).filter((f) => /\.(zone|signed)$/.test(f)).sort().map((f) => path.join(EXAMPLES, f));
}

export function goldenPath(zone: string): string {
  return `${zone}.diagnostics.txt`;
}

/** What `dane-zone check` prints for the zone, run in its directory on GOLDEN_DATE. */
export async function goldenOf(zone: string): Promise<string> {
  const options: AnalysisOptions = { fileName: zone, io: createNodeIO({ now: () => GOLDEN_DATE }), now: GOLDEN_DATE };
  const result = core.checkText(fs.readFileSync(zone, 'utf8'), options);
  if (core.hasAsyncWork(result, options)) await core.addAsyncStages(result, options);
  const report: FileReport = { file: path.basename(zone), result, options };
  let out = '';
  const writer = new ChunkWriter((s) => { out += s; });
  writeText([report], writer);
  writer.flush();
  return out;
}

async function main(): Promise<void> {
  const write = process.argv.includes('--write');
  let stale = 0;
  for (const zone of exampleZones()) {
    const want = await goldenOf(zone);
    const file = goldenPath(zone);
    const have = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (have === want) continue;
    stale++;
    if (write) fs.writeFileSync(file, want);
    console.log(`${write ? 'wrote' : 'differs'}: ${path.relative(ROOT, file)}`);
  }
  if (stale === 0) console.log('goldens: all up to date');
  else if (!write) process.exitCode = 1;
}

if (require.main === module) void main();
