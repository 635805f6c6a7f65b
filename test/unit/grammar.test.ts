import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';

/**
 * The TextMate grammar (syntaxes/dns-zone.tmLanguage.json), tokenized the way VS Code does it
 * (vscode-textmate + the Oniguruma WASM shipped in vscode-oniguruma), on the cases where common
 * zone-file grammars go wrong. Scopes are written without the `.dns-zone` suffix.
 */

const root = path.resolve(__dirname, '..', '..', '..');
const grammarPath = path.join(root, 'syntaxes', 'dns-zone.tmLanguage.json');
let grammar: vsctm.IGrammar;

before(async () => {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) =>
      scopeName === 'source.dns-zone' ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath) : null,
  });
  const g = await registry.loadGrammar('source.dns-zone');
  assert.ok(g, 'grammar source.dns-zone did not load');
  grammar = g;
});

interface Tok { text: string; scopes: string[] }

/** Tokenizes a whole document, line by line, carrying the rule stack like the editor does. */
function tokenize(text: string): Tok[][] {
  let stack = vsctm.INITIAL;
  return text.split('\n').map((line) => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    return r.tokens.map((t) => ({
      text: line.slice(t.startIndex, t.endIndex),
      scopes: t.scopes.map((s) => s.replace(/\.dns-zone$/, '')),
    }));
  });
}

const dump = (line: Tok[]) => line.map((t) => `  ${JSON.stringify(t.text)} ${t.scopes.slice(1).join(' | ')}`).join('\n');

/** The scopes of the `nth` token whose text is exactly `text` on line `lineNo` (0-based). */
function scopesOf(lines: Tok[][], lineNo: number, text: string, nth = 0): string[] {
  const line = lines[lineNo];
  assert.ok(line, `no line ${lineNo}`);
  const found = line.filter((t) => t.text === text);
  assert.ok(found[nth], `no token ${JSON.stringify(text)} (#${nth}) on line ${lineNo}; tokens:\n${dump(line)}`);
  return found[nth].scopes;
}

/** Asserts that the token has `scope` (exactly, as one of its scopes). */
function has(lines: Tok[][], lineNo: number, text: string, scope: string, nth = 0): void {
  const scopes = scopesOf(lines, lineNo, text, nth);
  assert.ok(scopes.includes(scope), `${JSON.stringify(text)} on line ${lineNo} should be ${scope}; it is\n  ${scopes.join(' | ')}\nline:\n${dump(lines[lineNo])}`);
}

/** Asserts that no scope of the token starts with `prefix`. */
function hasNo(lines: Tok[][], lineNo: number, text: string, prefix: string, nth = 0): void {
  const scopes = scopesOf(lines, lineNo, text, nth);
  assert.ok(!scopes.some((s) => s.startsWith(prefix)), `${JSON.stringify(text)} on line ${lineNo} must not be ${prefix}*; it is\n  ${scopes.join(' | ')}`);
}

const OWNER = 'entity.name.tag.owner';
const TTL = 'constant.numeric.ttl';
const CLASS = 'storage.type.class';
const TYPE = 'keyword.other.rrtype';
const COMMENT = 'comment.line.semicolon';

test('header: TTL and class are optional and come in either order', () => {
  const l = tokenize([
    'www 3600 IN A 192.0.2.1',
    'www IN 3600 A 192.0.2.1',
    'www A 192.0.2.1',
    '    IN A 192.0.2.1',
    'www in a 192.0.2.1',
    '\t3600\tMX\t10 mail',
  ].join('\n'));
  has(l, 0, 'www', OWNER); has(l, 0, '3600', TTL); has(l, 0, 'IN', CLASS); has(l, 0, 'A', TYPE);
  has(l, 1, 'www', OWNER); has(l, 1, 'IN', CLASS); has(l, 1, '3600', TTL); has(l, 1, 'A', TYPE);
  has(l, 2, 'www', OWNER); has(l, 2, 'A', TYPE); has(l, 2, '192.0.2.1', 'constant.numeric.ipv4');
  has(l, 3, 'IN', CLASS); has(l, 3, 'A', TYPE); hasNo(l, 3, 'IN', OWNER);
  has(l, 4, 'in', CLASS); has(l, 4, 'a', TYPE);
  has(l, 5, '3600', TTL); has(l, 5, 'MX', TYPE); has(l, 5, '10', 'constant.numeric.integer.preference');
  has(l, 5, 'mail', 'variable.other.domain-name');
});

