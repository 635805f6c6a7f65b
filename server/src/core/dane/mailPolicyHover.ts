/**
 * The hover on a `_mta-sts` / `_smtp._tls` TXT record (RFC 8461 §3.1, RFC 8460 §3): what each
 * tag means, read with mtaSts.ts's field reader so the spans are the ones its checks report.
 */
import { ZoneRecord } from '../model';
import { Span } from '../types';
import { TYPE_TXT } from '../rrtypes';
import { fields, spanOf, STS_PREFIX, txtValue } from './mailPolicyRecords';
import { isMailPolicyOwner } from './mtaSts';

const STS_TAGS: Record<string, string> = {
  v: '**v=STSv1** — the version: must be the first field, exactly `v=STSv1` (RFC 8461 §3.1).',
  id: '**id=** — 1 to 32 letters or digits naming the current policy: change it whenever `https://mta-sts.<domain>/.well-known/mta-sts.txt` changes, or senders keep the cached policy up to its `max_age` (RFC 8461 §3.1).',
};

const RPT_TAGS: Record<string, string> = {
  v: '**v=TLSRPTv1** — the version: must be the first field, exactly `v=TLSRPTv1` (RFC 8460 §3).',
  rua: '**rua=** — where senders send daily reports of TLS (DANE and MTA-STS) successes and failures: `mailto:` addresses or `https:` URLs, separated by commas (RFC 8460 §3).',
};

/** The hover on a `_mta-sts` / `_smtp._tls` TXT record: the tag under the cursor (and its span), or all of them. */
export function mailPolicyHover(r: ZoneRecord, offset: number): { contents: string } & Span | undefined {
  if (r.typeCode !== TYPE_TXT || !isMailPolicyOwner(r.ownerKey) || r.includeFile !== undefined) return undefined;
  const sts = r.ownerKey.startsWith(STS_PREFIX);
  const tags = sts ? STS_TAGS : RPT_TAGS;
  const text = txtValue(r);
  const all = spanOf(r, 0, text?.length ?? 0);
  const head = sts
    ? '**MTA-STS record** (RFC 8461 §3.1): tells senders that this domain has an MTA-STS policy at `https://mta-sts.<domain>/.well-known/mta-sts.txt`; senders then require TLS with a valid WebPKI certificate to the MX hosts the policy lists.'
    : '**TLS-RPT record** (RFC 8460 §3): where senders report TLS failures (DANE or MTA-STS) when delivering to this domain.';
  if (text !== undefined) {
    for (const f of fields(text)) {
      const s = spanOf(r, f.start, f.end);
      if (s.start <= offset && offset <= s.end && (s.start !== all.start || s.end !== all.end)) {
        const doc = tags[f.key] ?? `**${f.key}=** — an extension field: senders that do not know it ignore it.`;
        return { contents: `${doc}\n\n${sts ? 'MTA-STS' : 'TLS-RPT'}: ${code(f.key + '=' + f.value)}`, ...s };
      }
    }
  }
  return { contents: [head, '', ...Object.values(tags).map((t) => `- ${t}`)].join('\n'), ...all };
}

function code(s: string): string {
  return '`' + s.replace(/`/g, "'") + '`';
}
