/**
 * TTL values: a decimal number of seconds, or BIND's unit form `1w2d3h4m5s`
 * (units case-insensitive, any order, each at most once in BIND; we accept repeats like Knot).
 * Range 0..2147483647 (RFC 2181 §8).
 */
export const MAX_TTL = 2147483647;

/** Largest TTL a master file may hold (RFC 2181 §8 values above MAX_TTL are read as 0). */
export const MAX_TTL_FIELD = 4294967295;

/** `tooLarge`: the written value was 2^31..2^32-1, which RFC 2181 §8 (and BIND) read as 0. */
export type TtlParse = { value: number; tooLarge?: number } | { error: string };

/** The warning text for a TTL read as 0 (ttl-too-large). */
export function tooLargeMessage(v: number): string {
  return `TTL ${v} is above ${MAX_TTL} (2^31-1): RFC 2181 §8 reads it as 0, as BIND does, so this is never cached; write a TTL up to ${MAX_TTL}`;
}

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** True when the token can only be meant as a TTL (starts with a digit). */
export function looksLikeTtl(text: string): boolean {
  const c = text.charCodeAt(0);
  return c >= 0x30 && c <= 0x39;
}

export function parseTtl(text: string): TtlParse {
  let total = 0;
  let num = -1;
  let sawUnit = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      num = (num < 0 ? 0 : num) * 10 + (c - 0x30);
      if (num > 1e12) return { error: `TTL \`${text}\` is too large; the maximum is ${MAX_TTL} seconds (about 68 years)` };
      continue;
    }
    const unit = UNIT[text[i].toLowerCase()];
    if (unit === undefined || num < 0) {
      return { error: `\`${text}\` is not a TTL: write seconds (3600) or units such as 1h, 2d, 1w2d3h4m5s` };
    }
    total += num * unit;
    num = -1;
    sawUnit = true;
  }
  if (num >= 0) {
    // `1h30` is ambiguous (BIND and Knot reject it): after a unit, every number needs its own.
    if (sawUnit) return { error: `\`${text}\` ends in a number without a unit: write \`${text}s\` or \`${text}m\`, as BIND and Knot require` };
    total += num;
  } else if (!sawUnit) return { error: `\`${text}\` is not a TTL` };
  if (total > MAX_TTL_FIELD) return { error: `TTL ${total} is out of range: the maximum is ${MAX_TTL} seconds (RFC 2181 §8)` };
  if (total > MAX_TTL) return { value: 0, tooLarge: total };
  return { value: total };
}

/** A TTL in words for hovers and messages: 3600 → "1 hour", 90000 → "1 day 1 hour". */
export function describeTtl(seconds: number): string {
  if (seconds === 0) return '0 seconds';
  const parts: string[] = [];
  const units: [number, string][] = [[604800, 'week'], [86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']];
  let rest = seconds;
  for (const [size, name] of units) {
    const k = Math.floor(rest / size);
    if (k > 0) { parts.push(`${k} ${name}${k === 1 ? '' : 's'}`); rest -= k * size; }
  }
  return parts.join(' ');
}