test('header: the owner is whatever starts in column 0, even a type or class name', () => {
  const l = tokenize('a A 192.0.2.1\nin 300 IN NS ns1\nmx MX 10 mx\n3600 A 192.0.2.1');
  has(l, 0, 'a', OWNER); hasNo(l, 0, 'a', TYPE); has(l, 0, 'A', TYPE);
  has(l, 1, 'in', OWNER); has(l, 1, 'IN', CLASS); has(l, 1, 'NS', TYPE);
  has(l, 2, 'mx', OWNER, 0); has(l, 2, 'MX', TYPE);
  has(l, 2, 'mx', 'variable.other.domain-name', 1); hasNo(l, 2, 'mx', TYPE, 1);
  has(l, 3, '3600', OWNER); hasNo(l, 3, '3600', TTL);
});

test('TTL units: 1w2d3h, 1h30 and plain seconds are TTLs, with the units marked', () => {
  const l = tokenize('$TTL 1w2d3h\nwww 1h30 IN A 192.0.2.1');
  has(l, 0, '$TTL', 'keyword.control.directive.ttl');
  has(l, 0, '1', 'constant.numeric.ttl.default'); has(l, 0, 'w', 'keyword.other.unit.ttl');
  has(l, 0, 'd', 'keyword.other.unit.ttl'); has(l, 0, 'h', 'keyword.other.unit.ttl');
  has(l, 1, '1', TTL); has(l, 1, 'h', 'keyword.other.unit.ttl'); has(l, 1, '30', TTL);
  has(l, 1, 'IN', CLASS);
});

test('`;` inside a quoted string is text, not a comment; escaped quotes do not end the string', () => {
  const l = tokenize('@ TXT "v=spf1; -all" ; a real comment\nx TXT "a\\";b" c ; end');
  has(l, 0, 'v=spf1; -all', 'string.quoted.double'); hasNo(l, 0, 'v=spf1; -all', 'comment');
  has(l, 0, ';', COMMENT); has(l, 0, ' a real comment', COMMENT);
  has(l, 1, '\\"', 'constant.character.escape'); has(l, 1, ';b', 'string.quoted.double');
  hasNo(l, 1, ';b', 'comment');
  has(l, 1, 'c', 'string.unquoted'); has(l, 1, ' end', COMMENT);
});

test('multi-line record in parentheses keeps field positions, comments inside, ends at `)`', () => {
  const l = tokenize([
    '@ IN SOA ns1 hostmaster (',
    '      2024010101 ; serial (not a paren)',
    '      1h ; refresh',
    '',
    '      15m 1w 300 )',
    'www A 192.0.2.1',
  ].join('\n'));
  has(l, 0, 'SOA', TYPE); has(l, 0, 'ns1', 'variable.other.domain-name'); has(l, 0, '(', 'punctuation.section.parens.begin');
  has(l, 1, '2024010101', 'constant.numeric.integer.serial'); has(l, 1, '2024010101', 'meta.parens');
  has(l, 1, ' serial (not a paren)', COMMENT);
  has(l, 2, '1', 'constant.numeric.ttl.refresh');
  has(l, 4, '15', 'constant.numeric.ttl.retry'); has(l, 4, '1', 'constant.numeric.ttl.expire');
  has(l, 4, '300', 'constant.numeric.ttl.minimum'); has(l, 4, ')', 'punctuation.section.parens.end');
  // after `)` the next line is a record of its own again
  has(l, 5, 'www', OWNER); hasNo(l, 5, 'www', 'meta.parens'); has(l, 5, 'A', TYPE);
});

