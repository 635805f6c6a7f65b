import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../server/src/core/lineIndex';
import { toDiagnostic, toDocumentSymbol } from '../../server/src/lsp/convert';
import { analysisSettings, defaultSettings, sanitizeSettings } from '../../server/src/lsp/settings';

/** The core → LSP conversions, without a server process. */

test('diagnostics keep code, severity, source, RFC link and data; included files are named', () => {
  const text = '$TTL 60\n$INCLUDE sub.zone\n';
  const lines = new LineIndex(text);
  const d = toDiagnostic(lines, {
    code: 'tlsa-mnemonic', severity: 'error', start: 8, end: 16, message: 'use 3', data: { replace: '3' },
  });
  assert.deepEqual(d, {
    range: { start: { line: 1, character: 0 }, end: { line: 1, character: 8 } },
    severity: 1,
    code: 'tlsa-mnemonic',
    source: 'dane-zone',
    message: 'use 3',
    codeDescription: { href: 'https://www.rfc-editor.org/rfc/rfc7218#section-2' },
    data: { replace: '3' },
  });
  const inc = toDiagnostic(lines, { code: 'made-up', severity: 'hint', start: 8, end: 8, message: 'odd', includedFrom: '/z/sub.zone' });
  assert.equal(inc.message, 'in /z/sub.zone: odd');
  assert.equal(inc.severity, 4);
  assert.equal(inc.codeDescription, undefined);
  assert.deepEqual(inc.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } });
  // A message that already names the file is left alone.
  assert.equal(toDiagnostic(lines, { code: 'x', severity: 'warning', start: 0, end: 1, message: '/z/sub.zone:2: bad', includedFrom: '/z/sub.zone' }).message, '/z/sub.zone:2: bad');
});

test('document symbols: a selection outside the range falls back to the range start; empty names never leave', () => {
  const lines = new LineIndex('abc\ndef\n');
  const s = toDocumentSymbol(lines, { name: '', detail: '', kind: 'owner', span: { start: 4, end: 7 }, selection: { start: 0, end: 1 }, children: [] });
  assert.equal(s.name, '?');
  assert.deepEqual(s.selectionRange, { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } });
  assert.equal(s.children, undefined);
});

test('settings: valid parts kept, the rest reported', () => {
  const problems: string[] = [];
  const s = sanitizeSettings({ severity: { a: 'Warn', b: 'off', c: 'loud', d: 3 }, diagnosticsDelay: 99999 }, problems);
  // Against the defaults, so that a new setting does not break this test.
  assert.deepEqual(s, { ...defaultSettings(), severity: { a: 'warning', b: 'off' }, diagnosticsDelay: 10000 });
  assert.deepEqual(defaultSettings().inlayHints, { enabled: true });
  assert.deepEqual(defaultSettings().tlsa, { maxTtl: 3600 });
  assert.equal(problems.length, 2);
  assert.deepEqual(sanitizeSettings(null), { ...defaultSettings(), severity: {}, diagnosticsDelay: 200 });
  assert.deepEqual(sanitizeSettings('nope', problems).diagnosticsDelay, 200);
  assert.deepEqual(sanitizeSettings({ diagnosticsDelay: -1 }, problems).diagnosticsDelay, 200);
});

test('settings: dnssec and tlsa.maxTtl are read and checked', () => {
  const problems: string[] = [];
  const s = sanitizeSettings({ dnssec: 'inline', tlsa: { maxTtl: 600 } }, problems);
  assert.equal(s.dnssec, 'inline');
  assert.equal(s.tlsa.maxTtl, 600);
  assert.equal(sanitizeSettings({ dnssec: 'auto' }).dnssec, undefined);
  const bad: string[] = [];
  const t = sanitizeSettings({ dnssec: 'maybe', tlsa: { maxTtl: -1 } }, bad);
  assert.equal(t.dnssec, undefined);
  assert.equal(t.tlsa.maxTtl, 3600);
  assert.equal(bad.length, 2);
  assert.deepEqual(problems, []);
});

