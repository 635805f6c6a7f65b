import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeAction, CodeActionKind, CodeActionRequest, TextDocumentEdit, TextEdit } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { withServer } from './client';

/**
 * `missing-ttl` quick fixes through the real server: the diagnostic carries no fix data (the
 * parser makes it), the server computes the fixes from the parse (core/features/ttlFixes.ts).
 * The action's edit applied to the zone, the whole text compared; then the warning goes.
 */

const CODE_ACTIONS = {
  textDocument: { codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: [CodeActionKind.QuickFix] } }, isPreferredSupport: true } },
  workspace: { workspaceEdit: { documentChanges: true } },
};

test('missing-ttl: the quick fix adds `$TTL 3600` at the top (first record without a TTL) or writes the inherited TTL; applied, the warning goes', async () => {
  await withServer(CODE_ACTIONS, async (c) => {
    const uri = 'file:///zones/missing-ttl.zone';
    const text = '; fixture\n$ORIGIN e2e.example.\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ 3600 NS ns1\nns1 A 192.0.2.1\n';
    await c.open(uri, text);
    const diags = (await c.diagnostics(uri, (d) => d.filter((x) => x.code === 'missing-ttl').length === 2)).filter((x) => x.code === 'missing-ttl');
    const actionsFor = async (i: number) => (await c.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: diags[i].range, context: { diagnostics: [diags[i]], only: [CodeActionKind.QuickFix] },
    })) as CodeAction[];
    const apply = (a: CodeAction) => {
      const change = a.edit!.documentChanges![0] as TextDocumentEdit;
      assert.deepEqual(change.textDocument, { uri, version: 1 });
      return TextDocument.applyEdits(TextDocument.create(uri, 'dns-zone', 1, text), change.edits as TextEdit[]);
    };
    // The SOA: nothing before it has a TTL.
    const soa = await actionsFor(0);
    assert.deepEqual(soa.map((a) => [a.kind, a.title, a.isPreferred]), [
      ['quickfix', 'Add `$TTL 3600` at the top of the file (the TTL of every record without one)', true],
      ['quickfix', 'Write a TTL (3600) on this record', undefined],
    ]);
    assert.deepEqual(soa[0].diagnostics, [diags[0]]);
    // ns1 inherits 3600 from the NS record: `$TTL 3600` gives it the same TTL, so the fix is offered.
    const top = apply(soa[0]);
    assert.equal(top, '; fixture\n$TTL 3600\n$ORIGIN e2e.example.\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ 3600 NS ns1\nns1 A 192.0.2.1\n');
    // ns1 inherits 3600 from the NS record: written on it.
    const ns1 = await actionsFor(1);
    assert.deepEqual(ns1.map((a) => a.title), ['Write the TTL this record inherits from the previous one (3600) on it']);
    const fixed = apply(ns1[0]);
    assert.equal(fixed, '; fixture\n$ORIGIN e2e.example.\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ 3600 NS ns1\nns1 3600 A 192.0.2.1\n');
    await c.change(uri, [{ text: fixed }]);
    await c.diagnostics(uri, (d, p) => p.version === 2 && d.filter((x) => x.code === 'missing-ttl').length === 1);
  });
});
