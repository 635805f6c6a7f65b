import { ParsedZone, ZoneRecord } from '../model';
import { TextEdit } from '../edits';
import { Span, Token } from '../types';

/**
 * SOA serial bumps in the zone's own style (RFC 1035 §3.3.13, RFC 1982 serial arithmetic):
 *
 * - `date`: `YYYYMMDDnn` (UTC). A serial from an earlier day becomes today's `YYYYMMDD01`;
 *   today's serial gets nn+1.
 * - `unixtime`: seconds since the epoch (now, when later than the current serial).
 * - `increment`: plus one.
 *
 * Never backwards: when the clock is behind the serial (a serial "in the future") the serial
 * grows by one and `note` says why; a jump RFC 1982 cannot express (more than 2^31-1) is refused.
 * The clock is a parameter (ZoneIO.now in the servers). Pure; the edit replaces only the
 * serial token, so comments, parentheses and layout stay.
 */

export type SerialStyle = 'date' | 'unixtime' | 'increment';

export const SERIAL_MAX = 0xffffffff;
const HALF = 0x80000000;

export interface SerialPlan {
  ok: true;
  from: number;
  to: number;
  style: SerialStyle;
  /** Set when the bump is not the plain one of the style (serial ahead of the clock, wrap-around, day exhausted). */
  note?: string;
}

export interface SerialRefusal {
  ok: false;
  message: string;
}

export interface SerialBump extends SerialPlan {
  record: ZoneRecord;
  token: Token;
  edit: TextEdit;
}

/** RFC 1982 §3.2: true when `b` is greater than `a` in 32-bit serial arithmetic. */
export function serialGreater(b: number, a: number): boolean {
  return (a < b && b - a < HALF) || (a > b && a - b > HALF);
}

function validDate(y: number, m: number, d: number): boolean {
  if (y < 1970 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

/** `YYYYMMDD` (UTC) of a date, as a number. */
export function dateNumber(now: Date): number {
  return now.getUTCFullYear() * 10000 + (now.getUTCMonth() + 1) * 100 + now.getUTCDate();
}

/** The style a serial is written in: a valid `YYYYMMDDnn` date, a plausible Unix time (2001 on), or a counter. */
export function serialStyle(serial: number): SerialStyle {
  if (serial >= 1970010100 && serial <= SERIAL_MAX) {
    const day = Math.floor(serial / 100);
    if (validDate(Math.floor(day / 10000), Math.floor(day / 100) % 100, day % 100)) return 'date';
  }
  if (serial >= 1_000_000_000) return 'unixtime';
  return 'increment';
}

function step(from: number, to: number, style: SerialStyle, note?: string): SerialPlan | SerialRefusal {
  if (!serialGreater(to, from)) {
    return {
      ok: false,
      message: `cannot move the serial from ${from} to ${to}: RFC 1982 serial arithmetic allows an increase of at most 2147483647 in one step (secondaries would see it as going backwards)`,
    };
  }
  return note ? { ok: true, from, to, style, note } : { ok: true, from, to, style };
}

function plusOne(from: number, style: SerialStyle, why: string): SerialPlan | SerialRefusal {
  if (from === SERIAL_MAX) {
    return step(from, 0, style, `${why}; ${SERIAL_MAX} + 1 wraps around to 0 (RFC 1982: still an increase, but check that every secondary follows it)`);
  }
  return step(from, from + 1, style, why || undefined);
}

/** The next serial after `current` at time `now`, in `style` (default: the style `current` is written in). */
export function nextSerial(current: number, now: Date, style: SerialStyle = serialStyle(current)): SerialPlan | SerialRefusal {
  if (!Number.isInteger(current) || current < 0 || current > SERIAL_MAX) {
    return { ok: false, message: `${current} is not a serial number (0..${SERIAL_MAX})` };
  }
  if (Number.isNaN(now.getTime())) return { ok: false, message: 'the clock gives no valid time' };
  switch (style) {
    case 'date': {
      const today = dateNumber(now);
      const first = today * 100 + 1;
      const day = Math.floor(current / 100);
      if (day < today) return step(current, first, style);
      if (day === today) {
        if (current % 100 === 99) return plusOne(current, style, `today's 99 changes are used up: the serial moves into tomorrow's date`);
        return step(current, current + 1, style);
      }
      return plusOne(current, style, `the serial's date ${day} is after today (${today}, UTC): it is in the future, so it only grows by one`);
    }
    case 'unixtime': {
      const t = Math.floor(now.getTime() / 1000);
      if (t > current && t <= SERIAL_MAX) return step(current, t, style);
      return plusOne(current, style, `the serial ${current} is ahead of the clock (${t} seconds since 1970): it is in the future, so it only grows by one`);
    }
    default:
      return plusOne(current, 'increment', '');
  }
}

/** The first SOA record of this document (not from an $INCLUDEd file). */
export function soaRecord(parsed: ParsedZone): ZoneRecord | undefined {
  return parsed.records.find((r) => r.typeCode === 6 && r.includeFile === undefined)
    ?? parsed.records.find((r) => r.typeCode === 6);
}

/** The SOA serial bump for this zone, as one text edit on the serial token; a refusal says why not. */
export function bumpSerial(parsed: ParsedZone, now: Date, style?: SerialStyle): SerialBump | SerialRefusal {
  const record = soaRecord(parsed);
  if (!record) return { ok: false, message: 'this zone has no SOA record, so it has no serial to bump' };
  if (record.includeFile !== undefined) return { ok: false, message: `the SOA record is in the included file ${record.includeFile}: bump the serial there` };
  const token = record.rdata[2];
  if (!token) return { ok: false, message: 'the SOA record has no serial (its third data field)' };
  if (token.quoted || !/^[0-9]{1,10}$/.test(token.text) || Number(token.text) > SERIAL_MAX) {
    return { ok: false, message: `the SOA serial \`${token.text}\` is not a number 0..${SERIAL_MAX}: fix it first` };
  }
  const plan = nextSerial(Number(token.text), now, style);
  if (!plan.ok) return plan;
  return { ...plan, record, token, edit: { start: token.start, end: token.end, newText: String(plan.to) } };
}

/** The code action title for a bump. */
export function bumpTitle(b: SerialPlan): string {
  return `Bump SOA serial to ${b.to}`;
}

/** True when `span` touches the SOA record (for offering the code action there). */
export function touchesSoa(parsed: ParsedZone, span: Span): boolean {
  const r = soaRecord(parsed);
  return !!r && r.includeFile === undefined && span.start <= r.end && r.start <= span.end;
}
