// npm run editor — code-server with the extension (the .vsix from `npm run package`) and a copy of
// the example zones, for a person to try at http://127.0.0.1:PORT. Ctrl-C stops it and removes
// its state. Env: PORT (default: a free one), DANE_ZONE_E2E_CACHE, E2E_KEEP=1.
// `npm run editor -- --web`: the extension runs in the browser's web worker extension host (its
// "browser" entry, the language server in a Web Worker), as on vscode.dev / github.dev.
// Over SSH: forward the port (ssh -L PORT:127.0.0.1:PORT host) and open the URL locally.
import * as path from 'node:path';
import * as lib from './lib';

async function main(): Promise<number> {
  lib.ensureInstalled();
  lib.buildExtension();
  const vsix = lib.packageVsix();
  const tmp = lib.makeTemp('editor');
  const ws = lib.makeWorkspace(tmp);
  const logFile = path.join(tmp, 'code-server.log');
  const teardown = async () => {
    const { stopped } = await lib.killAll();
    console.log(`editor: stopped ${stopped} processes`);
    lib.cleanupTemp(tmp);
  };
  await lib.withTeardown(teardown, async () => {
    const port = process.env.PORT ? Number(process.env.PORT) : await lib.freePort();
    const web = process.argv.includes('--web');
    const settings = web ? { 'remote.extensionKind': { [lib.EXTENSION_ID]: ['web'] } } : {};
    const cs = await lib.startCodeServer(tmp, { vsix, port, logFile, folder: ws, settings });
    if (web) console.log('editor: the extension runs in the web worker extension host (--web)');
    console.log(`editor: ${path.basename(vsix)} installed; examples copied to ${ws}`);
    console.log(`editor: open ${cs.url}/ (the example zones; typos.zone has mistakes to look at)`);
    console.log('editor: Ctrl-C stops it');
    await new Promise((resolve) => cs.child.on('exit', resolve));
    console.log('editor: code-server exited');
  });
  return 0;
}

lib.runMain('editor', main);
