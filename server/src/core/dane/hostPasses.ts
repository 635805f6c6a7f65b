/**
 * startDane's passes over the TLSA, CNAME and MX records (dane/checks.ts), which fill the run's
 * host table (hosts.ts) and the MX records' states. Each pass is a function of its own: in one
 * function V8 compiled each loop on stack as it ran and threw the code away where the loop ended
 * (a deoptimization on the next statement, which had not run yet), so the next loop started again
 * in the interpreter (three cycles per run, `--trace-deopt`). Each yields when the slice is due.
 */
import { RecordRows, sameOwner, spanLength, spanOffset } from '../pipeline/keptColumns';
import { KeyText, textStartsWith } from '../pipeline/keyText';
import { TYPE_TLSA } from '../rrtypes';
import { Slice, Steps } from '../work';
import { HOST_SMTP_TLSA, HostFacts, MX_INSIDE, NOT_PLAIN } from './hosts';
import { WireNameKey, wireNameKey } from './names';

export const SMTP_PREFIX = '_25._tcp.';

/** An MX record's state in a full run with a zone origin (ZoneContext.mxState): no target or not in the zone; in it with `_25._tcp` TLSA; in it without. */
export const MX_OUTSIDE = 0, MX_COVERED = 1, MX_BARE = 2;

/** An MX record's target and its key (undefined for none, `.` or unreadable); its wire form read in place (no record made). */
export function mxTarget(mx: RecordRows, i: number): WireNameKey | undefined {
  const w = mx.wireSpan(i);
  const at = spanOffset, n = spanLength;
  const t = w && n > 2 ? wireNameKey(w, at + 2, at + n) : undefined;
  return t === undefined || t.name === '.' ? undefined : t;
}

/** Marks the host of each `_25._tcp.<host>` TLSA RRset (its owner's key read once per run of records); `hostIds`: its entry, by the run's first row. */
export function* markTlsaHostsSteps(tlsa: RecordRows, hosts: HostFacts, hostIds: Int32Array | undefined, slice: Slice): Steps<void> {
  let last = -1;
  // (the key read as characters: no string made per RRset, pipeline/keyText.ts)
  const text = new KeyText();
  for (let i = 0; i < tlsa.length; i++) {
    if (tlsa.typeCode(i) === TYPE_TLSA && (last < 0 || !sameOwner(tlsa, i, last))) {
      last = i;
      const n = tlsa.ownerText(i, text);
      if (textStartsWith(text, n, SMTP_PREFIX)) {
        const e = hosts.markSmtpTlsaText(text, SMTP_PREFIX.length, n);
        if (hostIds) hostIds[i] = e;
      }
    }
    if (slice.due()) yield;
  }
}

/** Marks the TLSA hosts that are CNAME owners. */
export function* markCnamesSteps(cnames: RecordRows, hosts: HostFacts, slice: Slice): Steps<void> {
  const text = new KeyText();
  for (let i = 0; i < cnames.length; i++) {
    hosts.markCnameText(text, cnames.ownerText(i, text));
    if (slice.due()) yield;
  }
}

/**
 * Marks each MX record's target an MX target and sets its state (`mxState`, with `inside` the
 * zone test); `wire`: targets of plain octets looked up from their wire form (else as strings).
 */
export function* markMxTargetsSteps(mx: RecordRows, hosts: HostFacts, mxState: Uint8Array | undefined, inside: ((key: string) => boolean) | undefined, wire: boolean,
  slice: Slice): Steps<void> {
  for (let i = 0; i < mx.length; i++) {
    // (one lookup, from the target's octets: whether the host has TLSA, and marking it an MX target)
    const w = mx.wireSpan(i);
    const at = spanOffset, n = spanLength;
    const got = w && n > 2 && wire ? hosts.markMxWire(w, at + 2, at + n) : NOT_PLAIN;
    if (got !== NOT_PLAIN) {
      if (mxState && got & MX_INSIDE) mxState[i] = got & HOST_SMTP_TLSA ? MX_COVERED : MX_BARE;
    } else {
      const t = mxTarget(mx, i);
      if (t !== undefined) {
        const had = hosts.markMx(t.key);
        if (mxState && inside!(t.key)) mxState[i] = had & HOST_SMTP_TLSA ? MX_COVERED : MX_BARE;
      }
    }
    if (slice.due()) yield;
  }
}