test('a newline outside parentheses ends the record', () => {
  const l = tokenize('x TLSA 3 1\n  1 abcd');
  has(l, 0, '3', 'constant.numeric.integer.usage'); has(l, 0, '1', 'constant.numeric.integer.selector');
  has(l, 1, '1', TTL); hasNo(l, 1, '1', 'constant.numeric.integer.matching-type');
});

test('TLSA: usage, selector, matching type, then hex association data, on one line or split', () => {
  const l = tokenize([
    '_25._tcp.mx1 300 IN TLSA 3 1 1 2c20c9a237719fb2c0a678a0e0e0678f7f0178fa76f88802f702801dd88190ee',
    '_25._tcp.mx2 IN TLSA ( 3 1 1',
    '    2c20c9a237719fb2c0a678a0e0e0678f ; first half',
    '    7f0178fa76f88802f702801dd88190ee )',
    '_443._tcp TLSA 3 0 0 (',
    '    30 82 01 0a zz )',
  ].join('\n'));
  has(l, 0, '_25._tcp.mx1', OWNER); has(l, 0, 'TLSA', TYPE);
  has(l, 0, '3', 'constant.numeric.integer.usage'); has(l, 0, '1', 'constant.numeric.integer.selector', 0);
  has(l, 0, '1', 'constant.numeric.integer.matching-type', 1);
  has(l, 0, '2c20c9a237719fb2c0a678a0e0e0678f7f0178fa76f88802f702801dd88190ee', 'constant.other.hex');
  has(l, 1, '3', 'constant.numeric.integer.usage'); has(l, 1, '1', 'constant.numeric.integer.matching-type', 1);
  has(l, 2, '2c20c9a237719fb2c0a678a0e0e0678f', 'constant.other.hex'); has(l, 2, ' first half', COMMENT);
  has(l, 3, '7f0178fa76f88802f702801dd88190ee', 'constant.other.hex');
  // the digits after `(` are data: the three fields were already given
  has(l, 5, '30', 'constant.other.hex'); hasNo(l, 5, '30', 'constant.numeric.integer.usage');
  has(l, 5, '01', 'constant.other.hex'); has(l, 5, 'zz', 'invalid.illegal.hex');
});

test('TLSA: RFC 7218 mnemonics in place of numbers are marked invalid', () => {
  const l = tokenize('_443._tcp.www TLSA DANE-EE SPKI SHA2-256 abcd');
  has(l, 0, 'DANE-EE', 'invalid.illegal.tlsa-mnemonic');
  has(l, 0, 'SPKI', 'invalid.illegal.tlsa-mnemonic');
  has(l, 0, 'SHA2-256', 'invalid.illegal.tlsa-mnemonic');
  has(l, 0, 'abcd', 'constant.other.hex');
});

test('RRSIG split over lines: every field in its place, base64 signature', () => {
  const l = tokenize([
    '\t\t\t3600\tRRSIG\tSOA 13 2 3600 (',
    '\t\t\t\t20361101000000 20261101000000 11863 example.org.',
    '\t\t\t\tFc4V5Snul3fXP0NlAlLZfaVLznY33kG0c0oV',
    '\t\t\t\tRfw61RrwxA1+1g== )',
  ].join('\n'));
  has(l, 0, 'RRSIG', TYPE); has(l, 0, 'SOA', TYPE); has(l, 0, '13', 'constant.numeric.integer.algorithm');
  has(l, 0, '2', 'constant.numeric.integer.labels'); has(l, 0, '3600', TTL, 0); has(l, 0, '3600', 'constant.numeric.integer.original-ttl', 1);
  has(l, 1, '20361101000000', 'constant.numeric.timestamp.expiration');
  has(l, 1, '20261101000000', 'constant.numeric.timestamp.inception');
  has(l, 1, '11863', 'constant.numeric.integer.key-tag'); has(l, 1, 'example.org.', 'variable.other.domain-name');
  has(l, 2, 'Fc4V5Snul3fXP0NlAlLZfaVLznY33kG0c0oV', 'constant.other.base64');
  has(l, 3, 'Rfw61RrwxA1+1g==', 'constant.other.base64');
});

