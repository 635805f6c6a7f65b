/**
 * Code actions for certificate-linked TLSA records, as pure text edits (one edit list per
 * action; comments, parentheses and alignment kept; the RRset's TTL and the file's owner
 * style reused):
 *
 * - update a record's association data from the linked certificate (for its own usage,
 *   selector and matching type);
 * - insert a TLSA RRset for a host from a certificate (`3 1 1` by default);
 * - a rotation pair, current + next (`3 1 1` twice) or current + issuer (`3 1 1` + `2 1 1` for
 *   the issuing CA), inserted after the RRset with a comment giving the date and the steps;
 * - remove a stale record.
 *
 * Plus certHover, the hover line that names the linked certificate a record matches.
 * Everything here is synchronous: the association data comes precomputed in the diagnostics'
 * CertFixData (checks.ts) or from hash.ts. The text edits are edits.ts', the rotation pairs
 * rotation.ts'.
 */
import { ZoneRecord } from '../model';
import { nameKey } from '../names';
import { ZoneDiagnostic } from '../types';
import { DaneCodeAction } from '../dane/fixes';
import { TextEdit } from '../edits';
import { decodeTlsaWire } from '../dane/tlsaRdata';
import { TYPE_TLSA } from '../rrtypes';
import { toHex } from './asn1';
import type { CertAnalysis, LinkedRRset } from './checks';
import { eol, fieldsOf, findRecord, insertRecordsEdit, layoutTemplate, ownRecords, removeRecordEdits, rrsetRecords, short, updateRecordDataEdits } from './edits';
import type { CertFixData, LinkSummary } from './fixData';
import { recordSpecFor, TlsaRecordSpec } from './hash';
import { describeMaterial, loadKeyMaterial } from './load';
import { rotationActions } from './rotation';
import { timingHover } from './published';

export type { TlsaRecordSpec } from './hash';
export type { CertFixData, CertRecordRef, LinkSummary, RotationPattern } from './fixData';
export { insertRecordsEdit, removeRecordEdits, updateRecordDataEdits } from './edits';
export type { InsertRecordsOptions } from './edits';
export { rotationActions, rotationComment, rotationPairEdits } from './rotation';
export type { RotationOptions } from './rotation';

// ---------------------------------------------------------------- actions from diagnostics

export function linkName(s: LinkSummary): string {
  return `\`${s.written}\``;
}

function recordOf(records: readonly ZoneRecord[], data: CertFixData, i: number | undefined): ZoneRecord | undefined {
  const ref = i === undefined ? undefined : data.records[i];
  return ref && findRecord(records, ref);
}

function isCertFixData(x: unknown): x is CertFixData {
  const d = x as Partial<CertFixData> | undefined;
  return !!d && typeof d === 'object' && d.fix === 'tlsa-cert' && typeof d.owner === 'string' && Array.isArray(d.records) && Array.isArray(d.links);
}

/** The actions to update a record from a linked file, when its own usage/selector/type can be computed and differs. */
function updateActions(text: string, records: readonly ZoneRecord[], data: CertFixData, link: LinkSummary, only?: number): DaneCodeAction[] {
  const out: DaneCodeAction[] = [];
  data.records.forEach((ref, i) => {
    if (only !== undefined && i !== only) return;
    const want = link.assoc[fieldsOf(ref)];
    if (want === undefined || want === ref.hex) return;
    const r = findRecord(records, ref);
    const edits = r && updateRecordDataEdits(text, r, want);
    if (!edits || edits.length === 0) return;
    const from = ref.usage === 2 || ref.usage === 0 ? `the issuing CA of ${linkName(link)}${link.caSubject ? ` (${link.caSubject})` : ''}` : linkName(link);
    out.push({ title: `Update the \`${fieldsOf(ref)} ${short(ref.hex)}\` record from ${from}`, edits });
  });
  return out;
}

/**
 * Quick fixes for a certificate diagnostic, from its data: empty when it has none or the text
 * changed since. `records` are the current parse's records; `date` goes into rotation comments.
 */
