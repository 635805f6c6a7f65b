import { latin1 } from '../bytes';
import { RdataField } from '../rrtypeSchema';
import { SVC_PARAM_KEYS } from '../registries';
import { Span } from '../types';
import { parseIPv4Into, parseIPv6Into } from './addr';
import { writeBase64 } from './codec';
import { Ctx, issue, show } from './context';
import { parseUnsigned, StringMode, writeString } from './text';
import { WireWriter } from './writer';

/**
 * SVCB/HTTPS SvcParams (RFC 9460 §2.1, Appendix A): `key`, `key=value`, `key="value"`.
 * Values are character-strings first (escapes decoded), then read per key; the wire form
 * has the parameters sorted by key.
 */

interface Param extends Span {
  key: number;
  value: Uint8Array;
}

const KEY_BY_NAME = new Map(SVC_PARAM_KEYS.map((k) => [k.name, k.code]));
const KEY_NAMES = SVC_PARAM_KEYS.map((k) => k.name).join(', ');
const MANDATORY = 0, ALPN = 1, NO_DEFAULT_ALPN = 2, PORT = 3, IPV4HINT = 4, ECH = 5, IPV6HINT = 6, DOHPATH = 7, OHTTP = 8, TLS_SUPPORTED_GROUPS = 9;

/** Key name → number (`keyNNNNN` for any key), or an error message. */
export function svcKey(name: string): number | string {
  const known = KEY_BY_NAME.get(name);
  if (known !== undefined) return known;
  if (name.startsWith('key')) {
    const v = parseUnsigned(name.slice(3), 65535);
    if (v >= 0) return v;
  }
  if (KEY_BY_NAME.has(name.toLowerCase())) return `unknown SvcParam key \`${show(name)}\`: keys are lower case (\`${name.toLowerCase()}\`)`;
  return `unknown SvcParam key \`${show(name)}\`: use ${KEY_NAMES} or keyNNNNN (0..65535)`;
}

const tmp = new WireWriter();

/** A quoted value split by the lexer (`alpn="a b"` → `alpn="a`, `b"`) is closed by an unescaped `"`. */
function closesQuote(v: string): boolean {
  if (v.length < 2 || v.charCodeAt(v.length - 1) !== 0x22) return false;
  let k = 0;
  for (let i = v.length - 2; i >= 0 && v.charCodeAt(i) === 0x5c; i--) k++;
  return k % 2 === 0;
}

export function parseSvcParams(ctx: Ctx, field: RdataField): boolean {
  const params: Param[] = [];
  let ok = true;
  const toks = ctx.tokens;
  while (ctx.i < toks.length) {
    const tok = toks[ctx.i++];
    const span = { start: tok.start, end: tok.end };
    if (tok.quoted) {
      ok = issue(ctx, span, `${field.name}: \`"${show(tok.text)}"\` has no key: write key=value, like alpn=h2`);
      continue;
    }
    const eq = tok.text.indexOf('=');
    const keyText = eq < 0 ? tok.text : tok.text.slice(0, eq);
    let value: string | undefined = eq < 0 ? undefined : tok.text.slice(eq + 1);
    let quoted = false;
    if (value !== undefined && value.charCodeAt(0) === 0x22) {
      while (!closesQuote(value) && ctx.i < toks.length) {
        const t2 = toks[ctx.i++];
        value += ' '.repeat(Math.max(1, t2.start - span.end)) + (t2.quoted ? `"${t2.text}"` : t2.text);
        span.end = t2.end;
      }
      if (!closesQuote(value)) {
        ok = issue(ctx, span, `${keyText}: the quoted value is not closed: add \`"\``);
        continue;
      }
      value = value.slice(1, -1);
      quoted = true;
    }
    const key = svcKey(keyText);
    if (typeof key === 'string') { ok = issue(ctx, span, key); continue; }
    const bytes = paramValue(key, keyText, value, quoted);
    if (typeof bytes === 'string') { ok = issue(ctx, span, bytes); continue; }
    params.push({ key, value: bytes, start: span.start, end: span.end });
  }
  if (!ok) return false;
  params.sort((a, b) => a.key - b.key);
  for (let k = 1; k < params.length; k++) {
    if (params[k].key === params[k - 1].key) {
      const later = params[k].start > params[k - 1].start ? params[k] : params[k - 1];
      return issue(ctx, later, `SvcParam key${params[k].key === MANDATORY ? ' mandatory' : ` ${keyName(params[k].key)}`} appears twice: give each key once`);
    }
  }
  if (!checkMandatory(ctx, params)) return false;
  const w = ctx.w;
  for (const p of params) {
    w.u16(p.key);
    w.u16(p.value.length);
    w.bytes(p.value);
  }
  return true;
}

function keyName(key: number): string {
  return SVC_PARAM_KEYS.find((k) => k.code === key)?.name ?? `key${key}`;
}

/** Every key listed in `mandatory` must be present (RFC 9460 §8). */
function checkMandatory(ctx: Ctx, params: Param[]): boolean {
  const m = params.find((p) => p.key === MANDATORY);
  if (!m) return true;
  for (let i = 0; i < m.value.length; i += 2) {
    const key = (m.value[i] << 8) | m.value[i + 1];
    if (!params.some((p) => p.key === key)) {
      return issue(ctx, m, `mandatory lists ${keyName(key)}, but the record has no ${keyName(key)} parameter: add it or remove it from mandatory`);
    }
  }
  return true;
}

