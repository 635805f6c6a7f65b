// The real-editor cases: what a user sees in VS Code with the extension installed, one file per
// area in cases/. Adding a case is one call in the file of its area:
// test('what the user sees', async () => { ... }) (from ./registry); todo('name', 'why', fn) keeps
// a case that waits for a feature: it is listed as skipped.
import './cases/diagnostics';
import './cases/features';
import './cases/dane';
import './cases/editing';
import './cases/certificates';
import { closeAll } from './harness';

export { cases } from './registry';
export type { Case } from './registry';

export async function afterEach(): Promise<void> {
  await closeAll();
}
