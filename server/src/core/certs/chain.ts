/**
 * Chain order for the certificates of one file: leaf first, each followed by its issuer
 * (dane-rules.md, "Linking certificates to TLSA records"). Linear in the number of
 * certificates: names are compared through a map keyed by the name's DER octets, never pair
 * by pair (a 1 MiB PKCS#7 bundle of 7,500 certificates took 76 s with the pairwise search).
 */
import { sameBytes, toHex } from './asn1';

/** What ordering needs of a certificate: its names' exact DER and whether they are equal. */
export interface ChainLink {
  subjectDer: Uint8Array;
  issuerDer: Uint8Array;
  selfIssued: boolean;
  subject: string;
}

/** Work done by orderChain, for tests that bound it (map look-ups and list steps). */
export interface ChainWork {
  steps: number;
}

/** Certificates by the hex of a name's DER, in file order. */
function byName<C extends ChainLink>(certs: readonly C[], name: (c: C) => Uint8Array, keep: (c: C) => boolean, work: ChainWork): Map<string, C[]> {
  const m = new Map<string, C[]>();
  for (const c of certs) {
    work.steps++;
    if (!keep(c)) continue;
    const k = toHex(name(c));
    const list = m.get(k);
    if (list) list.push(c);
    else m.set(k, [c]);
  }
  return m;
}

/**
 * Puts certificates in chain order (leaf first, each followed by its issuer) when the file has
 * them in another order; a note says so. `a` issues `b` when `b` is not self-issued and `a`'s
 * subject is `b`'s issuer (octet for octet). The leaf is the one certificate that issues no
 * other; with none or several, the file order is kept and a note says the first is taken.
 * The certificates the walk from the leaf does not reach follow, in file order.
 */
export function orderChain<C extends ChainLink>(certs: C[], notes: string[], work: ChainWork = { steps: 0 }): C[] {
  if (certs.length < 2) return certs;
  const issues = (a: C, b: C) => !b.selfIssued && a !== b && sameBytes(a.subjectDer, b.issuerDer);
  let ordered = true;
  for (let k = 0; k + 1 < certs.length && ordered; k++) {
    work.steps++;
    if (!issues(certs[k + 1], certs[k])) ordered = false;
  }
  if (ordered) return certs;
  // Issuers named by certificates that are not self-issued: a certificate whose subject is one of them issues something.
  const issued = byName(certs, (c) => c.issuerDer, (c) => !c.selfIssued, work);
  const leaves = certs.filter((c) => {
    work.steps++;
    return !(issued.get(toHex(c.subjectDer)) ?? []).some((o) => { work.steps++; return o !== c; });
  });
  if (leaves.length !== 1) {
    notes.push('the certificates are not in chain order (leaf first, then its issuer): the first one is taken as the leaf');
    return certs;
  }
  const bySubject = byName(certs, (c) => c.subjectDer, () => true, work);
  // Per subject, the first entry not yet used (used entries never come back, so each list is walked once).
  const next = new Map<string, number>();
  const used = new Set<C>([leaves[0]]);
  const out = [leaves[0]];
  for (let cur = leaves[0]; !cur.selfIssued;) {
    const k = toHex(cur.issuerDer);
    const list = bySubject.get(k) ?? [];
    let i = next.get(k) ?? 0;
    while (i < list.length && used.has(list[i])) { work.steps++; i++; }
    next.set(k, i);
    if (i >= list.length) break;
    const up = list[i];
    work.steps++;
    used.add(up);
    out.push(up);
    cur = up;
  }
  const rest = certs.filter((c) => { work.steps++; return !used.has(c); });
  if (certs[0] !== out[0] || rest.length) notes.push(`the certificates were put in chain order (leaf first): ${out[0].subject || 'the leaf'} is the leaf`);
  return out.concat(rest);
}
