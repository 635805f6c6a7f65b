/**
 * Differential test: npm dns-zonefile (0.3.2) as an independent oracle for parseZone.
 *
 * fast-check generates zones inside the subset dns-zonefile understands (A, AAAA, NS, CNAME,
 * MX, TXT, SRV, PTR, CAA, one SOA, $ORIGIN/$TTL, relative and absolute names, blank owners,
 * comments, CRLF), both parsers read the same text, and every record must agree on owner,
 * type, class, TTL and RDATA. RDATA is compared semantically: each side is turned into RDATA
 * wire bytes (ours: `record.wire`; the oracle's: built here from its fields, with names made
 * absolute against the origin), and names in RDATA are also compared as normalized names.
 *
 * dns-zonefile quirks this generator stays clear of (each was read in its lib/zonefile.js or
 * seen in a run), so that a disagreement is always worth a look:
 *  - It returns records grouped by type (`{a: [...], mx: [...]}`), not in file order: we
 *    compare type by type, in file order within a type.
 *  - Names come back exactly as written (`@`, `www`, `host.example.`); only the LAST $ORIGIN
 *    and $TTL are kept, as strings. So each zone has at most one $ORIGIN and one $TTL, at the
 *    top, and we make its names absolute ourselves. Only `ttl` given on the record itself is
 *    returned; otherwise the effective TTL is the $TTL.
 *  - A blank owner inherits the owner of the previous record OF THE SAME TYPE (or `@`; for PTR
 *    the line is misread). We only write a blank owner after a record of the same type.
 *  - `TTL CLASS TYPE` order only (`IN 300 A` is misread), numeric TTLs only (`1h` is kept as a
 *    string), class `IN` and type mnemonics in upper case only (`in`/`a` become the type).
 *  - Parentheses are only understood for the first SOA (a regex, case-insensitive, from the
 *    first "soa" in the text to the next `(`…`)`). So the SOA is the first record and is the
 *    only parenthesised one, no name before it contains "soa", and when the SOA is written on
 *    one line no quoted string contains a parenthesis (the regex would swallow it).
 *  - Quotes: `'` outside double quotes starts a quoted run, and backslash escapes are not
 *    understood. Names use [A-Za-z0-9_-] and `*`; strings have no `"` or `\`.
 *  - TXT comes back as the raw text after the type, quotes kept (`"a b" "c"`); CAA `value`
 *    keeps its quotes. We split/strip them again to compare.
 *  - The SOA owner must be written (a blank SOA owner is misread), `$ORIGIN` must be upper
 *    case at column 0, and comment lines must start with `;` after optional white space.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseZone } from '../../server/src/core/parser';
import { nameToWire, parseName } from '../../server/src/core/names';
import type { ZoneRecord } from '../../server/src/core/model';

// ---------------------------------------------------------------- dns-zonefile, loaded at run time

interface DzRec { name: string; ttl?: number; [k: string]: unknown }
interface DzZone {
  $origin?: string;
  $ttl?: string | number;
  soa?: DzRec & { mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number };
  [type: string]: unknown;
}
interface DnsZonefile { parse(text: string): DzZone }

let dz: DnsZonefile;
before(async () => {
  // dns-zonefile 0.3.2 is an ES module: Node ≥ 20.19 can require() it; older Nodes import() it.
  let mod: { default?: DnsZonefile } & Partial<DnsZonefile>;
  try {
    mod = require('dns-zonefile');
  } catch {
    const dynamicImport = new Function('s', 'return import(s)') as (s: string) => Promise<typeof mod>;
    mod = await dynamicImport('dns-zonefile');
  }
  dz = (mod.default ?? mod) as DnsZonefile;
});

// ---------------------------------------------------------------- the zone model and its text

type RType = 'A' | 'AAAA' | 'NS' | 'CNAME' | 'PTR' | 'MX' | 'TXT' | 'SRV' | 'CAA';

/** A name as written in the zone. */
interface WName { text: string }

