import {
  CompletionItem,
  CompletionItemKind,
  CompletionParams,
  CompletionTriggerKind,
  InsertTextFormat,
  Range,
} from 'vscode-languageserver/node';
import { CompletionKind, getZoneLanguageService, Lines, ParsedZone, ZoneCompletion } from '../../core';
import { ServerFeature } from '../context';
import { markup, offsetOf } from '../convert';

const core = getZoneLanguageService();

/**
 * Completion: record types with a snippet of their fields, TLSA values with their meanings,
 * directives, the TLSA owners the zone still needs, `; dane-zone` keys (see
 * ../../core/features/completion). This file maps the items to LSP and decides when a
 * trigger character should open the list at all.
 */

/** Space: the next field (TLSA values after `TLSA `); `$`: directives; `=` and `,`: `; dane-zone` values; `/`: paths. */
export const TRIGGER_CHARACTERS = [' ', '$', '=', ',', '/'];

const KIND: Record<CompletionKind, CompletionItemKind> = {
  type: CompletionItemKind.TypeParameter,
  value: CompletionItemKind.Value,
  name: CompletionItemKind.Reference,
  keyword: CompletionItemKind.Keyword,
  snippet: CompletionItemKind.Snippet,
  file: CompletionItemKind.File,
  folder: CompletionItemKind.Folder,
};

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';

/**
 * Whether a space the user just typed should open the list. Not while lining up columns or
 * indenting (the space follows white space or starts the line: the list would flash on every
 * key), and not in a plain comment (only in a `; dane-zone` one). Everything else is left to
 * the core, which answers nothing where nothing fits (inside most RDATA).
 */
export function spaceOpensList(parsed: ParsedZone, text: string, offset: number): boolean {
  if (text[offset - 1] !== ' ') return true; // not what the trigger says: let the core decide
  const before = text[offset - 2];
  if (before === undefined || before === '\n' || before === '\r' || isBlank(before)) return false;
  if (core.commentAt(parsed, offset) && !core.daneDirectiveAt(parsed, offset)) return false;
  return true;
}

/**
 * Snippet text as a client without snippet support should insert it: placeholders become
 * their default text (`${1:3}` → `3`, a choice its first option), tab stops and variables
 * vanish, escapes are resolved (`\$` → `$`).
 */
