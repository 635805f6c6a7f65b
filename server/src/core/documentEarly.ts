/**
 * A hover asked before an open document's first parse is done (a large zone just opened: the
 * parse of a million records takes a second or two). Some hovers depend on one record's own
 * tokens only: its type, its class and its TTL token (hover.ts: `typeHover`, the class line,
 * `ttlText`). Those are answered from the entry under the cursor: the entries are found by the
 * lexer alone from the start of the text (the parser reads the same entries, one after the
 * other; entrySkim.ts finds the entry's start visiting only the characters that can join lines),
 * and that one entry is parsed on its own. Which tokens are the TTL, class and type, and
 * their values, do not depend on the scan state (the owner, `$ORIGIN`, `$TTL` do not change
 * them), so the answer is the one the hover on the whole parse gives. Anything else (owners,
 * RDATA, directives, comments) waits for the parse: undefined.
 */
import { EntryScan, scanEntry } from './lexer';
import { entryStartAt } from './entrySkim';
import { emptyZone, ZoneParser } from './parser';
import { initialState } from './scanState';
import { ParseOptions } from './model';
import { ZoneDiagnostic } from './types';
import { hover, ZoneHover } from './features/hover';
import { partAt, recordAt } from './features/locate';

/** Entries between two remembered entry starts. */
const MARK_EVERY = 4096;

/** Entry starts of one text every MARK_EVERY entries, as far as it was read (kept by the caller for that text). */
export interface EntryMarks {
  marks: number[];
}

/**
 * The hover at `offset` when it depends on the record's own head tokens (type, class, TTL);
 * undefined: ask the whole parse. `partial`: `text` is only a start of the text, ending just
 * after a line break past the offset's line; null when the entry at the offset does not end
 * before the start's end (ask again with more of the text), else what the whole text gives.
 */
export function earlyHover(text: string, offset: number, options: ParseOptions = {}, memo: EntryMarks = { marks: [0] }, partial = false): ZoneHover | undefined | null {
  if (!(offset >= 0 && offset <= text.length)) return partial ? null : undefined;
  const s = new EntryScan();
  const diagnostics: ZoneDiagnostic[] = [];
  const sink = { diagnostics };
  // From the last entry start known at or before the offset (hovers before the parse of one text
  // do not each read it from the start).
  const marks = memo.marks;
  let m = marks.length - 1;
  while (marks[m] > offset) m--;
  let pos = marks[m];
  // The entry's start found by the characters that can join lines alone, where it can be
  // (entrySkim.ts): kept with the others, the next hover further on reads on from it.
  const found = entryStartAt(text, pos, offset);
  if (found !== undefined && found > pos) {
    marks.splice(++m, 0, found);
    pos = found;
  }
  for (let n = 1; ; n++) {
    if (pos >= text.length) return partial ? null : undefined;
    scanEntry(text, pos, sink, s);
    diagnostics.length = 0;
    // (an entry that runs to the end of a start may run on in the whole text)
    if (partial && s.next >= text.length) return null;
    // (an entry runs to the start of the next: the hovered token's end can be that start only at a line end)
    if (s.next > offset || s.next >= text.length) break;
    pos = s.next;
    if (m === marks.length - 1 && n % MARK_EVERY === 0) { marks.push(pos); m++; }
  }
  // Directives ($ORIGIN, $INCLUDE, …) read files and change the state: not here.
  if (s.count === 0 || (!s.blankOwner && !s.quoted(0) && text.charCodeAt(s.starts[0]) === 0x24)) return undefined;
  const zone = emptyZone();
  const { io: _io, onRecord: _stream, ...plain } = options;
  new ZoneParser(text, plain, zone, []).parseRange(pos, s.next, initialState(plain));
  // (a `; dane-zone` comment on the line: its hover and settings are the whole parse's to give)
  if (zone.records.length !== 1 || zone.daneDirectives.length > 0 || zone.directives.length > 0) return undefined;
  const r = recordAt(zone, offset);
  const part = r ? partAt(r, offset) : undefined;
  if (!part || (part.kind !== 'type' && part.kind !== 'class' && part.kind !== 'ttl')) return undefined;
  return hover(zone, { length: text.length }, offset);
}
