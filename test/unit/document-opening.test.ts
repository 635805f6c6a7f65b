/**
 * The open of a large document in slices, and its first publication made with a worker thread's
 * part (core/documentOpening.ts):
 *   - a document opened in slices has the very chunks, and gives the very diagnostics and parse,
 *     of one opened at once;
 *   - a zone whose origin changes between the first chunk and the worker's start (the worker's
 *     guess of the state is wrong, and its part's diagnostics differ) is a mismatch;
 *   - the first publication of the open without a worker (FirstPass: the text parsed as the CLI
 *     streams it, records dropped, in slices of any size) is the document's syntaxDiagnostics(),
 *     on seeded zones, with $INCLUDE read through io (and one that cannot be read); and so is the
 *     first pass joined with the worker's part from its start (passed through structuredClone,
 *     as a worker sends it), whenever it is used ('mismatch': not used; before the start it
 *     waits), on seeded zones with multi-line entries, quotes, comments, errors, $TTL/$ORIGIN
 *     changes, $GENERATE, `disable=` comments and severity overrides.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZoneDocument } from '../../server/src/core/document';
import { Chunk } from '../../server/src/core/documentChunks';
import { FirstPass, openingTail, OpeningTail } from '../../server/src/core/documentOpening';
import { ZoneIO } from '../../server/src/core/types';
import { AnalysisOptions } from '../../server/src/core/pipeline/stage';
import { zone } from '../support/seededZones';


/** The chunk layout (and each chunk's state before it) of a document. */
function layout(doc: ZoneDocument): unknown {
  const chunks = (doc as unknown as { chunks: Chunk[] }).chunks;
  return chunks.map((ch) => ({ start: ch.start, end: ch.end, before: ch.before, n: ch.zone.records.length, d: ch.zone.diagnostics.length }));
}

const json = (x: unknown) => JSON.stringify(x);

const OPTIONS: AnalysisOptions[] = [{}, { severity: { 'invalid-rdata': 'off', 'unbalanced-parenthesis': 'warning' }, fileName: '/z/a.zone' }];

test('a document opened in slices has the chunks, diagnostics and parse of one opened at once', () => {
  for (let seed = 1; seed <= 6; seed++) {
    const text = zone(seed, 2500 + seed * 300, seed % 2 ? 0.004 : 0);
    assert.ok((new ZoneDocument(text, {}) as unknown as { chunks: Chunk[] }).chunks.length >= 8);
    for (const options of OPTIONS) {
      const whole = new ZoneDocument(text, options);
      for (const slice of [1, 2, 5]) {
        const doc = new ZoneDocument(text, options, true);
        assert.equal(doc.isOpening, true);
        let steps = 0;
        while (!doc.openStep(slice)) steps++;
        const chunks = (whole as unknown as { chunks: Chunk[] }).chunks.length;
        assert.equal(steps + 1, Math.ceil(chunks / slice), `seed ${seed}: ${chunks} chunks opened in ${steps + 1} slices of ${slice}`);
        assert.equal(doc.isOpening, false);
        assert.equal(json(layout(doc)), json(layout(whole)), `seed ${seed}, ${slice} chunks a slice: the chunks`);
        assert.equal(json(doc.syntaxDiagnostics()), json(whole.syntaxDiagnostics()));
        assert.equal(json(doc.zoneDiagnostics()), json(whole.zoneDiagnostics()));
        assert.equal(doc.parsed.records.length, whole.parsed.records.length);
      }
      // A reader before the open is done parses the rest first.
      const early = new ZoneDocument(text, options, true);
      early.openStep(1);
      assert.equal(json(early.syntaxDiagnostics()), json(whole.syntaxDiagnostics()));
      assert.equal(early.isOpening, false);
    }
  }
});

test("an origin change the worker's guess misses is a mismatch (the tail read with the wrong origin would differ)", () => {
  const long = Array.from({ length: 4 }, (_, i) => `l${i}${'x'.repeat(55)}`).join('.');
  const lines = ['$ORIGIN example.', '@ 300 IN SOA ns hm 1 2 3 4 5', 'ns 300 A 192.0.2.1'];
  for (let i = 0; i < 600; i++) lines.push(`a${i} 300 A 10.0.0.1`);
  lines.push(`$ORIGIN ${long}.example.`);
  // (a long relative owner: too long below the long origin, fine below example.)
  for (let i = 0; i < 3000; i++) lines.push(`${'y'.repeat(40)}${i} 300 A 10.0.0.2`);
  const text = lines.join('\n') + '\n';
  const tail = openingTail(text, {}, 0.6)!;
  assert.ok(tail, 'a tail');
  assert.notEqual(tail.state.origin, `${long}.example.`, 'the worker guessed the origin of its first chunk');
  const truth = new ZoneDocument(text, {}).syntaxDiagnostics();
  const tailDiags = tail.diagnostics;
  const truthTail = truth.filter((d) => d.start >= tail.start);
  assert.ok(truthTail.length > 0 && json(tailDiags) !== json(truthTail), 'the tail read with the guessed state differs from the whole parse');
  assert.equal(passWithTail(text, {}, structuredClone(tail), 0.6, 500), 'mismatch');
});

