/**
 * A document text not decoded yet: a large didOpen's text read over `--stdio` (lsp/lazyOpen.ts,
 * Node only) is handed to the document store (documents.ts) as one of these, which decodes its
 * start for a hover asked right behind the open and the whole text when something reads it.
 */
export interface LazyText {
  /** An upper bound of the text's length (UTF-16 units). */
  readonly maxLength: number;
  /** True once the whole text is decoded, or found unreadable (no prefix is given then). */
  readonly decoded: boolean;
  /** The whole text (decoded at most once); throws when the message it came in is unreadable. */
  text(): string;
  /** A start of the text ending just after a line break, from at least `minBytes` of its encoded bytes (how many it took: `bytes`); undefined: none. */
  prefix(minBytes: number): { text: string; bytes: number } | undefined;
  /** The text from the line starting `from` of its encoded bytes to just after a line break `minBytes` or more bytes on (its end: `bytes`); undefined: none. */
  slice(from: number, minBytes: number): { text: string; bytes: number } | undefined;
  /**
   * Where `line` starts in the encoded bytes, when the text before it holds no backslash, carriage
   * return or escape that could stand for either, and its bytes are valid; `lastParen`: the last
   * `(` or `)` before it (-1: none). Undefined otherwise.
   */
  lineStart(line: number): { bytes: number; lastParen: number } | undefined;
}

const lazyTexts = new WeakMap<object, LazyText>();

/** The lazy text of a didOpen's `textDocument` (undefined: its `text` is a plain string). */
export function lazyTextOf(textDocument: object): LazyText | undefined {
  return lazyTexts.get(textDocument);
}

/** Makes `textDocument.text` read `lazy` (a getter: whoever reads it gets the whole text), and lazyTextOf find it. */
export function setLazyText(textDocument: object, lazy: LazyText): void {
  Object.defineProperty(textDocument, 'text', { get: () => lazy.text(), enumerable: true, configurable: true });
  lazyTexts.set(textDocument, lazy);
}
