/**
 * The short reading of a plain TLS-RPT record (RFC 8460 §3), `v=TLSRPTv1; rua=mailto:a@b.c`,
 * from its text or straight from its TXT wire form with no string made: the mail-policy stage
 * (mtaSts.ts) takes it for records the full reading would find nothing wrong with, and sends
 * everything else to the full reading. dane-facts.test.ts compares the two.
 */

/** Test knob: the short reading of a plain TLS-RPT record (tests compare it with the full one). */
export const tlsRptParsing = { plain: true };

const PLAIN_RPT = 'v=TLSRPTv1; rua=';
export const MAILTO = /^mailto:[^@\s]+@[^@\s]+\.[^@\s]+$/i;
const MAILTO_HEAD = 'mailto:';

/**
 * `v=TLSRPTv1; rua=mailto:a@b.c`: one field after the version, one `mailto:` URI without
 * spaces, commas, semicolons or characters outside printable ASCII, which the full reading
 * finds nothing wrong with.
 */
export function plainTlsRpt(text: string): boolean {
  if (!text.startsWith(PLAIN_RPT)) return false;
  for (let i = PLAIN_RPT.length; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32 || c >= 127 || c === 44 || c === 59) return false;
  }
  return MAILTO.test(text.slice(PLAIN_RPT.length));
}

/**
 * plainTlsRpt on a TXT record's wire form of one string, with no string made: the prefix, then
 * `mailto:` in any case, one `@` after a non-empty local part, a `.` with an octet before and
 * after it in the domain, every octet printable ASCII other than `,` and `;`. False sends the
 * record to the string reading (several strings, or anything else).
 */
export function plainTlsRptWire(w: Uint8Array | undefined): boolean {
  return w !== undefined && plainTlsRptSpan(w, 0, w.length);
}

/** The prefix and `mailto:` as octets (compared with a record's octets without a string's charCodeAt). */
const PLAIN_OCTETS = Uint8Array.from(PLAIN_RPT, (c) => c.charCodeAt(0));
const MAILTO_OCTETS = Uint8Array.from(MAILTO_HEAD, (c) => c.charCodeAt(0));
/** Per octet after `mailto:`: 0 allowed, 1 not (space, controls, outside printable ASCII, `,`, `;`), 2 `@`. */
const URI_OCTET = new Uint8Array(256);
for (let c = 0; c < 256; c++) URI_OCTET[c] = c <= 32 || c >= 127 || c === 44 || c === 59 ? 1 : c === 64 ? 2 : 0;

/** plainTlsRptWire on the `n` octets at `from` in `d` (a wire form read in place: pipeline/keptColumns.ts wireSpan). */
export function plainTlsRptSpan(d: Uint8Array | undefined, from: number, n: number): boolean {
  if (!d || n === 0 || d[from] !== n - 1) return false;
  if (n < 1 + PLAIN_OCTETS.length + MAILTO_OCTETS.length) return false;
  const end = from + n;
  let p = from + 1;
  for (let k = 0; k < PLAIN_OCTETS.length; k++, p++) if (d[p] !== PLAIN_OCTETS[k]) return false;
  for (let k = 0; k < MAILTO_OCTETS.length; k++, p++) {
    let c = d[p];
    if (c >= 65 && c <= 90) c += 32;
    if (c !== MAILTO_OCTETS[k]) return false;
  }
  const local = p;
  let at = -1;
  for (let i = local; i < end; i++) {
    const t = URI_OCTET[d[i]];
    if (t === 0) continue;
    // (a second `@`, or an octet not allowed)
    if (t === 1 || at >= 0) return false;
    at = i;
  }
  if (at <= local) return false;
  for (let i = at + 2; i < end - 1; i++) if (d[i] === 46) return true;
  return false;
}