test('no tail for a text with $INCLUDE (its file is read through io, which a worker does not have) or too short for two chunks', () => {
  const text = zone(3, 3000, 0);
  const at = text.indexOf('\n', Math.floor(text.length * 0.8)) + 1;
  assert.equal(openingTail(text.slice(0, at) + '$INCLUDE other.zone\n' + text.slice(at), {}, 0.5), undefined);
  assert.equal(openingTail(zone(4, 100, 0), {}, 0.5), undefined);
});

/** The first pass's diagnostics, `entries` entries a step (the steps counted). */
function firstPass(text: string, options: AnalysisOptions, entries: number): { diagnostics: unknown; steps: number } {
  const pass = new FirstPass(text, options);
  for (let steps = 1; ; steps++) {
    const found = pass.step(entries);
    if (found) return { diagnostics: found, steps };
  }
}

const io: ZoneIO = {
  readFile: (p) => { if (p === '/z/inc.zone') return 'inc A 192.0.2.7\n  TXT "included"\nbad A 300.1.1.1\n'; throw new Error('no such file'); },
  resolvePath: (_from, p) => (p.startsWith('/') ? p : '/z/' + p),
  now: () => new Date('2026-06-01T00:00:00Z'),
};

test("the first publication of an open without a worker (FirstPass, records dropped) is the document's syntaxDiagnostics", () => {
  let nonEmpty = 0;
  let silenced = 0;
  for (let seed = 50; seed < 70; seed++) {
    let text = zone(seed, 1500 + (seed % 5) * 400, seed % 3 === 0 ? 0.01 : seed % 3 === 1 ? 0.002 : 0);
    const options: AnalysisOptions = seed % 4 === 3 ? { ...OPTIONS[1], io, fileName: '/z/main.zone' } : OPTIONS[seed % 2];
    if (seed % 4 === 3) {
      // an $INCLUDE read through io and one that cannot be read, in the middle of the text
      const at = text.indexOf('\n', Math.floor(text.length / 2)) + 1;
      text = text.slice(0, at) + '$INCLUDE inc.zone\n$INCLUDE missing.zone\n' + text.slice(at);
    }
    const truth = new ZoneDocument(text, options).syntaxDiagnostics();
    if (truth.length > 0) nonEmpty++;
    const all = new ZoneDocument(text, { ...options, severity: undefined }).syntaxDiagnostics();
    if (all.length > truth.length) silenced++;
    for (const entries of [1, 7, 64, 1000, 1e9]) {
      const { diagnostics, steps } = firstPass(text, options, entries);
      assert.equal(json(diagnostics), json(truth), `seed ${seed}, ${entries} entries a step`);
      if (entries === 7) assert.ok(steps > 100, `${steps} steps`);
    }
  }
  // (not vacuous: the zones have diagnostics, and some are silenced by `disable=` or `off`)
  assert.equal(nonEmpty, 20);
  assert.ok(silenced >= 5, `silenced in ${silenced}`);
});

/** The first pass with the worker's part, as the server joins them: steps of `entries` until withTail says more than 'wait'. */
function passWithTail(text: string, options: AnalysisOptions, tail: OpeningTail, fraction: number, entries: number): ReturnType<FirstPass['withTail']> {
  const pass = new FirstPass(text, options, fraction);
  assert.equal(pass.withTail(tail), 'wait');
  for (;;) {
    const own = pass.step(entries);
    const found = pass.withTail(tail);
    if (found !== 'wait') return found;
    assert.equal(own, undefined, 'the pass waits only while it has not read to the start');
  }
}

test("the first pass joined with the worker's part is the document's syntaxDiagnostics, whenever it is used", () => {
  let used = 0;
  let mismatched = 0;
  for (let seed = 80; seed < 110; seed++) {
    const text = zone(seed, 2000 + (seed % 7) * 500, seed % 3 === 0 ? 0.01 : seed % 3 === 1 ? 0.002 : 0);
    const options = OPTIONS[seed % OPTIONS.length];
    const truth = json(new ZoneDocument(text, options).syntaxDiagnostics());
    for (const fraction of [0.2, 0.55, 0.8]) {
      const tail = openingTail(text, options, fraction);
      if (!tail) continue;
      const found = passWithTail(text, options, structuredClone(tail), fraction, 1 + (seed % 5) * 40);
      if (found === 'mismatch') { mismatched++; continue; }
      used++;
      assert.equal(json(found), truth, `seed ${seed}, fraction ${fraction}`);
    }
  }
  assert.ok(used >= 40, `used ${used}, mismatched ${mismatched}`);
  assert.ok(mismatched >= 1, `used ${used}, mismatched ${mismatched}`);
});