type Rdata =
  | { type: 'A'; octets: number[] }
  | { type: 'AAAA'; groups: number[]; style: number }
  | { type: 'NS' | 'CNAME' | 'PTR'; target: WName }
  | { type: 'MX'; pref: number; target: WName }
  | { type: 'TXT'; parts: { text: string; quoted: boolean }[] }
  | { type: 'SRV'; prio: number; weight: number; port: number; target: WName }
  | { type: 'CAA'; flags: number; tag: string; value: string; quoted: boolean };

interface RecSpec {
  owner: WName;
  blank: boolean; // written with a blank owner when the previous record has the same type
  ttl?: number;
  cls: boolean;
  rdata: Rdata;
  comment?: string;
}

interface SoaSpec {
  owner: WName;
  ttl?: number;
  cls: boolean;
  mname: WName;
  rname: WName;
  serial: number;
  timers: [number, number, number, number];
  multiLine: boolean;
}

interface ZoneSpec {
  /** 'directive': `$ORIGIN` in the text; 'option': ParseOptions.origin; 'none': absolute names only. */
  originMode: 'directive' | 'option' | 'none';
  origin: string;
  defaultTtl?: number;
  soa: SoaSpec;
  records: RecSpec[];
  sep: string;
  crlf: boolean;
  blankLines: boolean;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const labelArb = fc
  .tuple(
    fc.constantFrom(...(LETTERS + DIGITS + '_').split('')),
    fc.string({ unit: fc.constantFrom(...(LETTERS + DIGITS + '-_').split('')), maxLength: 9 }),
  )
  .map(([a, b]) => a + b)
  .filter((l) => !/soa/i.test(l) && !l.endsWith('-'));
const originArb = fc.array(labelArb, { minLength: 1, maxLength: 3 }).map((ls) => ls.join('.') + '.');
const ttlArb = fc.oneof(fc.integer({ min: 0, max: 86400 * 7 }), fc.constantFrom(0, 1, 300, 3600, 2147483647));
/** Characters of quoted strings (no `"` or `\`; a few non-ASCII ones). Parentheses are added later when allowed. */
const STRING_CHARS = (LETTERS + DIGITS + " !#$%&'*+,-./:;<=>?@[]^_`{|}~").split('').concat(['é', 'ü', 'ß', '€', '→']);
const strArb = fc.string({ unit: fc.constantFrom(...STRING_CHARS), maxLength: 40 });
const wordArb = fc.string({ unit: fc.constantFrom(...(LETTERS + DIGITS + '=.-_:/@+').split('')), minLength: 1, maxLength: 20 });

/** A name written relative (`www`), as `@`, or absolute (below the origin or elsewhere). */
function nameArb(originMode: ZoneSpec['originMode'], origin: string): fc.Arbitrary<WName> {
  const rel = fc.array(labelArb, { minLength: 1, maxLength: 3 }).map((ls) => ls.join('.'));
  const abs = fc.oneof(
    rel.map((r) => `${r}.${origin}`),
    fc.array(labelArb, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('.') + '.'),
  );
  const wild = rel.map((r) => `*.${r}`);
  if (originMode === 'none') return fc.oneof(abs, wild.map((w) => w + '.')).map((text) => ({ text }));
  return fc.oneof({ weight: 4, arbitrary: rel }, { weight: 1, arbitrary: fc.constant('@') }, { weight: 3, arbitrary: abs }, { weight: 1, arbitrary: wild })
    .map((text) => ({ text }));
}

function rdataArb(originMode: ZoneSpec['originMode'], origin: string): fc.Arbitrary<Rdata> {
  const name = nameArb(originMode, origin);
  const u16 = fc.integer({ min: 0, max: 65535 });
  return fc.oneof(
    fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }).map((octets) => ({ type: 'A' as const, octets })),
    fc.record({ groups: fc.array(fc.oneof(u16, fc.constant(0)), { minLength: 8, maxLength: 8 }), style: fc.integer({ min: 0, max: 5 }) })
      .map((r) => ({ type: 'AAAA' as const, ...r })),
    fc.record({ type: fc.constantFrom('NS' as const, 'CNAME' as const, 'PTR' as const), target: name }),
    fc.record({ pref: u16, target: name }).map((r) => ({ type: 'MX' as const, ...r })),
    fc.array(fc.oneof({ weight: 4, arbitrary: strArb.map((text) => ({ text, quoted: true })) }, { weight: 1, arbitrary: wordArb.map((text) => ({ text, quoted: false })) }), { minLength: 1, maxLength: 4 })
      .map((parts) => ({ type: 'TXT' as const, parts })),
    fc.record({ prio: u16, weight: u16, port: u16, target: fc.oneof({ weight: 5, arbitrary: name }, { weight: 1, arbitrary: fc.constant({ text: '.' }) }) })
      .map((r) => ({ type: 'SRV' as const, ...r })),
    fc.record({
      flags: fc.oneof(fc.constantFrom(0, 128), fc.integer({ min: 0, max: 255 })),
      tag: fc.oneof(fc.constantFrom('issue', 'issuewild', 'iodef'), fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split('')), minLength: 1, maxLength: 15 })),
      value: fc.oneof(fc.constantFrom('letsencrypt.org', 'ca.example.net; account=230123', 'mailto:security@example.com', ';', ''), strArb),
      quoted: fc.boolean(),
    }).map((r) => ({ type: 'CAA' as const, ...r, quoted: r.quoted || !/^[A-Za-z0-9.:@=-]+$/.test(r.value) })),
  );
}

