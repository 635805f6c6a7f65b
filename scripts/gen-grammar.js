#!/usr/bin/env node
// Generates syntaxes/dns-zone.tmLanguage.json (the TextMate grammar, scope source.dns-zone)
// from the RR type table server/src/core/rrtypes.ts and registries.ts: the type keywords, the classes, the
// DNSSEC algorithm and CERT type mnemonics, the SVCB keys and, for every type, the order and
// kind of its RDATA fields. The generated grammar is committed; `npm test` fails when it is
// out of date with the table (test/unit/grammar.test.ts runs this script with --check).
//
// It also writes the one piece of package.json that comes from a core table: the list of
// diagnostic codes under the `daneZone.severity` setting (from server/src/core/rules.ts), so
// settings.json offers every code with its default severity.
//
// Usage: node scripts/gen-grammar.js          write the grammar (and the severity codes)
//        node scripts/gen-grammar.js --check  exit 1 when either committed file differs
//
// How the grammar works (TextMate matches one line at a time):
// - A record line is one begin/end rule whose begin matches the whole header
//   `[owner] [ttl] [class] type` (TTL and class optional, in either order; the owner is
//   whatever starts in column 0, so `a A 192.0.2.1` has the owner `a`) and whose end is the
//   end of the line.
// - The RDATA fields are a chain of nested rules, one per field, in the table's order: the
//   rule for field k begins with that field's token and holds the rule for field k+1. Each
//   state exists twice, outside parentheses (ends at the end of the line) and inside them
//   (ends at `)`), so a record split over lines by `( … )` keeps its field positions:
//   `TLSA 3 1 1 ( 30 82 …` scopes `30 82` as hex data, not as usage/selector/matching type.
// - Quoted strings are matched before comments, so `;` inside quotes is text.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const root = path.join(__dirname, '..');
const OUT = path.join(root, 'syntaxes', 'dns-zone.tmLanguage.json');
const RRTYPES = path.join(root, 'server', 'src', 'core', 'rrtypes.ts');
const REGISTRIES = path.join(root, 'server', 'src', 'core', 'registries.ts');
const RULES = path.join(root, 'server', 'src', 'core', 'rules.ts');
const PACKAGE = path.join(root, 'package.json');

/** Loads a TypeScript module of the core (plain data, no I/O) through esbuild. */
function loadTs(file) {
  const esbuild = require('esbuild');
  const r = esbuild.buildSync({
    entryPoints: [file], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'silent',
  });
  const m = new Module(file, module);
  m.filename = file;
  m.paths = Module._nodeModulePaths(path.dirname(file));
  m._compile(r.outputFiles[0].text, file);
  return m.exports;
}

// ---------------------------------------------------------------------------------------------
// Regex pieces (Oniguruma syntax). Tokens are delimited like the lexer delimits them: white
// space, `;`, `(` and `)`; a backslash escapes the next character.

const S = 'dns-zone';
const sc = (...parts) => `${parts.join('.')}.${S}`;
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A case-insensitive alternation of words, longest first (so no word shadows a longer one). */
const words = (list) => `(?i:${[...new Set(list)].sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).map(esc).join('|')})`;

const BEFORE = '(?<![^\\s(])'; // token start: line start, white space or `(`
const AFTER = '(?=[\\s;()]|$)'; // token end
const WORD = '(?:\\\\.|[^\\s;()"\\\\])(?:\\\\.|[^\\s;()\\\\])*'; // one plain token
const QUOTED = '"(?:[^"\\\\]|\\\\.)*"';
const UNTERMINATED = '"(?:[^"\\\\]|\\\\.)*\\\\?$';
const TTL = '\\d+(?:[wWdDhHmMsS]\\d+)*[wWdDhHmMsS]?';
const INT = '\\d+';
const HEX = '[0-9A-Fa-f]+';
const BASE64 = '[A-Za-z0-9+/]+={0,2}';
const BASE32HEX = '[0-9A-Va-v]+';
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `(?:${OCTET}\\.){3}${OCTET}`;
const IPV6 = (() => {
  const h = '[0-9A-Fa-f]{1,4}';
  const left = (a) => (a === 0 ? '' : `(?:${h}:){${a - 1}}${h}`);
  const alts = [`(?:${h}:){7}${h}`, `(?:${h}:){6}${IPV4}`];
  for (let a = 0; a <= 7; a++) alts.push(`${left(a)}::${a < 7 ? `(?:${h}(?::${h}){0,${6 - a}})?` : ''}`);
  for (let a = 0; a <= 5; a++) alts.push(`${left(a)}::(?:${h}:){0,${5 - a}}${IPV4}`);
  return `(?:${alts.join('|')})`;
})();

