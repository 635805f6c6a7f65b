#!/usr/bin/env node
// Deterministic generator of a realistic, valid DNS zone for benchmarks.
//
// Usage: node scripts/gen-zone.js N OUT [--origin bench.example.] [--seed 1]
//
// Writes exactly N resource records (plus $ORIGIN/$TTL directives and some comments): what a
// hosting provider's zone looks like. An SOA, two apex NS with their addresses, a shared backup
// MX host with its TLSA pair, then one group per customer K:
//
//   domK                A; AAAA; MX 10 mailK; (every other customer) MX 20 mx-backup;
//                       TXT "v=spf1 …" "site-verification=…" (two strings)   (blank owners)
//   www.domK            CNAME domK
//   _dmarc.domK         TXT "v=DMARC1; …"
//   _smtp._tls.domK     TXT "v=TLSRPTv1; rua=…"   (all but every 40th customer: TLS-RPT forgotten)
//   mailK               A; AAAA
//   _25._tcp.mailK      TLSA 3 1 1 <current key>; TLSA 3 1 1 <next key>  (a rollover pair)
//   every 10th:  subK   NS ns1.subK; NS ns2.subK; (every 3rd of those) DS 13 2 <digest>
//                ns1.subK A, ns2.subK AAAA         (glue)
//
// About 12.5 records a customer: mostly A/AAAA/MX/TXT/CNAME, 16% TLSA. Names are relative to
// $ORIGIN, continuation lines have blank owners, about a third of the RRsets carry an explicit
// TTL (one TTL per RRset; TLSA at most 3600), and every 50th group is preceded by a comment line.
// A `; dane-zone dnssec=inline` comment says the zone is signed on load (DANE needs DNSSEC). The
// only diagnostics dane-zone gives on it are `tlsrpt-missing` for the customers without TLS-RPT
// (one in 40, as operators forget it). The same N, origin and seed always give the same bytes (a
// seeded xorshift PRNG, no Math.random). About 43 MB for N = 1,000,000. Also usable as a module:
// require('./gen-zone').generateZone(n, opts, write).
'use strict';
const fs = require('node:fs');

/** xorshift32: small, fast, deterministic. Returns a function giving uint32s. */
function prng(seed) {
  let s = (seed >>> 0) || 0x9e3779b9;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
}

const HEX = '0123456789abcdef';

/**
 * Generates the zone, handing text chunks (~1 MB) to `write`. Returns { records, bytes }.
 * @param {number} n number of resource records
 * @param {{origin?: string, seed?: number}} opts
 * @param {(chunk: string) => void} write
 */