const NO_VALUE = new Uint8Array(0);

/** Wire value of one parameter, or an error message. */
function paramValue(key: number, keyText: string, value: string | undefined, quoted: boolean): Uint8Array | string {
  const named = KEY_BY_NAME.has(keyText);
  if (!named) {
    // keyNNNNN: an opaque value, possibly none (Knot reads known keys written this way opaquely too)
    if (value === undefined) return NO_VALUE;
    if (value === '' && !quoted) return `${keyText}= has no value: write ${keyText} alone, or ${keyText}="" for an empty value`;
    return decoded(keyText, value, quoted);
  }
  if (key === NO_DEFAULT_ALPN || key === OHTTP) {
    return value === undefined ? NO_VALUE : `${keyText} takes no value: write it alone`;
  }
  if (value === undefined || (value === '' && !quoted)) return `${keyText} needs a value: write ${keyText}=…`;
  const raw = decoded(keyText, value, quoted);
  if (typeof raw === 'string') return raw;
  switch (key) {
    case MANDATORY: return mandatoryValue(raw);
    case ALPN: return alpnValue(raw);
    case PORT: {
      const v = parseUnsigned(latin1(raw), 65535);
      return v < 0 ? `port \`${show(latin1(raw))}\` is not a number 0..65535` : Uint8Array.of(v >> 8, v & 0xff);
    }
    case IPV4HINT: return addressList(raw, 4, parseIPv4Into, 'IPv4');
    case IPV6HINT: return addressList(raw, 16, parseIPv6Into, 'IPv6');
    case ECH: {
      tmp.reset();
      const e = writeBase64(tmp, latin1(raw));
      return e === undefined ? tmp.take() : `ech ${e} (base64 ECHConfigList)`;
    }
    case TLS_SUPPORTED_GROUPS: {
      // comma-separated TLS NamedGroup ids, each 0..65535 (draft-ietf-tls-key-share-prediction)
      const items = latin1(raw).split(',');
      const out = new Uint8Array(items.length * 2);
      for (let i = 0; i < items.length; i++) {
        const v = parseUnsigned(items[i], 65535);
        if (v < 0) return `tls-supported-groups: \`${show(items[i])}\` is not a group id 0..65535; separate ids with single commas, like 29,23`;
        if (items.indexOf(items[i]) !== i) return `tls-supported-groups lists ${items[i]} twice`;
        out[2 * i] = v >> 8;
        out[2 * i + 1] = v & 0xff;
      }
      return out;
    }
    case DOHPATH:
    default:
      return raw;
  }
}

function decoded(keyText: string, value: string, quoted: boolean): Uint8Array | string {
  tmp.reset();
  const e = writeString(tmp, value, quoted, StringMode.Raw);
  if (e !== undefined) return `${keyText} value ${e}`;
  if (tmp.pos > 65535) return `${keyText} value is longer than 65535 octets`;
  return tmp.take();
}


function mandatoryValue(raw: Uint8Array): Uint8Array | string {
  const items = latin1(raw).split(',');
  const keys: number[] = [];
  for (const item of items) {
    if (item === '') return 'mandatory has an empty item: list keys separated by single commas, like mandatory=alpn,port';
    const k = svcKey(item);
    if (typeof k === 'string') return `mandatory: ${k}`;
    if (k === MANDATORY) return 'mandatory cannot list itself';
    if (keys.includes(k)) return `mandatory lists ${item} twice`;
    keys.push(k);
  }
  keys.sort((a, b) => a - b);
  const out = new Uint8Array(keys.length * 2);
  keys.forEach((k, i) => { out[2 * i] = k >> 8; out[2 * i + 1] = k & 0xff; });
  return out;
}

/** alpn: a comma-separated value-list (RFC 9460 Appendix A.1: `\,` and `\\` escape inside items). */
function alpnValue(raw: Uint8Array): Uint8Array | string {
  const out: number[] = [];
  let lenAt = out.length;
  out.push(0);
  let len = 0;
  for (let i = 0; i <= raw.length; i++) {
    const c = i < raw.length ? raw[i] : 0x2c;
    if (c === 0x2c) {
      if (len === 0) return 'alpn has an empty protocol id: separate ids with single commas, like alpn=h2,h3';
      if (len > 255) return 'alpn has a protocol id longer than 255 octets';
      out[lenAt] = len;
      if (i < raw.length) { lenAt = out.length; out.push(0); len = 0; }
      continue;
    }
    if (c === 0x5c) {
      const d = raw[i + 1];
      if (d !== 0x2c && d !== 0x5c) return 'alpn has a backslash that escapes neither `,` nor `\\`: inside an alpn list write `\\\\,` for a comma and `\\\\\\\\` for a backslash';
      out.push(d);
      i++;
    } else out.push(c);
    len++;
  }
  return Uint8Array.from(out);
}

function addressList(raw: Uint8Array, size: number, parse: (s: string, o: Uint8Array, p: number) => boolean, what: string): Uint8Array | string {
  const items = latin1(raw).split(',');
  const out = new Uint8Array(items.length * size);
  for (let i = 0; i < items.length; i++) {
    if (items[i] === '') return `${what} hint list has an empty item: separate addresses with single commas`;
    if (!parse(items[i], out, i * size)) return `\`${show(items[i])}\` is not an ${what} address`;
  }
  return out;
}