const inc = (name) => ({ include: `#${name}` });

// ---------------------------------------------------------------------------------------------
// Token alternatives. A field is a list of alternatives {re, scope, patterns?}; the first that
// matches the whole token wins. Most end with a catch-all marked invalid so a wrong token is
// visible at once and the chain still advances.

const unitPatterns = [{ match: '[wWdDhHmMsS]', name: sc('keyword.other.unit.ttl') }];
const escapePatterns = [inc('escape')];
const namePatterns = [{ match: '(?<![^\\s(])@(?=[\\s;()]|$)', name: sc('variable.language.origin') }, inc('escape')];
const stringAlts = [
  { re: QUOTED, scope: sc('string.quoted.double'), patterns: [inc('escape'), { match: '"', name: sc('punctuation.definition.string') }] },
  { re: UNTERMINATED, scope: sc('string.quoted.double') + ' ' + sc('invalid.illegal.unterminated-string'), patterns: [inc('escape')] },
];
/** Any token (a quoted string too): the catch-all that marks a wrong token and moves the chain on. */
const TOKEN = `(?:"(?:[^"\\\\]|\\\\.)*(?:"|$)|${WORD})`;
const invalidAlt = (what) => ({ re: TOKEN, scope: sc('invalid.illegal', what), patterns: escapePatterns });
const nameAlt = { re: WORD, scope: sc('variable.other.domain-name'), patterns: namePatterns };

function fieldAlternatives(kind, slug, tables, typeName) {
  const intAlt = { re: INT, scope: sc('constant.numeric.integer', slug) };
  switch (kind) {
    case 'u8': case 'u16': case 'u32': {
      const alts = [intAlt];
      const mn = TLSA_MNEMONICS[slug];
      if (mn && (typeName === 'TLSA' || typeName === 'SMIMEA')) alts.push({ re: words(mn), scope: sc('invalid.illegal.tlsa-mnemonic') });
      return [...alts, invalidAlt('rdata')];
    }
    case 'ttl': return [{ re: TTL, scope: sc('constant.numeric.ttl', slug), patterns: unitPatterns }, invalidAlt('rdata')];
    case 'time': return [{ re: '\\d{14}', scope: sc('constant.numeric.timestamp', slug) }, intAlt, invalidAlt('rdata')];
    case 'name': return [nameAlt, invalidAlt('rdata')];
    case 'ipv4': return [{ re: IPV4, scope: sc('constant.numeric.ipv4') }, invalidAlt('ipv4')];
    case 'ipv6': return [{ re: IPV6, scope: sc('constant.numeric.ipv6') }, invalidAlt('ipv6')];
    case 'string': return [...stringAlts, { re: WORD, scope: sc('string.unquoted'), patterns: escapePatterns }];
    case 'salt': return [{ re: '-', scope: sc('constant.language.empty-salt') }, { re: HEX, scope: sc('constant.other.hex') }, invalidAlt('hex')];
    case 'base32hex': return [{ re: BASE32HEX, scope: sc('constant.other.base32hex') }, invalidAlt('base32hex')];
    case 'type': return [{ re: tables.typeRe, scope: sc('keyword.other.rrtype') }, invalidAlt('unknown-type')];
    case 'algorithm': return [intAlt, { re: words(tables.algorithms), scope: sc('constant.language.algorithm') }, invalidAlt('rdata')];
    case 'cert-type': return [intAlt, { re: words(tables.certTypes), scope: sc('constant.language.cert-type') }, invalidAlt('rdata')];
    case 'wks-protocol': return [intAlt, { re: words(['tcp', 'udp']), scope: sc('constant.language.protocol') }, invalidAlt('rdata')];
    case 'ipseckey-gateway': return [
      { re: '\\.', scope: sc('constant.language.no-gateway') }, { re: IPV4, scope: sc('constant.numeric.ipv4') },
      { re: IPV6, scope: sc('constant.numeric.ipv6') }, nameAlt];
    case 'eui48': return [{ re: '[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}', scope: sc('constant.numeric.eui48') }, invalidAlt('rdata')];
    case 'eui64': return [{ re: '[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){7}', scope: sc('constant.numeric.eui64') }, invalidAlt('rdata')];
    case 'ilnp64': return [{ re: '[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){3}', scope: sc('constant.numeric.ilnp64') }, invalidAlt('rdata')];
    case 'nsap': return [{ re: '0[xX][0-9A-Fa-f.]+', scope: sc('constant.other.nsap') }, invalidAlt('rdata')];
    case 'atma': return [{ re: '\\+\\d+|[0-9A-Fa-f.]+', scope: sc('constant.other.atma') }, invalidAlt('rdata')];
    case 'u64': return [intAlt, invalidAlt('rdata')];
    case 'dsync-scheme': return [intAlt, { re: words(['NOTIFY']), scope: sc('constant.language.dsync-scheme') }, invalidAlt('rdata')];
    default: return undefined; // a "rest" kind: see restPatterns
  }
}

