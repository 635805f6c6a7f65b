/** The `mail-policy` stage of the pipeline: MTA-STS and TLS-RPT records and the linked policy file (mtaSts.ts). */
import { ZoneStage } from '../pipeline/stage';
import { ZoneReads, ZoneView } from '../pipeline/view';
import { TYPE_MX, TYPE_TLSA, TYPE_TXT } from '../rrtypes';
import { ZoneDiagnostic } from '../types';
import { checkMailPoliciesSteps, hasMailPolicyLink, isMailPolicyOwner, STS_PREFIX, TLS_RPT_PREFIX } from './mtaSts';
import { finish, NEVER, Slice, Steps } from '../work';
import { decideSigned, DnssecState } from './signed';
import { ZoneIO } from '../types';
import { nameKey } from '../names';
import { arrayRows, madeRows, someRows, spanLength, spanOffset } from '../pipeline/keptColumns';
import { KeyText, textStartsWith } from '../pipeline/keyText';
import { plainTlsRptSpan, tlsRptParsing } from './tlsRptPlain';


/**
 * The TXT records (mail-policy owners only), MX targets, whether their hosts have TLSA records
 * and whether DANE is on (tlsrpt-missing). TLSA by presence only: typing in a TLSA record's
 * data does not run this stage again.
 */
export const MAIL_POLICY_READS: ZoneReads = { records: [TYPE_TXT, TYPE_MX], where: { [TYPE_TXT]: isMailPolicyOwner }, presence: [TYPE_TLSA], dnssec: true, ownerIds: [TYPE_TXT] };

type MailPolicyOptions = { dnssec?: DnssecState; io?: ZoneIO; fileName?: string };

export function runMailPolicies(view: ZoneView, options: MailPolicyOptions): ZoneDiagnostic[] {
  return finish(mailPolicySteps(view, options, NEVER));
}

/** runMailPolicies in slices (core/work.ts). */
export function* mailPolicySteps(view: ZoneView, options: MailPolicyOptions, slice: Slice): Steps<ZoneDiagnostic[]> {
  // (the CLI's records as rows: those at mail-policy owners are made only for the owner being
  // checked, the MX records only where a finding names them)
  const rows = view.rows?.(TYPE_TXT);
  const txt = rows ?? arrayRows(view.records(TYPE_TXT));
  // (with the view's owner ids, those of the records taken: the stage groups them by id)
  const ids = rows ? (rows.ids ? { get: (i: number) => rows.ownerId(i) } : undefined) : view.ownerIds?.idsOf(view.records(TYPE_TXT));
  const mailIds = ids ? new Int32Array(txt.length) : undefined;
  const at = new Int32Array(txt.length);
  // (the CLI's rows: each `_smtp._tls` record's wire form read here, as its row is picked, not again per owner)
  const plainRpt = rows && tlsRptParsing.plain ? new Uint8Array(txt.length) : undefined;
  let n = 0;
  // (each owner's key read as characters, isMailPolicyOwner's tests on them: no string made per row)
  const text = new KeyText();
  for (let i = 0; i < txt.length; i++) {
    const m = txt.ownerText(i, text);
    const rpt = textStartsWith(text, m, TLS_RPT_PREFIX);
    if (rpt || textStartsWith(text, m, STS_PREFIX)) {
      if (plainRpt !== undefined && rpt && plainTlsRptSpan(txt.wireSpan(i), spanOffset, spanLength)) plainRpt[n] = 1;
      if (mailIds) mailIds[n] = ids!.get(i);
      at[n++] = i;
    }
    if (slice.due()) yield;
  }
  const mailRows = someRows(txt, at, n);
  const ownerIds = view.ownerIds;
  const mxRows = view.rows?.(TYPE_MX);
  if (n === 0 && (mxRows ?? view.records(TYPE_MX)).length === 0 && !hasMailPolicyLink(view.daneDirectives)) return [];
  // (tlsrpt-missing only where DANE is on: in an unsigned zone tlsa-unsigned-zone says what matters)
  const daneOn = decideSigned(view, options.dnssec).state !== 'unsigned';
  const out = yield* checkMailPoliciesSteps(
    { zoneOrigin: view.zoneOrigin, get mailTxt() { return madeRows(mailRows); }, mailTxtRows: mailRows, mailTxtPlainRpt: plainRpt, get mx() { return view.records(TYPE_MX); }, mxRows, hasSmtpTlsa: (host) => view.hasType(nameKey(`_25._tcp.${host}`), TYPE_TLSA), daneDirectives: view.daneDirectives,
      mailTxtIds: mailIds ? { get: (i) => mailIds[i] } : undefined, ownerId: ownerIds ? (key) => ownerIds.idOf(key) : undefined },
    { io: options.io, fileName: options.fileName, daneOn },
    slice,
  );
  return out.sort((a, b) => a.start - b.start);
}

export const mailPolicyStage: ZoneStage = { kind: 'zone', name: 'mail-policy', reads: MAIL_POLICY_READS, run: runMailPolicies, steps: mailPolicySteps };
