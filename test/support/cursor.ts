/** Fixtures with a cursor marker (`|` by default): the text without it, and its offset. */
import assert from 'node:assert/strict';

export function cursor(marked: string, marker = '|'): { text: string; offset: number } {
  const offset = marked.indexOf(marker);
  assert.ok(offset >= 0, `the fixture needs a ${marker} cursor`);
  return { text: marked.slice(0, offset) + marked.slice(offset + marker.length), offset };
}
