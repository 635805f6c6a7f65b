/**
 * Seeded zone texts for the open's tests (document-opening, parser-drop-records): many line
 * shapes (multi-line entries, quotes, comments, errors, `disable=` comments), rare state changes
 * ($TTL, $ORIGIN, $GENERATE); variants without $ORIGIN and $TTL (the zone's origin from its SOA,
 * TTLs inherited from the record before) and with more state-dependent lines (blank owners after
 * an invalid owner, other classes, a second TTL, query classes, unknown types).
 */
import { rng } from './seeded';

export interface ZoneVariant {
  /** No $ORIGIN and no $TTL at the top (absolute names in the header). */
  bare?: boolean;
  /** More line shapes whose diagnostics depend on the state the records before left. */
  more?: boolean;
}

/** A zone of about `n` entries drawn from lines of many shapes (`rare` lines: state changes). */
export function zone(seed: number, n: number, rare = 0.004, variant: ZoneVariant = {}): string {
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const out = variant.bare
    ? ['example. IN SOA ns1.example. hostmaster.example. ( 2024010101 7200', '\t3600 1209600 300 )', '\tIN\tNS\tns1.example.', 'ns1.example. 300 A 192.0.2.1']
    : ['$ORIGIN example.', '$TTL 3600', '@ IN SOA ns1 hostmaster ( 2024010101 7200', '\t3600 1209600 300 )', '\tIN\tNS\tns1', 'ns1 A 192.0.2.1'];
  const more = (i: number): string[] => (variant.more ? [
    `bad..o${i}\tA\t10.0.0.9`,
    `\t600\tA\t10.4.4.${i & 255}`,
    `c${i}\tCH\tTXT\t"ch"`,
    `\tCH\tA\t10.5.5.5`,
    `o${i}.example.\t77\tIN\tNS\tns${i}.example.`,
    `"q${i}"\tA\t10.6.6.6`,
    `r${i}\tANY\tA\t10.7.7.7`,
    `z${i}\tIN`,
    `v${i}\t300\t400\tA\t10.8.8.8`,
    `y${i}\tFOO\tx`,
    `b${i}\t3000000000\tA\t10.1.1.2`,
    `\tA\t10.9.${i & 255}.9`,
  ] : []);
  for (let i = 0; out.length < n; i++) {
    const x = r();
    if (x < rare) out.push(pick([`$TTL ${1 + Math.floor(r() * 9999)}`, `$ORIGIN o${i}.example.`, `$GENERATE 1-3 g${i}-$ A 10.9.9.$`, '$ORIGIN example.']));
    else {
      out.push(pick([
        `h${i}\t300\tIN\tA\t10.0.${i & 255}.${(i >> 8) & 255}`,
        `\tIN\tAAAA\t2001:db8::${i.toString(16)}`,
        `\tMX\t10 mail${i}`,
        `t${i}\tTXT\t"v=spf1 ; ( a" "x${i}"`,
        `m${i}\tIN\tMX\t( 10`,
        `\tmail${i} )`,
        `p${i} 60 IN TXT ( "a"\n\t"b ; )" ) ; c`,
        `; comment ( " ${i}`,
        '',
        `bad${i}\tA\t999.1.1.${i & 255}`,
        `x${i}\t99999999999\tA\t10.1.1.1`,
        `q${i} TXT "unterminated`,
        `s${i} A 10.0.0.1 )`,
        `n${i} A 10.0.0.2 ; dane-zone disable=invalid-rdata`,
        '; dane-zone disable=invalid-ttl',
        `e${i} A 10.0.0.\\`,
        `u${i} TYPE99 \\# 0`,
        `w${i}\tIN\tCNAME\th${i}`,
        `k${i}\tTLSA\t3 1 1 ${'ab'.repeat(31)}`,
        `\t\tA\t10.2.${i & 255}.1`,
        ...more(i),
      ]));
    }
  }
  return out.join('\n') + '\n';
}