const zoneArb: fc.Arbitrary<ZoneSpec> = fc
  .record({
    originMode: fc.constantFrom('directive' as const, 'directive' as const, 'option' as const, 'none' as const),
    origin: originArb,
    hasDefaultTtl: fc.integer({ min: 0, max: 6 }),
    defaultTtl: ttlArb,
  })
  .chain(({ originMode, origin, hasDefaultTtl, defaultTtl }) => {
    const withDefault = hasDefaultTtl > 0; // one zone in seven has no $TTL: then every record has a TTL
    const ttl = withDefault ? fc.option(ttlArb, { nil: undefined, freq: 2 }) : ttlArb.map((t): number | undefined => t);
    const name = nameArb(originMode, origin);
    const soaOwner = originMode === 'none' ? fc.constant({ text: origin }) : fc.constantFrom({ text: '@' }, { text: origin });
    const soa = fc.record({
      owner: soaOwner,
      ttl,
      cls: fc.boolean(),
      mname: name,
      rname: name,
      serial: fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.constant(2024010101)),
      timers: fc.tuple(ttlArb, ttlArb, ttlArb, ttlArb),
      multiLine: fc.boolean(),
    });
    const rec = fc.record({
      owner: name,
      blank: fc.integer({ min: 0, max: 2 }).map((x) => x === 0),
      ttl,
      cls: fc.boolean(),
      rdata: rdataArb(originMode, origin),
      comment: fc.option(fc.string({ unit: fc.constantFrom(...(LETTERS + DIGITS + ' ;()"').split('')), maxLength: 15 }), { nil: undefined, freq: 4 }),
    });
    return fc.record({
      originMode: fc.constant(originMode),
      origin: fc.constant(origin),
      defaultTtl: fc.constant(withDefault ? defaultTtl : undefined),
      soa,
      records: fc.array(rec, { maxLength: 25 }),
      sep: fc.constantFrom('\t', ' ', '  ', ' \t'),
      crlf: fc.integer({ min: 0, max: 4 }).map((x) => x === 0),
      blankLines: fc.boolean(),
    });
  });

/** `::` for the longest run of zero groups (even a single one), else plain. */
function compress(groups: number[]): string {
  const hex = (g: number) => g.toString(16);
  let best = -1, bestLen = 0;
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  if (best < 0) return groups.map(hex).join(':');
  return groups.slice(0, best).map(hex).join(':') + '::' + groups.slice(best + bestLen).map(hex).join(':');
}

