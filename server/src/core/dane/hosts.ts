/**
 * What a full DANE run knows per host key (dane/checks.ts startDane): HOST_SMTP_TLSA when
 * `_25._tcp.<host>` has TLSA records, HOST_MX when the host is an MX target. One map lookup per
 * name gives the host's id; its facts are bits in a typed array by that id, so marking a known
 * host is no second lookup (most MX targets are TLSA hosts already).
 */
export const HOST_SMTP_TLSA = 1, HOST_MX = 2;

export class HostFacts {
  private readonly ids = new Map<string, number>();
  private flags = new Uint8Array(64);
  private n = 0;

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

  /** `_25._tcp.<key>` has TLSA records (the TLSA pass, before any MX target is marked). */
  markSmtpTlsa(key: string): void {
    // (a host seen before, at a second run of its records, takes a new id: the old one is not read again)
    const id = this.add(key);
    this.flags[id] = HOST_SMTP_TLSA;
  }

  /** Marks `key` an MX target; returns its facts before. */
  markMx(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) id = this.add(key);
    const had = this.flags[id];
    this.flags[id] = had | HOST_MX;
    return had;
  }

  /** The facts of a host key (0: none). */
  get(key: string): number {
    const id = this.ids.get(key);
    return id === undefined ? 0 : this.flags[id];
  }
}
