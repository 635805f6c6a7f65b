/**
 * The parse for diagnostics only (ZoneParser.dropRecords, the open's first pass and its worker's
 * part: core/documentOpening.ts) against the parse that makes records:
 *   - on seeded zones (document-opening's, and variants without $ORIGIN/$TTL and with more
 *     state-dependent lines; some with $INCLUDE through io), it gives the same diagnostics,
 *     directives and `dane-zone` comments, and the same scan state before every entry and at the
 *     end; it makes no record, calls no `onRecord` and keeps no comment;
 *   - FirstPass on those zones is the document's syntaxDiagnostics();
 *   - a parse that keeps records, run in slices between a diagnostics-only one's slices (the
 *     shared wire slab: the diagnostics-only parse writes wire forms it does not take), keeps the
 *     wire forms it has alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyZone, initialState, parseZone, ScanState, ZoneParser } from '../../server/src/core/parser';
import { ParsedZone, ZoneRecord } from '../../server/src/core/model';
import { ZoneDocument } from '../../server/src/core/document';
import { FirstPass } from '../../server/src/core/documentOpening';
import { ZoneIO } from '../../server/src/core/types';
import { AnalysisOptions } from '../../server/src/core/pipeline/stage';
import { zone, ZoneVariant } from '../support/seededZones';

const json = (x: unknown) => JSON.stringify(x);

/** The lists equal item by item (as JSON); a difference reported at its first item (a diff of two long strings would take minutes). */
function same(actual: readonly unknown[], expected: readonly unknown[], what: string): void {
  for (let i = 0; i < Math.min(actual.length, expected.length); i++) {
    const a = json(actual[i]);
    const e = json(expected[i]);
    if (a !== e) assert.fail(`${what}: item ${i} of ${expected.length} differs:\n  ${a}\n  ${e}`);
  }
  if (actual.length !== expected.length) assert.fail(`${what}: ${actual.length} items, not ${expected.length}`);
}

const io: ZoneIO = {
  readFile: (p) => {
    // (blank owners and no TTL in the included file: the state it is read with and leaves matters)
    if (p === '/z/inc.zone') return '\tA 192.0.2.8\ninc A 192.0.2.7\n  TXT "included"\nbad A 300.1.1.1\nbad..x A 1.1.1.1\n\tA 1.1.1.2\n$TTL 5\nlast 9 CH A 1.2.3.4\n';
    throw new Error('no such file');
  },
  resolvePath: (_from, p) => (p.startsWith('/') ? p : '/z/' + p),
  now: () => new Date('2026-06-01T00:00:00Z'),
};

const VARIANTS: ZoneVariant[] = [{}, { more: true }, { bare: true }, { bare: true, more: true }];

/** The seeded zones of these tests: text and options. */
function cases(): { name: string; text: string; options: AnalysisOptions }[] {
  const out: { name: string; text: string; options: AnalysisOptions }[] = [];
  for (let seed = 200; seed < 224; seed++) {
    const variant = VARIANTS[seed % VARIANTS.length];
    let text = zone(seed, 800 + (seed % 5) * 300, seed % 3 === 0 ? 0.01 : seed % 3 === 1 ? 0.002 : 0, variant);
    let options: AnalysisOptions = seed % 2 ? { severity: { 'invalid-rdata': 'off', 'missing-ttl': 'error' }, fileName: '/z/a.zone' } : {};
    if (seed % 6 === 5) {
      // $INCLUDEs read through io (one with its own origin) and one that cannot be read
      options = { ...options, io, fileName: '/z/main.zone' };
      const at = text.indexOf('\n', Math.floor(text.length / 3)) + 1;
      const at2 = text.indexOf('\n', Math.floor((2 * text.length) / 3)) + 1;
      text = text.slice(0, at) + '$INCLUDE inc.zone\n\tA 10.0.0.3\n$INCLUDE missing.zone\n' + text.slice(at, at2) + '$INCLUDE inc.zone sub.example.\n\tMX 1 m\n' + text.slice(at2);
    }
    out.push({ name: `seed ${seed} ${json(variant)}`, text, options });
  }
  return out;
}