test('DNSKEY/DS: numeric fields, algorithm mnemonics, base64 and hex data', () => {
  const l = tokenize('k DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0d+Gq== \nd DS 60485 RSASHA256 2 D4B7D520E7BB5F0F67674A0C xyz');
  has(l, 0, '257', 'constant.numeric.integer.flags'); has(l, 0, '3', 'constant.numeric.integer.protocol');
  has(l, 0, 'mdsswUyr3DPW132mOi8V9xESWE8jTo0d+Gq==', 'constant.other.base64');
  has(l, 1, '60485', 'constant.numeric.integer.key-tag'); has(l, 1, 'RSASHA256', 'constant.language.algorithm');
  has(l, 1, 'D4B7D520E7BB5F0F67674A0C', 'constant.other.hex'); has(l, 1, 'xyz', 'invalid.illegal.hex');
});

test('IPv4 and IPv6 addresses, and what is not one', () => {
  const l = tokenize([
    'a A 192.0.2.1', 'b A 192.0.2.300', 'c AAAA 2001:db8::1', 'd AAAA ::ffff:192.0.2.1',
    'e AAAA ::', 'f AAAA 2001:db8:::1', 'g AAAA 2001:0db8:0000:0000:0000:ff00:0042:8329', 'h A 192.0.2.1 extra',
  ].join('\n'));
  has(l, 0, '192.0.2.1', 'constant.numeric.ipv4');
  has(l, 1, '192.0.2.300', 'invalid.illegal.ipv4');
  has(l, 2, '2001:db8::1', 'constant.numeric.ipv6');
  has(l, 3, '::ffff:192.0.2.1', 'constant.numeric.ipv6');
  has(l, 4, '::', 'constant.numeric.ipv6');
  has(l, 5, '2001:db8:::1', 'invalid.illegal.ipv6');
  has(l, 6, '2001:0db8:0000:0000:0000:ff00:0042:8329', 'constant.numeric.ipv6');
  has(l, 7, 'extra', 'invalid.illegal.extra-rdata');
});

test('TYPEnnn, CLASSnnn and the RFC 3597 \\# form', () => {
  const l = tokenize('x CLASS1 TYPE65534 \\# 3 abcdef\ny IN TLSA \\# 4 c0000201\nz NULL \\# 0');
  has(l, 0, 'CLASS1', CLASS); has(l, 0, 'TYPE65534', 'keyword.other.rrtype.generic');
  has(l, 0, '\\#', 'keyword.operator.generic-rdata'); has(l, 0, '3', 'constant.numeric.integer.length');
  has(l, 0, 'abcdef', 'constant.other.hex');
  has(l, 1, '\\#', 'keyword.operator.generic-rdata'); has(l, 1, 'c0000201', 'constant.other.hex');
  hasNo(l, 1, '4', 'constant.numeric.integer.usage');
  has(l, 2, 'NULL', TYPE); has(l, 2, '0', 'constant.numeric.integer.length');
});

test('escapes \\X and \\DDD in names; \\DDD above 255 is invalid', () => {
  const l = tokenize('a\\032b\\.c A 192.0.2.1\nx\\256 A 192.0.2.1\nn CNAME we\\.ird\\065');
  has(l, 0, '\\032', 'constant.character.escape.decimal'); has(l, 0, '\\032', OWNER);
  has(l, 0, '\\.', 'constant.character.escape'); has(l, 0, 'A', TYPE);
  has(l, 1, '\\256', 'invalid.illegal.escape');
  has(l, 2, '\\.', 'constant.character.escape'); has(l, 2, '\\065', 'constant.character.escape.decimal');
  has(l, 2, '\\065', 'variable.other.domain-name');
});

