/**
 * checkTlsaOwner's fast path for a plain `_25._tcp.<host>` owner (dane/owner.ts plainSmtpOwner)
 * against the general path (labels read one by one): the same OwnerInfo and the same findings for
 * every owner of a zone that mixes plain SMTP owners with the shapes the fast path must leave
 * alone (capitals, escapes, other ports and protocols, a leading zero, wildcards, too few labels),
 * in the CLI's streamed records and in a whole parse.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseZone } from '../../server/src/core/parser';
import { ZoneRecord } from '../../server/src/core/model';
import { checkTlsaOwner } from '../../server/src/core/dane/owner';
import { groupTlsaRRsets } from '../../server/src/core/dane/view';
import { ZoneDiagnostic } from '../../server/src/core/types';

const D = '8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1';
const OWNERS = [
  '_25._tcp.mail', '_25._tcp.MAIL', '_25._TCP.mail', '_25._tcp.Mail.Example.com.', '_25._tcp.mail.example.com.', '_25._tcp.a\\.b',
  '_25._tcp.x\\032y', '_25._tcp.*', '_25._tcp.*.mx', '_25._tcp', '_25._tcp.example.com.', '_025._tcp.mail', '_25._udp.mail', '_25._sctp.mail',
  '_443._tcp.mail', '*._tcp.mail', '_25.*.mail', '_smtp._tcp.mail', '_99999._tcp.mail', '_25._tcp.a.b.c.d', '_25._tcpx.mail', '_2._tcp.mail',
  '_25._tcp.\\046', 'mail', '_25', '@', '_25._tcp.xn--bcher-kva', '_25._tcp.-', '_25._tcp.0',
];

function records(text: string, streamed: boolean): readonly ZoneRecord[] {
  if (!streamed) return parseZone(text).records;
  const out: ZoneRecord[] = [];
  parseZone(text, { onRecord: (r) => { out.push(r); } });
  return out;
}

test('checkTlsaOwner: the plain _25._tcp fast path gives what the general path gives (info and findings)', () => {
  const text = ['$ORIGIN example.com.', ...OWNERS.map((o) => `${o} 300 TLSA 3 1 1 ${D}`), '$ORIGIN Other.Example.', '_25._tcp.mx TLSA 3 1 1 ' + D].join('\n') + '\n';
  for (const streamed of [true, false]) {
    const sets = groupTlsaRRsets(records(text, streamed));
    assert.ok(sets.length > 20);
    let plain = 0;
    for (const set of sets) {
      const fastOut: ZoneDiagnostic[] = [], generalOut: ZoneDiagnostic[] = [];
      const fast = checkTlsaOwner(set, fastOut);
      const general = checkTlsaOwner(set, generalOut, true);
      // (plain objects: the fast path's is a class instance, the general path's shape error `{}`)
      assert.deepEqual({ ...fast }, { ...general }, `${set.owner} (streamed: ${streamed})`);
      assert.deepEqual(fastOut, generalOut, `${set.owner}: findings`);
      if (general.port === 25 && general.protocol === '_tcp' && generalOut.length === 0) plain++;
    }
    assert.ok(plain >= 10, `plain SMTP owners: ${plain}`);
  }
});
