import { RdataField } from '../rrtypeSchema';
import { Token } from '../types';
import { parseIPv4Into, parseIPv6Into } from './addr';
import { Ctx, issue, missing, show } from './context';
import { parseUnsigned } from './text';

/**
 * A decimal with at most `decimals` fraction digits (`12`, `12.`, `12.5`), in units of
 * 10^-decimals; -1 when the text is not such a number.
 */
export function parseFixed(text: string, decimals: number): number {
  const dot = text.indexOf('.');
  const whole = dot < 0 ? text : text.slice(0, dot);
  const frac = dot < 0 ? '' : text.slice(dot + 1);
  if (frac.length > decimals || whole.length === 0 || whole.length > 12) return -1;
  const w = parseUnsigned(whole, Number.MAX_SAFE_INTEGER);
  const f = frac.length === 0 ? 0 : parseUnsigned(frac, Number.MAX_SAFE_INTEGER);
  if (w < 0 || f < 0) return -1;
  return w * 10 ** decimals + f * 10 ** (decimals - frac.length);
}

/** RFC 1876 size/precision octet: mantissa and power of ten (of centimetres), truncating like Knot. */
export function locPrecision(cm: number): number {
  let e = 0;
  while (cm > 9) {
    cm = Math.floor(cm / 10);
    e++;
  }
  return (cm << 4) | e;
}

const LOC_FIELD_NAMES = ['latitude', 'longitude'] as const;

/** Reads `d [m [s]] H` where H is one of `hemis`; returns signed thousandths of an arc second, or undefined. */
function coordinate(ctx: Ctx, field: RdataField, which: 0 | 1): number | undefined {
  const maxDeg = which === 0 ? 90 : 180;
  const hemis = which === 0 ? 'NS' : 'EW';
  const label = LOC_FIELD_NAMES[which];
  const parts = [0, 0, 0];
  for (let p = 0; p < 4; p++) {
    const t = ctx.tokens[ctx.i];
    if (t === undefined) {
      missing(ctx, { ...field, name: p === 0 ? label : `${label} hemisphere (${hemis[0]} or ${hemis[1]})` });
      return undefined;
    }
    ctx.i++;
    if (p > 0 && (t.text === hemis[0] || t.text === hemis[1]) && !t.quoted) {
      const v = parts[0] * 3600000 + parts[1] * 60000 + parts[2];
      return t.text === hemis[0] ? v : -v;
    }
    if (p === 3) {
      issue(ctx, t, `${label}: expected ${hemis[0]} or ${hemis[1]} after degrees, minutes and seconds, found \`${show(t.text)}\``);
      return undefined;
    }
    const max = p === 0 ? maxDeg : p === 1 ? 59 : 59999;
    const v = p === 2 ? parseFixed(t.text, 3) : parseUnsigned(t.text, max);
    const unit = p === 0 ? 'degrees' : p === 1 ? 'minutes' : 'seconds';
    if (v < 0 || v > max || t.quoted) {
      const range = p === 0 ? `0..${maxDeg}` : p === 1 ? '0..59' : '0..59.999';
      const hint = p > 0 ? ` (or ${hemis[0]}/${hemis[1]})` : '';
      issue(ctx, t, `${label} ${unit} \`${show(t.text)}\` is not a number ${range}${hint}`);
      return undefined;
    }
    parts[p] = v;
  }
  return undefined;
}

/** A LOC length in metres (optional `m`, two decimals) → centimetres, or -1. */
function metres(text: string, allowNegative: boolean): number {
  let s = text;
  if (s.endsWith('m')) s = s.slice(0, -1);
  const neg = allowNegative && s.startsWith('-');
  if (neg) s = s.slice(1);
  const v = parseFixed(s, 2);
  if (v < 0) return NaN;
  return neg ? -v : v;
}