test('directives: $ORIGIN, $TTL, $INCLUDE, $GENERATE; an unknown $WORD is invalid', () => {
  const l = tokenize([
    '$ORIGIN example.com. ; comment',
    '$INCLUDE "sub zone.db" sub',
    '$GENERATE 1-10/2 host-$ 3600 IN A 10.0.0.${0,3,d}',
    '$FOO bar',
    '$origin @',
  ].join('\n'));
  has(l, 0, '$ORIGIN', 'keyword.control.directive.origin'); has(l, 0, 'example.com.', 'variable.other.domain-name');
  has(l, 0, ' comment', COMMENT);
  has(l, 1, '$INCLUDE', 'keyword.control.directive.include'); has(l, 1, 'sub zone.db', 'string.quoted.double');
  has(l, 1, 'sub', 'variable.other.domain-name');
  has(l, 2, '$GENERATE', 'keyword.control.directive.generate'); has(l, 2, '1-10/2', 'constant.numeric.range');
  has(l, 2, '$', 'variable.other.substitution'); has(l, 2, '${0,3,d}', 'variable.other.substitution');
  has(l, 2, 'IN', CLASS); has(l, 2, 'A', TYPE);
  has(l, 3, '$FOO', 'invalid.illegal.unknown-directive');
  has(l, 4, '$origin', 'keyword.control.directive.origin'); has(l, 4, '@', 'variable.language.origin');
});

test('`; dane-zone key=value` directive comments are highlighted apart from plain comments', () => {
  const l = tokenize('; dane-zone cert=certs/mx1.pem next=keys/mx1-next.key\n; dane-zone dnssec=inline\n; dane-zoned is just a comment');
  has(l, 0, 'dane-zone', 'keyword.control.directive.dane-zone'); has(l, 0, 'dane-zone', COMMENT);
  has(l, 0, 'cert', 'variable.parameter.dane-zone'); has(l, 0, '=', 'keyword.operator.assignment');
  has(l, 0, 'certs/mx1.pem', 'string.unquoted.dane-zone'); has(l, 0, 'next', 'variable.parameter.dane-zone');
  has(l, 0, 'keys/mx1-next.key', 'string.unquoted.dane-zone');
  has(l, 1, 'dnssec', 'variable.parameter.dane-zone'); has(l, 1, 'inline', 'string.unquoted.dane-zone');
  has(l, 2, '; dane-zoned is just a comment'.slice(1), COMMENT);
  assert.ok(!l[2].some((t) => t.scopes.includes('keyword.control.directive.dane-zone')));
});

test('unknown types and unbalanced parentheses are marked; `www IN` while typing is not a type', () => {
  const l = tokenize('x IN FOO bar\n)\nwww IN\nx TXT ( a ( b )');
  has(l, 0, 'FOO', 'invalid.illegal.unknown-type'); has(l, 0, 'IN', CLASS);
  has(l, 1, ')', 'invalid.illegal.unbalanced-parenthesis');
  has(l, 2, 'www', OWNER); has(l, 2, 'IN', CLASS);
  has(l, 3, '(', 'invalid.illegal.unbalanced-parenthesis', 1);
});

test('NSEC/NSEC3 type bitmaps, SVCB parameters, CAA', () => {
  const l = tokenize([
    'x NSEC a.example. A NS SOA RRSIG TYPE65534 FOO',
    'h NSEC3 1 1 0 - 2vptu5timamqttgl4luu9kg21e0aor3s A RRSIG',
    'svc HTTPS 1 . alpn=h2,h3 port=8443',
    'caa CAA 0 issue "letsencrypt.org; x"',
  ].join('\n'));
  has(l, 0, 'a.example.', 'variable.other.domain-name'); has(l, 0, 'SOA', TYPE); has(l, 0, 'TYPE65534', TYPE);
  has(l, 0, 'FOO', 'invalid.illegal.unknown-type');
  has(l, 1, '-', 'constant.language.empty-salt'); has(l, 1, '2vptu5timamqttgl4luu9kg21e0aor3s', 'constant.other.base32hex');
  has(l, 1, 'RRSIG', TYPE);
  has(l, 2, 'alpn', 'variable.parameter.svcparam'); has(l, 2, 'h2,h3', 'string.unquoted.svcparam');
  has(l, 3, '0', 'constant.numeric.integer.flags'); has(l, 3, 'letsencrypt.org; x', 'string.quoted.double');
});

