/**
 * MTA-STS (RFC 8461) and SMTP TLS reporting (RFC 8460) beside DANE: the `_mta-sts` and
 * `_smtp._tls` TXT records (mta-sts-record, tlsrpt-record: each record's own check is in
 * mailPolicyRecords.ts), TLS-RPT missing where DANE is
 * published (tlsrpt-missing), the policy file linked with `; dane-zone mta-sts=PATH` (its
 * `mx:` patterns must cover every MX host); the hover text of each tag is in mailPolicyHover.ts. Pure: the policy
 * file comes through ZoneIO.
 */
import { DaneDirective, ZoneRecord } from '../model';
import { arrayRows, RecordRows, sameOwner } from '../pipeline/keptColumns';
import { freshList } from '../pipeline/fresh';
import { nameKey } from '../names';
import { atOrBelowTextTest } from './names';
import { KeyText } from '../pipeline/keyText';
import { ZoneDiagnostic, ZoneIO } from '../types';
import { TYPE_MX, TYPE_TLSA, TYPE_TXT } from '../rrtypes';
import { finish, NEVER, Slice, Steps } from '../work';
import { checkStsRecord, checkTlsRptRecord, err, fields, spanOf, startsWithTag, STS_PREFIX, TLS_RPT_PREFIX, txtValue } from './mailPolicyRecords';
import { plainTlsRptWire, tlsRptParsing } from './tlsRptPlain';
import { TxtOwners } from './txtOwners';

export { STS_PREFIX, TLS_RPT_PREFIX };

/** True for the owners whose TXT records this module reads (`_mta-sts.*`, `_smtp._tls.*`). */
export function isMailPolicyOwner(ownerKey: string): boolean {
  return ownerKey.startsWith(STS_PREFIX) || ownerKey.startsWith(TLS_RPT_PREFIX);
}

/** True when a `; dane-zone mta-sts=PATH` comment links a policy file. */
export function hasMailPolicyLink(directives: readonly DaneDirective[]): boolean {
  return directives.some((d) => d.items.some((i) => i.key === 'mta-sts'));
}

/** What the checks need of the zone (a subset of the DANE view). */
export interface MailPolicyView {
  zoneOrigin?: string;
  /** TXT records at `_mta-sts.*` and `_smtp._tls.*` owners, in file order. */
  mailTxt?: readonly ZoneRecord[];
  /** Optional (the streaming CLI): `mailTxt` as rows, its records made only for the owner being checked. */
  mailTxtRows?: RecordRows;
  /**
   * Optional, with `mailTxtRows`: per row, 1 when its owner is `_smtp._tls.*` and its wire form a
   * plain TLS-RPT record (tlsRptPlain.ts plainTlsRptSpan), told as the stage picked the rows
   * (mtaStsStage.ts): an owner with one such record has nothing to report and is not read again.
   */
  mailTxtPlainRpt?: Uint8Array;
  mx: readonly ZoneRecord[];
  /** Optional (the streaming CLI): `mx` as rows, read without making each record (pipeline/keptColumns.ts). */
  mxRows?: RecordRows;
  /** A TLSA record at `_25._tcp.<host>` (host: a lowercase absolute name). */
  hasSmtpTlsa(hostKey: string): boolean;
  daneDirectives: readonly DaneDirective[];
  /**
   * Optional (the streaming CLI): the owner ids (pipeline/view.ts OwnerIds) of `mailTxt`'s
   * records, by index, and of any name: the records are then grouped by owner in typed arrays,
   * not in a map of the owner keys.
   */
  mailTxtIds?: { get(i: number): number };
  ownerId?(ownerKey: string): number;
}

export interface MailPolicyOptions {
  io?: ZoneIO;
  fileName?: string;
  /** The zone is signed (or declared so): DANE works, so tlsrpt-missing applies. */
  daneOn?: boolean;
}


type MxTarget = { target: string; record: ZoneRecord };

/** An MxTarget made per MX record (a class: no allocation site, pipeline/fresh.ts). */
class TargetOf implements MxTarget {
  constructor(readonly target: string, readonly record: ZoneRecord) {}
}

/** The MX targets of the domains in `owners`, by owner key, in file order (lowercase absolute): one pass over the MX records. */
function mxTargetsByOwner(view: MailPolicyView, owners: ReadonlySet<string>): Map<string, MxTarget[]> {
  return finish(mxTargetsByOwnerSteps(view, owners, NEVER));
}

