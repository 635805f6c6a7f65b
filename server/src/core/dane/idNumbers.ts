/**
 * Small numbers by owner id (pipeline/view.ts OwnerIds), for a stage that groups records by
 * owner (dane/view.ts TlsaRRsets, dane/txtOwners.ts): a byte per id says whether the id has one
 * (and holds a flag bit for the caller); the numbers themselves go to a map only once one is asked
 * for again (an owner whose records come in two runs: rare). So a million-owner zone costs a
 * byte per owner id, not an Int32 column of every id or a map entry per owner.
 */
import { objectList } from '../checks/ownerKeys';

const CHUNK_BITS = 14, CHUNK = 1 << CHUNK_BITS, CHUNK_MASK = CHUNK - 1;
const HAS = 1;
/** The bit a caller may set beside HAS. */
export const ID_FLAG = 2;

export class IdNumbers {
  /** (a list of objects from the start, read only within its length: see Column in checks/ownerKeys.ts) */
  private readonly bytes: (Uint8Array | undefined)[] = objectList();
  private map?: Map<number, number>;

  /** `pairs`: every (id, number) set so far, read once when the map is first needed. */
  constructor(private readonly pairs: () => Iterable<readonly [number, number]>) {}

  private byte(id: number): number {
    const k = id >>> CHUNK_BITS;
    const c = k < this.bytes.length ? this.bytes[k] : undefined;
    return c === undefined ? 0 : c[id & CHUNK_MASK];
  }

  private setByte(id: number, v: number): void {
    const c = id >>> CHUNK_BITS;
    while (c >= this.bytes.length) this.bytes.push(undefined);
    (this.bytes[c] ??= new Uint8Array(CHUNK))[id & CHUNK_MASK] = v;
  }

  /** The number of `id` (0: none). */
  get(id: number): number {
    if ((this.byte(id) & HAS) === 0) return 0;
    if (this.map === undefined) {
      this.map = new Map();
      for (const [i, n] of this.pairs()) this.map.set(i, n);
    }
    return this.map.get(id)!;
  }

  /** Gives `id` the number `n` (> 0); `pairs` must list it from now on. */
  set(id: number, n: number): void {
    this.setByte(id, this.byte(id) | HAS);
    this.map?.set(id, n);
  }

  /** Whether the flag bit of `id` is set. */
  flag(id: number): boolean {
    return (this.byte(id) & ID_FLAG) !== 0;
  }

  setFlag(id: number): void {
    this.setByte(id, this.byte(id) | ID_FLAG);
  }
}
