import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AnalysisOptions, CheckResult, LinePosition, RULES, Severity, ZoneDiagnostic } from '../core';
import { LineCursor } from './lineCursor';

/** Output formats of `dane-zone check`: text (for people), json (LSP-shaped), sarif (2.1.0). */

export type OutputFormat = 'text' | 'json' | 'sarif';
export const FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif'];

/** What the writers read of one file's check. */
export interface ReportedFile {
  /** The path as given on the command line. */
  file: string;
  result: Pick<CheckResult, 'text' | 'diagnostics' | 'lines' | 'lineMarks'>;
}

export interface FileReport extends ReportedFile {
  result: CheckResult;
  /** What the pipeline was run with (the asynchronous stages run with the same). */
  options: AnalysisOptions;
}

export interface Counts {
  error: number;
  warning: number;
  information: number;
  hint: number;
}

export function countSeverities(reports: readonly ReportedFile[]): Counts {
  const c: Counts = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const r of reports) for (const d of r.result.diagnostics) c[d.severity]++;
  return c;
}

/** One line, naming the included file when the problem is inside one. */
export function messageOf(d: ZoneDiagnostic): string {
  const m = d.includedFrom && !d.message.includes(d.includedFrom) ? `in ${d.includedFrom}: ${d.message}` : d.message;
  return m.includes('\n') || m.includes('\r') ? m.replace(/\r\n|\r|\n/g, ' ') : m;
}

interface Located {
  d: ZoneDiagnostic;
  start: LinePosition;
  end: LinePosition;
}

function* located(r: ReportedFile['result']): Generator<Located> {
  const ds = r.diagnostics;
  if (ds.length === 0) return;
  // In file order (as checkText gives them), starts are counted forward without a line table
  // (lineCursor.ts; from the parse's line marks, when it made them); ends by a second cursor,
  // which goes back to the starts' when an end lies before the previous one.
  let inOrder = true;
  for (let i = 1; i < ds.length && inOrder; i++) inOrder = !(ds[i].start < ds[i - 1].start);
  if (inOrder) {
    const starts = new LineCursor(r.text, r.lineMarks);
    const ends = new LineCursor(r.text, r.lineMarks);
    for (const d of ds) {
      const start = starts.positionAt(d.start);
      yield { d, start, end: d.end > d.start ? ends.positionAt(d.end, starts) : start };
    }
    return;
  }
  const lines = r.lines();
  for (const d of ds) {
    const start = lines.positionAt(d.start);
    yield { d, start, end: d.end > d.start ? lines.positionAt(d.end) : start };
  }
}

/** Collects output and hands it to `write` in large pieces (millions of lines stay fast). */
export class ChunkWriter {
  private buf = '';
  constructor(private readonly write: (s: string) => void, private readonly chunk = 1 << 20) {}
  add(s: string): void {
    this.buf += s;
    if (this.buf.length >= this.chunk) this.flush();
  }
  flush(): void {
    if (this.buf) this.write(this.buf);
    this.buf = '';
  }
}

const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;

export function summaryLine(counts: Counts, files: number): string {
  return `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.information} information, ${plural(counts.hint, 'hint')} in ${plural(files, 'file')}`;
}

/** `file:line:col: severity code: message` (1-based line and column), then a summary line. */
export function writeText(reports: readonly ReportedFile[], out: ChunkWriter): void {
  for (const r of reports) {
    for (const { d, start } of located(r.result)) {
      out.add(`${r.file}:${start.line + 1}:${start.character + 1}: ${d.severity} ${d.code}: ${messageOf(d)}\n`);
    }
  }
  out.add(summaryLine(countSeverities(reports), reports.length) + '\n');
}

/** `[{"file", "diagnostics": [{"code", "severity", "message", "range"}]}]`, ranges 0-based as in LSP. */
export function writeJson(reports: readonly ReportedFile[], out: ChunkWriter): void {
  out.add('[');
  reports.forEach((r, i) => {
    out.add(`${i > 0 ? ',' : ''}{"file":${JSON.stringify(r.file)},"diagnostics":[`);
    let first = true;
    for (const { d, start, end } of located(r.result)) {
      out.add((first ? '' : ',') + JSON.stringify({
        code: d.code,
        severity: d.severity,
        message: messageOf(d),
        range: { start: { line: start.line, character: start.character }, end: { line: end.line, character: end.character } },
      }));
      first = false;
    }
    out.add(']}');
  });
  out.add(']\n');
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

/** A SARIF artifact URI: relative paths as relative references, absolute ones as file: URLs. */
export function artifactUri(file: string): string {
  if (file === '-') return 'stdin';
  if (path.isAbsolute(file)) return pathToFileURL(file).href;
  return file.split(/[\\/]+/).map(encodeURIComponent).join('/');
}

export interface ToolInfo {
  name: string;
  version: string;
  informationUri: string;
}

/** A SARIF 2.1.0 log with one run: every rule of rules.ts, one result per diagnostic. */
export function sarifLog(reports: readonly ReportedFile[], tool: ToolInfo): object {
  const rules: object[] = [];
  const ruleIndex = new Map<string, number>();
  const addRule = (code: string) => {
    const info = RULES.get(code);
    ruleIndex.set(code, rules.length);
    rules.push({
      id: code,
      shortDescription: { text: info?.title ?? code },
      ...(info ? { helpUri: info.href } : {}),
      defaultConfiguration: { level: SARIF_LEVEL[info?.severity ?? 'error'] },
    });
  };
  for (const code of RULES.keys()) addRule(code);

  const artifacts = reports.map((r) => ({ location: { uri: artifactUri(r.file) } }));
  const results: object[] = [];
  reports.forEach((r, fileIndex) => {
    for (const { d, start, end } of located(r.result)) {
      if (!ruleIndex.has(d.code)) addRule(d.code);
      results.push({
        ruleId: d.code,
        ruleIndex: ruleIndex.get(d.code),
        level: SARIF_LEVEL[d.severity] ?? 'error',
        message: { text: messageOf(d) },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: artifactUri(r.file), index: fileIndex },
            region: { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 },
          },
        }],
      });
    }
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: tool.name, version: tool.version, informationUri: tool.informationUri, rules } },
      artifacts,
      columnKind: 'utf16CodeUnits',
      results,
    }],
  };
}

export function writeSarif(reports: readonly ReportedFile[], tool: ToolInfo, out: ChunkWriter): void {
  out.add(JSON.stringify(sarifLog(reports, tool), null, 2) + '\n');
}
