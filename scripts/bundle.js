#!/usr/bin/env node
// Bundles the extension with esbuild into dist/ (what the .vsix ships; no node_modules needed):
//   client/src/extension.ts  → dist/client.js  (the VS Code extension; `vscode` stays external)
//   server/src/lsp/server.ts → dist/server.js  (the language server the client starts over IPC)
//   server/src/lsp/openWorker.ts → dist/openWorker.js (its worker thread for opening large zones)
//   server/src/cli/main.ts   → dist/cli.js     (the command-line checker)
// All three: platform node, target node20, CommonJS, source maps. An entry point whose source
// does not exist yet is skipped with one warning line.
// The web extension (package.json "browser"; vscode.dev, github.dev, code-server's web worker host):
//   client/src/browserExtension.ts → dist/web/client.js (CommonJS for the web extension host)
//   server/src/browser/server.ts   → dist/web/server.js (the language server's Web Worker script)
// Both: platform browser, ES2022, with `vscode-languageserver/node` and `vscode-languageclient/node`
// (what the shared LSP layer and client code import) mapped to their `/browser` builds. A Node
// built-in imported by anything in them fails the build (with the chain of importers), and so
// does dist/web/server.js growing past WEB_SERVER_BUDGET (the README states both numbers).
//
// Usage: node scripts/bundle.js [--minify] [--watch] [--web (the two browser bundles only)]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
const args = new Set(process.argv.slice(2));
const minify = args.has('--minify');
const watch = args.has('--watch');
const webOnly = args.has('--web');

const entries = [
  { src: 'client/src/extension.ts', out: 'dist/client.js' },
  { src: 'server/src/lsp/server.ts', out: 'dist/server.js' },
  { src: 'server/src/lsp/openWorker.ts', out: 'dist/openWorker.js' },
  { src: 'server/src/cli/main.ts', out: 'dist/cli.js' },
  { src: 'client/src/browserExtension.ts', out: 'dist/web/client.js', web: 'cjs' },
  { src: 'server/src/browser/server.ts', out: 'dist/web/server.js', web: 'iife' },
];

/** The size budget of the worker's script (minified or not, as built), in bytes; README "In the browser". */
const WEB_SERVER_BUDGET = 920 * 1024;

const { builtinModules } = require('node:module');
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;

/**
 * The browser bundles: the LSP layer's and the shared client code's `…/node` imports go to the
 * `/browser` builds; any Node built-in is an error that names who imported it.
 */
const browserPlugin = {
  name: 'browser-only',
  setup(build) {
    build.onResolve({ filter: /^vscode-language(server|client)\/node$/ }, (a) =>
      build.resolve(a.path.replace(/\/node$/, '/browser'), { kind: a.kind, resolveDir: a.resolveDir }));
    build.onResolve({ filter: /.*/ }, (a) => {
      if (!NODE_BUILTINS.has(a.path)) return undefined;
      return { errors: [{ text: `a Node built-in ("${a.path}") in the browser bundle, imported by ${path.relative(root, a.importer)}: keep Node-only code behind the server host (server/src/node/serverHost.ts)` }] };
    });
  },
};

/** Reports each build in one line (and errors in full), also in watch mode. */
const reportPlugin = (out) => ({
  name: 'report',
  setup(build) {
    let t0 = 0;
    build.onStart(() => { t0 = Date.now(); });
    build.onEnd((r) => {
      if (r.errors.length) return; // esbuild prints them
      const size = fs.existsSync(path.join(root, out)) ? fs.statSync(path.join(root, out)).size : 0;
      console.log(`bundle: ${out} (${(size / 1024).toFixed(0)} KiB, ${Date.now() - t0} ms)`);
    });
  },
});

async function main() {
  const present = entries.filter((e) => !webOnly || e.web).filter((e) => {
    if (fs.existsSync(path.join(root, e.src))) return true;
    console.warn(`bundle: warning: ${e.src} does not exist yet; ${e.out} not built`);
    return false;
  });
  const contexts = [];
  let failed = false;
  for (const e of present) {
    const options = {
      absWorkingDir: root,
      entryPoints: [e.src],
      outfile: e.out,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: true,
      minify,
      external: ['vscode'],
      // vscode-languageserver & co. ship CommonJS under "main"; prefer it over ESM builds.
      mainFields: ['main', 'module'],
      logLevel: 'warning',
      plugins: [reportPlugin(e.out)],
    };
    if (e.web) {
      Object.assign(options, {
        platform: 'browser',
        target: 'es2022',
        format: e.web,
        // Downloaded by every browser that opens a zone: always minified (the source map stays beside it).
        minify: true,
        mainFields: ['browser', 'module', 'main'],
        define: { DANE_ZONE_VERSION: JSON.stringify(version) },
        plugins: [browserPlugin, reportPlugin(e.out)],
      });
    }
    if (watch) {
      const ctx = await esbuild.context(options);
      await ctx.watch();
      contexts.push(ctx);
    } else {
      try {
        await esbuild.build(options);
      } catch {
        failed = true; // esbuild has printed the errors
      }
    }
  }
  if (watch) console.log('bundle: watching for changes (Ctrl+C to stop)');
  const web = path.join(root, 'dist', 'web', 'server.js');
  if (!failed && !watch && fs.existsSync(web)) {
    const size = fs.statSync(web).size;
    const line = `${(size / 1024).toFixed(0)} KiB, budget ${(WEB_SERVER_BUDGET / 1024).toFixed(0)} KiB`;
    if (size > WEB_SERVER_BUDGET) {
      console.error(`bundle: dist/web/server.js is over its size budget (${line}): see README "In the browser"`);
      failed = true;
    } else console.log(`bundle: dist/web/server.js within its size budget (${line})`);
  }
  if (failed) process.exit(1);
}

main().catch((err) => {
  console.error(`bundle: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