/** RFC 7218 acronyms: only ldns accepts them in TLSA RDATA (rule tlsa-mnemonic). */
const TLSA_MNEMONICS = {
  usage: ['PKIX-TA', 'PKIX-EE', 'DANE-TA', 'DANE-EE', 'PrivCert'],
  selector: ['Cert', 'SPKI', 'PrivSel'],
  'matching-type': ['Full', 'SHA2-256', 'SHA2-512', 'PrivMatch'],
};

/** Whole-token match patterns for the kinds that take the rest of the record. */
function tokenPatterns(alts) {
  return alts.map((a) => {
    const p = { match: `${BEFORE}(?:${a.re})${a.re === QUOTED || a.re === UNTERMINATED ? '' : AFTER}`, name: a.scope };
    if (a.patterns) p.captures = { 0: { patterns: a.patterns } };
    return p;
  });
}

function restPatterns(kind, tables) {
  switch (kind) {
    case 'strings': case 'text':
      return [inc('string'), ...tokenPatterns([{ re: WORD, scope: sc('string.unquoted'), patterns: escapePatterns }])];
    case 'hex': return [inc('string'), ...tokenPatterns([{ re: HEX, scope: sc('constant.other.hex') }, invalidAlt('hex')])];
    case 'base64': case 'ipseckey-key': case 'base64-or-dash':
      return [inc('string'), ...tokenPatterns([{ re: BASE64, scope: sc('constant.other.base64') }, invalidAlt('base64')])];
    case 'bitmap': case 'nxt-bitmap':
      return [inc('string'), ...tokenPatterns([{ re: tables.typeRe, scope: sc('keyword.other.rrtype') }, invalidAlt('unknown-type')])];
    case 'svcparams': return [inc('string'), inc('svcparam')];
    case 'loc': return [...tokenPatterns([
      { re: '[NSEWnsew]', scope: sc('constant.language.direction') },
      { re: '-?\\d+(?:\\.\\d+)?[mM]?', scope: sc('constant.numeric.loc') }, invalidAlt('rdata')])];
    case 'apl': return [...tokenPatterns([
      { re: `!?\\d+:[0-9A-Fa-f:.]+/\\d+`, scope: sc('constant.other.apl') }, invalidAlt('rdata')])];
    case 'wks-services': return [...tokenPatterns([{ re: INT, scope: sc('constant.numeric.integer.port') }]), inc('word')];
    case 'hip': return [inc('string'), ...tokenPatterns([{ re: HEX, scope: sc('constant.other.hex') }, { re: BASE64, scope: sc('constant.other.base64') }]), inc('word')];
    case 'a6': case 'amtrelay': return [...tokenPatterns([
      { re: INT, scope: sc('constant.numeric.integer') }, { re: IPV4, scope: sc('constant.numeric.ipv4') },
      { re: IPV6, scope: sc('constant.numeric.ipv6') }]), inc('word')];
    default: throw new Error(`gen-grammar: RDATA field kind "${kind}" has no grammar rule: add one to scripts/gen-grammar.js`);
  }
}

/** The RDATA after the last field of a type without a "rest" field: any token is one too many. */
const extraPatterns = () => [inc('string'), ...tokenPatterns([invalidAlt('extra-rdata')])];

