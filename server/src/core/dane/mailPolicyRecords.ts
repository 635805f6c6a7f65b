/**
 * The `_mta-sts` and `_smtp._tls` TXT records themselves (RFC 8461 §3.1, RFC 8460 §3): their
 * strings joined from the wire form, `key=value` fields with their offsets mapped back to the
 * text, and the mta-sts-record and tlsrpt-record findings for one record. The zone-wide part
 * (which owners, tlsrpt-missing, the policy links) is in mtaSts.ts.
 */
import { ZoneRecord } from '../model';
import { NOTHING } from '../pipeline/fresh';
import { Span, ZoneDiagnostic } from '../types';
import { MAILTO, plainTlsRpt, tlsRptParsing } from './tlsRptPlain';

/** The start of a TLS-RPT owner's key (RFC 8460: `_smtp._tls.<domain>`). */
export const TLS_RPT_PREFIX = '_smtp._tls.';

/** The start of an MTA-STS owner's key (RFC 8461: `_mta-sts.<domain>`). */
export const STS_PREFIX = '_mta-sts.';

// ---------------------------------------------------------------- TXT text and spans

/** The TXT record's strings joined (what RFC 8461/8460 parse), from its wire form. */
export function txtValue(r: ZoneRecord): string | undefined {
  const w = r.wire;
  if (!w) return undefined;
  let s = '';
  for (let p = 0; p < w.length;) {
    const n = w[p];
    // (a view made with the constructor: cheaper than subarray)
    const chunk = new Uint8Array(w.buffer, w.byteOffset + p + 1, Math.max(0, Math.min(n, w.length - p - 1)));
    s += String.fromCharCode.apply(null, chunk as unknown as number[]);
    p += n + 1;
  }
  return s;
}

/**
 * Maps an offset range of the joined value to the text: exact when the record is one string
 * without escapes (the usual case), else the whole RDATA.
 */
export function spanOf(r: ZoneRecord, from: number, to: number): Span {
  if (r.includeSpan) return r.includeSpan;
  const toks = r.rdata;
  const whole: Span = toks.length > 0 ? { start: toks[0].start, end: toks[toks.length - 1].end } : (r.typeToken ?? r);
  if (toks.length !== 1 || toks[0].text.includes('\\')) return whole;
  const base = toks[0].start + (toks[0].quoted ? 1 : 0);
  return { start: base + from, end: base + Math.max(to, from + 1) };
}

export interface Field {
  key: string;
  value: string;
  /** Offsets of `key=value` in the joined text. */
  start: number;
  end: number;
}

/** `a=b; c=d` → fields with their offsets (blank ones skipped). */
export function fields(text: string): Field[] {
  const out: Field[] = [];
  let pos = 0;
  for (const part of text.split(';')) {
    const lead = part.length - part.trimStart().length;
    const t = part.trim();
    if (t) {
      const eq = t.indexOf('=');
      out.push({ key: eq < 0 ? t : t.slice(0, eq), value: eq < 0 ? '' : t.slice(eq + 1), start: pos + lead, end: pos + lead + t.length });
    }
    pos += part.length + 1;
  }
  return out;
}

/**
 * `text.trimStart().toLowerCase().startsWith(tag.toLowerCase())` for an ASCII tag, with no
 * string made: `text` is a TXT value (txtValue: one character per octet, so only A-Z lower to
 * ASCII letters).
 */
export function startsWithTag(text: string, tag: string): boolean {
  let p = 0;
  for (; p < text.length; p++) {
    const c = text.charCodeAt(p);
    // (trimStart's white space below U+0100)
    if (!((c >= 9 && c <= 13) || c === 32 || c === 0xa0)) break;
  }
  if (text.length - p < tag.length) return false;
  for (let k = 0; k < tag.length; k++) {
    let c = text.charCodeAt(p + k);
    if (c >= 65 && c <= 90) c += 32;
    let t = tag.charCodeAt(k);
    if (t >= 65 && t <= 90) t += 32;
    if (c !== t) return false;
  }
  return true;
}

export function err(code: string, at: Span, message: string): ZoneDiagnostic {
  return { code, severity: 'error', start: at.start, end: at.end, message };
}

// ---------------------------------------------------------------- the records

const EXT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
const EXT_VALUE = /^[\x21-\x3a\x3c\x3e-\x7e]+$/;

