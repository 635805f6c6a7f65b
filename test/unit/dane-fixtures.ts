/** Shared by the DANE check tests: digests, a small signed zone, and finders over analyzeZone's diagnostics. */
import assert from 'node:assert/strict';
import { analyzeZone, AnalysisOptions } from '../../server/src/core/analysis';
import { ZoneDiagnostic } from '../../server/src/core/types';

export const D1 = '8cb0fc6c527506a053f4f14c8464bebbd6dede2738d11468dd953d7d6a3021f1';
export const D2 = '2c20c9a237719fb2c0a678a0e0e0678f7f0178fa76f88802f702801dd88190ee';

export const SIGNED = '$ORIGIN example.com.\n$TTL 300\n; dane-zone dnssec=signed\n@ SOA ns hm 1 2 3 4 5\n@ MX 10 mx1\nmx1 A 192.0.2.1\n' +
  '_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tlsrpt@example.com"\n';
export const zone = (...lines: string[]) => SIGNED + lines.join('\n') + '\n';

/** Finders over the diagnostics of analyzeZone on a given day. */
export function daneFinders(now: Date) {
  const at = (text: string, s: { start: number; end: number }) => text.slice(s.start, s.end);
  const all = (text: string, opts: AnalysisOptions = {}) => analyzeZone(text, { now, ...opts }).diagnostics;
  const found = (text: string, code: string, opts: AnalysisOptions = {}) =>
    all(text, opts).filter((d) => d.code === code).map((d) => `${d.severity} ${at(text, d)}`);
  const first = (text: string, code: string, opts: AnalysisOptions = {}): ZoneDiagnostic => {
    const d = all(text, opts).find((x) => x.code === code);
    assert.ok(d, `no ${code} in ${text}`);
    return d;
  };
  return { at, all, found, first };
}
