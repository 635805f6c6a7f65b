import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { addAsyncStages, checkText } from '../../server/src/core/pipeline/run';
import { parseZone } from '../../server/src/core/parser';
import { keyTag as keyTagOf } from '../../server/src/core/dnssec/wire';
import { ZoneDiagnostic, ZoneIO } from '../../server/src/core/types';
import { NativeVerifier } from '../../server/src/core/webcrypto';
import { nodeVerifier } from '../../server/src/node/verifier';

/**
 * Zones signed during the test run by dnssec-signzone (BIND), ldns-signzone and kzonesign
 * (Knot) with NSEC, NSEC3 and NSEC3 opt-out, each algorithm, with and without ZONEMD; and
 * broken copies of each. For every one, dane-zone's verdict (bogus or not) must agree with
 * `kzonecheck -d on` and `ldns-verify-zone`, and the finding must be on the record that
 * was broken. The table of verdicts is written to $DNSSEC_AGREEMENT_TABLE when set.
 *
 * Where the two tools disagree (ldns-verify-zone does not look at CDS/CDNSKEY), dane-zone
 * follows RFC 7344/8078 and kzonecheck: a CDS that matches no DNSKEY is an error.
 */

const TOOLS = ['dnssec-keygen', 'dnssec-signzone', 'ldns-keygen', 'ldns-signzone', 'kzonesign', 'kzonecheck', 'ldns-verify-zone'];
const missing = TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
const skip = missing.length ? `needs ${missing.join(', ')} (apt packages bind9-utils, ldnsutils, knot-dnssecutils; .ci/run installs them)` : false;

const ORIGIN = 'example.';
const INCEPTION = '20240101000000';
const EXPIRATION = '20350101000000';
/** When every tool checks the zones (inside the signatures' validity). */
const NOW = new Date('2025-01-03T00:00:00Z');
/** After every signature expired. */
const LATER = new Date('2036-01-01T00:00:00Z');

const UNSIGNED = `$ORIGIN example.
$TTL 3600
@	SOA	ns1 hostmaster 2024010101 7200 3600 1209600 3600
	NS	ns1
	NS	ns2.other.net.
	MX	10 mx
ns1	A	192.0.2.1
mx	A	192.0.2.2
	AAAA	2001:db8::2
_25._tcp.mx	TLSA	3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
_25._tcp.mx	TLSA	2 1 1 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
www	CNAME	mx
*.wild	TXT	"wildcard"
a.b.c	A	192.0.2.3
secure	NS	ns.secure
secure	DS	12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ns.secure	A	192.0.2.4
insecure	NS	ns.insecure
ns.insecure	A	192.0.2.5
insecure2	NS	ns.other.net.
`;

type Mode = 'nsec' | 'nsec3' | 'optout';
interface Config {
  signer: 'bind' | 'ldns' | 'knot';
  alg: number;
  mode: Mode;
  /** ZONEMD hash: 1 SHA-384, 2 SHA-512. */
  zonemd?: 1 | 2;
  /** NSEC3 with a salt and extra iterations (RFC 9276 says neither): nsec3-params, a warning, and the zone still valid. */
  oldParams?: boolean;
  /** ldns-signzone -A: the DNSKEY RRset signed by every key (the ZSK too). */
  allKeys?: boolean;
}

const ALG_NAMES: Record<number, string> = {
  5: 'RSASHA1', 7: 'RSASHA1-NSEC3-SHA1', 8: 'RSASHA256', 10: 'RSASHA512', 13: 'ECDSAP256SHA256', 14: 'ECDSAP384SHA384', 15: 'ED25519', 16: 'ED448',
};