test('settings (issue 16/12): the renamed keys DNSSEC, DNSSECExpiryWarningDays, TLSAMaxTTL are read; the old keys are read when the new one is absent; the new one wins', () => {
  const problems: string[] = [];
  const s = sanitizeSettings({ DNSSEC: 'inline', DNSSECExpiryWarningDays: 2, TLSAMaxTTL: 600 }, problems);
  assert.deepEqual([s.dnssec, s.expiryWarningDays, s.tlsa.maxTtl], ['inline', 2, 600]);
  assert.deepEqual(problems, []);
  // Old keys only (other editors' configurations, settings from before the rename).
  const old = sanitizeSettings({ dnssec: 'unsigned', dnssecExpiryWarningDays: 3, tlsa: { maxTtl: 900 } });
  assert.deepEqual([old.dnssec, old.expiryWarningDays, old.tlsa.maxTtl], ['unsigned', 3, 900]);
  assert.equal(sanitizeSettings({ 'tlsa.maxTtl': 60 }).tlsa.maxTtl, 60);
  // Both: the new key wins (VS Code sends both, the new one already holding the old value when only that was set).
  const both = sanitizeSettings({ DNSSEC: 'auto', dnssec: 'signed', DNSSECExpiryWarningDays: 5, dnssecExpiryWarningDays: 1, TLSAMaxTTL: 7200, tlsa: { maxTtl: 60 } });
  assert.deepEqual([both.dnssec, both.expiryWarningDays, both.tlsa.maxTtl], [undefined, 5, 7200]);
  // The nested old form of the expiry window still leaves DNSSEC to the new key.
  assert.equal(sanitizeSettings({ DNSSEC: 'signed', dnssec: { expiryWarningDays: 1 } }).dnssec, 'signed');
  const bad: string[] = [];
  sanitizeSettings({ DNSSEC: 'maybe', TLSAMaxTTL: 1.5, DNSSECExpiryWarningDays: -1 }, bad);
  assert.deepEqual(bad.map((b) => b.split(':')[0]), ['daneZone.DNSSECExpiryWarningDays', 'daneZone.DNSSEC', 'daneZone.TLSAMaxTTL']);
});

test('settings: the RRSIG expiry window (dnssecExpiryWarningDays, or dnssec.expiryWarningDays from other clients) reaches the analysis options', () => {
  assert.equal(defaultSettings().expiryWarningDays, 7);
  assert.equal(analysisSettings(defaultSettings()).rrsigExpiryWindowSeconds, 7 * 86400);
  assert.equal(sanitizeSettings({ dnssecExpiryWarningDays: 3 }).expiryWarningDays, 3);
  assert.equal(sanitizeSettings({ 'dnssec.expiryWarningDays': 2 }).expiryWarningDays, 2);
  const nested = sanitizeSettings({ dnssec: { expiryWarningDays: 1 } });
  assert.equal(nested.expiryWarningDays, 1);
  assert.equal(nested.dnssec, undefined);
  const bad: string[] = [];
  assert.equal(sanitizeSettings({ dnssecExpiryWarningDays: 'soon' }, bad).expiryWarningDays, 7);
  assert.equal(bad.length, 1);
});

test('settings: certificates.hosts, certificates.expiryDays and live.resolver are read and checked', () => {
  const d = defaultSettings();
  assert.deepEqual(d.certificates, { hosts: {}, expiryDays: 30 });
  assert.deepEqual(d.live, {});
  const problems: string[] = [];
  const s = sanitizeSettings({
    certificates: { hosts: { 'mx1.example.com': '/etc/ssl/{host}.pem', '*.example.com': { cert: 'a.pem', next: 'b.key' }, '*': { next: 'n.pub' } }, expiryDays: 14 },
    live: { resolver: ' 127.0.0.1:5353 ' },
  }, problems);
  assert.deepEqual(problems, []);
  assert.deepEqual(s.certificates, {
    hosts: { 'mx1.example.com': '/etc/ssl/{host}.pem', '*.example.com': { cert: 'a.pem', next: 'b.key' }, '*': { next: 'n.pub' } },
    expiryDays: 14,
  });
  assert.equal(s.live.resolver, '127.0.0.1:5353');
  // Dotted keys, as a hand-configured client sends them.
  assert.equal(sanitizeSettings({ 'certificates.expiryDays': 7, 'live.resolver': '[::1]:53' }).certificates.expiryDays, 7);
  assert.equal(sanitizeSettings({ 'live.resolver': '[::1]:53' }).live.resolver, '[::1]:53');
  // Bad values: the valid parts kept, one problem each.
  const bad: string[] = [];
  const t = sanitizeSettings({
    certificates: { hosts: { 'a.example': 3, 'b.example': { cert: '' , extra: 1 }, '': 'x.pem', 'c.example': 'ok.pem' }, expiryDays: -1 },
    live: { resolver: 'dns.google' },
  }, bad);
  assert.deepEqual(t.certificates, { hosts: { 'c.example': 'ok.pem' }, expiryDays: 30 });
  assert.equal(t.live.resolver, undefined);
  assert.equal(bad.length, 5, bad.join('\n'));
  assert.equal(sanitizeSettings({ certificates: { hosts: ['x'] } }, bad).certificates.hosts['0'], undefined);
  assert.equal(sanitizeSettings({ live: { resolver: '' } }).live.resolver, undefined, 'empty: the system resolver');
});