/** The AAAA address in one of six presentation styles. */
function aaaaText(groups: number[], style: number): string {
  const hex = (g: number) => g.toString(16);
  const v4 = `${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`;
  switch (style) {
    case 0: return groups.map(hex).join(':');
    case 1: return groups.map((g) => hex(g).padStart(4, '0').toUpperCase()).join(':');
    case 2: return compress(groups);
    case 3: return `${groups.slice(0, 6).map(hex).join(':')}:${v4}`;
    case 4: { const c = compress(groups.slice(0, 6)); return c.endsWith('::') ? c + v4 : `${c}:${v4}`; }
    default: return compress(groups).toUpperCase();
  }
}

function rdataText(r: Rdata, allowParens: boolean): string {
  const q = (s: string) => `"${allowParens ? s : s.replace(/[()]/g, '_')}"`;
  switch (r.type) {
    case 'A': return r.octets.join('.');
    case 'AAAA': return aaaaText(r.groups, r.style);
    case 'NS': case 'CNAME': case 'PTR': return r.target.text;
    case 'MX': return `${r.pref} ${r.target.text}`;
    case 'TXT': return r.parts.map((p) => (p.quoted ? q(p.text) : p.text)).join(' ');
    case 'SRV': return `${r.prio} ${r.weight} ${r.port} ${r.target.text}`;
    case 'CAA': return `${r.flags} ${r.tag} ${r.quoted ? q(r.value) : r.value}`;
  }
}

/** The zone text. Keeps parentheses out of strings when the SOA is on one line (see the header). */
function render(z: ZoneSpec): string {
  const nl = z.crlf ? '\r\n' : '\n';
  const s = z.sep;
  const lines: string[] = ['; generated by oracle.test.ts'];
  if (z.originMode === 'directive') lines.push(`$ORIGIN ${z.origin}`);
  if (z.defaultTtl !== undefined) lines.push(`$TTL ${z.defaultTtl}`);
  const o = z.soa;
  const head = [o.owner.text, o.ttl, o.cls ? 'IN' : undefined, 'SOA'].filter((x) => x !== undefined).join(s);
  if (o.multiLine) {
    lines.push(`${head}${s}${o.mname.text} ${o.rname.text} (`, `${s}${s}${o.serial} ; serial`, ...o.timers.map((t, i) => `${s}${s}${t}${i === 3 ? ' )' : ''} ; timer ${i}`));
  } else {
    lines.push(`${head}${s}${o.mname.text}${s}${o.rname.text}${s}${o.serial}${s}${o.timers.join(s)}`);
  }
  let prevType = 'SOA';
  for (const r of z.records) {
    if (z.blankLines && r.comment === undefined && r.ttl === undefined) lines.push('', `${s}; a comment line`);
    const blank = r.blank && prevType === r.rdata.type;
    const fields = [blank ? '' : r.owner.text, r.ttl, r.cls ? 'IN' : undefined, r.rdata.type, rdataText(r.rdata, o.multiLine)]
      .filter((x) => x !== undefined);
    let line = fields.join(s); // a blank owner leaves the line starting with the separator
    if (r.comment !== undefined) line += `${s}; ${o.multiLine ? r.comment : r.comment.replace(/[()]/g, '_')}`;
    lines.push(line);
    prevType = r.rdata.type;
  }
  return lines.join(nl) + nl;
}

// ---------------------------------------------------------------- normalizing the oracle's answer

function absName(text: string, origin: string | undefined): string {
  if (text === '@') return origin!;
  if (text.endsWith('.')) return text;
  return origin === '.' ? `${text}.` : `${text}.${origin}`;
}

const u8 = (n: number) => [n & 255];
const u16 = (n: number) => [(n >> 8) & 255, n & 255];
const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const utf8 = (s: string) => [...Buffer.from(s, 'utf8')];

/** IPv6 text (as the oracle returns it) → 16 bytes. Only for well-formed input from our generator. */
function ipv6Bytes(text: string): number[] {
  let tail: number[] = [];
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    tail = [(a << 8) | b, (c << 8) | d];
    text = text.slice(0, v4.index);
    if (!text.endsWith('::')) text = text.slice(0, -1); // the `:` before the dotted quad
  }
  const parseGroups = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const want = 8 - tail.length;
  let groups: number[];
  const dbl = text.indexOf('::');
  if (dbl >= 0) {
    const left = parseGroups(text.slice(0, dbl));
    const right = parseGroups(text.slice(dbl + 2));
    groups = [...left, ...new Array<number>(want - left.length - right.length).fill(0), ...right];
  } else groups = parseGroups(text);
  return [...groups, ...tail].flatMap(u16);
}