const MAX_PRECISION = 9000000000; // 90000000.00 m in cm
const LIMITS = [
  { name: 'size', def: 100 },
  { name: 'horizontal precision', def: 1000000 },
  { name: 'vertical precision', def: 1000 },
];

/** LOC (RFC 1876 §3) to the end of the record. */
export function parseLoc(ctx: Ctx, field: RdataField): boolean {
  const lat = coordinate(ctx, field, 0);
  if (lat === undefined) return false;
  const lon = coordinate(ctx, field, 1);
  if (lon === undefined) return false;
  const altTok = ctx.tokens[ctx.i++];
  if (altTok === undefined) return missing(ctx, { ...field, name: 'altitude' });
  const alt = metres(altTok.text, true);
  if (!(alt >= -10000000 && alt <= 4284967295) || altTok.quoted) {
    return issue(ctx, altTok, `altitude \`${show(altTok.text)}\` is not a number of metres -100000.00..42849672.95`);
  }
  const prec = [LIMITS[0].def, LIMITS[1].def, LIMITS[2].def];
  for (let k = 0; k < 3 && ctx.i < ctx.tokens.length; k++) {
    const t = ctx.tokens[ctx.i++];
    const v = metres(t.text, false);
    if (!(v >= 0 && v <= MAX_PRECISION) || t.quoted) {
      return issue(ctx, t, `${LIMITS[k].name} \`${show(t.text)}\` is not a number of metres 0..90000000.00`);
    }
    prec[k] = v;
  }
  const w = ctx.w;
  w.u8(0);
  w.u8(locPrecision(prec[0]));
  w.u8(locPrecision(prec[1]));
  w.u8(locPrecision(prec[2]));
  w.u32(2147483648 + lat);
  w.u32(2147483648 + lon);
  w.u32(10000000 + alt);
  return true;
}

const addr = new Uint8Array(16);

/** APL items `[!]afi:address/prefix` (RFC 3123 §4), to the end of the record; none is fine. */
export function parseApl(ctx: Ctx, field: RdataField): boolean {
  let ok = true;
  for (; ctx.i < ctx.tokens.length; ctx.i++) {
    const t = ctx.tokens[ctx.i];
    const e = t.quoted ? 'must not be quoted' : aplItem(ctx, t);
    if (e !== undefined) ok = issue(ctx, t, `${field.name}: item \`${show(t.text)}\` ${e}`);
  }
  return ok;
}

function aplItem(ctx: Ctx, t: Token): string | undefined {
  const s = t.text;
  const neg = s.charCodeAt(0) === 0x21;
  const body = neg ? s.slice(1) : s;
  const colon = body.indexOf(':');
  const slash = body.lastIndexOf('/');
  if (colon < 0 || slash < colon) return 'is not [!]afi:address/prefix (like 1:192.0.2.0/24 or 2:2001:db8::/32)';
  const afi = body.slice(0, colon);
  const family = afi === '1' ? 1 : afi === '2' ? 2 : 0;
  if (family === 0) return `has address family \`${afi}\`: use 1 (IPv4) or 2 (IPv6)`;
  const size = family === 1 ? 4 : 16;
  const text = body.slice(colon + 1, slash);
  if (!(family === 1 ? parseIPv4Into(text, addr, 0) : parseIPv6Into(text, addr, 0))) {
    return `has \`${show(text)}\`, which is not an ${family === 1 ? 'IPv4' : 'IPv6'} address (family ${family})`;
  }
  const prefix = parseUnsigned(body.slice(slash + 1), family === 1 ? 32 : 128);
  if (prefix < 0) return `has a prefix length that is not a number 0..${family === 1 ? 32 : 128}`;
  let len = size;
  while (len > 0 && addr[len - 1] === 0) len--;
  const w = ctx.w;
  w.u16(family);
  w.u8(prefix);
  w.u8((neg ? 0x80 : 0) | len);
  w.bytes(addr.subarray(0, len));
  return undefined;
}
