/** The `mail-policy` stage of the pipeline: MTA-STS and TLS-RPT records and the linked policy file (mtaSts.ts). */
import { ZoneStage } from '../pipeline/stage';
import { ZoneReads, ZoneView } from '../pipeline/view';
import { TYPE_MX, TYPE_TLSA, TYPE_TXT } from '../rrtypes';
import { ZoneDiagnostic } from '../types';
import { checkMailPolicies, hasMailPolicyLink, isMailPolicyOwner } from './mtaSts';
import { decideSigned, DnssecState } from './signed';
import { ZoneIO } from '../types';
import { nameKey } from '../names';

/**
 * The TXT records (mail-policy owners only), MX targets, whether their hosts have TLSA records
 * and whether DANE is on (tlsrpt-missing). TLSA by presence only: typing in a TLSA record's
 * data does not run this stage again.
 */
export const MAIL_POLICY_READS: ZoneReads = { records: [TYPE_TXT, TYPE_MX], where: { [TYPE_TXT]: isMailPolicyOwner }, presence: [TYPE_TLSA], dnssec: true };

export function runMailPolicies(view: ZoneView, options: { dnssec?: DnssecState; io?: ZoneIO; fileName?: string }): ZoneDiagnostic[] {
  const mailTxt = view.records(TYPE_TXT).filter((r) => isMailPolicyOwner(r.ownerKey));
  const mx = view.records(TYPE_MX);
  if (mailTxt.length === 0 && mx.length === 0 && !hasMailPolicyLink(view.daneDirectives)) return [];
  // (tlsrpt-missing only where DANE is on: in an unsigned zone tlsa-unsigned-zone says what matters)
  const daneOn = decideSigned(view, options.dnssec).state !== 'unsigned';
  const out = checkMailPolicies(
    { zoneOrigin: view.zoneOrigin, mailTxt, mx, hasSmtpTlsa: (host) => view.hasType(nameKey(`_25._tcp.${host}`), TYPE_TLSA), daneDirectives: view.daneDirectives },
    { io: options.io, fileName: options.fileName, daneOn },
  );
  return out.sort((a, b) => a.start - b.start);
}

export const mailPolicyStage: ZoneStage = { kind: 'zone', name: 'mail-policy', reads: MAIL_POLICY_READS, run: runMailPolicies };
