import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseZone } from '../../server/src/core/parser';
import { hover, ZoneHover } from '../../server/src/core/features/hover';
import { ZoneIO } from '../../server/src/core/types';
import { cursor } from '../support/cursor';

/** A zone with one `|` cursor marker → the hover there (the text is parsed without the marker). */
function hoverAt(marked: string, io?: ZoneIO): { h: ZoneHover | undefined; text: string } {
  const { text, offset } = cursor(marked);
  const parsed = parseZone(text, io ? { io, fileName: '/zones/example.com.zone' } : {});
  return { h: hover(parsed, text, offset), text };
}

/** The hover markdown at the cursor (fails when there is none). */
function md(marked: string, io?: ZoneIO): string {
  const { h } = hoverAt(marked, io);
  assert.ok(h, `expected a hover in:\n${marked}`);
  return h.contents;
}

/** The text the hover range covers. */
function covered(marked: string): string {
  const { h, text } = hoverAt(marked);
  assert.ok(h);
  return text.slice(h.start, h.end);
}

function includes(haystack: string, ...needles: string[]): void {
  for (const n of needles) assert.ok(haystack.includes(n), `expected ${JSON.stringify(n)} in:\n${haystack}`);
}

function excludes(haystack: string, ...needles: string[]): void {
  for (const n of needles) assert.ok(!haystack.includes(n), `did not expect ${JSON.stringify(n)} in:\n${haystack}`);
}

const HEAD = '$ORIGIN example.com.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n';
const D256 = '8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1';
const D512 = D256 + D256;
const tlsa = (rdata: string) => `${HEAD}_25._tcp.mx1 IN TLSA ${rdata}\n`;

// ---- TLSA field values ----------------------------------------------------------------

test('usage 3: DANE-EE, meaning, SMTP, RFC link; the range is the number', () => {
  const m = md(tlsa(`3| 1 1 ${D256}`));
  includes(m, '**TLSA certificate usage 3 — DANE-EE**', 'Domain-issued certificate', 'For SMTP', 'the most robust choice for SMTP',
    '(https://www.rfc-editor.org/rfc/rfc7671#section-5.1)');
  assert.equal(covered(tlsa(`3| 1 1 ${D256}`)), '3');
  assert.equal(covered(tlsa(`|3 1 1 ${D256}`)), '3');
});

test('usage 2: DANE-TA', () => {
  includes(md(tlsa(`2| 1 1 ${D256}`)), 'usage 2 — DANE-TA', 'trust anchor', 'the server must send the chain', 'rfc7671#section-5.2');
});

test('usages 0 and 1: PKIX-TA / PKIX-EE, unusable for SMTP', () => {
  includes(md(tlsa(`0| 1 1 ${D256}`)), 'usage 0 — PKIX-TA', 'unusable for SMTP', 'rfc6698#section-2.1.1');
  includes(md(tlsa(`1| 1 1 ${D256}`)), 'usage 1 — PKIX-EE', 'unusable for SMTP');
});

test('usage 255: private use; 7: unassigned and unusable', () => {
  includes(md(tlsa(`255| 1 1 ${D256}`)), 'usage 255 — PrivCert', 'private use', 'no public sender understands it');
  const m = md(tlsa(`7| 1 1 ${D256}`));
  includes(m, 'usage 7 — unassigned', 'Values 4–254 are not assigned', 'unusable', 'Assigned: 0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE, 255 PrivCert',
    'rfc6698#section-7.2');
});

test('leading zeros are the same number', () => {
  includes(md(tlsa(`003| 1 1 ${D256}`)), 'usage 3 — DANE-EE');
});

test('selector values 0, 1, 255 and unassigned 2', () => {
  includes(md(tlsa(`3 0| 1 ${D256}`)), 'selector 0 — Cert', 'The full certificate', 'changes at every reissue');
  includes(md(tlsa(`3 1| 1 ${D256}`)), 'selector 1 — SPKI', 'SubjectPublicKeyInfo', 'recommended selector');
  includes(md(tlsa(`3 255| 1 ${D256}`)), 'selector 255 — PrivSel');
  includes(md(tlsa(`3 2| 1 ${D256}`)), 'selector 2 — unassigned', 'Values 2–254');
  assert.equal(covered(tlsa(`3 1| 1 ${D256}`)), '1');
});