const CONFIGS: Config[] = [
  { signer: 'bind', alg: 8, mode: 'nsec' },
  { signer: 'bind', alg: 10, mode: 'nsec3' },
  { signer: 'bind', alg: 13, mode: 'optout' },
  { signer: 'bind', alg: 5, mode: 'nsec' },
  { signer: 'bind', alg: 7, mode: 'nsec3' },
  { signer: 'bind', alg: 13, mode: 'nsec3', oldParams: true },
  { signer: 'ldns', alg: 15, mode: 'nsec', zonemd: 1 },
  { signer: 'ldns', alg: 14, mode: 'nsec3', zonemd: 2 },
  { signer: 'ldns', alg: 16, mode: 'optout' },
  { signer: 'ldns', alg: 13, mode: 'nsec', allKeys: true },
  { signer: 'knot', alg: 13, mode: 'nsec', zonemd: 1 },
  { signer: 'knot', alg: 15, mode: 'optout', zonemd: 1 },
  { signer: 'knot', alg: 8, mode: 'nsec3' },
  { signer: 'knot', alg: 16, mode: 'nsec' },
];

function run(cmd: string, args: string[], cwd: string): { status: number; out: string; stdout: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status ?? -1, out: `${r.stdout ?? ''}${r.stderr ?? ''}`, stdout: r.stdout ?? '' };
}