export function snippetToPlainText(snippet: string): string {
  let i = 0;
  const s = snippet;
  // Reads text up to (and consuming) `close` when given; `inChoice` also stops at `,` / `|`.
  const read = (close?: string, inChoice = false): string => {
    let out = '';
    while (i < s.length) {
      const c = s[i];
      if (c === '\\' && i + 1 < s.length && (s[i + 1] === '$' || s[i + 1] === '}' || s[i + 1] === '\\' || (inChoice && (s[i + 1] === ',' || s[i + 1] === '|')))) {
        out += s[i + 1];
        i += 2;
        continue;
      }
      if (close !== undefined && close.includes(c)) return out;
      if (c === '$') {
        const simple = /^\$(?:\d+|[A-Za-z_][A-Za-z0-9_]*)/.exec(s.slice(i, i + 64));
        if (simple) {
          i += simple[0].length;
          continue;
        }
        const braced = /^\$\{(?:\d+|[A-Za-z_][A-Za-z0-9_]*)/.exec(s.slice(i, i + 64));
        if (braced) {
          i += braced[0].length;
          if (s[i] === ':') {
            i++;
            out += read('}');
            i++; // the `}`
          } else if (s[i] === '|') {
            i++;
            const first = read(',|', true);
            // Skip the other options.
            while (i < s.length && s[i] !== '|') {
              i++;
              read(',|', true);
            }
            if (s[i] === '|') i++;
            if (s[i] === '}') i++;
            out += first;
          } else if (s[i] === '}') {
            i++;
          } else {
            // A transform (`${1/…/…/}`) or something else: drop it up to its `}`.
            const end = s.indexOf('}', i);
            i = end < 0 ? s.length : end + 1;
          }
          continue;
        }
      }
      out += c;
      i++;
    }
    return out;
  };
  return read();
}

interface ItemContext {
  lines: Lines;
  offset: number;
  /** The cursor's line, [start, end) offsets: an edit range must stay on it. */
  lineStart: number;
  lineEnd: number;
  snippets: boolean;
  insertReplace: boolean;
  labelDetails: boolean;
  documentationFormats: Parameters<typeof markup>[1];
}

function toCompletionItem(c: ItemContext, z: ZoneCompletion): CompletionItem {
  const item: CompletionItem = { label: z.label, kind: KIND[z.kind] ?? CompletionItemKind.Text };
  if (z.detail) item.detail = z.detail;
  // The mnemonic beside the number in the list itself (`3  DANE-EE`), not only on the selected item.
  if (z.labelDetail && c.labelDetails) item.labelDetails = { detail: ` ${z.labelDetail}` };
  if (z.retrigger) item.command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
  if (z.documentation) item.documentation = markup(z.documentation, c.documentationFormats);
  if (z.sortText) item.sortText = z.sortText;
  let text = z.insertText ?? z.label;
  if (z.isSnippet && c.snippets) item.insertTextFormat = InsertTextFormat.Snippet;
  else if (z.isSnippet) text = snippetToPlainText(text);
  if (z.replaceStart !== undefined || z.replaceEnd !== undefined) {
    // The range must hold the cursor and stay on its line (LSP); the core's always do.
    const start = Math.min(Math.max(z.replaceStart ?? c.offset, c.lineStart), c.offset);
    const end = Math.max(Math.min(z.replaceEnd ?? c.offset, c.lineEnd), c.offset);
    const replace: Range = { start: c.lines.positionAt(start), end: c.lines.positionAt(end) };
    if (c.insertReplace && end > c.offset) {
      item.textEdit = { newText: text, insert: { start: replace.start, end: c.lines.positionAt(c.offset) }, replace };
    } else {
      item.textEdit = { newText: text, range: replace };
    }
  } else if (text !== z.label || item.insertTextFormat !== undefined) {
    item.insertText = text;
  }
  return item;
}

export const completionFeature: ServerFeature = {
  name: 'completion',
  capabilities: () => ({ completionProvider: { triggerCharacters: TRIGGER_CHARACTERS, resolveProvider: false } }),
  register(ctx) {
    ctx.connection.onCompletion(
      ctx.guard<CompletionParams, CompletionItem[]>('completion', [], (params) => {
        const a = ctx.analysisOf(params.textDocument.uri);
        if (!a) return [];
        const offset = offsetOf(a.lines, params.position);
        if (offset === undefined) return [];
        const trigger = params.context;
        if (trigger?.triggerKind === CompletionTriggerKind.TriggerCharacter && trigger.triggerCharacter === ' ' && !spaceOpensList(a.parsed, a.text, offset)) {
          return [];
        }
        const uri = params.textDocument.uri;
        // A file name after cert=, next= or $INCLUDE: listed through the server's file access.
        const paths = core.pathCompletion(a.parsed, a.text, offset, ctx.io, ctx.host.pathOf(uri));
        // `/` opens the list only in a path (not in an RFC 2317 owner such as `0/25`).
        if (!paths && trigger?.triggerKind === CompletionTriggerKind.TriggerCharacter && trigger.triggerCharacter === '/') return [];
        const zone = paths ?? core.completion(a.parsed, a.text, offset);
        if (zone.length === 0) return [];
        const caps = ctx.client.textDocument?.completion?.completionItem;
        const line = a.lines.lineAt(offset);
        const c: ItemContext = {
          lines: a.lines,
          offset,
          lineStart: a.lines.lineStart(line),
          lineEnd: a.lines.lineEnd(line),
          snippets: caps?.snippetSupport === true,
          insertReplace: caps?.insertReplaceSupport === true,
          labelDetails: caps?.labelDetailsSupport === true,
          documentationFormats: caps?.documentationFormat,
        };
        return zone.map((z) => toCompletionItem(c, z));
      }),
    );
  },
};