/** A begin regex matching one field token, with one capture per alternative. */
function fieldRule(alts) {
  const parts = alts.map((a) => `(${a.re})${a.re === QUOTED || a.re === UNTERMINATED ? '' : AFTER}`);
  const beginCaptures = {};
  alts.forEach((a, i) => { beginCaptures[i + 1] = a.patterns ? { name: a.scope, patterns: a.patterns } : { name: a.scope }; });
  return { begin: `${BEFORE}(?:${parts.join('|')})`, beginCaptures };
}

const PAREN_OPEN = { 0: { name: sc('punctuation.section.parens.begin') } };
const PAREN_CLOSE = { 0: { name: sc('punctuation.section.parens.end') } };

/**
 * The field chain of one group of types: repository rules `<id>-out-<k>` (state k outside
 * parentheses), `<id>-in-<k>` (inside), `<id>-paren-<k>`, `<id>-field-out-<k>`, `<id>-field-in-<k>`.
 * `first` are extra patterns tried before the first field (the RFC 3597 `\#` form).
 */
function chain(repo, id, fields, data, first = []) {
  const n = fields.length;
  for (let k = 0; k <= n; k++) {
    const lead = k === 0 ? first.map((f) => inc(`${f}-field-out-0`)) : [];
    const leadIn = k === 0 ? first.map((f) => inc(`${f}-field-in-0`)) : [];
    repo[`${id}-out-${k}`] = {
      patterns: [inc('comment'), inc(`${id}-paren-${k}`), ...lead, ...(k < n ? [inc(`${id}-field-out-${k}`)] : data), inc('stray-close-paren')],
    };
    repo[`${id}-in-${k}`] = {
      patterns: [inc('comment'), inc('nested-open-paren'), ...leadIn, ...(k < n ? [inc(`${id}-field-in-${k}`)] : data)],
    };
    repo[`${id}-paren-${k}`] = {
      name: sc('meta.parens'), begin: '\\(', beginCaptures: PAREN_OPEN, end: '\\)', endCaptures: PAREN_CLOSE,
      patterns: [inc(`${id}-in-${k}`)],
    };
    if (k < n) {
      const fr = fieldRule(fields[k]);
      repo[`${id}-field-out-${k}`] = { ...fr, end: '(?=$)', patterns: [inc(`${id}-out-${k + 1}`)] };
      repo[`${id}-field-in-${k}`] = { ...fr, end: '(?=\\))', patterns: [inc(`${id}-in-${k + 1}`)] };
    }
  }
}

const slugOf = (name) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const NUMERIC = new Set(['u8', 'u16', 'u32', 'ttl', 'time', 'algorithm', 'cert-type']);

