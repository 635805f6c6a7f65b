import { ServerFeature } from '../context';
import { codeActionFeature } from './codeActions';
import { completionFeature } from './completion';
import { documentSymbolFeature } from './documentSymbols';
import { foldingFeature } from './folding';
import { hoverFeature } from './hover';
import { inlayHintFeature } from './inlayHints';
import { serialFeature } from './serial';
import { formattingFeature } from './formatting';
import { navigationFeature } from './navigation';
import { insertTlsaFeature } from './insertTlsa';

/**
 * The handler table: every request feature the server offers. To add one (hover,
 * completion, code actions, …), write ./<feature>.ts exporting a ServerFeature and list it
 * here; its capabilities are merged into the initialize result and its handlers are
 * registered with error containment (ctx.guard). Features that need Node (the live check) are
 * added by the host (ServerHost.features: server/src/node/serverHost.ts).
 */
export const FEATURES: readonly ServerFeature[] = [
  documentSymbolFeature,
  foldingFeature,
  hoverFeature,
  completionFeature,
  inlayHintFeature,
  codeActionFeature,
  serialFeature,
  formattingFeature,
  navigationFeature,
  insertTlsaFeature,
];
