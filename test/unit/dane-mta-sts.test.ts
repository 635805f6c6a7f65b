/**
 * MTA-STS and TLS-RPT beside DANE (server/src/core/dane/mtaSts.ts): mta-sts-record,
 * tlsrpt-record, tlsrpt-missing, the `; dane-zone mta-sts=PATH` policy file's `mx:` coverage,
 * and the hover on each tag. Diagnostic, range and message for each.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hover } from '../../server/src/core/features/hover';
import { mxPatternMatches } from '../../server/src/core/dane/mtaSts';
import { parseZone } from '../../server/src/core/parser';
import { ZoneIO } from '../../server/src/core/types';
import { D1, D2, daneFinders, zone } from './dane-fixtures';

const { at, all, found, first } = daneFinders(new Date('2026-12-02T10:00:00Z'));
/** The fixture zone without its TLS-RPT record. */
const bare = (...lines: string[]) => zone(...lines).replace(/^_smtp\._tls TXT.*\n/m, '');

test('mta-sts-record: a missing or empty id, a bad id, a second record, a record that is not MTA-STS', () => {
  const good = zone('_mta-sts TXT "v=STSv1; id=20261202T101400"');
  assert.deepEqual(found(good, 'mta-sts-record'), []);
  const empty = zone('_mta-sts TXT "v=STSv1; id="');
  assert.deepEqual(found(empty, 'mta-sts-record'), ['error id=']);
  assert.match(first(empty, 'mta-sts-record').message, /`id=` is empty: it must be 1 to 32 letters or digits \(RFC 8461 §3.1\)/);
  const none = zone('_mta-sts TXT "v=STSv1;"');
  assert.deepEqual(found(none, 'mta-sts-record'), ['error v=STSv1;']);
  assert.match(first(none, 'mta-sts-record').message, /no `id=` field/);
  const dashed = zone('_mta-sts TXT "v=STSv1; id=2026-12-02"');
  assert.deepEqual(found(dashed, 'mta-sts-record'), ['error id=2026-12-02']);
  const two = zone('_mta-sts TXT "v=STSv1; id=a1"', '_mta-sts TXT "v=STSv1; id=b2"');
  assert.deepEqual(found(two, 'mta-sts-record'), ['error v=STSv1; id=b2']);
  assert.match(first(two, 'mta-sts-record').message, /a second `v=STSv1` record .*senders ignore them all/);
  const other = zone('_mta-sts TXT "google-site-verification=abc"');
  assert.deepEqual(found(other, 'mta-sts-record'), ['error google-site-verification=abc']);
  // split into two strings: joined, then checked (the range is the whole RDATA)
  const split = zone('_mta-sts TXT "v=STSv1; " "id="');
  assert.deepEqual(found(split, 'mta-sts-record'), ['error "v=STSv1; " "id="']);
});

test('tlsrpt-record: rua must be mailto: or https: URIs; no rua; two records', () => {
  assert.deepEqual(found(bare('_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://reports.example.net/tlsrpt"'), 'tlsrpt-record'), []);
  const ftp = bare('_smtp._tls TXT "v=TLSRPTv1; rua=ftp://reports.example.com"');
  assert.deepEqual(found(ftp, 'tlsrpt-record'), ['error ftp://reports.example.com']);
  assert.match(first(ftp, 'tlsrpt-record').message, /is not a `mailto:` or `https:` URI/);
  const noDomain = bare('_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tlsrpt"');
  assert.deepEqual(found(noDomain, 'tlsrpt-record'), ['error mailto:tlsrpt']);
  const norua = bare('_smtp._tls TXT "v=TLSRPTv1;"');
  assert.match(first(norua, 'tlsrpt-record').message, /no `rua=` field/);
  const two = bare('_smtp._tls TXT "v=TLSRPTv1; rua=mailto:a@example.com"', '_smtp._tls TXT "v=TLSRPTv1; rua=mailto:b@example.com"');
  assert.deepEqual(found(two, 'tlsrpt-record'), ['error v=TLSRPTv1; rua=mailto:b@example.com']);
});