/** mxTargetsByOwner in slices (core/work.ts). */
function* mxTargetsByOwnerSteps(view: MailPolicyView, owners: ReadonlySet<string>, slice: Slice): Steps<Map<string, MxTarget[]>> {
  const out = new Map<string, MxTarget[]>();
  if (owners.size === 0) return out;
  // (an owner's MX records usually follow each other: one lookup per run of them)
  let lastKey: string | undefined;
  let lastIn = false;
  for (const m of view.mx) {
    if (slice.due()) yield;
    if (m.ownerKey !== lastKey) { lastKey = m.ownerKey; lastIn = owners.has(lastKey); }
    if (lastIn) addTarget(out, m);
  }
  return out;
}

/** An MX record's target (lowercase absolute; none for `.` or unreadable) added to its owner's list. */
function addTarget(out: Map<string, MxTarget[]>, m: ZoneRecord): void {
  if (!m.wire || m.wire.length < 3) return;
  const target = wireNameOf(m.wire, 2);
  if (!target || target === '.') return;
  // (made per MX record: no allocation site, pipeline/fresh.ts)
  const t = new TargetOf(target, m);
  const l = out.get(m.ownerKey);
  if (l) l.push(t);
  else {
    const list = freshList<MxTarget>();
    list.push(t);
    out.set(m.ownerKey, list);
  }
}

function wireNameOf(d: Uint8Array, p: number): string | undefined {
  const labels = freshList<string>();
  for (let guard = 0; guard < 128 && p < d.length; guard++) {
    const n = d[p];
    if (n === 0) return labels.length ? labels.join('.').toLowerCase() + '.' : '.';
    if (n & 0xc0) return undefined;
    labels.push(String.fromCharCode(...d.subarray(p + 1, p + 1 + n)));
    p += n + 1;
  }
  return undefined;
}

// ---------------------------------------------------------------- the policy file

/** An RFC 8461 §4.1 `mx:` pattern matches a host: exactly, or `*.` for one leftmost label. */
export function mxPatternMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (p.startsWith('*.')) {
    const rest = p.slice(2);
    return h.endsWith('.' + rest) && !h.slice(0, h.length - rest.length - 1).includes('.');
  }
  return p === h;
}

interface Policy {
  fields: { key: string; value: string; line: number }[];
}

function parsePolicy(text: string): Policy {
  const out: Policy = { fields: [] };
  text.split(/\r?\n/).forEach((line, i) => {
    const c = line.indexOf(':');
    if (c > 0) out.fields.push({ key: line.slice(0, c).trim(), value: line.slice(c + 1).trim(), line: i + 1 });
  });
  return out;
}

