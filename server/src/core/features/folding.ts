import { Lines } from '../lineIndex';
import { ParsedZone } from '../model';

/**
 * Folding ranges: every entry that spans several lines (a parenthesised record such as a
 * SOA or a long TLSA/DNSKEY), and every block of two or more consecutive whole-line
 * comments. Pure: lines in, lines out (0-based, end line included).
 */

export interface ZoneFold {
  startLine: number;
  endLine: number;
  kind: 'region' | 'comment';
}

function onlyBlanksBefore(text: string, lineStart: number, offset: number): boolean {
  for (let i = lineStart; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}

export function foldingRanges(parsed: ParsedZone, lines: Lines): ZoneFold[] {
  const text = lines.text;
  const folds: ZoneFold[] = [];
  for (const s of parsed.multiLine) {
    if (s.start >= text.length) continue;
    const startLine = lines.lineAt(s.start);
    const endLine = lines.lineAt(Math.max(s.start, s.end - 1));
    if (endLine > startLine) folds.push({ startLine, endLine, kind: 'region' });
  }

  // Comment blocks outside multi-line entries (those fold with their record).
  const multi = parsed.multiLine;
  let mi = 0;
  let blockStart = -1;
  let blockEnd = -1;
  const flush = () => {
    if (blockStart >= 0 && blockEnd > blockStart) folds.push({ startLine: blockStart, endLine: blockEnd, kind: 'comment' });
    blockStart = blockEnd = -1;
  };
  for (const c of parsed.comments) {
    if (c.start >= text.length) continue;
    while (mi < multi.length && multi[mi].end <= c.start) mi++;
    const insideEntry = mi < multi.length && multi[mi].start <= c.start && c.start < multi[mi].end;
    const line = lines.lineAt(c.start);
    if (insideEntry || !onlyBlanksBefore(text, lines.lineStart(line), c.start)) {
      flush();
      continue;
    }
    if (blockStart >= 0 && line === blockEnd + 1) blockEnd = line;
    else {
      flush();
      blockStart = blockEnd = line;
    }
  }
  flush();
  folds.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  return folds;
}