test('tlsrpt-missing: TLSA records for the MX hosts but no TLS-RPT record', () => {
  const z = zone(`_25._tcp.mx1 TLSA 3 1 1 ${D1}`, `_25._tcp.mx1 TLSA 3 1 1 ${D2}`).replace(/^_smtp\._tls TXT.*\n/m, '');
  assert.deepEqual(found(z, 'tlsrpt-missing'), ['information @']);
  assert.match(first(z, 'tlsrpt-missing').message, /example.com. publishes DANE for its MX host but has no TLS-RPT record.*_smtp._tls.example.com. TXT "v=TLSRPTv1; rua=mailto:tlsrpt@example.com"/);
  assert.deepEqual(found(z + '_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tlsrpt@example.com"\n', 'tlsrpt-missing'), []);
  // no DANE (no TLSA, or an unsigned zone where tlsa-unsigned-zone says it): nothing
  assert.deepEqual(found(zone().replace(/^_smtp\._tls TXT.*\n/m, ''), 'tlsrpt-missing'), []);
  assert.deepEqual(found(z.replace('; dane-zone dnssec=signed\n', ''), 'tlsrpt-missing'), []);
});

test('; dane-zone mta-sts=PATH: the policy must parse and its mx: patterns cover every MX host', () => {
  const files: Record<string, string> = {
    '/z/mta-sts.txt': 'version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 86400\n',
    '/z/wild.txt': 'version: STSv1\r\nmode: enforce\r\nmx: *.example.com\r\nmax_age: 86400\r\n',
    '/z/bad.txt': 'version: STSv1\nmode: strict\nmx: mx1.example.com\n',
  };
  const io: ZoneIO = {
    readFile: (p) => { if (!(p in files)) throw new Error('ENOENT: no such file'); return files[p]; },
    resolvePath: (_f, p) => (p.startsWith('/') ? p : `/z/${p}`),
    now: () => new Date('2026-12-02T10:00:00Z'),
  };
  const opts = { io, fileName: '/z/example.com.zone' };
  const z = (file: string) => zone('@ MX 20 mx2', 'mx2 A 192.0.2.2', `; dane-zone mta-sts=${file}`, '_mta-sts TXT "v=STSv1; id=1"');
  assert.deepEqual(found(z('mta-sts.txt'), 'mta-sts-record', opts), ['error mx2']);
  assert.match(first(z('mta-sts.txt'), 'mta-sts-record', opts).message,
    /MX host mx2.example.com. matches no `mx:` pattern of the MTA-STS policy mta-sts.txt \(mx1.example.com\): in `enforce` mode senders refuse to deliver to it; add `mx: mx2.example.com`/);
  assert.deepEqual(found(z('wild.txt'), 'mta-sts-record', opts), []);
  assert.deepEqual(found(z('bad.txt'), 'mta-sts-record', opts), ['error mta-sts=bad.txt']);
  assert.match(first(z('bad.txt'), 'mta-sts-record', opts).message, /`mode:` must be `enforce`, `testing` or `none`; `max_age:` must be/);
  assert.deepEqual(found(z('gone.txt'), 'mta-sts-record', opts), ['warning mta-sts=gone.txt']);
  assert.match(first(z('gone.txt'), 'mta-sts-record', opts).message, /\/z\/gone.txt cannot be read: ENOENT/);
  // without file access (an untrusted workspace), the link is not followed
  assert.deepEqual(found(z('mta-sts.txt'), 'mta-sts-record'), []);
  assert.equal(mxPatternMatches('*.example.com', 'mx1.example.com.'), true);
  assert.equal(mxPatternMatches('*.example.com', 'a.mx1.example.com.'), false);
  assert.equal(mxPatternMatches('*.example.com', 'example.com.'), false);
  assert.equal(mxPatternMatches('MX1.example.com', 'mx1.example.com.'), true);
});

test('hover on the tags of _mta-sts and _smtp._tls records', () => {
  const z = zone('_mta-sts TXT "v=STSv1; id=20261202"', '_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tlsrpt@example.com"', '; dane-zone mta-sts=mta-sts.txt');
  const p = parseZone(z);
  const h = (needle: string, k = 1) => hover(p, z, z.indexOf(needle) + k);
  const id = h('id=2026');
  assert.ok(id);
  assert.equal(at(z, id), 'id=20261202');
  assert.match(id.contents, /\*\*id=\*\* — 1 to 32 letters or digits naming the current policy/);
  assert.match(h('v=STSv1')!.contents, /\*\*v=STSv1\*\* — the version/);
  const rua = h('rua=');
  assert.equal(at(z, rua!), 'rua=mailto:tlsrpt@example.com');
  assert.match(rua!.contents, /where senders send daily reports/);
  assert.match(h('mta-sts=mta')!.contents, /\*\*mta-sts=\*\* `PATH` — the MTA-STS policy file/);
  // the record's owner hover is unchanged; all keys of the comment list it
  assert.ok(all(z).every((d) => d.code !== 'mta-sts-record'));
});