test('matching types 0, 1, 2, 255 and unassigned 3', () => {
  includes(md(tlsa(`3 1 0| 3059301306072a8648ce3d020106082a8648ce3d03010703420004`)), 'matching type 0 — Full', 'no hash');
  includes(md(tlsa(`3 1 1| ${D256}`)), 'matching type 1 — SHA2-256', 'every client must implement');
  includes(md(tlsa(`3 1 2| ${D512}`)), 'matching type 2 — SHA2-512', 'beside a SHA2-256 record');
  includes(md(tlsa(`3 1 255| ${D256}`)), 'matching type 255 — PrivMatch');
  includes(md(tlsa(`3 1 3| ${D256}`)), 'matching type 3 — unassigned', 'Values 3–254');
});

test('an RFC 7218 acronym is explained and the number asked for', () => {
  const m = md(tlsa(`DANE-EE| SPKI SHA2-256 ${D256}`));
  includes(m, 'usage 3 — DANE-EE', 'acronym for **3**', 'write the number');
  includes(md(tlsa(`DANE-EE SPKI| SHA2-256 ${D256}`)), 'selector 1 — SPKI', 'acronym for **1**');
});

test('a value that is not a number 0..255', () => {
  includes(md(tlsa(`300| 1 1 ${D256}`)), '`300` is not a valid value', 'decimal number 0..255', '3 = DANE-EE');
  includes(md(tlsa(`x| 1 1 ${D256}`)), '`x` is not a valid value');
});

test('SMIMEA fields: same values, no SMTP line', () => {
  const m = md(`${HEAD}abc._smimecert IN SMIMEA 3| 0 0 3082\n`);
  includes(m, '**SMIMEA certificate usage 3 — DANE-EE**');
  excludes(m, 'For SMTP');
});

// ---- TLSA owner --------------------------------------------------------------------------

const MAILZONE = [
  '$ORIGIN example.com.',
  '$TTL 3600',
  '@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300',
  '@ IN MX 10 mx1',
  '@ IN MX 20 mx2.example.net.',
  'shop IN MX 5 mx1.example.com.',
  'mx1 IN A 192.0.2.1',
  'mx1 IN AAAA 2001:db8::1',
  'www IN CNAME web.example.org.',
].join('\n') + '\n';

test('TLSA owner of an MX target: port, service, protocol, host, MX records and addresses', () => {
  const m = md(`${MAILZONE}_25._tcp.m|x1 IN TLSA 3 1 1 ${D256}\n`);
  includes(m, '**TLSA owner** `_25._tcp.mx1.example.com.`', 'port **25** — SMTP', 'protocol **TCP**', 'host `mx1.example.com.`',
    '**MX target** in this zone', '`example.com.` MX preference 10', '`shop.example.com.` MX preference 5',
    '**Addresses**', 'A `192.0.2.1`', 'AAAA `2001:db8::1`', 'DNSSEC-signed');
  assert.equal(covered(`${MAILZONE}_25._tcp.m|x1 IN TLSA 3 1 1 ${D256}\n`), '_25._tcp.mx1');
});

test('TLSA owner of a host that is no MX target and has no address here', () => {
  const m = md(`${MAILZONE}_25._tcp.mx9| IN TLSA 3 1 1 ${D256}\n`);
  includes(m, '**Not an MX target**', '**No A/AAAA records** for this host');
  excludes(m, '**MX target** in', '**Addresses**');
});

test('TLSA owner: other ports and services', () => {
  includes(md(`${MAILZONE}_443._tcp.www|  IN TLSA 3 1 1 ${D256}\n`), 'port **443** — HTTPS', 'alias (CNAME to `web.example.org.`)');
  includes(md(`${MAILZONE}_465._tcp.mx1| IN TLSA 3 1 1 ${D256}\n`), 'port **465** — submissions');
  includes(md(`${MAILZONE}_587._tcp.mx1| IN TLSA 3 1 1 ${D256}\n`), 'port **587** — submission');
  includes(md(`${MAILZONE}_993._tcp.mx1| IN TLSA 3 1 1 ${D256}\n`), 'port **993** — IMAPS');
  excludes(md(`${MAILZONE}_443._tcp.www|  IN TLSA 3 1 1 ${D256}\n`), 'SMTP senders look up');
});

test('TLSA owner problems: a port with a leading zero, an odd protocol, a name without the shape', () => {
  includes(md(`${MAILZONE}_025._tcp.mx1| IN TLSA 3 1 1 ${D256}\n`), '`_025` is not `_` followed by a port', 'never look up');
  includes(md(`${MAILZONE}_25._foo.mx1| IN TLSA 3 1 1 ${D256}\n`), 'protocol **FOO** — ⚠ not one of');
  includes(md(`${MAILZONE}mx1| IN TLSA 3 1 1 ${D256}\n`), 'A TLSA owner is `_<port>._<protocol>.<host>`');
});