export function certQuickFixes(text: string, records: readonly ZoneRecord[], diagnostic: ZoneDiagnostic, date: Date): DaneCodeAction[] {
  const data = diagnostic.data;
  if (!isCertFixData(data) || diagnostic.includedFrom !== undefined) return [];
  // Stale diagnostic: every record it names must still be there as it was.
  if (data.records.some((ref) => !findRecord(records, ref))) return [];
  const link = data.links.find((s) => s.role === data.role);
  switch (data.kind) {
    case 'mismatch': {
      if (!link) return [];
      if (link.role === 'cert') {
        const out = updateActions(text, records, data, link);
        if (out.length === 1) out[0].isPreferred = true;
        const hex = link.assoc['3 1 1'];
        const set = rrsetRecords(records, data.owner);
        if (hex && set.length) {
          out.push({
            title: `Add a \`3 1 1\` record for ${linkName(link)} beside the others`,
            edits: [insertRecordsEdit(text, { owner: data.owner, records: [{ usage: 3, selector: 1, matchingType: 1, hex }], after: set[set.length - 1], template: layoutTemplate(text, set) })],
          });
        }
        return out.concat(rotationActions(text, records, data, date));
      }
      return rotationActions(text, records, data, date).filter((a) => /current \+ next/.test(a.title)).map((a) => ({ ...a, isPreferred: true }));
    }
    case 'stale': {
      const r = recordOf(records, data, data.record);
      const edits = r && removeRecordEdits(text, records, r);
      const ref = data.records[data.record ?? -1];
      return edits && ref ? [{ title: `Remove the stale record \`${fieldsOf(ref)} ${short(ref.hex)}\``, edits, isPreferred: true }] : [];
    }
    case 'ta-not-in-chain': {
      const ref = data.records[data.record ?? -1];
      const cur = data.links.find((s) => s.role === 'cert' && s.assoc[fieldsOf(ref ?? { usage: 2, selector: 1, matchingType: 1 })]);
      const out = ref && cur ? updateActions(text, records, data, cur, data.record) : [];
      const r = recordOf(records, data, data.record);
      const edits = r && removeRecordEdits(text, records, r);
      if (edits && ref) out.push({ title: `Remove the record \`${fieldsOf(ref)} ${short(ref.hex)}\``, edits });
      return out;
    }
    case 'overlap':
      return rotationActions(text, records, data, date);
    default:
      return [];
  }
}

// ---------------------------------------------------------------- from the analysis (refactorings, hover)

/** The analysis' RRset of a record (by owner), and the record's result (by its fields, so an edit elsewhere does not lose it). */
function resultOf(analysis: CertAnalysis, record: ZoneRecord): { set: LinkedRRset; index: number } | undefined {
  const f = decodeTlsaWire(record.wire);
  if (!f || record.typeCode !== TYPE_TLSA) return undefined;
  const hex = toHex(f.data);
  for (const set of analysis.rrsets) {
    if (set.ownerKey !== record.ownerKey) continue;
    const index = set.results.findIndex((x) => x.fields.usage === f.usage && x.fields.selector === f.selector && x.fields.matchingType === f.matchingType && x.hex === hex);
    return { set, index };
  }
  return undefined;
}

/**
 * Actions offered on a linked TLSA record (refactorings, from the last analysis): update its
 * data from the current certificate, and the rotation pairs its files allow.
 */
export function certRecordActions(text: string, records: readonly ZoneRecord[], analysis: CertAnalysis, record: ZoneRecord, date: Date): DaneCodeAction[] {
  const found = resultOf(analysis, record);
  if (!found || record.includeFile !== undefined) return [];
  const links = found.set.links.flatMap((k) => (k.summary ? [k.summary] : []));
  const f = decodeTlsaWire(record.wire)!;
  const data: CertFixData = {
    fix: 'tlsa-cert', kind: 'mismatch', owner: found.set.owner, ttl: found.set.ttl, insertAt: record.end, links,
    records: [{ start: record.start, end: record.end, usage: f.usage, selector: f.selector, matchingType: f.matchingType, hex: toHex(f.data) }],
  };
  if (found.set.timing) data.timing = found.set.timing;
  if (found.set.soaRefresh !== undefined) data.soaRefresh = found.set.soaRefresh;
  const out: DaneCodeAction[] = [];
  const cur = links.find((s) => s.role === 'cert');
  const matchesSomething = found.index >= 0 && found.set.results[found.index].matches.some((m) => m?.matched);
  if (cur && !matchesSomething) out.push(...updateActions(text, records, data, cur));
  return out.concat(rotationActions(text, records, data, date));
}