/** A parse of `text` from the start, noting the scan state before every entry (and at the end). */
function parse(text: string, options: AnalysisOptions, dropRecords: boolean): { zone: ParsedZone; states: string[]; handed: number } {
  const out = emptyZone();
  let handed = 0;
  // (what the first pass did before: records handed to a callback that drops them)
  const parser = new ZoneParser(text, { ...options, onRecord: () => { handed++; } }, out, options.fileName ? [options.fileName] : []);
  parser.dropRecords = dropRecords;
  const state: ScanState = initialState(options);
  const states: string[] = [];
  parser.parseRange(0, text.length, state, (p, before) => { states.push(`${p} ${json(before)}`); });
  states.push(json(state));
  return { zone: out, states, handed };
}

const directives = (z: ParsedZone) => z.directives.map((d) => [d.name, d.start, d.end, d.args.map((a) => a.text)]);

test('a parse for diagnostics only gives the diagnostics, directives and scan states of one that makes records', () => {
  let diagnostics = 0;
  const codes = new Set<string>();
  for (const { name, text, options } of cases()) {
    const kept = parse(text, options, false);
    const dropped = parse(text, options, true);
    assert.ok(kept.handed > 0);
    assert.equal(dropped.handed, 0, `${name}: no record handed on`);
    assert.equal(dropped.zone.records.length, 0, `${name}: no record kept`);
    assert.equal(dropped.zone.comments.length, 0, `${name}: no comment kept`);
    same(dropped.zone.diagnostics, kept.zone.diagnostics, `${name}: diagnostics`);
    same(dropped.zone.daneDirectives, kept.zone.daneDirectives, `${name}: dane-zone comments`);
    same(directives(dropped.zone), directives(kept.zone), `${name}: directives`);
    same(dropped.states, kept.states, `${name}: the states before each entry`);
    // ... and those of a whole parse that keeps its records
    same(dropped.zone.diagnostics, parseZone(text, options).diagnostics, `${name}: diagnostics of parseZone`);
    diagnostics += kept.zone.diagnostics.length;
    for (const d of kept.zone.diagnostics) codes.add(d.code);
  }
  // (not vacuous: the diagnostics that depend on the state the records before left are there)
  for (const code of ['missing-owner', 'missing-ttl', 'syntax', 'invalid-name', 'invalid-ttl', 'ttl-too-large', 'unknown-type', 'include-unresolved', 'invalid-rdata']) {
    assert.ok(codes.has(code), `a ${code} diagnostic among ${[...codes].join(', ')}`);
  }
  assert.ok(diagnostics > 2000, `${diagnostics} diagnostics`);
});

test("FirstPass (diagnostics only) is the document's syntaxDiagnostics on the variants' zones", () => {
  for (const { name, text, options } of cases()) {
    const truth = new ZoneDocument(text, options).syntaxDiagnostics();
    for (const entries of [3, 500, 1e9]) {
      const pass = new FirstPass(text, options);
      let found;
      while ((found = pass.step(entries)) === undefined) { /* next slice */ }
      same(found, truth, `${name}, ${entries} entries a step`);
    }
  }
});

const hex = (r: ZoneRecord) => (r.wire ? Buffer.from(r.wire.buffer, r.wire.byteOffset, r.wire.byteLength).toString('hex') : '-');

test("a parse that keeps records, in slices between a diagnostics-only parse's, keeps the wire forms it makes alone", () => {
  const all = cases();
  for (let i = 0; i < all.length; i++) {
    const a = all[i];
    const b = all[(i + 1) % all.length];
    const alone = parseZone(a.text, a.options).records.map(hex);
    const kept = emptyZone();
    const keeper = new ZoneParser(a.text, a.options, kept, []);
    const dropper = new ZoneParser(b.text, b.options, emptyZone(), []);
    dropper.dropRecords = true;
    const sa = initialState(a.options);
    const sb = initialState(b.options);
    let pa = 0;
    let pb = 0;
    for (let slice = 1 + (i % 7); pa < a.text.length; ) {
      let n = 0;
      pa = keeper.parseRange(pa, a.text.length, sa, () => ++n <= slice);
      n = 0;
      if (pb < b.text.length) pb = dropper.parseRange(pb, b.text.length, sb, () => ++n <= 3 * slice);
    }
    const wires = kept.records.map(hex);
    assert.ok(wires.filter((w) => w !== '-').length > 100);
    same(wires, alone, `${a.name} between ${b.name}`);
  }
});