/** Splits the oracle's TXT text (`"a b" c ""`) back into its strings. */
function splitTxt(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === ' ' || s[i] === '\t') { i++; continue; }
    if (s[i] === '"') {
      const j = s.indexOf('"', i + 1);
      out.push(s.slice(i + 1, j));
      i = j + 1;
    } else {
      let j = i;
      while (j < s.length && s[j] !== ' ' && s[j] !== '\t') j++;
      out.push(s.slice(i, j));
      i = j;
    }
  }
  return out;
}
const unquote = (s: string) => (s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s);

interface Expected { owner: string; ttl: number | undefined; wire: number[]; names: string[] }

/** The oracle's records of one type, normalized: absolute names, effective TTL, RDATA wire. */
function expectedOf(type: string, list: DzRec[], z: DzZone, origin: string | undefined): Expected[] {
  const defTtl = z.$ttl === undefined ? undefined : Number(z.$ttl);
  const name = (t: unknown) => absName(String(t), origin);
  return list.map((r) => {
    let wire: number[];
    let names: string[] = [];
    switch (type) {
      case 'A': wire = String(r.ip).split('.').map(Number); break;
      case 'AAAA': wire = ipv6Bytes(String(r.ip)); break;
      case 'NS': case 'PTR': names = [name(r.host)]; wire = [...nameToWire(names[0])]; break;
      case 'CNAME': names = [name(r.alias)]; wire = [...nameToWire(names[0])]; break;
      case 'MX': names = [name(r.host)]; wire = [...u16(Number(r.preference)), ...nameToWire(names[0])]; break;
      case 'TXT': wire = splitTxt(String(r.txt)).flatMap((t) => [utf8(t).length, ...utf8(t)]); break;
      case 'SRV': names = [name(r.target)]; wire = [...u16(Number(r.priority)), ...u16(Number(r.weight)), ...u16(Number(r.port)), ...nameToWire(names[0])]; break;
      case 'CAA': {
        const tag = String(r.tag);
        wire = [...u8(Number(r.flags)), tag.length, ...utf8(tag), ...utf8(unquote(String(r.value)))];
        break;
      }
      case 'SOA': {
        const s = r as NonNullable<DzZone['soa']>;
        names = [name(s.mname), name(s.rname)];
        wire = [...nameToWire(names[0]), ...nameToWire(names[1]), ...u32(s.serial), ...u32(s.refresh), ...u32(s.retry), ...u32(s.expire), ...u32(s.minimum)];
        break;
      }
      default: throw new Error(`no oracle normalization for ${type}`);
    }
    return { owner: name(r.name), ttl: r.ttl ?? defTtl, wire, names };
  });
}

/** The names in our record's RDATA, normalized by the names module against the record's origin. */
function ourNames(rec: ZoneRecord): string[] {
  const idx: Record<string, number[]> = { NS: [0], CNAME: [0], PTR: [0], MX: [1], SRV: [3], SOA: [0, 1] };
  return (idx[rec.typeName] ?? []).map((i) => {
    const t = rec.rdata[i];
    return t ? parseName(t.text, rec.origin).name ?? `<invalid ${t.text}>` : '<missing>';
  });
}

const hex = (b: ArrayLike<number> | undefined) => (b ? Buffer.from(Array.from(b)).toString('hex') : 'undefined');

/** Records compared so far, per type (to show the test is not vacuous). */
const compared = new Map<string, number>();

