/**
 * Certificates and keys made by the `openssl` command for the certificate tests (certs-*.test.ts),
 * in a temporary folder, plus the openssl pipeline that gives the expected TLSA data. When
 * openssl is not installed, `opensslMissing` says so and the tests skip (.ci/run installs it).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const probe = spawnSync('openssl', ['version'], { encoding: 'utf8' });
export const opensslMissing: string | undefined = probe.status === 0 ? undefined : 'openssl is not installed: certificate tests skipped (apt-get install openssl)';

export function openssl(args: string[], input?: Buffer | string, cwd?: string): Buffer {
  const r = spawnSync('openssl', args, { input, cwd, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr?.toString()}`);
  return r.stdout;
}

const hex = (b: Buffer) => b.toString('hex');

/** `… | openssl dgst -sha256` / `-sha512` (raw output, in hex); matching type 0 gives the DER itself. */
export function opensslMatching(der: Buffer, matchingType: number): string {
  if (matchingType === 0) return hex(der);
  return hex(openssl(['dgst', matchingType === 1 ? '-sha256' : '-sha512', '-binary'], der));
}

export interface Fixtures {
  dir: string;
  /** Absolute path of a fixture file. */
  p(name: string): string;
  read(name: string): Uint8Array;
  /** The DER certificate (`openssl x509 -outform DER`). */
  certDer(name: string): Buffer;
  /** The DER SPKI of a certificate (`openssl x509 -noout -pubkey | openssl pkey -pubin -outform DER`). */
  certSpki(name: string): Buffer;
  /** The DER SPKI of a private key (`openssl pkey -pubout -outform DER`). */
  keySpki(name: string): Buffer;
  /** The DER SPKI of a CSR (`openssl req -noout -pubkey | openssl pkey -pubin -outform DER`). */
  csrSpki(name: string): Buffer;
  cleanup(): void;
}

/**
 * Makes, in a temp folder:
 * - rsa.key / ec.key / ed.key (PKCS#8) with self-signed rsa.pem / ec.pem / ed.pem (CN=mx1.example.com, 365 days);
 * - a CA: root.key/root.pem (CN=Test Root CA), int.key/int.pem (CN=Test Issuing CA, signed by the root);
 * - leaf.key, leaf.csr, leaf.pem (CN=mx1.example.com, SAN mx1.example.com + mail.example.com, signed by int),
 *   fullchain.pem (leaf + int), chain3.pem (leaf + int + root);
 * - next.key (EC) with next.csr and next.pub; short.pem (self-signed, 10 days, key next.key).
 */
export function makeFixtures(): Fixtures {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dane-zone-certs-'));
  const p = (n: string) => path.join(dir, n);
  const run = (args: string[], input?: Buffer | string) => openssl(args, input, dir);
  const cnf = (text: string, name: string) => { fs.writeFileSync(p(name), text); return name; };
  run(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'rsa.key']);
  run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ec.key']);
  run(['genpkey', '-algorithm', 'ED25519', '-out', 'ed.key']);
  for (const k of ['rsa', 'ec', 'ed']) {
    run(['req', '-x509', '-new', '-key', `${k}.key`, '-subj', '/CN=mx1.example.com', '-addext', 'subjectAltName=DNS:mx1.example.com',
      '-days', '365', '-out', `${k}.pem`]);
  }
  // A CA, an issuing CA and a leaf.
  run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'root.key']);
  run(['req', '-x509', '-new', '-key', 'root.key', '-subj', '/O=Test/CN=Test Root CA', '-days', '3650',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', 'root.pem']);
  run(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'int.key']);
  run(['req', '-new', '-key', 'int.key', '-subj', '/O=Test/CN=Test Issuing CA', '-out', 'int.csr']);
  cnf('basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n', 'ca.ext');
  run(['x509', '-req', '-in', 'int.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-days', '1825', '-extfile', 'ca.ext', '-out', 'int.pem']);
  run(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'leaf.key']);
  run(['req', '-new', '-key', 'leaf.key', '-subj', '/CN=mx1.example.com', '-out', 'leaf.csr']);
  cnf('basicConstraints=CA:FALSE\nsubjectAltName=DNS:mx1.example.com,DNS:mail.example.com\n', 'leaf.ext');
  run(['x509', '-req', '-in', 'leaf.csr', '-CA', 'int.pem', '-CAkey', 'int.key', '-CAcreateserial', '-days', '90', '-extfile', 'leaf.ext', '-out', 'leaf.pem']);
  fs.writeFileSync(p('fullchain.pem'), fs.readFileSync(p('leaf.pem'), 'utf8') + fs.readFileSync(p('int.pem'), 'utf8'));
  fs.writeFileSync(p('chain3.pem'), fs.readFileSync(p('fullchain.pem'), 'utf8') + fs.readFileSync(p('root.pem'), 'utf8'));
  // The next key, as a key, a CSR and a public key; a short-lived certificate for it.
  run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'next.key']);
  run(['req', '-new', '-key', 'next.key', '-subj', '/CN=mx1.example.com', '-out', 'next.csr']);
  run(['pkey', '-in', 'next.key', '-pubout', '-out', 'next.pub']);
  run(['req', '-x509', '-new', '-key', 'next.key', '-subj', '/CN=mx1.example.com', '-days', '10', '-out', 'short.pem']);
  return {
    dir,
    p,
    read: (n) => new Uint8Array(fs.readFileSync(p(n))),
    certDer: (n) => run(['x509', '-in', n, '-outform', 'DER']),
    certSpki: (n) => run(['pkey', '-pubin', '-outform', 'DER'], run(['x509', '-in', n, '-noout', '-pubkey'])),
    keySpki: (n) => run(['pkey', '-in', n, '-pubout', '-outform', 'DER']),
    csrSpki: (n) => run(['pkey', '-pubin', '-outform', 'DER'], run(['req', '-in', n, '-noout', '-pubkey'])),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