/** The `mta-sts=` links: the policy file must parse and its `mx:` patterns cover every MX host of the domain. */
function checkPolicyLinks(view: MailPolicyView, options: MailPolicyOptions): ZoneDiagnostic[] {
  const out: ZoneDiagnostic[] = [];
  for (const d of view.daneDirectives) {
    for (const item of d.items) {
      if (item.key !== 'mta-sts') continue;
      const at = { start: item.start, end: item.end };
      // The domain: the `_mta-sts` record that follows the comment, else the zone's origin.
      const next = (view.mailTxt ?? []).find((r) => r.start > d.end && r.ownerKey.startsWith(STS_PREFIX) && !r.includeFile);
      const domain = next ? next.owner.slice(STS_PREFIX.length) : view.zoneOrigin;
      if (!domain) continue;
      if (!options.io) continue;
      let text: string;
      let path = item.value;
      try {
        path = options.io.resolvePath(options.fileName, item.value);
        text = options.io.readFile(path);
      } catch (e) {
        out.push({ code: 'mta-sts-record', severity: 'warning', ...at, message: `the MTA-STS policy file ${path} cannot be read: ${(e as Error).message}` });
        continue;
      }
      const pol = parsePolicy(text);
      const get = (k: string) => pol.fields.filter((f) => f.key === k);
      const problems: string[] = [];
      if (get('version')[0]?.value !== 'STSv1') problems.push('no `version: STSv1` line');
      const mode = get('mode')[0]?.value;
      if (!mode || !['enforce', 'testing', 'none'].includes(mode)) problems.push('`mode:` must be `enforce`, `testing` or `none`');
      const age = get('max_age')[0]?.value;
      if (!age || !/^[0-9]{1,10}$/.test(age) || Number(age) > 31557600) problems.push('`max_age:` must be a number of seconds up to 31557600');
      const patterns = get('mx').map((f) => f.value);
      if (patterns.length === 0 && mode !== 'none') problems.push('no `mx:` line');
      if (problems.length > 0) {
        out.push({ code: 'mta-sts-record', severity: 'error', ...at, message: `the MTA-STS policy file ${item.value} is invalid (RFC 8461 §3.2): ${problems.join('; ')}` });
        continue;
      }
      if (mode === 'none') continue;
      const uncovered = (mxTargetsByOwner(view, new Set([nameKey(domain)])).get(nameKey(domain)) ?? []).filter((m) => !patterns.some((p) => mxPatternMatches(p, m.target)));
      for (const m of uncovered) {
        const tok = m.record.rdata.length === 2 ? m.record.rdata[1] : undefined;
        out.push({
          code: 'mta-sts-record', severity: 'error', ...(m.record.includeSpan ?? tok ?? m.record.typeToken ?? m.record),
          message: `MX host ${m.target} matches no \`mx:\` pattern of the MTA-STS policy ${item.value} (${patterns.join(', ')}): in \`${mode}\` mode senders ${mode === 'enforce' ? 'refuse to deliver to it' : 'report failures for it'}; add \`mx: ${m.target.replace(/\.$/, '')}\` to the policy`,
        });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- entry point

/** A mail-policy owner's TXT record that starts with the version tag, and its text (undefined: a plain TLS-RPT record read from its wire form). A class: pipeline/fresh.ts. */
class Candidate {
  constructor(readonly r: ZoneRecord, readonly text: string | undefined) {}
}

/** mta-sts-record, tlsrpt-record, tlsrpt-missing and the policy links of a zone. */
export function checkMailPolicies(view: MailPolicyView, options: MailPolicyOptions = {}): ZoneDiagnostic[] {
  return finish(checkMailPoliciesSteps(view, options, NEVER));
}

/** checkMailPolicies in slices (core/work.ts): its loops over the TXT and MX records yield when the slice is due. */
export function* checkMailPoliciesSteps(view: MailPolicyView, options: MailPolicyOptions, slice: Slice): Steps<ZoneDiagnostic[]> {
  const out: ZoneDiagnostic[] = [];
  const txt = view.mailTxtRows ?? arrayRows(view.mailTxt ?? []);
  const byOwner = new TxtOwners(txt, view.mailTxtIds, view.ownerId);
  // (each loop a function of its own: V8 optimizes each as it runs, not one function three times over)
  yield* groupTxtSteps(txt, byOwner, slice);
  yield* txtOwnersSteps(byOwner, view.mailTxtRows ? view.mailTxtPlainRpt : undefined, out, slice);
  // tlsrpt-missing: a mail domain whose MX hosts have TLSA records, without a TLS-RPT record.
  if (options.daneOn !== false) yield* tlsRptMissingSteps(view, byOwner, out, slice);
  out.push(...checkPolicyLinks(view, options));
  return out;
}

/** The mail-policy TXT records by owner. */
function* groupTxtSteps(txt: RecordRows, byOwner: TxtOwners, slice: Slice): Steps<void> {
  for (let i = 0; i < txt.length; i++) {
    if (slice.due()) yield;
    if (txt.typeCode(i) !== TYPE_TXT || !txt.ok(i)) continue;
    byOwner.add(i);
  }
}

/** mta-sts-record and tlsrpt-record, per owner; marks the owners with a TLS-RPT record. */
function* txtOwnersSteps(byOwner: TxtOwners, plainRpt: Uint8Array | undefined, out: ZoneDiagnostic[], slice: Slice): Steps<void> {
  for (let o = 0; o < byOwner.count; o++) {
    if (slice.due()) yield;
    // (a `_smtp._tls` owner with one plain TLS-RPT record, told from its row: nothing to report, no record made)
    if (plainRpt !== undefined && plainReport(byOwner, o, plainRpt)) { byOwner.reporting(o); continue; }
    const records = byOwner.records(o);
    if (records === undefined) continue;
    const key = records[0].ownerKey;
    const sts = key.startsWith(STS_PREFIX);
    const rpt = key.startsWith(TLS_RPT_PREFIX);
    if (!sts && !rpt) continue;
    const tag = sts ? 'v=STSv1' : 'v=TLSRPTv1';
    const code = sts ? 'mta-sts-record' : 'tlsrpt-record';
    // Records that do not begin with the version tag are discarded by senders (other TXT at the name).
    // (text undefined: a plain TLS-RPT record told from its wire form, which has nothing to report)
    // (made per owner: no allocation site, pipeline/fresh.ts)
    const candidates = freshList<Candidate>();
    for (const r of records) {
      if (rpt && tlsRptParsing.plain && plainTlsRptWire(r.wire)) { candidates.push(new Candidate(r, undefined)); continue; }
      const text = txtValue(r);
      if (text !== undefined && startsWithTag(text, tag)) candidates.push(new Candidate(r, text));
    }
    if (candidates.length === 0) {
      const r = records[0];
      const text = txtValue(r) ?? '';
      out.push(err(code, spanOf(r, 0, text.length), `no TXT record here starts with \`${tag};\`: ${sts ? 'MTA-STS (RFC 8461 §3.1)' : 'TLS-RPT (RFC 8460 §3)'} reads only those, so senders see none`));
      continue;
    }
    if (candidates.length > 1) {
      for (const c of candidates.slice(1)) {
        out.push(err(code, spanOf(c.r, 0, (c.text ?? txtValue(c.r) ?? '').length), `a second \`${tag}\` record at ${records[0].owner}: with more than one, senders ignore them all (${sts ? 'RFC 8461 §3.1' : 'RFC 8460 §3'}); keep one`));
      }
    }
    for (const c of candidates) if (c.text !== undefined) out.push(...(sts ? checkStsRecord(c.r, c.text) : checkTlsRptRecord(c.r, c.text)));
    if (rpt) byOwner.reporting(o);
  }
}

/** Owner `o` has one record, and `plainRpt` (MailPolicyView.mailTxtPlainRpt, made only while tlsRptParsing.plain) marks it: `_smtp._tls.<domain>` with a plain TLS-RPT record. */
function plainReport(byOwner: TxtOwners, o: number, plainRpt: Uint8Array): boolean {
  const i = byOwner.single(o);
  return i >= 0 && plainRpt[i] === 1;
}

/** tlsrpt-missing: a mail domain whose MX hosts have TLSA records, without a TLS-RPT record. */
function* tlsRptMissingSteps(view: MailPolicyView, byOwner: TxtOwners, out: ZoneDiagnostic[], slice: Slice): Steps<void> {
  const unreported: ZoneRecord[] = [];
  const targets = new Map<string, MxTarget[]>();
  // (each loop a function of its own: in one, V8 compiled the MX loop on stack, dropped that code
  // where the loop ended and compiled the whole function again for the findings loop)
  yield* unreportedSteps(view, byOwner, unreported, targets, slice);
  yield* missingSteps(view, unreported, targets, out, slice);
}

/**
 * The mail domains without TLS-RPT (few), by their first MX record, and the targets of their MX
 * records (only theirs are read), in one pass over the MX records.
 */
function* unreportedSteps(view: MailPolicyView, byOwner: TxtOwners, unreported: ZoneRecord[], targets: Map<string, MxTarget[]>, slice: Slice): Steps<void> {
  const unreportedKeys = new Set<string>();
  const inZone = view.zoneOrigin ? atOrBelowTextTest(view.zoneOrigin) : undefined;
  // (the owner's key read as characters: a string is made only for the few owners without TLS-RPT)
  const text = new KeyText();
  let last = -1;
  let lastUnreported = false;
  // (rows: the CLI's MX records are made only for the few owners without TLS-RPT)
  const mx = view.mxRows ?? arrayRows(view.mx);
  for (let i = 0; i < mx.length; i++) {
    if (slice.due()) yield;
    if (mx.typeCode(i) !== TYPE_MX) continue;
    // (once per run of MX records at one owner; an owner seen before is in neither list twice)
    if (last < 0 || !sameOwner(mx, i, last)) {
      last = i;
      const n = mx.ownerText(i, text);
      if ((inZone && !inZone(text, n)) || byOwner.isReportingText(text, n)) lastUnreported = false;
      else {
        lastUnreported = true;
        const lastKey = mx.ownerKey(i);
        if (!unreportedKeys.has(lastKey)) { unreportedKeys.add(lastKey); unreported.push(mx.record(i)); }
      }
    }
    if (lastUnreported) addTarget(targets, mx.record(i));
  }
}

/** tlsrpt-missing for the domains `unreported` whose MX targets have `_25._tcp` TLSA records. */
function* missingSteps(view: MailPolicyView, unreported: readonly ZoneRecord[], targets: Map<string, MxTarget[]>, out: ZoneDiagnostic[], slice: Slice): Steps<void> {
  for (const m of unreported) {
    if (slice.due()) yield;
    const dane = (targets.get(m.ownerKey) ?? []).filter((t) => view.hasSmtpTlsa(nameKey(t.target)));
    if (dane.length === 0) continue;
    out.push({
      code: 'tlsrpt-missing', severity: 'information', ...(m.includeSpan ?? m.ownerToken ?? m.typeToken ?? m),
      message: `${m.owner} publishes DANE for its MX host${dane.length > 1 ? 's' : ''} but has no TLS-RPT record: failed DANE deliveries are never reported to you; add \`_smtp._tls.${m.owner} TXT "v=TLSRPTv1; rua=mailto:tlsrpt@${m.owner.replace(/\.$/, '')}"\` (RFC 8460)`,
    });
  }
}
