import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZoneDocument } from '../../server/src/core/document';
import { analyzeZone } from '../../server/src/core/analysis';
import { ZoneDiagnostic } from '../../server/src/core/types';

const now = new Date('2026-01-01T00:00:00Z');
const key = (d: ZoneDiagnostic) => `${d.start}-${d.end} ${d.code} ${d.severity} ${d.message}`;
const sorted = (ds: ZoneDiagnostic[]) => ds.map(key).sort();

function zone(n: number): string {
  let s = '$ORIGIN example.com.\n$TTL 300\n@ SOA ns hm 1 2 3 4 5\n';
  for (let i = 0; i < n; i++) {
    s += `h${i} A 192.0.2.${i % 250}\n AAAA 2001:db8::${i.toString(16)}\n`;
    if (i % 7 === 0) s += `c${i} CNAME h${i}\n`;
    if (i % 11 === 0) s += `m${i} MX 10 ( h${i}\n  ) ; multi-line\n`;
  }
  return s;
}

/** The incremental document must always agree with a fresh analysis of the same text. */
function assertAgrees(doc: ZoneDocument, label: string) {
  const fresh = analyzeZone(doc.text, { now });
  assert.deepEqual(sorted(doc.diagnostics()), sorted(fresh.diagnostics), label);
  assert.equal(doc.parsed.records.length, fresh.parsed.records.length, label);
}

test('edits far apart re-join old chunks and agree with a full re-analysis', () => {
  const doc = new ZoneDocument(zone(2000), { now });
  assertAgrees(doc, 'initial');
  const edits: [string, string][] = [
    ['h10 A 192.0.2.10\n', 'h10 A 192.0.2.999\n'], // invalid address
    ['h1500 A', 'h1500 600 A'], // TTL mismatch with its RRset? (single A: none) and new span
    ['c700 CNAME h700\n', 'c700 CNAME h700\nc700 A 192.0.2.1\n'], // CNAME and other data
    ['$TTL 300\n', '$TTL 300\n( \n'], // unbalanced parenthesis near the top: re-parse to the end
    ['$TTL 300\n( \n', '$TTL 300\n'],
    ['h1999', 'h1999.other.net.'], // out of zone at the end
  ];
  for (const [from, to] of edits) {
    const at = doc.text.indexOf(from);
    assert.ok(at >= 0, from);
    doc.update([{ start: at, end: at + from.length, text: to }]);
    assertAgrees(doc, `after ${JSON.stringify(to)}`);
  }
});

test('random single-character edits agree with a full re-analysis', () => {
  const doc = new ZoneDocument(zone(300), { now });
  let seed = 42;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const alphabet = ['\n', ' ', '(', ')', ';', '"', 'A', '1', '.', 'x', '$', '\\'];
  for (let k = 0; k < 200; k++) {
    const len = doc.text.length;
    const start = rnd(len + 1);
    const del = rnd(3);
    const ins = rnd(2) ? alphabet[rnd(alphabet.length)] : '';
    doc.update([{ start, end: Math.min(len, start + del), text: ins }]);
    if (k % 20 === 19) assertAgrees(doc, `edit ${k}`);
  }
  assertAgrees(doc, 'final');
});

test('DANE diagnostics follow edits: re-checked when TLSA/MX facts change, moved otherwise', () => {
  const base = '$ORIGIN example.com.\n$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ MX 10 mx1\n@ MX 20 mx2\nmx1 A 192.0.2.1\nmx2 A 192.0.2.2\n' +
    '_25._tcp.mx1 TLSA 3 1 1 ' + 'ab'.repeat(32) + '\n' + 'filler TXT "x"\n'.repeat(600) +
    '; dane-zone disable=tlsa-orphan\n_25._tcp.nowhere TLSA 3 1 1 ' + 'cd'.repeat(32) + '\n';
  const doc = new ZoneDocument(base, { now });
  assertAgrees(doc, 'initial');
  const steps: [string, string][] = [
    ['filler TXT "x"\n', 'filler TXT "y"\n'], // unrelated edit: DANE results only move
    ['@ MX 20 mx2\n', ''], // MX removed: coverage changes
    ['3 1 1 ab', '1 1 1 ab'], // PKIX usage at _25._tcp
    ['; dane-zone disable=tlsa-orphan\n', ''], // the disabled code comes back
    ['$TTL 300\n', '$TTL 300\n; dane-zone dnssec=signed\n'], // signed by directive
  ];
  for (const [from, to] of steps) {
    const at = doc.text.indexOf(from);
    assert.ok(at >= 0, from);
    doc.update([{ start: at, end: at + from.length, text: to }]);
    assertAgrees(doc, `after ${JSON.stringify(to)}`);
  }
});
