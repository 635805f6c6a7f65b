/**
 * What a full DANE run knows per host key (dane/checks.ts startDane): HOST_SMTP_TLSA when
 * `_25._tcp.<host>` has TLSA records, HOST_MX when the host is an MX target. One map lookup per
 * name gives the host's id; its facts are bits in a typed array by that id, so marking a known
 * host is no second lookup (most MX targets are TLSA hosts already).
 *
 * With the view's owner ids (pipeline/view.ts OwnerIds: the streaming CLI), a host that is an
 * owner name of the zone (most are) keeps its facts by its owner id, in chunks of a byte array:
 * no map entry and no key string per host (on a large zone the map, its outgrown tables and its
 * keys stayed to the end of the run). Other names (an empty non-terminal, a name outside the
 * zone) go to the map.
 */
import { OwnerIds } from '../pipeline/view';

export const HOST_SMTP_TLSA = 1, HOST_MX = 2;

const CHUNK_BITS = 14, CHUNK = 1 << CHUNK_BITS, CHUNK_MASK = CHUNK - 1;

export class HostFacts {
  private readonly ids = new Map<string, number>();
  private flags = new Uint8Array(64);
  private n = 0;
  /** By owner id (with `owners`), in chunks made when first written. */
  private readonly byOwner: Uint8Array[] = [];

  constructor(private readonly owners?: OwnerIds) {}

  private add(key: string): number {
    const id = this.n++;
    if (id === this.flags.length) {
      const more = new Uint8Array(2 * id);
      more.set(this.flags);
      this.flags = more;
    }
    this.ids.set(key, id);
    return id;
  }

  /** The chunk of owner id `id`, made when missing. */
  private chunkOf(id: number): Uint8Array {
    const c = id >>> CHUNK_BITS;
    while (c >= this.byOwner.length) this.byOwner.push(undefined!);
    return (this.byOwner[c] ??= new Uint8Array(CHUNK));
  }

  /** `_25._tcp.<key>` has TLSA records (the TLSA pass, before any MX target is marked); returns the host's owner id (-1: not an owner). */
  markSmtpTlsa(key: string): number {
    const o = this.owners?.idOf(key) ?? -1;
    if (o >= 0) {
      this.chunkOf(o)[o & CHUNK_MASK] |= HOST_SMTP_TLSA;
      return o;
    }
    // (a host seen before, at a second run of its records, takes a new id: the old one is not read again)
    const id = this.add(key);
    this.flags[id] = HOST_SMTP_TLSA;
    return -1;
  }

  /** `get` of a host by its owner id (>= 0: `idOf` of its key), no key looked up. */
  getById(o: number): number {
    const chunk = this.byOwner[o >>> CHUNK_BITS];
    return chunk === undefined ? 0 : chunk[o & CHUNK_MASK];
  }

  /** Marks `key` an MX target; returns its facts before. */
  markMx(key: string): number {
    const o = this.owners?.idOf(key) ?? -1;
    if (o >= 0) {
      const chunk = this.chunkOf(o);
      const had = chunk[o & CHUNK_MASK];
      chunk[o & CHUNK_MASK] = had | HOST_MX;
      return had;
    }
    let id = this.ids.get(key);
    if (id === undefined) id = this.add(key);
    const had = this.flags[id];
    this.flags[id] = had | HOST_MX;
    return had;
  }

  /** The facts of a host key (0: none). */
  get(key: string): number {
    const o = this.owners?.idOf(key) ?? -1;
    if (o >= 0) return this.getById(o);
    const id = this.ids.get(key);
    return id === undefined ? 0 : this.flags[id];
  }
}
