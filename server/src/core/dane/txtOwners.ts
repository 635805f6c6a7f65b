/**
 * The mail-policy stage's TXT records by owner (dane/mtaSts.ts): the owners in order of their
 * first record, each owner's records in file order, and which `_smtp._tls` owners have a TLS-RPT
 * record (REPORTING). With the records' owner ids (the streaming CLI's view: pipeline/view.ts
 * OwnerIds) the grouping is kept in typed arrays by id; else in a map by owner key (an owner
 * with one record, the common case, keeps it without an array).
 */
import { ZoneRecord } from '../model';
import { IdNumbers } from './idNumbers';
import { RecordRows } from '../pipeline/keptColumns';
import { KeyText, textEndsWith, textOf, textString } from '../pipeline/keyText';
import { freshList } from '../pipeline/fresh';
import { TLS_RPT_PREFIX } from './mailPolicyRecords';

const REPORTING = 1;

export class TxtOwners {
  /** By owner key: its record(s), or REPORTING once read (without ids). */
  private readonly byKey?: Map<string, ZoneRecord | ZoneRecord[] | typeof REPORTING>;
  /** The owner keys in first-seen order (without ids). */
  private readonly keys: string[] = [];
  /** With ids: per owner id, 1 + its owner number (and the REPORTING flag). */
  private readonly byId?: IdNumbers;
  /** With ids: per owner number, 1 + its last record's index; per record, 1 + the next one's at its owner. */
  private readonly last?: Int32Array;
  private readonly next?: Int32Array;
  /** With ids: the first record's index of each owner, in first-seen order. */
  private readonly order?: Int32Array;
  private n = 0;
  private readonly txt: Pick<RecordRows, 'record' | 'ownerText'> & Partial<Pick<RecordRows, 'wireSpan'>>;
  /** A reported owner's key, read as characters (isReportingText). */
  private readonly reportedText = new KeyText();
  /** The owners marked reporting, in the order marked (file order), and the next one isReportingDomain expects. */
  private reported?: Int32Array;
  private nReported = 0;
  private cursor = 0;
  private readonly ids?: { get(i: number): number };
  /** The array handed out for an owner with one record (reused). */
  private readonly one: ZoneRecord[] = [];

  /**
   * `txt`: the records, or their rows (the CLI's: an owner's records are made when `records` is
   * asked for them, not kept); `ids`: their owner ids, by index (`idOf`: of any name).
   */
  constructor(txt: readonly ZoneRecord[] | RecordRows, ids?: { get(i: number): number }, private readonly idOf?: (ownerKey: string) => number) {
    this.txt = Array.isArray(txt) ? { record: (i: number) => (txt as readonly ZoneRecord[])[i], ownerText: (i: number, into: KeyText) => textOf((txt as readonly ZoneRecord[])[i].ownerKey, into) } : (txt as RecordRows);
    this.ids = ids;
    if (ids && idOf) {
      this.byId = new IdNumbers(() => this.numbers());
      this.last = new Int32Array(txt.length);
      this.next = new Int32Array(txt.length);
      this.order = new Int32Array(txt.length);
    } else this.byKey = new Map();
  }

  /** (owner id, 1 + owner number) of the owners so far. */
  private *numbers(): Iterable<[number, number]> {
    for (let o = 0; o < this.n; o++) yield [this.ids!.get(this.order![o]), o + 1];
  }

  /** How many owners. */
  get count(): number { return this.n; }

  /** Adds `txt[i]`, in file order. */
  add(i: number): void {
    const byKey = this.byKey;
    if (byKey !== undefined) {
      const r = this.txt.record(i);
      const key = r.ownerKey;
      const had = byKey.get(key);
      if (had === undefined) { byKey.set(key, r); this.keys.push(key); this.n++; }
      else if (Array.isArray(had)) had.push(r);
      else byKey.set(key, [had as ZoneRecord, r]);
      return;
    }
    const g = this.ids!.get(i);
    let o = this.byId!.get(g);
    if (o === 0) {
      o = ++this.n;
      this.order![o - 1] = i;
      this.byId!.set(g, o);
    } else this.next![this.last![o - 1] - 1] = i + 1;
    this.last![o - 1] = i + 1;
  }

  /** The records of owner `o` (0 <= o < count), in file order (an owner with one: an array reused). */
  records(o: number): readonly ZoneRecord[] {
    if (this.byKey !== undefined) {
      const held = this.byKey.get(this.keys[o]) as ZoneRecord | ZoneRecord[];
      if (Array.isArray(held)) return held;
      this.one[0] = held;
      return this.one;
    }
    const f = this.order![o];
    const next = this.next!;
    if (next[f] === 0) { this.one[0] = this.txt.record(f); return this.one; }
    // (made per owner: no allocation site, pipeline/fresh.ts)
    const out = freshList<ZoneRecord>();
    for (let i = f + 1; i !== 0; i = next[i - 1]) out.push(this.txt.record(i - 1));
    return out;
  }

  /** Owner `o` has a TLS-RPT record (its key starts with `_smtp._tls.`). */
  reporting(o: number): void {
    (this.reported ??= new Int32Array(this.n))[this.nReported++] = o;
    if (this.byKey !== undefined) this.byKey.set(this.keys[o], REPORTING);
    else this.byId!.setFlag(this.ids!.get(this.order![o]));
  }

  /**
   * The index in the rows of owner `o`'s one record, read without making it (-1: it has several,
   * or the records were given as a list).
   */
  single(o: number): number {
    if (this.byKey !== undefined || this.txt.wireSpan === undefined) return -1;
    const f = this.order![o];
    return this.next![f] === 0 ? f : -1;
  }

  /** The key of owner `o`, its characters read into `into` (lent by the rows, or copied); returns its length. */
  textOf(o: number, into: KeyText): number {
    return this.byKey !== undefined ? textOf(this.keys[o], into) : this.txt.ownerText(this.order![o], into);
  }

  /** isReportingText of a domain key given as a string. */
  isReportingDomain(domainKey: string): boolean {
    const t = new KeyText();
    return this.isReportingText(t, textOf(domainKey, t));
  }

  /**
   * isReporting(`_smtp._tls.` + the domain key of `n` characters in `domain`), asked for domains
   * in file order: the owners marked reporting come in about that order (a domain's TLS-RPT
   * record near its MX records), so the next few of them are compared with the name first, as
   * characters (no string made, no lookup); any other name is looked up.
   * test/unit/dane-ids.test.ts holds it to isReporting.
   */
  isReportingText(domain: KeyText, n: number): boolean {
    const reported = this.reported;
    const want = TLS_RPT_PREFIX.length + n;
    const other = this.reportedText;
    for (let j = this.cursor, end = Math.min(this.cursor + 4, this.nReported); j < end; j++) {
      if (this.textOf(reported![j], other) === want && textEndsWith(other, want, domain, n)) {
        this.cursor = j + 1;
        return true;
      }
    }
    return this.isReporting(TLS_RPT_PREFIX + textString(domain, 0, n));
  }

  /** The owner `ownerKey` was marked reporting. */
  isReporting(ownerKey: string): boolean {
    if (this.byKey !== undefined) return this.byKey.get(ownerKey) === REPORTING;
    const g = this.idOf!(ownerKey);
    return g >= 0 && this.byId!.flag(g);
  }
}