/** mta-sts-record for one `_mta-sts` TXT record that starts with `v=STSv1` (RFC 8461 §3.1). */
export function checkStsRecord(r: ZoneRecord, text: string): ZoneDiagnostic[] {
  const out: ZoneDiagnostic[] = [];
  const fs = fields(text);
  if (!/^v=STSv1;/.test(text) && text !== 'v=STSv1') {
    out.push(err('mta-sts-record', spanOf(r, 0, text.length), 'an MTA-STS record starts with exactly `v=STSv1;` (RFC 8461 §3.1): senders discard this one'));
    return out;
  }
  const ids = fs.filter((f) => f.key === 'id');
  if (ids.length === 0) {
    out.push(err('mta-sts-record', spanOf(r, 0, text.length), 'no `id=` field: an MTA-STS record needs `id=` and 1 to 32 letters or digits that change whenever the policy file changes (RFC 8461 §3.1), e.g. `v=STSv1; id=20261202T101400`'));
  }
  for (const f of fs.slice(1)) {
    if (f.key === 'id') {
      if (!/^[A-Za-z0-9]{1,32}$/.test(f.value)) {
        out.push(err('mta-sts-record', spanOf(r, f.start, f.end), f.value === ''
          ? '`id=` is empty: it must be 1 to 32 letters or digits (RFC 8461 §3.1); senders ignore the record'
          : `\`id=${f.value}\` is not 1 to 32 letters or digits (RFC 8461 §3.1: no \`-\`, \`.\` or \`:\`): senders ignore the record`));
      }
    } else if (f.key === 'v') {
      out.push(err('mta-sts-record', spanOf(r, f.start, f.end), '`v=` appears twice: it is only the first field'));
    } else if (!EXT_NAME.test(f.key) || !EXT_VALUE.test(f.value)) {
      out.push(err('mta-sts-record', spanOf(r, f.start, f.end), `\`${f.key}${f.value ? '=' + f.value : ''}\` is not a \`name=value\` field (RFC 8461 §3.1): senders ignore the record`));
    }
  }
  if (ids.length > 1) out.push(err('mta-sts-record', spanOf(r, ids[1].start, ids[1].end), 'a second `id=`: give one'));
  return out;
}

/** tlsrpt-record for one `_smtp._tls` TXT record that starts with `v=TLSRPTv1` (RFC 8460 §3). */
export function checkTlsRptRecord(r: ZoneRecord, text: string): readonly ZoneDiagnostic[] {
  if (tlsRptParsing.plain && plainTlsRpt(text)) return NOTHING;
  const out: ZoneDiagnostic[] = [];
  if (!/^v=TLSRPTv1\s*;/.test(text) && text.trim() !== 'v=TLSRPTv1') {
    out.push(err('tlsrpt-record', spanOf(r, 0, text.length), 'a TLS-RPT record starts with exactly `v=TLSRPTv1;` (RFC 8460 §3): senders discard this one'));
    return out;
  }
  const fs = fields(text);
  const ruas = fs.filter((f) => f.key === 'rua');
  if (ruas.length === 0) {
    out.push(err('tlsrpt-record', spanOf(r, 0, text.length), 'no `rua=` field: TLS-RPT needs where to send reports, e.g. `v=TLSRPTv1; rua=mailto:tlsrpt@example.com` (RFC 8460 §3)'));
  }
  for (const f of fs.slice(1)) {
    if (f.key === 'rua') {
      let at = f.start + 4;
      for (const raw of f.value.split(',')) {
        const uri = raw.trim();
        const lead = raw.length - raw.trimStart().length;
        const s = () => spanOf(r, at + lead, at + lead + uri.length);
        if (MAILTO.test(uri) || /^https:\/\/[^\s/]+[^\s]*$/i.test(uri)) {
          // fine
        } else if (/^mailto:/i.test(uri) || /^https:/i.test(uri)) {
          out.push(err('tlsrpt-record', s(), `\`${uri}\` is not a complete ${/^mailto:/i.test(uri) ? '`mailto:` address (`mailto:user@domain`)' : '`https:` URL (`https://host/path`)'}: reports cannot be sent`));
        } else {
          out.push(err('tlsrpt-record', s(), `\`${uri || '(empty)'}\` is not a \`mailto:\` or \`https:\` URI: TLS-RPT sends reports only by mail or HTTPS POST (RFC 8460 §3)`));
        }
        at += raw.length + 1;
      }
    } else if (f.key === 'v') {
      out.push(err('tlsrpt-record', spanOf(r, f.start, f.end), '`v=` appears twice: it is only the first field'));
    } else if (!EXT_NAME.test(f.key) || !EXT_VALUE.test(f.value)) {
      out.push(err('tlsrpt-record', spanOf(r, f.start, f.end), `\`${f.key}${f.value ? '=' + f.value : ''}\` is not a \`name=value\` field (RFC 8460 §3)`));
    }
  }
  if (ruas.length > 1) out.push(err('tlsrpt-record', spanOf(r, ruas[1].start, ruas[1].end), 'a second `rua=` field: list every URI in one, separated by commas'));
  return out;
}
