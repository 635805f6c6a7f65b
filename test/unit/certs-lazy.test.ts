/**
 * The certificate library (@peculiar/x509, its ASN.1 schemas, reflect-metadata, tsyringe) loads
 * only when a certificate is really read (core/certs/lib.ts): `dane-zone check` of a zone that
 * links no certificate never loads it, a TLSA record with full data (matching type 0) loads the
 * ASN.1 schemas only, a zone with a `cert=` link loads the whole library, with the same results.
 * Each run is a fresh process; a preload script (`-r`) writes the packages in require.cache
 * when the process exits.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openssl, opensslMatching, opensslMissing } from './certs-fixtures';

const OUT = path.join(__dirname, '..', '..');
const MAIN = path.join(OUT, 'server', 'src', 'cli', 'main.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dane-zone-lazy-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const PRELOAD = path.join(dir, 'preload.js');
fs.writeFileSync(PRELOAD, `'use strict';
const fs = require('node:fs');
process.on('exit', () => {
  const pkgs = new Set();
  for (const k of Object.keys(require.cache)) {
    const m = /node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(k);
    if (m) pkgs.add(m[1].replace(/\\\\/g, '/'));
  }
  fs.writeFileSync(process.env.DANE_ZONE_LOADED, JSON.stringify([...pkgs].sort()));
});
`);

const CERT_PACKAGES = ['@peculiar/x509', 'reflect-metadata', 'tsyringe', '@peculiar/asn1-csr', '@peculiar/asn1-ecc', '@peculiar/asn1-rsa'];
const ASN1_PACKAGES = ['@peculiar/asn1-schema', '@peculiar/asn1-x509'];

/** `dane-zone <args>` in a fresh process: its output and the packages it loaded. */
function run(args: string[]): { code: number | null; stdout: string; stderr: string; loaded: string[] } {
  const list = path.join(dir, 'loaded.json');
  fs.rmSync(list, { force: true });
  const r = spawnSync(process.execPath, ['-r', PRELOAD, MAIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, DANE_ZONE_LOADED: list } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, loaded: JSON.parse(fs.readFileSync(list, 'utf8')) as string[] };
}

const HEAD = '$ORIGIN example.com.\n$TTL 3600\n; dane-zone dnssec=signed\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.53\n@ MX 10 mx1\nmx1 A 192.0.2.1\n' +
  '_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tlsrpt@example.com"\n';

/** A self-signed EC certificate and its key (mx1.pem, mx1.key), made once. */
function mx1Cert(): void {
  if (fs.existsSync(path.join(dir, 'mx1.pem'))) return;
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=mx1.example.com', '-days', '400',
    '-keyout', 'mx1.key', '-out', 'mx1.pem'], undefined, dir);
}

test('the preload sees what a process loads (the probe can fail)', () => {
  const r = spawnSync(process.execPath, ['-r', PRELOAD, '-e', "require('@peculiar/asn1-schema')"], { env: { ...process.env, DANE_ZONE_LOADED: path.join(dir, 'probe.json') } });
  assert.equal(r.status, 0, String(r.stderr));
  assert.ok((JSON.parse(fs.readFileSync(path.join(dir, 'probe.json'), 'utf8')) as string[]).includes('@peculiar/asn1-schema'));
});

test('check of a zone without certificate links loads no certificate library', () => {
  fs.writeFileSync(path.join(dir, 'plain.zone'), HEAD + '_25._tcp.mx1 TLSA 3 1 1 ' + 'ab'.repeat(32) + '\n_25._tcp.mx1 TLSA 3 1 2 ' + 'cd'.repeat(64) + '\n');
  const r = run(['check', 'plain.zone']);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /in 1 file\n$/);
  for (const p of [...CERT_PACKAGES, ...ASN1_PACKAGES]) assert.ok(!r.loaded.includes(p), `${p} loaded: ${r.loaded.join(', ')}`);
});

