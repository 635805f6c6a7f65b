import {
  ClientCapabilities,
  CodeAction,
  CodeActionKind,
  CodeActionParams,
  Diagnostic,
  DiagnosticSeverity,
  TextEdit as LspTextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import { append, CertAnalysis, DaneCodeAction, getZoneLanguageService, isTlsaLike, Lines, Severity, TextEdit, TYPE_TLSA, ZoneDiagnostic } from '../../core';
import { ServerFeature } from '../context';
import { kindWanted, offsetOf, SOURCE, toRange, workspaceEdit } from '../convert';
import { VersionAnalysis } from '../documents';
import { serialCodeActions } from './serial';
import { insertTlsaCodeActions, rotationFromFileCodeActions } from './insertTlsa';
import { liveCodeActions } from './liveFixes';

const core = getZoneLanguageService();

/**
 * Code actions: the DANE quick fixes carried in our diagnostics' `data` (see
 * ../../core/dane/fixes), and the TLSA/SMIMEA refactorings of the records in the requested
 * range. Each action's edit is a TextDocumentEdit for the version of the text it was computed
 * against, so a client refuses it once the document has changed; a diagnostic whose fix no
 * longer matches the text (a stale one) gets no action.
 */

export const CODE_ACTION_KINDS: readonly string[] = [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite];

/** More refactorings than this for one request (a whole huge zone selected) help nobody. */
const MAX_REFACTOR_RECORDS = 200;

const SEVERITY: Record<number, Severity> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'information',
  [DiagnosticSeverity.Hint]: 'hint',
};

/** The core diagnostic an LSP diagnostic of ours stands for, offsets from the current text; undefined if it is not ours or its data is not fix data. */
export function zoneDiagnosticOf(lines: Lines, d: Diagnostic): ZoneDiagnostic | undefined {
  if (!d || typeof d !== 'object' || d.source !== SOURCE) return undefined;
  // Fix data is an object; a diagnostic without any (missing-ttl) gets the fixes computed from the parse.
  if (d.data !== undefined && (d.data === null || typeof d.data !== 'object')) return undefined;
  const start = offsetOf(lines, d.range?.start);
  const end = offsetOf(lines, d.range?.end);
  if (start === undefined || end === undefined) return undefined;
  return {
    code: String(d.code ?? ''),
    severity: SEVERITY[d.severity ?? DiagnosticSeverity.Error] ?? 'error',
    start: Math.min(start, end),
    end: Math.max(start, end),
    message: typeof d.message === 'string' ? d.message : '',
    data: d.data,
  };
}

function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return a.start === b.start && a.end === b.end && a.newText === b.newText;
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  return (a.start < b.end && b.start < a.end) || (a.start === b.start && a.end === b.end);
}

/** Actions with the same title merged (edits united, diagnostics collected); one whose edits would collide is dropped. */
class Merged {
  private readonly byTitle = new Map<string, { action: DaneCodeAction; kind: string; diagnostics: Diagnostic[] }>();

  add(kind: string, a: DaneCodeAction, diagnostic?: Diagnostic): void {
    const key = `${kind}\n${a.title}`;
    const have = this.byTitle.get(key);
    if (!have) {
      this.byTitle.set(key, { action: { ...a, edits: [...a.edits] }, kind, diagnostics: diagnostic ? [diagnostic] : [] });
      return;
    }
    const fresh = a.edits.filter((e) => !have.action.edits.some((h) => sameEdit(h, e)));
    if (fresh.some((e) => have.action.edits.some((h) => overlaps(h, e)))) return;
    append(have.action.edits, fresh);
    if (diagnostic && !have.diagnostics.includes(diagnostic)) have.diagnostics.push(diagnostic);
    if (a.isPreferred) have.action.isPreferred = true;
  }

  toCodeActions(uri: string, a: VersionAnalysis, client: ClientCapabilities): CodeAction[] {
    const out: CodeAction[] = [];
    for (const { action, kind, diagnostics } of this.byTitle.values()) {
      if (action.edits.length === 0) continue;
      const edits: LspTextEdit[] = [...action.edits]
        .sort((x, y) => x.start - y.start)
        .map((e) => ({ range: toRange(a.lines, e), newText: e.newText }));
      const ca: CodeAction = { title: action.title, kind, edit: workspaceEdit(uri, a.version, edits, client) };
      if (diagnostics.length > 0) ca.diagnostics = diagnostics;
      if (action.isPreferred) ca.isPreferred = true;
      out.push(ca);
    }
    return out;
  }
}

