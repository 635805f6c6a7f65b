import { ParsedZone } from '../model';
import { ZoneIO } from '../types';
import { daneDirectiveAt, directiveAt } from './locate';
import { ZoneCompletion } from './completion';

/**
 * File-name completion where the zone names a file: the value of `cert=` and `next=` in a
 * `; dane-zone` comment, and the file of `$INCLUDE`. The directory comes from the path typed so
 * far, relative to the zone file (as the checks resolve it); listing goes through
 * ZoneIO.listDir, which is confined to the workspace in an untrusted one (then nothing is
 * offered outside it). Pure apart from that call; never throws.
 */

/** Where a path is being typed: the whole value, and the part the items replace (its last segment). */
export interface PathSlot {
  kind: 'certificate' | 'include';
  /** What is typed before the cursor. */
  typed: string;
  replaceStart: number;
  replaceEnd: number;
}

const CERT_EXT = /\.(pem|crt|cer|der|key|pub|csr|p7b|p7c)$/i;
const MAX_ITEMS = 500;

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

/** The path slot at `offset`, if the cursor is in one. */
export function pathSlotAt(parsed: ParsedZone, text: string, offset: number): PathSlot | undefined {
  const dane = daneDirectiveAt(parsed, offset);
  if (dane && dane.start < offset) {
    let ws = offset;
    while (ws > dane.start && !/\s/.test(text[ws - 1])) ws--;
    const word = text.slice(ws, offset);
    const m = /^(cert|next)=/i.exec(word);
    if (!m) return undefined;
    let we = offset;
    while (we < dane.end && !/\s/.test(text[we])) we++;
    return segment('certificate', text, ws + m[0].length, offset, we);
  }
  const d = directiveAt(parsed, offset);
  if (d && d.name === '$INCLUDE' && offset > d.nameToken.end) {
    const arg = d.args[0];
    if (arg && offset >= arg.start && offset <= arg.end) {
      if (arg.quoted) return undefined;
      return segment('include', text, arg.start, offset, arg.end);
    }
    // Right after `$INCLUDE ` with no file yet (or the cursor in the blank before it).
    if (!arg || offset < arg.start) {
      if (!isBlank(text[offset - 1])) return undefined;
      return segment('include', text, offset, offset, offset);
    }
  }
  return undefined;
}

function segment(kind: PathSlot['kind'], text: string, valueStart: number, offset: number, valueEnd: number): PathSlot {
  const typed = text.slice(valueStart, offset);
  const slash = typed.lastIndexOf('/');
  let end = offset;
  while (end < valueEnd && text[end] !== '/') end++;
  return { kind, typed, replaceStart: valueStart + slash + 1, replaceEnd: end };
}

/** File and folder items for the slot at `offset` (undefined when the cursor is in no path). */
export function pathCompletion(parsed: ParsedZone, text: string, offset: number, io: ZoneIO | undefined, fileName: string | undefined): ZoneCompletion[] | undefined {
  const slot = pathSlotAt(parsed, text, offset);
  if (!slot) return undefined;
  if (!io?.listDir) return [];
  const slash = slot.typed.lastIndexOf('/');
  const dirPart = slash >= 0 ? slot.typed.slice(0, slash + 1) : '';
  const prefix = slot.typed.slice(slash + 1);
  let entries: { name: string; directory: boolean }[];
  try {
    entries = io.listDir(io.resolvePath(fileName, dirPart === '' ? '.' : dirPart));
  } catch {
    return []; // unreadable, missing, or outside an untrusted workspace
  }
  const items: ZoneCompletion[] = [];
  for (const e of entries) {
    if (!e.name.startsWith(prefix)) continue;
    if (e.name.startsWith('.') && !prefix.startsWith('.')) continue;
    if (e.directory) {
      items.push({ label: `${e.name}/`, kind: 'folder', insertText: `${e.name}/`, sortText: `0${e.name}`, replaceStart: slot.replaceStart, replaceEnd: slot.replaceEnd, retrigger: true });
    } else {
      const fits = slot.kind === 'certificate' ? CERT_EXT.test(e.name) : true;
      if (!fits) continue;
      items.push({ label: e.name, kind: 'file', sortText: `1${e.name}`, replaceStart: slot.replaceStart, replaceEnd: slot.replaceEnd });
    }
    if (items.length >= MAX_ITEMS) break;
  }
  return items;
}