function build(rr) {
  const types = rr.RR_TYPES.map((t) => t.name);
  const tables = {
    typeRe: `(?:${words(types)}|(?i:TYPE)\\d+)`,
    algorithms: rr.DNSSEC_ALGORITHMS.map((a) => a.name),
    certTypes: rr.CERT_TYPES.map((a) => a.name),
  };
  const CLASS = `(?:${words(rr.CLASSES.map((c) => c.name))}|(?i:CLASS)\\d+)`;
  const OWNER = '(?:\\\\.|[^\\s;()"\\\\$])(?:\\\\.|[^\\s;()\\\\])*';
  /** `[owner] [ttl] [class] TYPE`: owner only in column 0; TTL and class in either order. */
  const header = (typeRe) =>
    `^(?:(${OWNER})|(?=[ \\t]))(?:[ \\t]+(${TTL})(?:[ \\t]+(${CLASS}))?|[ \\t]+(${CLASS})(?:[ \\t]+(${TTL}))?)?[ \\t]+(${typeRe})${AFTER}`;
  const headerCaptures = (typeScope) => ({
    1: { name: sc('entity.name.tag.owner'), patterns: namePatterns },
    2: { name: sc('constant.numeric.ttl'), patterns: unitPatterns },
    3: { name: sc('storage.type.class') },
    4: { name: sc('storage.type.class') },
    5: { name: sc('constant.numeric.ttl'), patterns: unitPatterns },
    6: { name: typeScope },
  });

  const repo = {};
  const records = [];

  // RFC 3597 generic RDATA: `\# length hex…`, allowed for every type.
  chain(repo, 'rfc3597', [
    [{ re: '\\\\#', scope: sc('keyword.operator.generic-rdata') }],
    [{ re: INT, scope: sc('constant.numeric.integer.length') }, invalidAlt('rdata')],
  ], restPatterns('hex', tables));

  // Group the types whose RDATA is written the same way (same kinds, same numeric field names).
  const groups = new Map();
  for (const t of rr.RR_TYPES) {
    const sig = t.genericOnly ? 'generic-only' : JSON.stringify([
      t.fields.map((f) => [f.kind, NUMERIC.has(f.kind) ? slugOf(f.name) : '']),
      t.name === 'TLSA' || t.name === 'SMIMEA',
    ]);
    if (!groups.has(sig)) groups.set(sig, { types: [], members: [] });
    groups.get(sig).types.push(t.name);
    groups.get(sig).members.push(t);
  }
  for (const { types: names, members } of groups.values()) {
    // Named after its DNSSEC or current member (RRSIG rather than SIG, DNSKEY rather than KEY).
    const t = members.find((m) => m.dnssec) ?? members.find((m) => !m.obsolete) ?? members[0];
    const id = `rdata-${t.name.toLowerCase()}`;
    let fields = [];
    let data;
    if (t.genericOnly) data = [inc('word')];
    else {
      const fs_ = [...t.fields];
      const last = fs_[fs_.length - 1];
      if (last && fieldAlternatives(last.kind, slugOf(last.name), tables, t.name) === undefined) {
        fs_.pop();
        data = restPatterns(last.kind, tables);
      } else data = extraPatterns();
      fields = fs_.map((f) => {
        const alts = fieldAlternatives(f.kind, slugOf(f.name), tables, t.name);
        if (!alts) throw new Error(`gen-grammar: ${t.name}: field "${f.name}" of kind ${f.kind} takes the rest of the record but is not last`);
        return alts;
      });
    }
    chain(repo, id, fields, data, ['rfc3597']);
    const rec = `record-${t.name.toLowerCase()}`;
    repo[rec] = {
      name: sc('meta.record', t.name.toLowerCase()),
      begin: header(words(names)), beginCaptures: headerCaptures(sc('keyword.other.rrtype')),
      end: '$', patterns: [inc(`${id}-out-0`)],
    };
    records.push(inc(rec));
  }

  // TYPEnnn (RFC 3597): any RDATA; the `\#` form is the portable one.
  chain(repo, 'rdata-generic', [], [inc('string'), inc('word')], ['rfc3597']);
  repo['record-generic-type'] = {
    name: sc('meta.record.generic'),
    begin: header('(?i:TYPE)\\d+'), beginCaptures: headerCaptures(sc('keyword.other.rrtype.generic')),
    end: '$', patterns: [inc('rdata-generic-out-0')],
  };
  records.push(inc('record-generic-type'));
  // A type nobody defines (rule unknown-type). Not a class, not a number: `www IN` alone is no record yet.
  repo['record-unknown-type'] = {
    name: sc('meta.record.unknown'),
    begin: header(`(?!${CLASS}${AFTER})(?!\\d)${WORD}`), beginCaptures: headerCaptures(sc('invalid.illegal.unknown-type')),
    end: '$', patterns: [inc('rdata-generic-out-0')],
  };
  records.push(inc('record-unknown-type'));

  // Directives.
  const file = [...stringAlts, { re: WORD, scope: sc('string.unquoted.filename'), patterns: escapePatterns }];
  const directive = (name, fields) => {
    const id = `directive-${name.toLowerCase()}`;
    chain(repo, `${id}-args`, fields, extraPatterns());
    repo[id] = {
      name: sc('meta.directive', name.toLowerCase()),
      begin: `^(\\$(?i:${name}))${AFTER}`, beginCaptures: { 1: { name: sc('keyword.control.directive', name.toLowerCase()) } },
      end: '$', patterns: [inc(`${id}-args-out-0`)],
    };
    return inc(id);
  };
  const directives = [
    directive('ORIGIN', [[nameAlt, invalidAlt('rdata')]]),
    directive('TTL', [fieldAlternatives('ttl', 'default', tables)]),
    directive('INCLUDE', [file, [nameAlt, invalidAlt('rdata')]]),
  ];
  repo['directive-generate'] = {
    name: sc('meta.directive.generate'),
    begin: `^(\\$(?i:GENERATE))${AFTER}`, beginCaptures: { 1: { name: sc('keyword.control.directive.generate') } },
    end: '$',
    patterns: [
      inc('comment'), inc('string'),
      { match: `${BEFORE}\\d+-\\d+(?:/\\d+)?${AFTER}`, name: sc('constant.numeric.range') },
      { match: `${BEFORE}${TTL}${AFTER}`, name: sc('constant.numeric.ttl'), captures: { 0: { patterns: unitPatterns } } },
      { match: `${BEFORE}${CLASS}${AFTER}`, name: sc('storage.type.class') },
      { match: `${BEFORE}${tables.typeRe}${AFTER}`, name: sc('keyword.other.rrtype') },
      { match: '\\$\\{[^}\\s;]*\\}|\\$', name: sc('variable.other.substitution') },
      inc('escape'), inc('generic-paren'), inc('stray-close-paren'),
    ],
  };
  directives.push(inc('directive-generate'));
  repo['directive-unknown'] = {
    name: sc('meta.directive.unknown'),
    begin: `^(\\$(?:\\\\.|[^\\s;()"\\\\])*)`, beginCaptures: { 1: { name: sc('invalid.illegal.unknown-directive') } },
    end: '$', patterns: [inc('comment'), inc('string'), inc('word'), inc('generic-paren'), inc('stray-close-paren')],
  };
  directives.push(inc('directive-unknown'));

  // Shared pieces.
  Object.assign(repo, {
    comment: { patterns: [inc('dane-zone-directive'), inc('line-comment')] },
    'line-comment': {
      match: '(;).*$', name: sc('comment.line.semicolon'), captures: { 1: { name: sc('punctuation.definition.comment') } },
    },
    // `; dane-zone cert=certs/mx1.pem next=keys/mx1-next.key` and `; dane-zone dnssec=inline`
    'dane-zone-directive': {
      name: `${sc('comment.line.semicolon')} ${sc('meta.directive.dane-zone')}`,
      begin: '(;)[ \\t]*(dane-zone)(?=\\s|$)',
      beginCaptures: { 1: { name: sc('punctuation.definition.comment') }, 2: { name: sc('keyword.control.directive.dane-zone') } },
      end: '$',
      patterns: [{
        match: `(?<!\\S)([A-Za-z][\\w-]*)(=)(${QUOTED}|\\S*)`,
        captures: {
          1: { name: sc('variable.parameter.dane-zone') },
          2: { name: sc('keyword.operator.assignment') },
          3: { name: sc('string.unquoted.dane-zone') },
        },
      }],
    },
    string: {
      name: sc('string.quoted.double'),
      begin: '"', beginCaptures: { 0: { name: sc('punctuation.definition.string.begin') } },
      end: '(")|$', endCaptures: { 1: { name: sc('punctuation.definition.string.end') } },
      patterns: [inc('escape')],
    },
    escape: {
      patterns: [
        { match: '\\\\(?:25[0-5]|2[0-4]\\d|[01]\\d\\d)', name: sc('constant.character.escape.decimal') },
        { match: '\\\\\\d{1,3}', name: sc('invalid.illegal.escape') },
        { match: '\\\\$', name: sc('invalid.illegal.escape') },
        { match: '\\\\.', name: sc('constant.character.escape') },
      ],
    },
    word: { patterns: [{ match: `${BEFORE}${INT}${AFTER}`, name: sc('constant.numeric.integer') }, inc('escape')] },
    svcparam: {
      match: `${BEFORE}(${words(rr.SVC_PARAM_KEYS.map((k) => k.name))}|(?i:key)\\d+|[^\\s;()="]+)(?:(=)(${QUOTED}|(?:\\\\.|[^\\s;()\\\\])*))?${AFTER}`,
      captures: {
        1: { name: sc('variable.parameter.svcparam') },
        2: { name: sc('keyword.operator.assignment') },
        3: { name: sc('string.unquoted.svcparam'), patterns: escapePatterns },
      },
    },
    'generic-paren': {
      name: sc('meta.parens'), begin: '\\(', beginCaptures: PAREN_OPEN, end: '\\)', endCaptures: PAREN_CLOSE,
      patterns: [inc('comment'), inc('nested-open-paren'), inc('string'), inc('word')],
    },
    'stray-close-paren': { match: '\\)', name: sc('invalid.illegal.unbalanced-parenthesis') },
    'nested-open-paren': { match: '\\(', name: sc('invalid.illegal.unbalanced-parenthesis') },
    // A line the record rules could not read (e.g. `www IN` while typing): the owner, then tokens.
    'owner-line': {
      name: sc('meta.record'),
      begin: `^(${OWNER})`, beginCaptures: { 1: { name: sc('entity.name.tag.owner'), patterns: namePatterns } },
      end: '$', patterns: [inc('comment'), inc('string'), inc('loose-token'), inc('generic-paren'), inc('stray-close-paren')],
    },
    'loose-token': {
      patterns: [
        { match: `${BEFORE}${TTL}${AFTER}`, name: sc('constant.numeric.ttl'), captures: { 0: { patterns: unitPatterns } } },
        { match: `${BEFORE}${CLASS}${AFTER}`, name: sc('storage.type.class') },
        inc('escape'),
      ],
    },
    directives: { patterns: directives },
    records: { patterns: records },
  });

  return {
    information_for_contributors: [
      'Generated by scripts/gen-grammar.js from server/src/core/rrtypes.ts. Do not edit by hand:',
      'change the generator or the table and run `node scripts/gen-grammar.js`.',
    ],
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'DNS Zone',
    scopeName: `source.${S}`,
    fileTypes: ['zone', 'signed', 'arpa'],
    patterns: [
      inc('directives'), inc('comment'), inc('records'), inc('owner-line'),
      inc('string'), inc('loose-token'), inc('generic-paren'), inc('stray-close-paren'),
    ],
    repository: repo,
  };
}

