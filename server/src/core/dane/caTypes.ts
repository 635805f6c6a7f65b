/** The shape of the CA table (caData.ts, generated) and its sources; the questions asked of it are in caTable.ts. */

/**
 * As the CA's page groups it: `active` (issues now), `backup` (valid, may be used at any
 * time without warning), `retired` (valid but no longer issues), `expired`, and for roots
 * `pending` (not yet in the trust stores).
 */
export type CaStatus = 'active' | 'backup' | 'retired' | 'expired' | 'pending';

/** One published CA certificate (a CA may have several: self-signed and cross-signed). */
export interface CaCertificate {
  /** `Let's Encrypt` */
  operator: string;
  /** The CA as the operator names it: `Let's Encrypt R10`, `ISRG Root X1`. */
  ca: string;
  /** Short name: `R10`, `YE1`, `ISRG Root X1`. */
  name: string;
  role: 'root' | 'intermediate';
  status: CaStatus;
  /** `RSA 2048`, `ECDSA P-384` */
  keyType: string;
  /** The subscriber key type it issues for: RSA or ECDSA. */
  keyFamily: 'RSA' | 'ECDSA';
  /** What this certificate of the CA is: `cross-signed by ISRG Root X1`, `signed by ISRG Root X2`, or ''. */
  variant: string;
  subject: string;
  issuer: string;
  /** ISO dates (UTC day). */
  notBefore: string;
  notAfter: string;
  /** Lowercase hex digests of the DER certificate and of its SubjectPublicKeyInfo. */
  certSha256: string;
  certSha512: string;
  spkiSha256: string;
  spkiSha512: string;
  /** The file in the source repository. */
  file: string;
}

export interface CaSource {
  operator: string;
  repository: string;
  commit: string;
  page: string;
}
