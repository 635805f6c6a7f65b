/**
 * The lexer's native searches (EntryScan.find) stay linear in a document that is parsed chunk by
 * chunk over one text. Each chunk is its own `parseRange`; if what a search found ahead were
 * forgotten between them, every chunk's first search for a backslash (a zone usually has none)
 * would run to the end of the text: ~15,600 times over the 54 MB bench zone, 28–45 s instead of
 * ~1 s (found in session 10, fixed in f3b7301). Counted on `work.searched`, not timed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZoneDocument } from '../../server/src/core/document';
import { work } from '../../server/src/core/work';

function mailZone(owners: number): string {
  const lines = ['$ORIGIN example.com.', '$TTL 3600', '@ IN SOA ns1 hostmaster 1 7200 900 1209600 300', '@ IN NS ns1', 'ns1 IN A 192.0.2.1'];
  for (let i = 0; i < owners; i++) {
    lines.push(`h${i} IN A 192.0.2.${i % 250} ; host ${i}`);
    lines.push(`h${i} IN TXT "v=spf1 mx -all" "customer ${i}"`);
  }
  return lines.join('\n') + '\n';
}

function searchedBy(run: () => number): { searched: number; records: number } {
  const before = work.searched;
  const records = run();
  return { searched: work.searched - before, records };
}

for (const sliced of [false, true]) {
  test(`a document parsed chunk by chunk${sliced ? ' in slices (the language server\'s open)' : ''} searches its text a bounded number of times over`, () => {
    const text = mailZone(10_000);
    const { searched, records } = searchedBy(() => {
      const doc = new ZoneDocument(text, {}, sliced);
      while (sliced && doc.openStep(3)) { /* three chunks a slice */ }
      doc.syntaxDiagnostics();
      return doc.parsed.records.length;
    });
    assert.equal(records, 20_003);
    assert.ok(searched > 0, 'the quoted strings and comments were read with the native searches');
    // Linear: each character is searched over a few times (one slot per character looked for).
    assert.ok(searched <= 6 * text.length, `searched ${searched} characters of a ${text.length}-character text`);
  });
}