test('TLSA owner of a host outside the zone', () => {
  const m = md(`${MAILZONE}_25._tcp.mx2.example.net.| IN TLSA 3 1 1 ${D256}\n`);
  includes(m, '**MX target**', '`example.com.` MX preference 20', 'outside this zone');
});

test('owner of an MX target host: DANE status', () => {
  includes(md(`${MAILZONE}mx|1 IN TXT "x"\n`), 'MX target of `example.com.` (preference 10)', 'no TLSA records at `_25._tcp.mx1.example.com.`');
  includes(md(`${MAILZONE}_25._tcp.mx1 IN TLSA 3 1 1 ${D256}\nmx|1 IN TXT "x"\n`), 'has 1 TLSA record');
});

// ---- association data -------------------------------------------------------------------

test('SHA2-256 data of the right length', () => {
  const m = md(tlsa(`3 1 1 8cb0|${D256.slice(4)}`));
  includes(m, '32 octets (64 hex digits)', 'SHA2-256 digest of the SubjectPublicKeyInfo', '✓ the length fits', 'openssl pkey -pubin -outform DER | openssl sha256');
});

test('SHA2-256 data one octet short', () => {
  const m = md(tlsa(`3 1 1 ${D256.slice(0, 62)}|`));
  includes(m, '31 octets', '⚠ Matching type 1 (SHA2-256) needs exactly 32 octets (64 hex digits), this data has 31');
  excludes(m, '✓');
});

test('SHA2-512 data: fits at 64 octets; 32 octets hint at matching type 1', () => {
  includes(md(tlsa(`3 0 2 ${D512}|`)), '64 octets', 'SHA2-512 digest of the certificate', '✓ the length fits', 'openssl x509 -in cert.pem -outform DER | openssl sha512');
  includes(md(tlsa(`3 1 2 ${D256}|`)), '⚠ Matching type 2 (SHA2-512) needs exactly 64 octets', 'is the matching type meant to be 1?');
});

test('data split over lines in parentheses: one range over all pieces', () => {
  const marked = `${HEAD}_25._tcp.mx1 IN TLSA 3 1 1 (\n  ${D256.slice(0, 32)}\n  ${D256.slice(32)}| )\n`;
  includes(md(marked), '32 octets', '✓ the length fits');
  assert.equal(covered(marked), `${D256.slice(0, 32)}\n  ${D256.slice(32)}`);
});

test('full data: DER framing checked', () => {
  const spki = '3059301306072a8648ce3d020106082a8648ce3d030107034200' + '04' + 'ab'.repeat(64);
  includes(md(tlsa(`3 1 0 ${spki}|`)), '91 octets', 'full SubjectPublicKeyInfo (DER)', '✓ A DER SEQUENCE');
  includes(md(tlsa(`3 0 0 0102|`)), 'full certificate (DER)', '⚠ Does not start with a DER SEQUENCE');
});

test('data that is not hex', () => {
  includes(md(tlsa(`3 1 1 zz|${D256.slice(2)}`)), 'not valid hexadecimal', '`z` is not a hex digit');
  includes(md(tlsa(`3 1 1 ${D256}a|`)), '65 hex digits: an odd number', 'one digit more than the 64 hex digits SHA2-256');
});

test('63 hex digits: one digit short of the 64 SHA2-256 needs, not "not valid hexadecimal"', () => {
  const h = md(tlsa(`3 1 1 ${D256.slice(1)}|`));
  includes(h, '63 hex digits', 'one digit short of the 64 hex digits SHA2-256 (matching type 1) needs');
  excludes(h, 'not valid hexadecimal', 'not a hex digit');
  includes(md(tlsa(`3 1 2 ${D512.slice(3)}|`)), '125 hex digits', '3 digits short of the 128 hex digits SHA2-512');
});

// ---- types, classes, TTLs and other fields ------------------------------------------------

