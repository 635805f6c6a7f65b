import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { fileURLToPath } from 'node:url';
import { uriToPath } from '../../server/src/lsp/uri';
import { parseResolver } from '../../server/src/live/address';
import { resolveUri, uriInside } from '../../server/src/browser/io';

/**
 * What the LSP layer lost when it stopped importing Node modules (so it bundles for the Web
 * Worker): uriToPath without node:url, the resolver address without node:net — each compared
 * with the Node function it replaces; and the browser host's URI names.
 */

test('uriToPath gives what node:url fileURLToPath gives (undefined where it throws)', () => {
  const uris = ['file:///a/b%20c.zone', 'file:///a/%E2%82%AC.zone', 'file://localhost/x', 'file://host/x', 'file:///a%2Fb', 'file:///a%2fb',
    'file:///a/%25', 'file:///a/b?q#h', 'file:///', 'file:///tmp/x%5Cy.zone', 'file:///%E0%A4%A', 'file:///a/../b.zone'];
  for (const u of uris) {
    let want: string | undefined;
    try { want = fileURLToPath(u); } catch { want = undefined; }
    assert.equal(uriToPath(u), want, u);
  }
  for (const u of ['untitled:Untitled-1', 'vscode-vfs://github/o/r/x.zone', 'not a uri']) assert.equal(uriToPath(u), undefined, u);
});

test('parseResolver (no node:net) accepts and refuses what the node:net version did', () => {
  const legacy = (text: string) => {
    let host = text.trim();
    let port = 53;
    const br = /^\[([^\]]+)\](?::(\d+))?$/.exec(host);
    if (br) { host = br[1]; if (br[2] !== undefined) port = Number(br[2]); } else if (!net.isIPv6(host)) {
      const m = /^([^:]+):(\d+)$/.exec(host);
      if (m) { host = m[1]; port = Number(m[2]); }
    }
    if (!net.isIP(host.replace(/%.*$/, '')) || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
    return { host, port };
  };
  const cases = ['1.2.3.4', '1.2.3.4:53', '[::1]:5353', '::1', 'fe80::1%eth0', '01.2.3.4', '1.2.3', '::ffff:1.2.3.4', '[1.2.3.4]:5', 'host:53',
    '1.2.3.4:0', '1.2.3.4:70000', '2001:db8::53', ' 1.2.3.4 ', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', '[fe80::1%25eth0]', '256.1.1.1', '', ':::', '[::1]:'];
  for (const c of cases) assert.deepEqual(parseResolver(c), legacy(c), JSON.stringify(c));
});

test('browser host: relative links resolve against the document URI; % # ? stay part of the name; confinement by folder URI', () => {
  const doc = 'vscode-remote://127.0.0.1:8080/home/u/zones/example.com.zone';
  assert.equal(resolveUri(doc, 'certs/mx1.pem'), 'vscode-remote://127.0.0.1:8080/home/u/zones/certs/mx1.pem');
  assert.equal(resolveUri(doc, '../ca/int.pem'), 'vscode-remote://127.0.0.1:8080/home/u/ca/int.pem');
  assert.equal(resolveUri(doc, '/etc/ssl/mx.pem'), 'vscode-remote://127.0.0.1:8080/etc/ssl/mx.pem');
  assert.equal(resolveUri('vscode-vfs://github/o/r/z.zone', 'a b#1?.pem'), 'vscode-vfs://github/o/r/a%20b%231%3F.pem');
  assert.equal(resolveUri(doc, 'vscode-vfs://github/o/r/c.pem'), 'vscode-vfs://github/o/r/c.pem');
  const folder = 'vscode-vfs://github/o/r';
  assert.ok(uriInside('vscode-vfs://github/o/r/certs/a.pem', folder));
  assert.ok(!uriInside('vscode-vfs://github/o/r/../other/a.pem', folder));
  assert.ok(!uriInside('vscode-vfs://github/o/rx/a.pem', folder));
});
