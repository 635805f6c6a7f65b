/**
 * Record ↔ chain matching (server/src/core/certs/match.ts) against OpenSSL's DANE vectors:
 * ../shared/conformance/openssl-dane/danetest.in, read at test time (never copied here). For
 * every block, the depth at which our matcher finds a match equals OpenSSL's expected match
 * depth (-1: no match). Verify results that come from PKIX or name checks (20, 62) are not
 * ours to judge; the association is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fromHex } from '../../server/src/core/certs/asn1';
import { loadKeyMaterial } from '../../server/src/core/certs/load';
import { matchChain, matchMaterial, matchRecord, PKIX_NOTE, RecordMatch, TlsaAssociation } from '../../server/src/core/certs/match';

const ROOT = path.join(__dirname, '..', '..', '..');
const VECTORS = path.join(ROOT, '..', 'shared', 'conformance', 'openssl-dane');
const IN = path.join(VECTORS, 'danetest.in');
const missing = fs.existsSync(IN) ? undefined : `OpenSSL DANE vectors not found at ${VECTORS} (../shared is absent): skipped`;

interface Block {
  number: number;
  line: number;
  verify: number;
  depth: number;
  records: TlsaAssociation[];
  pem: string;
}

/** danetest.in as test/danetest.c reads it: a header, TLSA-count record lines, then cert-count PEM certificates (other text skipped). */
function readVectors(text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  let i = 0;
  const header = /^(\d+) (\d+) (\d+) (-?\d+) (-?\d+)\s*$/;
  while (i < lines.length) {
    const h = header.exec(lines[i]);
    if (!h) { i++; continue; }
    const [nTlsa, nCerts, , verify, depth] = h.slice(1).map(Number);
    const block: Block = { number: blocks.length + 1, line: i + 1, verify, depth, records: [], pem: '' };
    i++;
    while (block.records.length < nTlsa) {
      const l = lines[i++].trim();
      if (l === '' || l.startsWith('#')) continue;
      const [u, s, m, hex] = l.split(/\s+/);
      const data = fromHex(hex);
      assert.ok(data, `block at line ${block.line}: bad hex`);
      block.records.push({ usage: Number(u), selector: Number(s), matchingType: Number(m), data });
    }
    let certs = 0;
    const pem: string[] = [];
    let inPem = false;
    while (certs < nCerts && i < lines.length) {
      const l = lines[i++];
      if (l.startsWith('-----BEGIN CERTIFICATE-----')) inPem = true;
      if (inPem) pem.push(l);
      if (l.startsWith('-----END CERTIFICATE-----')) { inPem = false; certs++; }
    }
    assert.equal(certs, nCerts, `block at line ${block.line}: certificates`);
    block.pem = pem.join('\n') + '\n';
    blocks.push(block);
  }
  return blocks;
}

test('OpenSSL danetest.in: every association agrees (match depth or no match)', { skip: missing }, async () => {
  const blocks = readVectors(fs.readFileSync(IN, 'utf8'));
  // danetest runs with danetest.pem (the self-signed "Root CA") as its trust store: PKIX-TA may match it.
  const store = await loadKeyMaterial(fs.readFileSync(path.join(VECTORS, 'danetest.pem')));
  assert.ok(store.ok);
  const trustStore = store.material.certificates;
  assert.equal(blocks.length, 54, 'blocks in danetest.in');
  const combos = new Set<string>();
  let matches = 0;
  let none = 0;
  const perRecord = new Map<number, RecordMatch[]>();
  for (const b of blocks) {
    const loaded = await loadKeyMaterial(new TextEncoder().encode(b.pem));
    assert.ok(loaded.ok, `block ${b.number} (line ${b.line}): ${!loaded.ok && loaded.error}`);
    const chain = loaded.material.certificates;
    const got = await matchChain(b.records, chain, { trustStore });
    perRecord.set(b.number, got.results);
    assert.equal(got.depth, b.depth, `block ${b.number} (line ${b.line}): ${b.records.map((r) => `${r.usage} ${r.selector} ${r.matchingType}`).join(', ')}: ` +
      JSON.stringify(got.results.map((r) => (r.matched ? { depth: r.depth, fromDns: r.fromDns } : r.reason))));
    for (const [k, r] of b.records.entries()) {
      combos.add(`${r.usage} ${r.selector} ${r.matchingType}`);
      const m = got.results[k];
      if (m.matched) {
        matches++;
        assert.equal(m.pkix, r.usage < 2);
        assert.equal(m.note, r.usage < 2 ? PKIX_NOTE : undefined);
      } else none++;
    }
  }
  // Block 39 is the one with two records (43-46 list two lines but their header says one, and the
  // harness reads one): the PKIX-EE leaf at 0, and the intermediate "from DNS", which signed the leaf, at 1.
  const depths = (n: number) => perRecord.get(n)?.map((m) => (m.matched ? m.depth : -1));
  assert.deepEqual(blocks.filter((b) => b.records.length > 1).map((b) => b.number), [39]);
  assert.deepEqual(depths(39), [0, 1]);
  // The file covers every usage × selector × matching type.
  assert.equal(combos.size, 4 * 2 * 3, [...combos].sort().join(' | '));
  assert.ok(matches >= 45 && none >= 7, `${matches} matches, ${none} non-matches`);
});

test('danetest.pem (the self-signed root) loads, and a trust anchor is matched only above the leaf', { skip: missing }, async () => {
  const root = await loadKeyMaterial(fs.readFileSync(path.join(VECTORS, 'danetest.pem')));
  assert.ok(root.ok);
  const c = root.material.certificates[0];
  assert.equal(c.subject, 'CN=Root CA');
  assert.equal(c.selfIssued, true);
  assert.equal(c.keyAlgorithm, 'EC P-256');
  assert.equal(c.notAfter.toISOString(), '3015-04-15T23:13:08.000Z');
  // 3 1 0 with the root's own SPKI matches a one-certificate "chain"; 2 1 0 does not match the leaf position.
  const ee = await matchRecord({ usage: 3, selector: 1, matchingType: 0, data: c.spki }, [c]);
  assert.ok(ee.matched && ee.depth === 0);
  const ta = await matchMaterial({ usage: 2, selector: 1, matchingType: 0, data: c.spki }, root.material);
  assert.ok(ta.matched && ta.fromDns && ta.depth === 0, JSON.stringify(ta)); // a self-signed root signs itself
  const none = await matchRecord({ usage: 2, selector: 1, matchingType: 1, data: new Uint8Array(32) }, [c]);
  assert.deepEqual(none, { matched: false, reason: 'the chain holds only the leaf certificate' });
  const unusable = await matchRecord({ usage: 4, selector: 1, matchingType: 1, data: new Uint8Array(32) }, [c]);
  assert.equal(unusable.matched, false);
  assert.equal(!unusable.matched && unusable.unusable, true);
});