test('type hover: description, field layout, RFCs', () => {
  const m = md(tlsa(`3 1 1 ${D256}`).replace('TLSA', 'TL|SA'));
  includes(m, '**TLSA** (type 52) — DANE TLS certificate association', 'TLSA <usage> <selector> <matching type> <association data>',
    '- **usage**: 0 = PKIX-TA', '[RFC 6698 §2](https://www.rfc-editor.org/rfc/rfc6698#section-2)', 'RFC 7218 §2');
  includes(md(`${HEAD}@ IN MX| 10 mail\n`), '**MX** (type 15) — Mail exchange', '<preference> <exchange>', 'RFC 7505 §3');
  includes(md(`${HEAD}@ IN DNSKEY| 257 3 13 AAAA\n`), '*DNSSEC record type*');
  includes(md(`${HEAD}@ IN TYPE65000| \\# 0\n`), '**TYPE65000**', 'generic form');
  includes(md(`${HEAD}@ IN FOO| bar\n`), '`FOO` is not a record type');
});

test('class hover', () => {
  includes(md(`${HEAD}www I|N A 192.0.2.1\n`), '**IN** — record class 1: Internet');
});

test('TTL hover: the duration in words; TLSA adds the rollover wait', () => {
  includes(md(`${HEAD}www 3600| IN A 192.0.2.1\n`), '**TTL** `3600` seconds = 1 hour');
  includes(md(`${HEAD}www 1d2h| IN A 192.0.2.1\n`), '= 1 day 2 hours');
  includes(md(`${HEAD}_25._tcp.mx1 300| IN TLSA 3 1 1 ${D256}\n`), '5 minutes', 'two TTLs (10 minutes)', 'rfc7671#section-8.1');
  assert.equal(covered(`${HEAD}www 1d2h| IN A 192.0.2.1\n`), '1d2h');
});

test('other RDATA fields: name and description from the type table, with values explained', () => {
  includes(md(`${HEAD}@ IN MX 10| mx1\n`), '**MX preference** — Lower values are preferred');
  const ex = md(`${HEAD}@ IN MX 10 mx1|\n`);
  includes(ex, '**MX exchange**', '= `mx1.example.com.`', 'no TLSA records at `_25._tcp.mx1.example.com.`');
  includes(md(`${HEAD}@ IN MX 10 mx1.example.net.|\n`), 'outside this zone');
  includes(md(`$ORIGIN example.com.\n@ 3600 IN SOA ns1 hostmaster 1 7200| 3600 1209600 300\n`), '**SOA refresh**', '= 2 hours');
  includes(md(`${HEAD}@ IN DS 12345 13| 2 ${D256}\n`), '**DS algorithm**', '`ECDSAP256SHA256`');
  includes(md(`${HEAD}@ IN RRSIG A 13 2 3600 20260101000000| 20251201000000 1 example.com. AAAA\n`), '**RRSIG expiration**', '2026-01-01 00:00:00 UTC');
  includes(md(`${HEAD}@ IN TXT "a" "b|"\n`), '**TXT text**');
  includes(md(`${HEAD}www IN A 192.0.2.1 extra|\n`), 'Extra data: A has 1 field');
  includes(md(`${HEAD}www IN TYPE1 \\# 4 c000|0201\n`), 'Generic RDATA');
});

// ---- directives -----------------------------------------------------------------------------

function memoryIO(files: Record<string, string>): ZoneIO {
  return {
    readFile(p) {
      if (!(p in files)) throw new Error('no such file');
      return files[p];
    },
    resolvePath: (_from, p) => (p.startsWith('/') ? p : `/zones/${p}`),
    now: () => new Date('2026-01-01T00:00:00Z'),
  };
}

test('directive hovers: $ORIGIN, $TTL (with the value), $INCLUDE (records read), $GENERATE (count)', () => {
  includes(md(`$ORI|GIN example.com.\n`), '**$ORIGIN**', 'names without a trailing dot');
  includes(md(`$ORIGIN example.com|\n`), 'has no trailing dot');
  includes(md(`$TTL 1h|\n`), '**$TTL**', '`1h` = 1 hour', 'RFC 2308 §4');
  const io = memoryIO({ '/zones/hosts.zone': 'a IN A 192.0.2.1\nb IN A 192.0.2.2\n' });
  includes(md(`$ORIGIN example.com.\n$INCL|UDE hosts.zone\n`, io), '**$INCLUDE**', '2 records read from `/zones/hosts.zone`');
  includes(md(`$ORIGIN example.com.\n$GENERATE| 1-4 host$ A 192.0.2.$\n`), '**$GENERATE**', 'Generates 4 records');
  includes(md(`$FOO| bar\n`), 'is not a directive');
});

