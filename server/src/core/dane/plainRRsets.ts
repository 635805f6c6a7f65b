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
import { TYPE_TLSA } from '../rrtypes';
import { HOST_CNAME, HOST_MX, HostFacts } from './hosts';
import { plainRRsetFits } from './mail';
import { QueriedSets } from './unsignedZone';
import { TlsaRRsets } from './view';

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
  const key = rows.ownerKey(i0);
  if (!key.endsWith('.') || key.indexOf('\\') >= 0) return false;
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
  const first = rows.record(i0);
  if (!plainRRsetFits(first.owner, count, rdata, run.zoneOrigin ?? first.owner)) return false;
  queried.addFirst(TYPE_TLSA, first, first.owner);
  plainRRsets.taken++;
  return true;
}

function sameOctets(a: Uint8Array, at: number, b: Uint8Array, bt: number, n: number): boolean {
  for (let j = 0; j < n; j++) if (a[at + j] !== b[bt + j]) return false;
  return true;
}
