/**
 * The one Node global the LSP layer uses that a Web Worker lacks: `setImmediate` (the diagnostics
 * scheduler yields to the event loop with it, lsp/diagnostics.ts and lsp/pullDiagnostics.ts). In
 * the worker it is a zero-delay timer. Imported first by ./server.ts; test/lsp/webBundle.test.ts
 * runs the bundle with Node's globals removed, so another one would fail there.
 */
const g = globalThis as { setImmediate?: (fn: (...args: unknown[]) => void, ...args: unknown[]) => unknown };
g.setImmediate ??= (fn, ...args) => setTimeout(fn, 0, ...args);

export {};
