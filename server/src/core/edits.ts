/**
 * Text edits: what every editing feature (quick fixes, formatting, serial bumps, rename,
 * certificate actions) returns. Offsets are UTF-16 offsets into the text the edit was computed
 * on; only the LSP layer turns them into positions.
 */

export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

/** A replacement of [start, end) of the text after the previous changes (how an editor reports typing). */
export interface TextChange {
  /** Offsets in the text before this change. */
  start: number;
  end: number;
  text: string;
}

/** Applies non-overlapping edits (any order) to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