test('`; dane-zone` keys: what they do, with the value checked', () => {
  includes(md(`; dane-zone dnssec=inl|ine\n${HEAD}`), '**dnssec=**', 'Here: `inline` — the server signs the zone on load');
  includes(md(`; dane-zone dnssec=maybe|\n${HEAD}`), '⚠ `maybe` is not one of');
  includes(md(`; dane-zone disable=tlsa-orphan,bogus|\n${HEAD}`), '**disable=**', '`tlsa-orphan`: TLSA for an unknown host', '`bogus`: ⚠ not a diagnostic code');
  includes(md(`${HEAD}; dane-zone cert=certs/mx1.pem| next=keys/next.key\n`), '**cert=**', 'leaf first');
  includes(md(`${HEAD}; dane-zone cert=certs/mx1.pem next=keys/next.key|\n`), '**next=**', 'CSR');
  includes(md(`${HEAD}; dane-zone color=red|\n`), 'is not a dane-zone setting');
  includes(md(`${HEAD}; dane|-zone dnssec=signed\n`), 'settings for this tool');
  assert.equal(covered(`; dane-zone dnssec=inl|ine\n${HEAD}`), 'dnssec=inline');
});

// ---- robustness and speed -----------------------------------------------------------------

test('nothing at blank lines, in comments, between records', () => {
  assert.equal(hoverAt(`${HEAD}\n|\n`).h, undefined);
  assert.equal(hoverAt(`${HEAD}; a com|ment\n`).h, undefined);
  assert.equal(hoverAt(`${HEAD}www IN A 192.0.2.1 ; a com|ment\n`).h, undefined);
  assert.equal(hoverAt(`${HEAD}www IN  |  A 192.0.2.1\n`).h, undefined);
  assert.equal(hoverAt('|').h, undefined);
});

test('records from an $INCLUDEd file are not hovered at their own offsets', () => {
  const inc = `_25._tcp.mx1 IN TLSA 3 1 1 ${D256}\n`;
  const io = memoryIO({ '/zones/tlsa.zone': inc });
  const text = `$ORIGIN example.com.\n$INCLUDE tlsa.zone\n`;
  const parsed = parseZone(text, { io, fileName: '/zones/example.com.zone' });
  assert.equal(parsed.records.length, 1);
  for (let o = 0; o <= text.length; o++) {
    const h = hover(parsed, text, o);
    if (h) assert.ok(!h.contents.includes('TLSA owner') && !h.contents.includes('certificate usage'), `offset ${o}: ${h.contents}`);
  }
});

test('any offset in any text: no throw, ranges inside the text', () => {
  const junk = Array.from({ length: 600 }, (_, i) => String.fromCharCode((i * 7919 + 13) % 256)).join('');
  const texts = [
    '',
    junk,
    `${MAILZONE}_25._tcp.mx1 IN TLSA 3 1 1 ( ${D256}\n; comment\n`,
    `${HEAD}_25._tcp.mx1 IN TLSA\n_25._tcp IN TLSA 3\n  IN TLSA x y z "q"\n@ IN MX\n$ORIGIN\n$TTL\n$INCLUDE\n; dane-zone\n; dane-zone =\n`,
    `\t\t\n ( ) \n"unterminated\n\\# 3 ab\n@ IN TYPE52 \\# 3 030101\n_25._tcp.x. IN TLSA 3 1 1 \\# 2\n`,
  ];
  for (const text of texts) {
    const parsed = parseZone(text);
    for (const o of [-5, NaN, Infinity, text.length + 10]) assert.doesNotThrow(() => hover(parsed, text, o));
    for (let o = 0; o <= text.length; o++) {
      const h = hover(parsed, text, o);
      if (h) {
        assert.ok(h.start <= o && o <= h.end, `range ${h.start}-${h.end} misses offset ${o}`);
        assert.ok(h.start >= 0 && h.end <= text.length && h.contents.length > 0);
      }
    }
  }
});

test('fast on a large zone: field hovers are binary searches', () => {
  const lines = [HEAD];
  for (let i = 0; i < 50000; i++) lines.push(`_25._tcp.h${i} IN TLSA 3 1 1 ${D256}\n`);
  const text = lines.join('');
  const parsed = parseZone(text);
  const offsets = Array.from({ length: 5000 }, (_, k) => parsed.records[1 + ((k * 7919) % 50000)].rdata[k % 3].start);
  const t0 = performance.now();
  let n = 0;
  for (const o of offsets) if (hover(parsed, text, o)) n++;
  const ms = performance.now() - t0;
  assert.equal(n, 5000);
  assert.ok(ms < 2000, `5000 hovers took ${ms.toFixed(0)} ms`);
});