function fileLine(s: { written: string; path?: string }): string {
  return s.path && s.path !== s.written ? `\`${s.written}\` (${s.path})` : `\`${s.written}\``;
}

/**
 * Markdown for the hover of a TLSA record: which linked certificate (or key) its data matches,
 * with subject, SANs, issuer, expiry and file; or that none does. Undefined when the record's
 * RRset has no links.
 */
export function certHover(analysis: CertAnalysis, record: ZoneRecord, now = new Date()): string | undefined {
  const found = resultOf(analysis, record);
  if (!found) return undefined;
  const { set, index } = found;
  const res = index >= 0 ? set.results[index] : undefined;
  const lines: string[] = [];
  const matched = res ? res.matches.flatMap((m, i) => (m?.matched ? [{ m, link: set.links[i] }] : [])) : [];
  for (const { m, link } of matched) {
    const material = link.material!;
    const cert = m.certificate ?? (m.depth === 0 ? material.certificates[0] : undefined);
    const role = link.role === 'cert' ? 'the linked certificate' : 'the linked next key';
    if (cert) {
      const level = m.depth === 0 ? '' : m.fromDns ? ' (a trust anchor from DNS that signed the chain)' : ` (the CA certificate at depth ${m.depth} of the chain)`;
      const sans = cert.sans.length ? `; SANs ${cert.sans.slice(0, 6).join(', ')}${cert.sans.length > 6 ? ` and ${cert.sans.length - 6} more` : ''}` : '';
      lines.push(`**Matches ${role}**${level}: ${cert.subject || '(empty subject)'}${sans}; issuer ${cert.issuer || '(empty)'}; expires ${cert.notAfter.toISOString().slice(0, 10)}; file ${fileLine(link)}`);
    } else {
      lines.push(`**Matches ${role}**: ${link.summary?.what ?? material.keyAlgorithm}; file ${fileLine(link)}`);
    }
    if (m.note) lines.push(`(${m.note})`);
  }
  // From when a switch to this record is safe (git timing, published.ts): said once, for the next key first.
  const role = matched.some((x) => x.link.role === 'next') ? 'next' : matched.length ? 'cert' : undefined;
  const when = res && set.timing && role ? timingHover(set.timing, { ...res.fields, hex: res.hex }, role, now) : undefined;
  if (when) lines.push(when);
  if (matched.length === 0) {
    const loaded = set.links.filter((k) => k.material);
    const named = loaded.map((k) => `${k.role === 'cert' ? 'the certificate' : 'the next key'} ${fileLine(k)} (${k.summary?.subject ?? k.summary?.what ?? ''})`);
    lines.push(loaded.length
      ? `**Matches no linked certificate**: not ${named.join(', nor ')}`
      : `**Linked certificates could not be read**: ${set.links.map((k) => fileLine(k)).join(', ')}`);
  }
  return lines.join('\n\n');
}

/**
 * The edit of the "insert TLSA RRset" command: records for `_port._proto.host` from
 * precomputed specs (hash.ts recordSpecFor), after the host's last record in this file (or
 * after the last TLSA record, or at the end), in the file's layout, optionally with a
 * `; dane-zone cert=PATH` line that links it.
 */