/** Runs a tool that must succeed; returns its standard output. */
function must(cmd: string, args: string[], cwd: string): string {
  const r = run(cmd, args, cwd);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.out}`);
  return r.stdout;
}

/** A CDS with a digest that matches nothing, next to a CDNSKEY of the zone's KSK (so kzonecheck compares the two). */
function badCds(kskRdata: string, tag: number): string {
  const alg = kskRdata.split(/\s+/)[2];
  return `@ 3600 CDS ${tag} ${alg} 2 ${'ab'.repeat(32)}\n@ 3600 CDNSKEY ${kskRdata}\n`;
}

function keyRdata(keyFile: string): string {
  const line = fs.readFileSync(keyFile, 'utf8').split('\n').find((l) => /\sDNSKEY\s/.test(l) && !l.startsWith(';'))!;
  return line.replace(/^.*\sDNSKEY\s+/, '').trim();
}

/** Signs `UNSIGNED` (+ `extra` records) in `dir`; returns the signed text. */
function sign(c: Config, dir: string, extra: (ksk: { rdata: string; tag: number }) => string = () => ''): string {
  fs.mkdirSync(dir, { recursive: true });
  const unsigned = path.join(dir, 'example.zone');
  const out = path.join(dir, 'signed.zone');
  if (c.signer === 'bind') {
    const name = c.alg === 7 ? 'NSEC3RSASHA1' : ALG_NAMES[c.alg];
    const size = c.alg <= 10 ? ['-b', '1024'] : [];
    must('dnssec-keygen', ['-q', '-a', name, ...size, '-K', dir, ORIGIN], dir);
    const ksk = must('dnssec-keygen', ['-q', '-a', name, ...size, '-f', 'KSK', '-K', dir, ORIGIN], dir).trim();
    fs.writeFileSync(unsigned, UNSIGNED + extra({ rdata: keyRdata(path.join(dir, ksk + '.key')), tag: Number(ksk.split('+')[2]) }));
    const nsec3 = c.mode === 'nsec' ? [] : ['-3', c.oldParams ? 'aabbccdd' : '-', '-H', c.oldParams ? '5' : '0', ...(c.mode === 'optout' ? ['-A'] : [])];
    must('dnssec-signzone', ['-q', '-K', dir, '-S', '-o', ORIGIN, ...nsec3, '-f', out, '-s', INCEPTION, '-e', EXPIRATION, unsigned], dir);
  } else if (c.signer === 'ldns') {
    const zsk = must('ldns-keygen', ['-a', ALG_NAMES[c.alg], ...(c.alg <= 10 ? ['-b', '1024'] : []), ORIGIN], dir).trim();
    const ksk = must('ldns-keygen', ['-k', '-a', ALG_NAMES[c.alg], ...(c.alg <= 10 ? ['-b', '1024'] : []), ORIGIN], dir).trim();
    fs.writeFileSync(unsigned, UNSIGNED + extra({ rdata: keyRdata(path.join(dir, ksk + '.key')), tag: Number(ksk.split('+')[2]) }));
    const nsec3 = c.mode === 'nsec' ? [] : ['-n', '-t', '0', ...(c.mode === 'optout' ? ['-p'] : [])];
    const zonemd = c.zonemd ? ['-z', `1:${c.zonemd}`] : [];
    must('ldns-signzone', ['-o', ORIGIN, ...nsec3, ...zonemd, ...(c.allKeys ? ['-A'] : []), '-f', out, '-i', INCEPTION, '-e', EXPIRATION, unsigned, zsk, ksk], dir);
  } else {
    fs.mkdirSync(path.join(dir, 'db'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'knot.conf'), [
      'database:', `    storage: ${path.join(dir, 'db')}`,
      'policy:', '  - id: p', `    algorithm: ${ALG_NAMES[c.alg].toLowerCase()}`, ...(c.alg <= 10 ? ['    zsk-size: 1024', '    ksk-size: 1024'] : []),
      `    nsec3: ${c.mode === 'nsec' ? 'off' : 'on'}`, '    nsec3-iterations: 0', '    nsec3-salt-length: 0', `    nsec3-opt-out: ${c.mode === 'optout' ? 'on' : 'off'}`,
      '    rrsig-lifetime: 30d', '    rrsig-refresh: 1d',
      'template:', '  - id: default', `    storage: ${dir}`, '    dnssec-signing: on', '    dnssec-policy: p',
      ...(c.zonemd ? [`    zonemd-generate: zonemd-${c.zonemd === 1 ? 'sha384' : 'sha512'}`] : []),
      'zone:', `  - domain: ${ORIGIN}`, '    file: example.zone', '',
    ].join('\n'));
    fs.writeFileSync(unsigned, UNSIGNED);
    const outDir = path.join(dir, 'out');
    fs.mkdirSync(outDir, { recursive: true });
    must('kzonesign', ['-c', path.join(dir, 'knot.conf'), '-o', outDir, '-t', String(Math.floor(NOW.getTime() / 1000) - 86400), ORIGIN], dir);
    fs.renameSync(path.join(outDir, 'example.zone'), out);
  }
  return fs.readFileSync(out, 'utf8');
}

const DNSSEC_CODES = new Set(['rrsig-invalid', 'rrsig-missing', 'rrsig-expired', 'rrsig-not-yet-valid', 'dnssec-algorithm-missing',
  'nsec-chain', 'nsec3-chain', 'ds-mismatch', 'zonemd-mismatch']);

async function dane(text: string, now: Date): Promise<ZoneDiagnostic[]> {
  return (await daneAll(text, now)).filter((d) => DNSSEC_CODES.has(d.code) && d.severity !== 'information');
}

/** The diagnostics with WebCrypto (the editor's), held equal to those with node:crypto (the CLI's `ZoneIO.verifier`). */
async function daneAll(text: string, now: Date): Promise<ZoneDiagnostic[]> {
  const run = async (verifier?: NativeVerifier) => {
    const io: ZoneIO = { readFile: () => { throw new Error('no files'); }, resolvePath: (_f, p) => p, now: () => now, verifier };
    const result = checkText(text, { origin: ORIGIN, io });
    await addAsyncStages(result, { origin: ORIGIN, io });
    return result.diagnostics;
  };
  const web = await run();
  assert.deepEqual(await run(nodeVerifier), web, 'node:crypto and WebCrypto disagree');
  return web;
}

function kzonecheck(file: string, now: Date): boolean {
  return run('kzonecheck', ['-o', ORIGIN, '-d', 'on', '-t', String(Math.floor(now.getTime() / 1000)), file], path.dirname(file)).status === 0;
}

function ldnsVerify(file: string, now: Date): boolean {
  const t = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return run('ldns-verify-zone', ['-t', t, file], path.dirname(file)).status === 0;
}

interface Mutation {
  name: string;
  applies?: (c: Config) => boolean;
  /** The broken text, and where the finding must be (a record's type span start). */
  apply?: (text: string) => { text: string; at?: number; codes: string[] };
  now?: Date;
  /** Re-sign with these extra records instead of mutating the text. */
  extra?: (ksk: { rdata: string; tag: number }) => string;
  codes?: string[];
  /**
   * The tool whose verdict is the reference where the two differ: ldns-verify-zone reads no
   * CDS/CDNSKEY and does not require the SEP key's signature over the DNSKEY RRset; kzonecheck
   * does both, as does dane-zone (the parent's DS points to the KSK: RFC 4035 §5.2, RFC 6781 §3.1).
   */
  reference?: 'kzonecheck';
}

function records(text: string) {
  return parseZone(text, { origin: ORIGIN }).records;
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

const MUTATIONS: Mutation[] = [
  { name: 'clean' },
  {
    name: 'one RDATA byte changed (mx A)',
    apply: (text) => {
      const r = records(text).find((x) => x.ownerKey === 'mx.example.' && x.typeCode === 1)!;
      const tok = r.rdata[0];
      const edited = splice(text, tok.start, tok.end, '192.0.2.9');
      return { text: edited, at: r.typeToken!.start, codes: ['rrsig-invalid'] };
    },
  },
  {
    name: 'RRSIG over the TLSA RRset removed',
    apply: (text) => {
      const rs = records(text);
      const sig = rs.find((x) => x.typeCode === 46 && x.ownerKey === '_25._tcp.mx.example.' && x.rdata[0].text.toUpperCase() === 'TLSA')!;
      const edited = splice(text, sig.start, sig.end, '');
      const tlsa = records(edited).find((x) => x.typeCode === 52)!;
      return { text: edited, at: tlsa.typeToken!.start, codes: ['rrsig-missing'] };
    },
  },
  {
    name: 'one NSEC/NSEC3 removed',
    apply: (text) => {
      const rs = records(text);
      const victim = rs.find((x) => (x.typeCode === 47 || x.typeCode === 50) && x.ownerKey !== 'example.')!;
      return { text: splice(text, victim.start, victim.end, ''), codes: [victim.typeCode === 47 ? 'nsec-chain' : 'nsec3-chain'] };
    },
  },
  {
    name: 'NSEC3PARAM iterations changed (the chain no longer matches it)',
    applies: (c) => c.mode !== 'nsec',
    apply: (text) => {
      const p = records(text).find((x) => x.typeCode === 51)!;
      const tok = p.rdata[2];
      return { text: splice(text, tok.start, tok.end, String(Number(tok.text) + 1)), at: p.typeToken!.start, codes: ['nsec3-chain'] };
    },
  },
  {
    name: 'a CDS that matches no DNSKEY',
    applies: (c) => c.signer !== 'knot',
    extra: (ksk) => badCds(ksk.rdata, ksk.tag),
    codes: ['ds-mismatch'],
    reference: 'kzonecheck',
  },
  {
    name: "the KSK's RRSIG over the DNSKEY RRset removed (the ZSK's stays)",
    applies: (c) => c.allKeys === true,
    reference: 'kzonecheck',
    apply: (text) => {
      const rs = records(text);
      const kskTags = new Set(rs.filter((x) => x.typeCode === 48 && x.rdata[0].text === '257').map((x) => keyTagOf(x.wire!)));
      const sig = rs.find((x) => x.typeCode === 46 && x.rdata[0].text.toUpperCase() === 'DNSKEY' && kskTags.has(Number(x.rdata[6].text)))!;
      const edited = splice(text, sig.start, sig.end, '');
      const key = records(edited).find((x) => x.typeCode === 48)!;
      return { text: edited, at: key.typeToken!.start, codes: ['rrsig-missing'] };
    },
  },
  {
    name: "a CDS digest changed (Knot's own CDS)",
    applies: (c) => c.signer === 'knot',
    apply: (text) => {
      const cds = records(text).find((x) => x.typeCode === 59)!;
      const tok = cds.rdata[3];
      const flipped = tok.text.slice(0, -1) + (tok.text.endsWith('0') ? '1' : '0');
      return { text: splice(text, tok.start, tok.end, flipped), at: cds.typeToken!.start, codes: ['ds-mismatch'] };
    },
  },
  {
    name: 'ZONEMD digest changed',
    applies: (c) => c.zonemd !== undefined,
    apply: (text) => {
      const z = records(text).find((x) => x.typeCode === 63)!;
      const tok = z.rdata[z.rdata.length - 1];
      const flipped = (tok.text[0] === '0' ? '1' : '0') + tok.text.slice(1);
      return { text: splice(text, tok.start, tok.end, flipped), at: z.typeToken!.start, codes: ['zonemd-mismatch'] };
    },
  },
  { name: 'signatures expired', now: LATER, codes: ['rrsig-expired'] },
];

test('signed zones from dnssec-signzone, ldns-signzone and kzonesign: dane-zone agrees with kzonecheck -d on and ldns-verify-zone', { skip }, async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dane-dnssec-'));
  const table: string[] = ['| signer | algorithm | denial | ZONEMD | case | kzonecheck | ldns-verify-zone | dane-zone | dane-zone codes |', '|---|---|---|---|---|---|---|---|---|'];
  const disagreements: string[] = [];
  try {
    let n = 0;
    for (const c of CONFIGS) {
      const base = sign(c, path.join(root, `${n++}`));
      for (const m of MUTATIONS) {
        if (m.applies && !m.applies(c)) continue;
        if ((c.oldParams || c.allKeys) && m.name !== 'clean' && !(c.allKeys && m.applies)) continue;
        let text = base;
        let expected = m.codes ?? [];
        let at: number | undefined;
        if (m.extra) {
          // ldns-verify-zone does not read CDS, and kzonecheck only compares CDS with CDNSKEY: signed anew.
          text = sign(c, path.join(root, `${n++}`), m.extra);
        } else if (m.apply) {
          const r = m.apply(base);
          text = r.text;
          at = r.at;
          expected = r.codes;
        }
        const now = m.now ?? NOW;
        const file = path.join(root, `case-${n++}.zone`);
        fs.writeFileSync(file, text);
        const kz = kzonecheck(file, now);
        const ld = ldnsVerify(file, now);
        const found = await dane(text, now);
        const ok = found.filter((d) => d.severity === 'error' || d.code === 'rrsig-expired').length === 0;
        const codes = [...new Set(found.map((d) => d.code))].sort();
        const label = `${c.signer} ${ALG_NAMES[c.alg]} ${c.mode}${c.zonemd ? ` zonemd-${c.zonemd}` : ''}: ${m.name}`;
        table.push(`| ${c.signer} | ${ALG_NAMES[c.alg]} | ${c.mode === 'optout' ? 'NSEC3 opt-out' : c.mode.toUpperCase()}${c.oldParams ? ' (salt, 5 iterations)' : ''}${c.allKeys ? ' (DNSKEY signed by all keys)' : ''} | ${c.zonemd ? (c.zonemd === 1 ? 'SHA-384' : 'SHA-512') : '-'} | ${m.name} | ${kz ? 'valid' : 'bogus'} | ${ld ? 'valid' : 'bogus'} | ${ok ? 'valid' : 'bogus'} | ${codes.join(' ') || '-'} |`);
        // Where ldns-verify-zone does not look (see Mutation.reference), kzonecheck is the reference.
        const reference = m.reference === 'kzonecheck' ? kz : kz && ld;
        if (!m.reference && kz !== ld) disagreements.push(`${label}: kzonecheck ${kz}, ldns-verify-zone ${ld}`);
        assert.equal(ok, reference, `${label}: dane-zone says ${ok ? 'valid' : 'bogus'} (${found.map((d) => `${d.code}: ${d.message}`).join('; ')}); kzonecheck ${kz}, ldns-verify-zone ${ld}`);
        for (const code of expected) assert.ok(codes.includes(code), `${label}: expected ${code}, got ${codes.join(', ') || 'nothing'}`);
        if (c.oldParams) {
          const all = (await daneAll(text, now)).map((d) => `${d.code}/${d.severity}`);
          assert.ok(all.includes('nsec3-params/warning'), `${label}: ${all.join(', ')}`);
        }
        if (at !== undefined) assert.ok(found.some((d) => d.start === at && expected.includes(d.code)), `${label}: nothing reported on the broken record (at ${at})`);
      }
    }
    assert.deepEqual(disagreements, []);
    t.diagnostic(`${table.length - 2} cases`);
  } finally {
    if (process.env.DNSSEC_AGREEMENT_TABLE) fs.writeFileSync(process.env.DNSSEC_AGREEMENT_TABLE, table.join('\n') + '\n');
    fs.rmSync(root, { recursive: true, force: true });
  }
});
