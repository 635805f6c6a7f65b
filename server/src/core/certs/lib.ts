/**
 * The certificate library (@peculiar/x509 and the @peculiar ASN.1 schemas), loaded on first
 * use. Loading it costs ~100 ms of CPU and ~15 MB (reflect-metadata, tsyringe, the schemas),
 * which a zone that links no certificate never needs: the CLI's `check`, the language server's
 * start. So the modules that use it import its types only (`import type`) and reach its values
 * through these two loaders, the one place the library is required:
 *
 * - asn1Lib(): the ASN.1 schema engine and the X.509 schemas only, for the DER test of TLSA
 *   full data (dane/der.ts, a TLSA record with matching type 0);
 * - certLib(): everything, for certificates, requests and keys (certs/x509.ts, keys.ts,
 *   verify.ts), with the library's WebCrypto provider set from `globalThis.crypto`.
 *
 * A bundle (esbuild) resolves these literal requires as it does imports. test/unit/certs-lazy.test.ts
 * shows the library stays unloaded for a zone without certificate links and loads for one with.
 */
import type * as AsnAsymKey from '@peculiar/asn1-asym-key';
import type * as AsnCsr from '@peculiar/asn1-csr';
import type * as AsnEcc from '@peculiar/asn1-ecc';
import type * as AsnRsa from '@peculiar/asn1-rsa';
import type * as AsnSchema from '@peculiar/asn1-schema';
import type * as AsnX509 from '@peculiar/asn1-x509';
import type * as X509 from '@peculiar/x509';

/** CommonJS's require (the core builds without Node types; the compiled core is CommonJS, a bundle maps it). */
declare function require(id: string): unknown;

export interface Asn1Lib {
  AsnConvert: typeof AsnSchema.AsnConvert;
  Certificate: typeof AsnX509.Certificate;
  SubjectPublicKeyInfo: typeof AsnX509.SubjectPublicKeyInfo;
  AlgorithmIdentifier: typeof AsnX509.AlgorithmIdentifier;
}

export interface CertLib extends Asn1Lib {
  OneAsymmetricKey: typeof AsnAsymKey.OneAsymmetricKey;
  ECParameters: typeof AsnEcc.ECParameters;
  ECPrivateKey: typeof AsnEcc.ECPrivateKey;
  RSAPrivateKey: typeof AsnRsa.RSAPrivateKey;
  RSAPublicKey: typeof AsnRsa.RSAPublicKey;
  CertificationRequest: typeof AsnCsr.CertificationRequest;
  BasicConstraintsExtension: typeof X509.BasicConstraintsExtension;
  Pkcs10CertificateRequest: typeof X509.Pkcs10CertificateRequest;
  SubjectAlternativeNameExtension: typeof X509.SubjectAlternativeNameExtension;
  X509Certificate: typeof X509.X509Certificate;
  cryptoProvider: typeof X509.cryptoProvider;
}

let asn1: Asn1Lib | undefined;
let full: CertLib | undefined;

/** The ASN.1 schema engine and the X.509 schemas (not @peculiar/x509 itself). */
export function asn1Lib(): Asn1Lib {
  if (!asn1) {
    const schema = require('@peculiar/asn1-schema') as typeof AsnSchema;
    const x509 = require('@peculiar/asn1-x509') as typeof AsnX509;
    asn1 = {
      AsnConvert: schema.AsnConvert,
      Certificate: x509.Certificate,
      SubjectPublicKeyInfo: x509.SubjectPublicKeyInfo,
      AlgorithmIdentifier: x509.AlgorithmIdentifier,
    };
  }
  return asn1;
}

/** The whole certificate library, its crypto provider set (see useWebCrypto). */
export function certLib(): CertLib {
  if (!full) {
    // @peculiar/x509 needs the reflect polyfill (tsyringe) before it loads.
    require('reflect-metadata');
    const x509 = require('@peculiar/x509') as typeof X509;
    const ecc = require('@peculiar/asn1-ecc') as typeof AsnEcc;
    const rsa = require('@peculiar/asn1-rsa') as typeof AsnRsa;
    full = {
      ...asn1Lib(),
      OneAsymmetricKey: (require('@peculiar/asn1-asym-key') as typeof AsnAsymKey).OneAsymmetricKey,
      ECParameters: ecc.ECParameters,
      ECPrivateKey: ecc.ECPrivateKey,
      RSAPrivateKey: rsa.RSAPrivateKey,
      RSAPublicKey: rsa.RSAPublicKey,
      CertificationRequest: (require('@peculiar/asn1-csr') as typeof AsnCsr).CertificationRequest,
      BasicConstraintsExtension: x509.BasicConstraintsExtension,
      Pkcs10CertificateRequest: x509.Pkcs10CertificateRequest,
      SubjectAlternativeNameExtension: x509.SubjectAlternativeNameExtension,
      X509Certificate: x509.X509Certificate,
      cryptoProvider: x509.cryptoProvider,
    };
    useWebCrypto();
  }
  return full;
}

/** Points the library at the environment's WebCrypto (it would otherwise look for Node's `global`); false when there is none. */
export function useWebCrypto(): boolean {
  const c = (globalThis as { crypto?: { subtle?: unknown } }).crypto;
  if (!c?.subtle) return false;
  const { cryptoProvider } = certLib();
  cryptoProvider.set(c as Parameters<typeof cryptoProvider.set>[0]);
  return true;
}