export function insertTlsaRRsetEdit(text: string, records: readonly ZoneRecord[], o: {
  host: string;
  port?: number;
  protocol?: string;
  specs: TlsaRecordSpec[];
  ttl?: number;
  /** Path to write in a `; dane-zone cert=` line above the records (relative to the zone file). */
  linkPath?: string;
  /** The same for `next=` (the next key of a rollover). */
  nextLinkPath?: string;
  /** The origin in force at the end of the file (relative owner style). */
  origin?: string;
}): TextEdit | undefined {
  const hostAbs = o.host.endsWith('.') ? o.host : `${o.host}.`;
  const owner = `_${o.port ?? 25}._${(o.protocol ?? 'tcp').replace(/^_/, '')}.${hostAbs}`;
  const own = ownRecords(records);
  const hostKey = nameKey(hostAbs);
  const atHost = own.filter((r) => r.ownerKey === hostKey);
  const tlsa = own.filter((r) => r.typeCode === TYPE_TLSA);
  // Records the RRset has already are not written twice (duplicate-record); new ones go after it.
  const rrset = tlsa.filter((r) => r.ownerKey === nameKey(owner));
  const have = new Set(rrset.map((r) => decodeTlsaWire(r.wire)).filter((f) => f !== undefined).map((f) => `${fieldsOf(f!)} ${toHex(f!.data)}`));
  const specs = o.specs.filter((sp, i) => !have.has(`${fieldsOf(sp)} ${sp.hex.toLowerCase()}`) &&
    o.specs.findIndex((x) => fieldsOf(x) === fieldsOf(sp) && x.hex.toLowerCase() === sp.hex.toLowerCase()) === i);
  if (specs.length === 0) return undefined;
  const last = rrset[rrset.length - 1];
  const anchor = atHost[atHost.length - 1] ?? tlsa[tlsa.length - 1];
  const template = last ?? tlsa[tlsa.length - 1] ?? anchor ?? own[own.length - 1];
  const edit = last
    ? insertRecordsEdit(text, { owner, records: specs, after: last, template: last, origin: o.origin ?? last.origin })
    : insertRecordsEdit(text, { owner, records: specs, ttl: o.ttl, template, at: anchor ? anchor.end : text.length, origin: o.origin ?? anchor?.origin ?? template?.origin });
  const link = [o.linkPath !== undefined ? `cert=${o.linkPath}` : '', o.nextLinkPath !== undefined ? `next=${o.nextLinkPath}` : '']
    .filter((x) => x && !/\s/.test(x));
  if (link.length > 0) edit.newText = edit.newText.replace(/^(\r?\n)?/, (m) => `${m}; dane-zone ${link.join(' ')}${eol(text)}`);
  return edit;
}

/**
 * The "insert TLSA RRset" command in one call: the file's bytes (from a file picker) → the code
 * action, or why the file cannot be used. `combos` defaults to `3 1 1`; usage 2 records come
 * from the chain's issuing CA. `linkPath` (relative to the zone file) adds a `cert=` link line.
 */
export async function insertTlsaRRsetAction(text: string, records: readonly ZoneRecord[], o: {
  host: string;
  bytes: Uint8Array;
  port?: number;
  protocol?: string;
  combos?: { usage: number; selector: number; matchingType: number }[];
  /** The next key's file: its `3 1 1` record follows (a current + next pair). */
  next?: Uint8Array;
  ttl?: number;
  linkPath?: string;
  nextLinkPath?: string;
  origin?: string;
}): Promise<DaneCodeAction | { error: string }> {
  const loaded = await loadKeyMaterial(o.bytes);
  if (!loaded.ok) return { error: loaded.error };
  const specs: TlsaRecordSpec[] = [];
  for (const c of o.combos ?? [{ usage: 3, selector: 1, matchingType: 1 }]) {
    const spec = await recordSpecFor(loaded.material, c.usage, c.selector, c.matchingType);
    if ('error' in spec) return spec;
    specs.push(spec);
  }
  if (o.next) {
    const next = await loadKeyMaterial(o.next);
    if (!next.ok) return { error: `the next key: ${next.error}` };
    const spec = await recordSpecFor(next.material, 3, 1, 1);
    if ('error' in spec) return spec;
    specs.push(spec);
  }
  const edit = insertTlsaRRsetEdit(text, records, { ...o, specs });
  const host = o.host.replace(/\.$/, '');
  const owner = `_${o.port ?? 25}._${(o.protocol ?? 'tcp').replace(/^_/, '')}.${host}`;
  if (!edit) return { error: `${owner} already has ${specs.map((sp) => fieldsOf(sp)).join(' and ')} for ${describeMaterial(loaded.material)}: nothing to insert` };
  return { title: `Insert ${owner} TLSA ${specs.map((sp) => fieldsOf(sp)).join(', ')} from ${describeMaterial(loaded.material)}`, edits: [edit] };
}
