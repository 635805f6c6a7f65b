/**
 * What the hover modules share: the result shape, the context of one hover request and two
 * small markdown helpers.
 */
import { ParsedZone } from '../model';

export interface ZoneHover {
  /** Markdown. */
  contents: string;
  /** The hovered range [start, end) (UTF-16 offsets). */
  start: number;
  end: number;
}

/** One hover request: the zone, how many related records to list, the day, the hovered offset. */
export interface HoverContext {
  parsed: ParsedZone;
  maxListed: number;
  now: Date;
  /** The hovered offset. */
  at: number;
}

export function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function listLimited(items: string[], max: number): string {
  const shown = items.slice(0, max).map((s) => `- ${s}`);
  if (items.length > max) shown.push(`- … and ${items.length - max} more`);
  return shown.join('\n');
}
