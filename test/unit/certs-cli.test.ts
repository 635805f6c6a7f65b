/**
 * `dane-zone tlsa` (server/src/cli/tlsa.ts): the printed records equal the ones computed with
 * the openssl pipeline; `--ca`, `--next`, usage errors and unusable files (exit 2). Also
 * `dane-zone check` with linked certificates (the asynchronous stage) and the Node io's
 * readBytes (size limit, untrusted confinement).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createNodeIO } from '../../server/src/node/io';
import { makeFixtures, openssl, opensslMatching, opensslMissing } from './certs-fixtures';

const MAIN = path.join(__dirname, '..', '..', 'server', 'src', 'cli', 'main.js');
const fx = opensslMissing ? undefined : makeFixtures();
after(() => fx?.cleanup());

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: fx!.dir, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const OWNER = '_25._tcp.mx1.example.com.';

test('tlsa: RSA, EC P-256 and Ed25519, from certificates and keys, every selector and matching type, equal openssl', { skip: opensslMissing }, () => {
  const f = fx!;
  for (const k of ['rsa', 'ec', 'ed']) {
    const r = cli(['tlsa', '--cert', `${k}.pem`, 'mx1.example.com']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, `${OWNER} IN TLSA 3 1 1 ${opensslMatching(f.certSpki(`${k}.pem`), 1)}\n`, k);
    for (const s of [0, 1]) {
      for (const m of [0, 1, 2]) {
        const want = opensslMatching(s === 0 ? f.certDer(`${k}.pem`) : f.certSpki(`${k}.pem`), m);
        const got = cli(['tlsa', '--cert', `${k}.pem`, '--selector', String(s), '--mtype', String(m), '--port', '465', 'mx1.example.com.']);
        assert.equal(got.stdout, `_465._tcp.mx1.example.com. IN TLSA 3 ${s} ${m} ${want}\n`, `${k} ${s} ${m}`);
      }
    }
    // The private key gives the same 3 1 x records.
    const key = cli(['tlsa', '--cert', `${k}.key`, '--mtype=2', 'mx1.example.com']);
    assert.equal(key.stdout, `${OWNER} IN TLSA 3 1 2 ${opensslMatching(f.keySpki(`${k}.key`), 2)}\n`);
  }
});

test('tlsa --ca: 2 1 1 of the issuing CA (not the root); --next: the next key\'s record too', { skip: opensslMissing }, () => {
  const f = fx!;
  const ca = cli(['tlsa', '--cert', 'chain3.pem', '--ca', 'mx1.example.com']);
  assert.equal(ca.code, 0, ca.stderr);
  assert.equal(ca.stdout, `${OWNER} IN TLSA 2 1 1 ${opensslMatching(f.certSpki('int.pem'), 1)}\n`);
  const ca0 = cli(['tlsa', '--cert', 'fullchain.pem', '--ca', '--selector', '0', '--mtype', '2', 'mx1.example.com']);
  assert.equal(ca0.stdout, `${OWNER} IN TLSA 2 0 2 ${opensslMatching(f.certDer('int.pem'), 2)}\n`);
  const next = cli(['tlsa', '--cert', 'fullchain.pem', '--next', 'next.csr', 'mx1.example.com']);
  assert.equal(next.stdout, [
    `${OWNER} IN TLSA 3 1 1 ${opensslMatching(f.certSpki('leaf.pem'), 1)}`,
    `${OWNER} IN TLSA 3 1 1 ${opensslMatching(f.csrSpki('next.csr'), 1)}`,
    '',
  ].join('\n'));
  const udp = cli(['tlsa', '--cert', 'ec.key', '--proto', '_udp', '--port', '853', 'dns.example.net']);
  assert.equal(udp.stdout, `_853._udp.dns.example.net. IN TLSA 3 1 1 ${opensslMatching(f.keySpki('ec.key'), 1)}\n`);
  const pkix = cli(['tlsa', '--cert', 'ec.pem', '--usage', '1', 'mx1.example.com']);
  assert.equal(pkix.code, 0);
  assert.match(pkix.stdout, / IN TLSA 1 1 1 /);
  assert.equal(pkix.stderr, 'dane-zone: warning: usage 1 (PKIX-EE) is not used by SMTP (RFC 7672 §3.1.3): use 3\n');
});

test('tlsa: usage errors and unusable files exit 2 with a clear message', { skip: opensslMissing }, () => {
  const f = fx!;
  fs.writeFileSync(f.p('photo.pem'), Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]));
  fs.writeFileSync(f.p('enc.key'), openssl(['pkey', '-in', 'ec.key', '-aes256', '-passout', 'pass:x'], undefined, f.dir));
  const usage: [string[], string][] = [
    [['tlsa', 'mx1.example.com'], 'tlsa: --cert FILE is required (the certificate, chain or key in use)'],
    [['tlsa', '--cert', 'ec.pem'], 'tlsa: no host name given (the mail server, e.g. mx1.example.com)'],
    [['tlsa', '--cert', 'ec.pem', 'a', 'b'], 'tlsa: one host name at a time (got a, b)'],
    [['tlsa', '--cert', 'ec.pem', '--usage', '4', 'mx1'], '--usage 4: use 3 (DANE-EE) or 2 (DANE-TA); 0 and 1 are the PKIX usages'],
    [['tlsa', '--cert', 'ec.pem', '--selector', 'x', 'mx1'], '--selector x: use 1 (the public key) or 0 (the whole certificate)'],
    [['tlsa', '--cert', 'ec.pem', '--mtype', '3', 'mx1'], '--mtype 3: use 1 (SHA2-256), 2 (SHA2-512) or 0 (full data)'],
    [['tlsa', '--cert', 'ec.pem', '--port', '70000', 'mx1'], '--port 70000: a port is a number 0..65535'],
    [['tlsa', '--cert', 'ec.pem', '--proto', 'quic', 'mx1'], '--proto quic: use tcp, udp or sctp'],
    [['tlsa', '--cert', 'ec.pem', '--ca', '--usage', '3', 'mx1'], '--ca makes a DANE-TA record (usage 2), not usage 3'],
    [['tlsa', '--cert', 'ec.pem', '--frob', 'mx1'], 'tlsa: unknown option --frob'],
    [['tlsa', '--cert'], '--cert needs a value'],
    [['tlsa', '--cert', 'ec.pem', 'a..b'], 'tlsa: a..b: '],
  ];
  for (const [args, message] of usage) {
    const r = cli(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.startsWith(`dane-zone: ${message}`), `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /\n\nUsage:\n/);
  }
  const files: [string[], string][] = [
    [['tlsa', '--cert', 'missing.pem', 'mx1'], 'dane-zone: cannot read --cert missing.pem: no such file\n'],
    [['tlsa', '--cert', 'photo.pem', 'mx1'], 'dane-zone: cannot use --cert photo.pem: this is a JPEG image, not a certificate or key: link a PEM or DER certificate, public key or CSR\n'],
    [['tlsa', '--cert', 'enc.key', 'mx1'], 'dane-zone: cannot use --cert enc.key: encrypted private key: give the certificate or public key instead (`openssl pkey -in KEY -pubout` writes the public key)\n'],
    [['tlsa', '--cert', 'ec.key', '--selector', '0', 'mx1'], 'dane-zone: --cert ec.key (EC P-256 private key (its public half)): selector 0 (the full certificate) needs a certificate, and this file holds a private key: use selector 1 (the public key), as `3 1 1` does\n'],
    [['tlsa', '--cert', 'leaf.pem', '--ca', 'mx1'], 'dane-zone: --cert leaf.pem (certificate CN=mx1.example.com): usage 2 needs the issuing CA\'s certificate, and the file holds only the leaf certificate: link the full chain (leaf first, e.g. fullchain.pem)\n'],
    [['tlsa', '--cert', 'ec.pem', '--next', '.', 'mx1'], 'dane-zone: cannot read --next .: is a directory, not a file\n'],
  ];
  for (const [args, stderr] of files) {
    const r = cli(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, stderr);
  }
  const help = cli(['tlsa', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage:\n  dane-zone tlsa --cert FILE/);
  assert.match(cli(['--help']).stdout, /dane-zone tlsa --cert FILE \[--usage N --selector N --mtype N\] \[--port 25\] \[--proto tcp\] \[--next FILE\] \[--ca\] HOST/);
});

test('check runs the certificate stage for zones with links: mismatch is an error (exit 1), in every format', { skip: opensslMissing }, () => {
  const f = fx!;
  const leaf = opensslMatching(f.certSpki('leaf.pem'), 1);
  const head = '$ORIGIN example.com.\n$TTL 3600\n; dane-zone dnssec=signed\n@ SOA ns hm 1 2 3 4 5\n@ MX 10 mx1\nmx1 A 192.0.2.1\n';
  const tlsrpt = '_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tlsrpt@example.com"\n';
  fs.mkdirSync(f.p('zones'), { recursive: true });
  fs.writeFileSync(f.p('zones/good.zone'), head + `; dane-zone cert=../fullchain.pem\n_25._tcp.mx1 TLSA 3 1 1 ${leaf}\n_25._tcp.mx1 TLSA 2 1 1 ${opensslMatching(f.certSpki('int.pem'), 1)}\n` + tlsrpt);
  fs.writeFileSync(f.p('zones/bad.zone'), head + `; dane-zone cert=../ec.pem\n_25._tcp.mx1 TLSA 3 1 1 ${leaf}\n_25._tcp.mx1 TLSA 3 1 2 ${opensslMatching(f.certSpki('leaf.pem'), 2)}\n` + tlsrpt);
  const good = cli(['check', 'zones/good.zone']);
  assert.equal(good.code, 0, good.stdout + good.stderr);
  assert.equal(good.stdout, '0 errors, 0 warnings, 0 information, 0 hints in 1 file\n');
  const bad = cli(['check', 'zones/bad.zone', 'zones/good.zone']);
  assert.equal(bad.code, 1);
  const lines = bad.stdout.split('\n');
  assert.match(lines[0], /^zones\/bad\.zone:7:13: error tlsa-cert-mismatch: `cert=\.\.\/ec\.pem` \(certificate CN=mx1\.example\.com, expires \d{4}-\d\d-\d\d\) matches none of the records of _25\._tcp\.mx1\.example\.com\.: its `3 1 1` data is /);
  assert.equal(lines[1], '1 error, 0 warnings, 0 information, 0 hints in 2 files');
  const json = JSON.parse(cli(['check', '--format', 'json', 'zones/bad.zone']).stdout) as { diagnostics: { code: string }[] }[];
  assert.deepEqual(json[0].diagnostics.map((d) => d.code), ['tlsa-cert-mismatch']);
  const sarif = JSON.parse(cli(['check', '--format', 'sarif', 'zones/bad.zone']).stdout) as { runs: { results: { ruleId: string }[] }[] };
  assert.deepEqual(sarif.runs[0].results.map((r) => r.ruleId), ['tlsa-cert-mismatch']);
  // A missing linked file is a warning; `disable=` silences the stage's codes too.
  fs.writeFileSync(f.p('zones/missing.zone'), head + `; dane-zone cert=nope.pem\n_25._tcp.mx1 TLSA 3 1 1 ${leaf}\n_25._tcp.mx1 TLSA 3 1 2 ${opensslMatching(f.certSpki('leaf.pem'), 2)}\n` + tlsrpt);
  const missing = cli(['check', 'zones/missing.zone']);
  assert.equal(missing.code, 0);
  assert.equal(missing.stdout.split('\n')[0], `zones/missing.zone:7:13: warning tlsa-cert-unreadable: cannot use \`cert=nope.pem\`: ${path.join(fs.realpathSync(f.dir), 'zones', 'nope.pem')}: no such file; the records of _25._tcp.mx1.example.com. are not checked against it`);
  fs.writeFileSync(f.p('zones/off.zone'), fs.readFileSync(f.p('zones/missing.zone'), 'utf8').replace('; dane-zone cert=nope.pem', '; dane-zone cert=nope.pem disable=tlsa-cert-unreadable'));
  assert.equal(cli(['check', 'zones/off.zone']).stdout, '0 errors, 0 warnings, 0 information, 0 hints in 1 file\n');
});

test('node io readBytes: same size limit and untrusted confinement as readFile', { skip: opensslMissing }, () => {
  const f = fx!;
  const io = createNodeIO({ maxBytes: 4096 });
  assert.deepEqual(new Uint8Array(io.readBytes!(f.p('ec.pem'))), new Uint8Array(fs.readFileSync(f.p('ec.pem'))));
  fs.writeFileSync(f.p('big.bin'), new Uint8Array(8192));
  assert.throws(() => io.readBytes!(f.p('big.bin')), /^Error: too large \(8\.0 KiB; the limit is 4\.0 KiB\)$/);
  assert.throws(() => io.readBytes!(f.p('ec.pem'), 16), /^Error: too large \(\d+ bytes; the limit is 16 bytes\)$/);
  assert.throws(() => io.readBytes!(f.p('nope')), /^Error: no such file$/);
  const confined = createNodeIO({ allowedRoots: [path.join(f.dir, 'zones')] });
  assert.throws(() => confined.readBytes!(f.p('ec.pem')), /not read: the workspace is not trusted/);
  assert.equal(confined.readBytes!(f.p('zones/good.zone')).length > 0, true);
});