test('every example zone tokenizes without a comment swallowing a record or a stray invalid token', () => {
  // The valid examples only (typos.zone is wrong on purpose).
  for (const name of ['example.com.zone', 'dane.example.net.zone', 'example.org.zone.signed']) {
    const file = path.join(root, 'examples', name);
    if (!fs.existsSync(file)) continue;
    const lines = tokenize(fs.readFileSync(file, 'utf8'));
    lines.forEach((line, i) => {
      for (const t of line) {
        assert.ok(!t.scopes.some((s) => s.startsWith('invalid.')),
          `${name}:${i + 1}: ${JSON.stringify(t.text)} is ${t.scopes.join(' | ')}`);
      }
    });
  }
});

test('the committed grammar is the one scripts/gen-grammar.js makes from rrtypes.ts', () => {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'gen-grammar.js'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr || r.stdout);
});

test('package.json: firstLine detects $ORIGIN, $TTL or an SOA record; the grammar is contributed', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const lang = pkg.contributes.languages.find((x: { id: string }) => x.id === 'dns-zone');
  assert.ok(lang, 'language dns-zone is not contributed');
  const first = new RegExp(lang.firstLine); // VS Code compiles firstLine without flags
  for (const yes of ['$ORIGIN example.com.', '$TTL 3600', '$ttl 1h', '@ IN SOA ns1 hostmaster 1 2 3 4 5',
    'example.com. 3600 IN SOA ns1.example.com. h.example.com. (', '@\tSOA\tns1 hm (', 'example.org.\t\t3600\tIN SOA\tns1. h. (']) {
    assert.ok(first.test(yes), `firstLine should match ${JSON.stringify(yes)}`);
  }
  for (const no of ['; just a comment', 'import soa from "x"', '$ORIGINAL sin', 'SOAP envelope', '[section]', 'www IN A 192.0.2.1']) {
    assert.ok(!first.test(no), `firstLine should not match ${JSON.stringify(no)}`);
  }
  const g = pkg.contributes.grammars.find((x: { language: string }) => x.language === 'dns-zone');
  assert.equal(g.scopeName, 'source.dns-zone');
  assert.ok(fs.existsSync(path.join(root, g.path)), `${g.path} missing`);
});

test('language-configuration: comments, brackets, a word pattern that keeps names and escapes whole', () => {
  const conf = JSON.parse(fs.readFileSync(path.join(root, 'language-configuration.json'), 'utf8'));
  assert.equal(conf.comments.lineComment, ';');
  assert.deepEqual(conf.brackets, [['(', ')']]);
  const word = new RegExp(conf.wordPattern, 'g');
  const wordsOf = (s: string) => s.match(word) ?? [];
  assert.deepEqual(wordsOf('_25._tcp.mx1 300 IN TLSA 3 1 1 abcd'), ['_25._tcp.mx1', '300', 'IN', 'TLSA', '3', '1', '1', 'abcd']);
  assert.deepEqual(wordsOf('a\\032b\\.c\tCNAME\tx\\"y ; c'), ['a\\032b\\.c', 'CNAME', 'x\\"y', 'c']);
  assert.deepEqual(wordsOf('(2001:db8::1)"txt"'), ['2001:db8::1', 'txt']);
  assert.ok(!new RegExp(conf.wordPattern).test(''), 'wordPattern must not match the empty string');
});