test('the language server\'s modules load no certificate library', () => {
  const list = path.join(dir, 'server.json');
  const r = spawnSync(process.execPath, ['-r', PRELOAD, '-e', `require(${JSON.stringify(path.join(OUT, 'server', 'src', 'lsp', 'languageServer.js'))})`],
    { env: { ...process.env, DANE_ZONE_LOADED: list } });
  assert.equal(r.status, 0, String(r.stderr));
  const loaded = JSON.parse(fs.readFileSync(list, 'utf8')) as string[];
  assert.ok(loaded.includes('vscode-languageserver'), loaded.join(', '));
  for (const p of [...CERT_PACKAGES, ...ASN1_PACKAGES]) assert.ok(!loaded.includes(p), `${p} loaded: ${loaded.join(', ')}`);
});

test('a TLSA record with full data loads the ASN.1 schemas for its DER test, not the certificate library', { skip: opensslMissing }, () => {
  mx1Cert();
  const der = openssl(['x509', '-in', 'mx1.pem', '-outform', 'DER'], undefined, dir);
  fs.writeFileSync(path.join(dir, 'full.zone'), HEAD + `_25._tcp.mx1 TLSA 3 0 0 ${opensslMatching(der, 0)}\n_25._tcp.mx1 TLSA 3 1 1 ${'ab'.repeat(32)}\n` +
    `_443._tcp.www TLSA 3 1 0 ${opensslMatching(der, 0)}\n`);
  const r = run(['check', 'full.zone']);
  // The DER test ran: a certificate under selector 1 is named for what it is.
  assert.match(r.stdout, /full\.zone:12:\d+: error tlsa-invalid-der: TLSA: this is a certificate, but selector 1 expects a SubjectPublicKeyInfo/);
  for (const p of ASN1_PACKAGES) assert.ok(r.loaded.includes(p), `${p} not loaded: ${r.loaded.join(', ')}`);
  for (const p of CERT_PACKAGES) assert.ok(!r.loaded.includes(p), `${p} loaded: ${r.loaded.join(', ')}`);
});

test('check of a zone with a certificate link loads the library and checks the records against it', { skip: opensslMissing }, () => {
  mx1Cert();
  const spki = openssl(['pkey', '-pubin', '-outform', 'DER'], openssl(['x509', '-in', 'mx1.pem', '-noout', '-pubkey'], undefined, dir));
  fs.writeFileSync(path.join(dir, 'linked.zone'), HEAD + `; dane-zone cert=mx1.pem\n_25._tcp.mx1 TLSA 3 1 1 ${opensslMatching(spki, 1)}\n_25._tcp.mx1 TLSA 3 1 2 ${opensslMatching(spki, 2)}\n`);
  const good = run(['check', 'linked.zone']);
  // The records match the certificate (no tlsa-cert-mismatch); only the missing next-key record is said.
  assert.match(good.stdout, /^linked\.zone:11:1: warning tlsa-single-record: .*\n0 errors, 1 warning, 0 information, 0 hints in 1 file\n$/);
  for (const p of [...CERT_PACKAGES, ...ASN1_PACKAGES]) assert.ok(good.loaded.includes(p), `${p} not loaded: ${good.loaded.join(', ')}`);
  fs.writeFileSync(path.join(dir, 'wrong.zone'), HEAD + `; dane-zone cert=mx1.pem\n_25._tcp.mx1 TLSA 3 1 1 ${'ab'.repeat(32)}\n_25._tcp.mx1 TLSA 3 1 2 ${'cd'.repeat(64)}\n`);
  const bad = run(['check', 'wrong.zone']);
  assert.match(bad.stdout, /^wrong\.zone:10:13: error tlsa-cert-mismatch: `cert=mx1\.pem` \(certificate CN=mx1\.example\.com, expires \d{4}-\d\d-\d\d\) matches none of the records/);
  assert.ok(bad.loaded.includes('@peculiar/x509'));
});

test('the tlsa command loads the library when it reads a certificate', { skip: opensslMissing }, () => {
  mx1Cert();
  const spki = openssl(['pkey', '-in', 'mx1.key', '-pubout', '-outform', 'DER'], undefined, dir);
  const r = run(['tlsa', '--cert', 'mx1.key', 'mx1.example.com']);
  assert.equal(r.stdout, `_25._tcp.mx1.example.com. IN TLSA 3 1 1 ${opensslMatching(spki, 1)}\n`, r.stderr);
  assert.ok(r.loaded.includes('@peculiar/asn1-ecc'), r.loaded.join(', '));
});