/**
 * A TextDocumentEdit for `version` (the client applies it only to that version); plain,
 * unversioned `changes` for a client that does not support documentChanges.
 */
/**
 * `certs`: the document's last certificate analysis (../certificates.ts), for the rotation pairs
 * and updates offered on linked TLSA records; the certificate quick fixes need only their
 * diagnostics' data. `now` is the day written in rotation comments.
 */
export function codeActions(a: VersionAnalysis, params: CodeActionParams, client: ClientCapabilities, certs?: CertAnalysis, now = new Date()): CodeAction[] {
  const uri = params.textDocument.uri;
  const only = params.context?.only;
  const from = offsetOf(a.lines, params.range?.start);
  const to = offsetOf(a.lines, params.range?.end);
  if (from === undefined || to === undefined) return [];
  const merged = new Merged();

  if (kindWanted(CodeActionKind.QuickFix, only)) {
    const diagnostics = Array.isArray(params.context?.diagnostics) ? params.context.diagnostics : [];
    for (const d of diagnostics) {
      const zd = zoneDiagnosticOf(a.lines, d);
      if (!zd) continue;
      for (const fix of core.quickFixes(a.text, zd)) merged.add(CodeActionKind.QuickFix, fix, d);
      for (const fix of core.certQuickFixes(a.text, a.parsed.records, zd, now)) merged.add(CodeActionKind.QuickFix, fix, d);
      for (const fix of core.mailQuickFixes(a.text, a.parsed.records, zd, certs)) merged.add(CodeActionKind.QuickFix, fix, d);
      for (const fix of core.missingTtlFixes(a.text, a.parsed, zd)) merged.add(CodeActionKind.QuickFix, fix, d);
    }
  }

  if (kindWanted(CodeActionKind.RefactorRewrite, only)) {
    const start = Math.min(from, to);
    const end = Math.max(from, to);
    const records = a.parsed.records;
    let seen = 0;
    for (let i = core.firstRecordEndingAtOrAfter(records, start); i < records.length && seen < MAX_REFACTOR_RECORDS; i++) {
      const r = records[i];
      if (r.includeFile !== undefined) continue;
      if (r.start > end) break;
      if (!isTlsaLike(r.typeCode)) continue;
      seen++;
      for (const refactor of core.tlsaRefactors(a.text, r)) merged.add(CodeActionKind.RefactorRewrite, refactor);
      if (certs && r.typeCode === TYPE_TLSA) {
        for (const action of core.certRecordActions(a.text, records, certs, r, now)) merged.add(CodeActionKind.RefactorRewrite, action);
      }
    }
  }

  return merged.toCodeActions(uri, a, client);
}

export const codeActionFeature: ServerFeature = {
  name: 'codeAction',
  // CodeActionOptions (and CodeAction literals) only for a client that says it takes them.
  capabilities: (client) => (client.textDocument?.codeAction?.codeActionLiteralSupport
    ? { codeActionProvider: { codeActionKinds: [...CODE_ACTION_KINDS] } }
    : {}),
  register(ctx) {
    if (!ctx.client.textDocument?.codeAction?.codeActionLiteralSupport) return;
    ctx.connection.onCodeAction(
      ctx.guard<CodeActionParams, CodeAction[]>('codeAction', [], (params) => {
        const uri = params?.textDocument?.uri;
        if (typeof uri !== 'string') return [];
        const state = ctx.documents.get(uri);
        const a = ctx.analysisOf(uri);
        // The edits are for the text of a.version: never hand out edits for another version.
        if (!state || !a || a.version !== state.version) return [];
        return [
          ...codeActions(a, params, ctx.client, ctx.certificates.analysisOf(uri)),
          ...serialCodeActions(a, params, ctx.client),
          ...insertTlsaCodeActions(a, uri, params),
          ...rotationFromFileCodeActions(a, uri, params, ctx.certificates.analysisOf(uri)),
          ...liveCodeActions(a, uri, params, ctx.client),
        ];
      }),
    );
  },
};
