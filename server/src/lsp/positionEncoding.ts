import { ClientCapabilities, Position } from 'vscode-languageserver/node';
import type { LinePosition, Lines } from '../core';

/**
 * Position encodings (LSP 3.17 `general.positionEncodings`, or clangd's older `offsetEncoding`
 * that some clients still send): what a `character` in a Position counts. The core and the
 * document store work in UTF-16 code units; when the client chose UTF-8 or UTF-32, every
 * position going out is converted by EncodedLines and every position coming in (requests
 * through Lines.offsetAt, edits in didChange) is converted back.
 */

export type PositionEncoding = 'utf-8' | 'utf-16' | 'utf-32';
const SUPPORTED: readonly string[] = ['utf-8', 'utf-16', 'utf-32'];

export interface NegotiatedEncoding {
  encoding: PositionEncoding;
  /** How the client asked: answer in `capabilities.positionEncoding`, in clangd's `offsetEncoding`, or not at all. */
  via: 'positionEncodings' | 'offsetEncoding' | 'default';
}

/** The client's first listed encoding that the server supports; UTF-16 when it lists none. */
export function negotiateEncoding(caps: ClientCapabilities): NegotiatedEncoding {
  const standard = caps.general?.positionEncodings;
  if (Array.isArray(standard) && standard.length > 0) {
    const e = standard.find((x) => SUPPORTED.includes(x));
    return { encoding: (e ?? 'utf-16') as PositionEncoding, via: 'positionEncodings' };
  }
  const clangd = (caps as { offsetEncoding?: unknown }).offsetEncoding;
  if (Array.isArray(clangd) && clangd.length > 0) {
    const e = clangd.find((x) => typeof x === 'string' && SUPPORTED.includes(x)) as PositionEncoding | undefined;
    return { encoding: e ?? 'utf-16', via: 'offsetEncoding' };
  }
  return { encoding: 'utf-16', via: 'default' };
}

/** Units the character at `i` takes in `enc`, and how many UTF-16 units it spans. */
function unitAt(text: string, i: number, enc: PositionEncoding): [units: number, width: number] {
  const c = text.charCodeAt(i);
  const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
  if (enc === 'utf-32') return [1, pair ? 2 : 1];
  if (enc === 'utf-16') return pair ? [2, 2] : [1, 1];
  if (pair) return [4, 2];
  return [c < 0x80 ? 1 : c < 0x800 ? 2 : 3, 1];
}

/** `character` (in `enc` units) on the line from `start` to `end` → an offset (clamped; inside a character: its start). */
export function offsetInLine(text: string, start: number, end: number, character: number, enc: PositionEncoding): number {
  let units = 0;
  let i = start;
  while (i < end && units < character) {
    const [u, w] = unitAt(text, i, enc);
    if (units + u > character) break;
    units += u;
    i += w;
  }
  return Math.min(i, end);
}

/** Units in `enc` of text[from, to). */
export function unitsBetween(text: string, from: number, to: number, enc: PositionEncoding): number {
  let units = 0;
  for (let i = from; i < to;) {
    const [u, w] = unitAt(text, i, enc);
    units += u;
    i += w;
  }
  return units;
}

/** Lines whose characters count in `enc` instead of UTF-16 units. */
export class EncodedLines implements Lines {
  constructor(private readonly inner: Lines, private readonly enc: PositionEncoding) {}
  get text(): string {
    return this.inner.text;
  }
  get lineCount(): number {
    return this.inner.lineCount;
  }
  lineStart(line: number): number {
    return this.inner.lineStart(line);
  }
  lineEnd(line: number): number {
    return this.inner.lineEnd(line);
  }
  lineAt(offset: number): number {
    return this.inner.lineAt(offset);
  }
  positionAt(offset: number): LinePosition {
    const p = this.inner.positionAt(offset);
    const start = this.inner.lineStart(p.line);
    return { line: p.line, character: unitsBetween(this.inner.text, start, start + p.character, this.enc) };
  }
  offsetAt(position: LinePosition): number {
    if (position.line < 0 || position.line >= this.inner.lineCount) return this.inner.offsetAt(position);
    const start = this.inner.lineStart(position.line);
    return offsetInLine(this.inner.text, start, this.inner.lineEnd(position.line), Math.max(0, position.character), this.enc);
  }
}

/** A position in `enc` on `lines` → the same position in UTF-16 units. */
export function toUtf16(lines: Lines, p: Position, enc: PositionEncoding): Position {
  if (enc === 'utf-16') return p;
  return lines.positionAt(new EncodedLines(lines, enc).offsetAt(p));
}
