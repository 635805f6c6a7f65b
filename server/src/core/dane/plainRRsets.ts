/**
 * The common TLSA RRset of a mail zone, told from its rows (pipeline/keptColumns.ts) without
 * making its records or its RRset: at `_25._tcp.<host>` (its key written plainly), the host an MX
 * target and no CNAME (startDane's host table says both), every record without error and `3 1 1`
 * with a TTL up to the stage's bound, two different keys or more, small enough for one UDP
 * answer, in a zone without RRSIG records. checkRRset reports nothing for such an RRset and
 * finds it queried (baseHost); checkDane then only adds it to tlsa-unsigned-zone's summary. The
 * bench zone's 84k RRsets are all such; any other RRset takes checkRRset.
 * test/unit/dane-plain-rrsets.test.ts holds this to checkRRset (`plainRRsets.on` false) on zones
 * with each way an RRset can miss it.
 */
import { RecordRows, spanLength, spanOffset } from '../pipeline/keptColumns';
import { KeyText } from '../pipeline/keyText';
import { TYPE_TLSA } from '../rrtypes';
import { HOST_CNAME, HOST_MX, HostFacts } from './hosts';
import { plainRRsetFits, plainRRsetFitsWire } from './mail';
import { QueriedSets } from './unsignedZone';
import { TlsaRRsets } from './view';

/** The RRset's owner key, read as characters. */
const keyText = new KeyText();

/** `on` false: every RRset goes to checkRRset (the test compares the two); `taken`: how many RRsets were told plain. */
export const plainRRsets = { on: true, taken: 0 };

/** What plainRRset reads of the run (dane/checks.ts DaneRun). */
export interface PlainRun {
  hosts?: HostFacts;
  /** False when the zone holds no RRSIG record. */
  rrsigs?: boolean;
  maxTtl: number;
  zoneOrigin?: string;
}

/**
 * RRset `k` of `sets` (over `rows`), whose host has entry `host` in the run's host table (-1:
 * none), when it is a plain one (above): added to `queried`, true. Else false, nothing done.
 */
export function plainRRset(run: PlainRun, sets: TlsaRRsets, rows: RecordRows, k: number, host: number, queried: QueriedSets): boolean {
  // (a host entry is made only for a `_25._tcp.` owner, at the first record of its run)
  if (!plainRRsets.on || host < 0 || run.rrsigs !== false || run.hosts === undefined) return false;
  if ((run.hosts.at(host) & (HOST_MX | HOST_CNAME)) !== HOST_MX) return false;
  const i0 = sets.firstRow(k);
  if (rows.typeCode(i0) !== TYPE_TLSA) return false;
  // (the key read as characters: no string made for it)
  const wire = plainKeyWire(keyText, rows.ownerText(i0, keyText));
  if (wire === NOT_PLAIN_KEY) return false;
  let count = 0, rdata = 0, differs = false;
  let w0: Uint8Array | undefined, at0 = 0, n0 = 0;
  for (let i = i0; i >= 0; i = sets.nextRow(i)) {
    if (!rows.ok(i)) return false;
    const ttl = rows.ttl(i);
    if (ttl !== undefined && ttl > run.maxTtl) return false;
    const w = rows.wireSpan(i);
    const at = spanOffset, n = spanLength;
    if (w === undefined || n < 4 || w[at] !== 3 || w[at + 1] !== 1 || w[at + 2] !== 1) return false;
    if (count === 0) { w0 = w; at0 = at; n0 = n; }
    else if (!differs) differs = n !== n0 || !sameOctets(w, at, w0!, at0, n);
    count++;
    rdata += n;
  }
  // (one key only, or copies of it: tlsa-single-record)
  if (!differs) return false;
  // (the owner's wire length from its key's characters when the owner is its key: no record made)
  if (wire >= 0 && run.zoneOrigin !== undefined && rows.ownerIsKey(i0)) {
    if (!plainRRsetFitsWire(wire, count, rdata, run.zoneOrigin)) return false;
    queried.addRow(TYPE_TLSA, undefined, rows, i0);
  } else {
    const first = rows.record(i0);
    if (!plainRRsetFits(first.owner, count, rdata, run.zoneOrigin ?? first.owner)) return false;
    queried.addRow(TYPE_TLSA, first, rows, i0);
  }
  plainRRsets.taken++;
  return true;
}

/** plainKeyWire's result for a key that is not absolute or holds a `\` (not a plain RRset). */
const NOT_PLAIN_KEY = -2;

/**
 * The key of `n` characters in `t`: NOT_PLAIN_KEY when it does not end with `.` or holds a `\`;
 * else the wire length of its name (each character one octet): n + 1 when every label has 1 to
 * 63 characters and that is at most 255 (wireLengthOf's), else -1 (the caller reads the record).
 */
export function plainKeyWire(t: KeyText, n: number): number {
  const codes = t.codes, at = t.at;
  if (n === 0 || codes[at + n - 1] !== 0x2e) return NOT_PLAIN_KEY;
  let label = 0, odd = n === 1 || n + 1 > 255;
  for (let j = 0; j < n; j++) {
    const c = codes[at + j];
    if (c === 0x5c) return NOT_PLAIN_KEY;
    if (c !== 0x2e) label++;
    else {
      if (label === 0 || label > 63) odd = true;
      label = 0;
    }
  }
  return odd ? -1 : n + 1;
}

function sameOctets(a: Uint8Array, at: number, b: Uint8Array, bt: number, n: number): boolean {
  for (let j = 0; j < n; j++) if (a[at + j] !== b[bt + j]) return false;
  return true;
}