function generateZone(n, opts, write) {
  const origin = (opts && opts.origin) || 'bench.example.';
  const rnd = prng((opts && opts.seed) || 1);
  let buf = '';
  let bytes = 0;
  let records = 0;
  const out = (s) => {
    buf += s;
    if (buf.length > 1 << 20) { bytes += Buffer.byteLength(buf); write(buf); buf = ''; }
  };
  // Emits one record line unless N is reached. Returns false once N records are written.
  const rr = (line) => {
    if (records >= n) return false;
    out(line + '\n');
    records++;
    return true;
  };
  const hex = (len) => {
    let s = '';
    for (let i = 0; i < len; i++) s += HEX[rnd() & 15];
    return s;
  };
  const word = (len) => {
    let s = '';
    for (let i = 0; i < len; i++) s += String.fromCharCode(0x61 + (rnd() % 26));
    return s;
  };
  // One TTL per RRset (differing TTLs inside an RRset would be a mistake, not realism); the
  // records of an RRset at the default TTL write it explicitly or not, at random.
  const rrsetTtl = () => {
    const r = rnd() % 6;
    return r === 0 ? '300\t' : r === 1 ? '86400\t' : '';
  };
  // TLSA RRsets keep short TTLs, so that key rollovers propagate quickly (RFC 7671 §8.1).
  const tlsaTtl = () => ((rnd() & 1) === 0 ? '300\t' : '');
  const orExplicit = (ttl) => (ttl === '' && (rnd() & 3) === 0 ? '3600\t' : ttl);

  out(`; synthetic zone for dane-zone benchmarks: ${n} records, seed ${(opts && opts.seed) || 1}\n`);
  // DANE needs DNSSEC: like most operators', this zone is signed by the server when it loads.
  out('; dane-zone dnssec=inline\n');
  out(`$ORIGIN ${origin}\n$TTL 3600\n`);
  rr(`@\tIN\tSOA\tns1 hostmaster (\n\t\t2024010101 ; serial\n\t\t7200       ; refresh\n\t\t3600       ; retry\n\t\t1209600    ; expire\n\t\t300 )      ; minimum`);
  rr(`\tIN\tNS\tns1`);
  rr(`\tIN\tNS\tns2`);
  rr(`ns1\tIN\tA\t192.0.2.1`);
  rr(`ns2\tIN\tAAAA\t2001:db8::53`);
  rr(`mx-backup\tIN\tA\t192.0.2.25`);
  rr(`\tIN\tAAAA\t2001:db8::25`);
  rr(`_25._tcp.mx-backup\t300\tIN\tTLSA\t3 1 1 ${hex(64)}`);
  rr(`\t300\tIN\tTLSA\t3 1 1 ${hex(64)}`);

  for (let k = 0; records < n; k++) {
    const a = (k >>> 16) & 255, b = (k >>> 8) & 255, c = k & 255;
    const v6 = `2001:db8:${a.toString(16)}:${b.toString(16)}`;
    if (k % 50 === 0) out(`\n; --- customers ${k}..${k + 49} ---\n`);
    const tWeb = rrsetTtl(), tMx = orExplicit(rrsetTtl()), tTxt = rrsetTtl();
    if (!rr(`dom${k}\t${orExplicit(tWeb)}IN\tA\t10.${a}.${b}.${c}`)) break;
    if (!rr(`\t${orExplicit(tWeb)}IN\tAAAA\t${v6}::${(c + 1).toString(16)}`)) break;
    if (!rr(`\t${tMx}IN\tMX\t10 mail${k}`)) break;
    if (k % 2 === 0 && !rr(`\t${tMx}IN\tMX\t20 mx-backup`)) break;
    if (!rr(`\t${tTxt}IN\tTXT\t"v=spf1 a mx ip4:10.${a}.${b}.0/24 -all" "site-verification=${word(20)}"`)) break;
    if (!rr(`www.dom${k}\tIN\tCNAME\tdom${k}${k % 7 === 0 ? '\t; alias' : ''}`)) break;
    if (!rr(`_dmarc.dom${k}\tIN\tTXT\t"v=DMARC1; p=quarantine; rua=mailto:dmarc@dom${k}.${origin.replace(/\.$/, '')}"`)) break;
    if (k % 40 !== 39 && !rr(`_smtp._tls.dom${k}\tIN\tTXT\t"v=TLSRPTv1; rua=mailto:tlsrpt@dom${k}.${origin.replace(/\.$/, '')}"`)) break;
    if (!rr(`mail${k}\t${orExplicit(rrsetTtl())}IN\tA\t10.${(a + 64) & 255}.${b}.${c}`)) break;
    if (!rr(`\tIN\tAAAA\t${v6}:0:0:1:${c.toString(16)}`)) break;
    const tTlsa = orExplicit(tlsaTtl());
    if (!rr(`_25._tcp.mail${k}\t${tTlsa}IN\tTLSA\t3 1 1 ${hex(64)}`)) break;
    if (!rr(`\t${tTlsa}IN\tTLSA\t3 1 1 ${hex(64)}`)) break;
    if (k % 10 === 9) {
      if (!rr(`sub${k}\t86400\tIN\tNS\tns1.sub${k}`)) break;
      if (!rr(`\t86400\tIN\tNS\tns2.sub${k}`)) break;
      if (k % 30 === 29 && !rr(`\t86400\tIN\tDS\t${10000 + (rnd() % 50000)} 13 2 ${hex(64)}`)) break;
      if (!rr(`ns1.sub${k}\t86400\tIN\tA\t198.51.${b}.${c}`)) break;
      if (!rr(`ns2.sub${k}\t86400\tIN\tAAAA\t2001:db8:ffff:${b.toString(16)}::${c.toString(16)}`)) break;
    }
  }
  if (buf) { bytes += Buffer.byteLength(buf); write(buf); }
  return { records, bytes };
}

function main(argv) {
  const usage = () => {
    console.error('usage: node scripts/gen-zone.js N OUT [--origin NAME.] [--seed S]');
    process.exit(2);
  };
  let parsed;
  try {
    parsed = require('node:util').parseArgs({
      args: argv.slice(2),
      allowPositionals: true,
      options: { origin: { type: 'string', default: 'bench.example.' }, seed: { type: 'string', default: '1' } },
    });
  } catch (e) {
    console.error(`gen-zone: ${e.message}`);
    usage();
  }
  const opts = { origin: parsed.values.origin, seed: Number(parsed.values.seed) };
  const [count, outPath] = parsed.positionals;
  const n = Number(count);
  if (!Number.isInteger(n) || n < 1 || !outPath || parsed.positionals.length !== 2) usage();
  if (!opts.origin.endsWith('.')) opts.origin += '.';
  const tmp = `${outPath}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  let res;
  try {
    res = generateZone(n, opts, (chunk) => fs.writeSync(fd, chunk));
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, outPath); // atomic: a cached file is never half-written
  console.log(`${outPath}: ${res.records} records, ${res.bytes} bytes`);
}

module.exports = { generateZone, prng };
if (require.main === module) main(process.argv);
