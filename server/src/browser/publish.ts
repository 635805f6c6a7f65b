import type { Connection } from 'vscode-languageserver/node';
import { PENDING } from './io';

/**
 * The core reads files synchronously; in the worker a file the editor is still reading gives a
 * "being read" diagnostic (an `$INCLUDE` target: `include-unresolved`) until its answer is in
 * and the document is checked again, a moment later. Such a diagnostic is not published.
 */
export function hidePendingReads(connection: Connection): void {
  const send = connection.sendDiagnostics.bind(connection);
  connection.sendDiagnostics = (params) => send({
    ...params,
    diagnostics: params.diagnostics.filter((d) => !(typeof d.message === 'string' ? d.message : d.message.value).includes(PENDING)),
  });
}