/** Parses with both and throws (with the zone text) on the first disagreement. */
function compare(text: string, z: ZoneSpec): void {
  const options = z.originMode === 'option' ? { origin: z.origin } : {};
  const parsed = parseZone(text, options);
  const oracle = dz.parse(text);
  const where = `\n--- zone ---\n${text}------------`;
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => `${d.code}: ${d.message} at ${JSON.stringify(text.slice(d.start, d.end))}`), [], `parseZone reported errors on a valid zone${where}`);
  const origin = z.originMode === 'none' ? undefined : z.origin;

  const ours = new Map<string, ZoneRecord[]>();
  for (const r of parsed.records) {
    const list = ours.get(r.typeName) ?? [];
    list.push(r);
    ours.set(r.typeName, list);
  }
  const types = new Set([...ours.keys(), 'SOA', ...Object.keys(oracle).filter((k) => Array.isArray(oracle[k])).map((k) => k.toUpperCase())]);
  for (const type of types) {
    const theirs = type === 'SOA' ? (oracle.soa ? [oracle.soa] : []) : ((oracle[type.toLowerCase()] as DzRec[] | undefined) ?? []);
    const exp = expectedOf(type, theirs, oracle, origin);
    const got = ours.get(type) ?? [];
    assert.equal(got.length, exp.length, `${type}: parseZone has ${got.length} records, dns-zonefile ${exp.length}${where}`);
    got.forEach((rec, i) => {
      const e = exp[i];
      const what = `${type} #${i + 1} (${JSON.stringify(text.slice(rec.start, rec.end))})`;
      assert.equal(rec.owner, e.owner, `${what}: owner${where}`);
      assert.equal(rec.ownerKey, rec.owner.toLowerCase(), `${what}: ownerKey${where}`);
      assert.equal(rec.ttl, e.ttl, `${what}: TTL${where}`);
      assert.equal(rec.classCode, 1, `${what}: class${where}`);
      assert.equal(rec.ok, true, `${what}: ok${where}`);
      assert.deepEqual(ourNames(rec), e.names, `${what}: names in RDATA${where}`);
      assert.equal(hex(rec.wire), hex(e.wire), `${what}: RDATA wire${where}`);
      compared.set(type, (compared.get(type) ?? 0) + 1);
    });
  }
}

const seed = process.env.DANE_ZONE_FC_SEED === 'random' ? undefined : Number(process.env.DANE_ZONE_FC_SEED ?? 20240611);

test('dns-zonefile agrees with parseZone on generated zones', () => {
  fc.assert(
    fc.property(zoneArb, (z) => {
      compare(render(z), z);
    }),
    { numRuns: 400, seed },
  );
  // Every type was exercised, many times.
  for (const t of ['SOA', 'A', 'AAAA', 'NS', 'CNAME', 'PTR', 'MX', 'TXT', 'SRV', 'CAA']) {
    assert.ok((compared.get(t) ?? 0) >= 50, `only ${compared.get(t) ?? 0} ${t} records compared`);
  }
});

test('the oracle harness itself: a hand-written zone with every type', () => {
  const text = [
    '$ORIGIN example.com.',
    '$TTL 3600',
    '@ IN SOA ns1 hostmaster.example.com. ( 2024010101 7200 3600 1209600 300 )',
    '@ 300 IN NS ns1',
    '  300 IN NS ns2.example.net.',
    'www IN A 192.0.2.1',
    '    IN A 192.0.2.2 ; blank owner, same type',
    'v6 IN AAAA 2001:db8::1',
    'v4m IN AAAA ::ffff:192.0.2.9',
    'alias CNAME www',
    '@ MX 10 mail',
    '@ TXT "v=spf1 -all" "second string" bare',
    '_sip._tcp 600 IN SRV 10 60 5060 sip.example.com.',
    '1.2 PTR host.example.org.',
    '@ CAA 0 issue "letsencrypt.org"',
    '@ CAA 128 iodef "mailto:sec@example.com"',
  ].join('\n') + '\n';
  const z = { originMode: 'directive' } as ZoneSpec;
  z.origin = 'example.com.';
  compare(text, z);
  // Our reading of the oracle's AAAA forms.
  assert.equal(hex(ipv6Bytes('::ffff:192.0.2.9')), '00000000000000000000ffffc0000209');
  assert.equal(hex(ipv6Bytes('2001:db8::1')), '20010db8000000000000000000000001');
  assert.equal(hex(ipv6Bytes('1:2:3:4:5:6:7.8.9.10')), '0001000200030004000500060708090a');
});