/** `daneZone.severity` → one property per diagnostic code, in the table's order. */
function severityProperties(rules) {
  const props = {};
  const sectionOf = (href) => { const m = /rfc(\d+)(?:#section-([\w.-]+))?/.exec(href); return m ? `RFC ${m[1]}${m[2] ? ` §${m[2]}` : ''}` : href; };
  for (const r of rules.RULES.values()) {
    props[r.code] = {
      type: 'string',
      enum: ['error', 'warning', 'information', 'hint', 'off'],
      markdownDescription: `${r.title} (default: \`${r.severity}\`). [${sectionOf(r.href)}](${r.href})`,
    };
  }
  return props;
}

/** package.json with the severity codes filled in (other keys untouched, same order). */
function packageText(rules) {
  const text = fs.readFileSync(PACKAGE, 'utf8');
  const pkg = JSON.parse(text);
  const sev = pkg.contributes && pkg.contributes.configuration && pkg.contributes.configuration.properties
    && pkg.contributes.configuration.properties['daneZone.severity'];
  if (!sev) throw new Error('gen-grammar: package.json has no contributes.configuration.properties["daneZone.severity"]');
  sev.properties = severityProperties(rules);
  return { old: text, text: JSON.stringify(pkg, null, 2) + '\n' };
}

function main() {
  const check = process.argv.includes('--check');
  for (const f of [RRTYPES, REGISTRIES, RULES]) {
    if (!fs.existsSync(f)) {
      console.error(`gen-grammar: ${path.relative(root, f)} not found`);
      process.exit(2);
    }
  }
  const text = JSON.stringify(build({ ...loadTs(RRTYPES), ...loadTs(REGISTRIES) }), null, 1) + '\n';
  const pkg = packageText(loadTs(RULES));
  if (check) {
    const old = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
    let ok = true;
    if (old !== text) {
      console.error(`gen-grammar: ${path.relative(root, OUT)} is out of date with ${path.relative(root, RRTYPES)}: run \`node scripts/gen-grammar.js\``);
      ok = false;
    }
    if (pkg.old !== pkg.text) {
      console.error(`gen-grammar: the daneZone.severity codes in package.json are out of date with ${path.relative(root, RULES)}: run \`node scripts/gen-grammar.js\``);
      ok = false;
    }
    if (!ok) process.exit(1);
    console.log(`gen-grammar: ${path.relative(root, OUT)} and the severity codes in package.json are up to date`);
    return;
  }
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, text);
  console.log(`gen-grammar: wrote ${path.relative(root, OUT)} (${text.length} bytes)`);
  if (pkg.old !== pkg.text) {
    fs.writeFileSync(PACKAGE, pkg.text);
    console.log('gen-grammar: updated the daneZone.severity codes in package.json');
  }
}

if (require.main === module) main();
module.exports = { build, loadTs, RRTYPES, REGISTRIES, OUT };
