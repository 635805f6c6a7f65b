/**
 * The real IANA root zone (serial 2023051100: 24,911 records, signed) must check clean: no
 * error-severity diagnostic, every record parsed, with `now` inside its RRSIG validity
 * (inceptions 2023-05-11T00:00Z/04:00Z, expirations 2023-05-24 and 2023-06-01).
 *
 * The corpus lives beside the checkout, in ../shared/corpora (resolved from the repository
 * root, the folder with package.json). Without ../shared the test is skipped, saying so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { analyzeZone } from '../../server/src/core/analysis';
import { parseZone } from '../../server/src/core/parser';
import { addAsyncStages, checkText, hasAsyncWork } from '../../server/src/core/pipeline/run';

function repoRoot(): string {
  let d = __dirname;
  while (!fs.existsSync(path.join(d, 'package.json')) && path.dirname(d) !== d) d = path.dirname(d);
  return d;
}

const SHARED = path.resolve(repoRoot(), '..', 'shared');
const FILE = path.join(SHARED, 'corpora', 'root-2023051100.zone');
/** Inside every RRSIG's validity period. */
const NOW = new Date('2023-05-12T00:00:00Z');

/** Counted with awk over the file (one record per line, no comments, no blank lines). */
const EXPECTED_TYPES: Record<string, number> = {
  A: 5833, AAAA: 5494, DNSKEY: 2, DS: 1622, NS: 7630, NSEC: 1480, RRSIG: 2849, SOA: 1,
};
const EXPECTED_RECORDS = 24_911;

/** The corpus text, or undefined (after skipping the test) when ../shared is absent. */
function corpus(t: { skip(msg: string): void }): string | undefined {
  if (!fs.existsSync(SHARED)) {
    t.skip(`../shared not found: ${SHARED} does not exist (the real-world corpus lives beside the checkout)`);
    return undefined;
  }
  // ../shared is there: a missing corpus is a real problem, not a reason to skip.
  assert.ok(fs.existsSync(FILE), `../shared exists but ${FILE} is missing`);
  return fs.readFileSync(FILE, 'utf8');
}

test('root zone 2023051100: 24,911 records, no error-severity diagnostics', (t) => {
  const text = corpus(t);
  if (text === undefined) return;
  // Our own count of the file, independent of the parser: one record per non-empty, non-comment line.
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith(';'));
  assert.equal(lines.length, EXPECTED_RECORDS);

  const { parsed, diagnostics } = analyzeZone(text, { now: NOW, fileName: FILE });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const lineOf = (off: number) => text.slice(0, off).split('\n').length;
  assert.deepEqual(
    errors.slice(0, 10).map((d) => `line ${lineOf(d.start)}: ${d.code}: ${d.message}`),
    [],
    `${errors.length} error-severity diagnostics`,
  );
  assert.equal(parsed.records.length, EXPECTED_RECORDS);
  assert.equal(parsed.zoneOrigin, '.');
  const bad = parsed.records.filter((r) => !r.ok || r.wire === undefined);
  assert.deepEqual(bad.slice(0, 5).map((r) => `line ${lineOf(r.start)}: ${text.slice(r.start, Math.min(r.end, r.start + 80))}`), [], `${bad.length} records not ok`);
  const byType: Record<string, number> = {};
  for (const r of parsed.records) byType[r.typeName] = (byType[r.typeName] ?? 0) + 1;
  assert.deepEqual(byType, EXPECTED_TYPES);
  // Nothing expired at NOW.
  assert.deepEqual(diagnostics.filter((d) => d.code === 'rrsig-expired').length, 0);
});

test('root zone 2023051100: after 2023-06-01 its RRSIGs are reported expired (warnings, not errors)', (t) => {
  const text = corpus(t);
  if (text === undefined) return;
  // kzonecheck says the same of this file today; the check must be real, not vacuous.
  const { diagnostics } = analyzeZone(text, { now: new Date('2023-06-02T00:00:00Z') });
  const expired = diagnostics.filter((d) => d.code === 'rrsig-expired');
  assert.ok(expired.length > 0, 'no rrsig-expired diagnostics after every signature expired');
  assert.deepEqual([...new Set(expired.map((d) => d.severity))], ['warning']);
  assert.equal(diagnostics.filter((d) => d.severity === 'error').length, 0);
});

test('root zone 2023051100: streaming mode sees the same 24,911 records', (t) => {
  const text = corpus(t);
  if (text === undefined) return;
  let n = 0;
  let wireBytes = 0;
  const z = parseZone(text, { onRecord: (r) => { n++; wireBytes += r.wire?.length ?? 0; } });
  assert.equal(n, EXPECTED_RECORDS);
  assert.equal(z.records.length, 0);
  assert.ok(wireBytes > 1_000_000, `only ${wireBytes} bytes of RDATA`);
});

test('root zone 2023051100: DNSSEC validation at 2023-05-11T12:00:00Z — every RRSIG verifies, the NSEC chain is whole; a changed DS is caught', async (t) => {
  const text = corpus(t);
  if (text === undefined) return;
  const at = new Date('2023-05-11T12:00:00Z');
  const io = { readFile: () => { throw new Error('no files'); }, resolvePath: (_f: string | undefined, p: string) => p, now: () => at };
  const result = checkText(text, { io });
  assert.ok(hasAsyncWork(result, { io }), 'the root zone is signed: the DNSSEC stage must run');
  await addAsyncStages(result, { io });
  // dnssec-algorithm-deprecated (a zone rule: TLDs' DS records with SHA-1 algorithms/digests) is advice, not a validation failure
  const dnssec = result.diagnostics.filter((d) => /^(rrsig|nsec|dnssec|ds-|zonemd)/.test(d.code) && d.code !== 'dnssec-algorithm-deprecated');
  assert.deepEqual(dnssec.map((d) => `${d.code}: ${d.message}`), []);
  // The check is real: one changed digit in the DS of com. breaks its signature.
  const broken = text.replace('30909 8 2 E2D3C916', '30909 8 2 E2D3C917');
  const r2 = checkText(broken, { io });
  await addAsyncStages(r2, { io });
  const codes = r2.diagnostics.filter((d) => d.code === 'rrsig-invalid').map((d) => broken.slice(d.start, d.end));
  assert.deepEqual(codes, ['DS', 'RRSIG']);
});
