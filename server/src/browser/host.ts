import type { ServerHost } from '../lsp/host';
import { ClientCertificateService } from './certificates';
import { ClientFiles, createClientIO, resolveUri } from './io';
import { ClientFileWatcher } from './watch';

/**
 * The language server's host in a Web Worker (vscode.dev, github.dev, code-server's web worker
 * extension host): file names are the documents' URIs and the browser client reads the files
 * (./io.ts); no git (`soa-serial-unchanged` and the timed rotation are not checked), no live check (it needs
 * DNS and SMTP sockets; the client says so when the command is run); linked files are watched
 * by the editor (./watch.ts) and looked at again, by size and date, whenever their zone is checked.
 */

/** Set by the bundler (scripts/bundle.js) from package.json. */
declare const DANE_ZONE_VERSION: string | undefined;

/** A URI with an authority part (`scheme://…`) names a file; `untitled:Untitled-1` does not. */
const NAMED = /^[A-Za-z][A-Za-z0-9+.-]+:\/\//;

export function browserServerHost(): ServerHost {
  const files = new ClientFiles();
  return {
    name: 'browser (Web Worker)',
    version: typeof DANE_ZONE_VERSION === 'string' ? DANE_ZONE_VERSION : '0.0.0',
    features: [],
    pathOf: (uri) => (NAMED.test(uri) ? uri : undefined),
    uriOf: (p) => p,
    isAbsolute: (p) => NAMED.test(p),
    joinPath: (dir, name) => resolveUri(dir.endsWith('/') ? dir : `${dir}/`, name),
    createIO(env) {
      files.attach(env.connection);
      files.arrived = env.filesArrived;
      return createClientIO({ files, folders: env.folders, trusted: env.trusted });
    },
    watchLinkedFiles: (o) => new ClientFileWatcher(o, files),
    certificates: (...args) => new ClientCertificateService(files, ...args),
  };
}
