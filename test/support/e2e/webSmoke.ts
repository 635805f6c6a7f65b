// The web extension in a real browser: code-server's own page with the packaged .vsix installed
// and forced into the WEB WORKER extension host ("remote.extensionKind": web, as on vscode.dev /
// github.dev), so its "browser" entry (dist/web/client.js) runs and starts the language server
// in a Web Worker (dist/web/server.js). Checks what a user sees: the .vsix carries both bundles;
// no Node language server process is started; a squiggle with its hover; the Problems panel rows
// with code and position; a certificate-linked diagnostic (the worker asks the editor for the
// files: vscode.workspace.fs); a quick fix's edited line; the live check's one-line message.
// Screenshots: test-artifacts/web-*.png (test-artifacts/web-4-problems.png shows the squiggle,
// the hover's code and the Problems panel from the worker-hosted server).
//
// Run alone: node out/test/support/e2e/webSmoke.js (after the install); npm run test:e2e runs it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import * as lib from './lib';
import { hoverOver, lineText, logConsole, openByQuickOpen, openWorkbench, runCommand, squigglesUnder, tokenBox } from './page';

const BAD = '192.0.2.300'; // examples/typos.zone: invalid-rdata

export async function runWebSmoke(): Promise<lib.Counts> {
  const { counts, steps, step } = lib.newSteps();
  let context: BrowserContext | undefined;
  let page!: Page;
  const { tmp, ws, serverLog, browserLog, teardown } = lib.prepareRun('web', () => context);
  const shot = (name: string) => page.screenshot({ path: path.join(lib.ARTIFACTS, `web-${name}.png`) });

  let cs!: lib.CodeServer;
  let vsix!: string;

  step('web: the .vsix carries the desktop and the browser bundles; package.json has "main" and "browser"', async () => {
    vsix = lib.packageVsix();
    const files = zipEntries(fs.readFileSync(vsix));
    const want = ['extension/dist/client.js', 'extension/dist/server.js', 'extension/dist/web/client.js', 'extension/dist/web/server.js'];
    const missing = want.filter((f) => !files.includes(f));
    if (missing.length) throw new Error(`${path.basename(vsix)} lacks ${missing.join(', ')}`);
    const pkg = JSON.parse(fs.readFileSync(path.join(lib.ROOT, 'package.json'), 'utf8')) as { main?: string; browser?: string };
    if (pkg.main !== './dist/client.js' || pkg.browser !== './dist/web/client.js') throw new Error(`main ${pkg.main}, browser ${pkg.browser}`);
    const size = fs.statSync(path.join(lib.ROOT, 'dist', 'web', 'server.js')).size;
    console.log(`     ${path.basename(vsix)}: ${files.length} files, with ${want.join(', ')}; dist/web/server.js ${(size / 1024).toFixed(0)} KiB`);
  });

  step('web: code-server runs the extension in the web worker host (remote.extensionKind: web)', async () => {
    cs = await lib.startCodeServer(tmp, {
      vsix, port: await lib.freePort(), logFile: serverLog,
      settings: { 'remote.extensionKind': { [lib.EXTENSION_ID]: ['web'] }, 'remote.autoForwardPorts': false },
    });
    context = await lib.launchBrowser(tmp);
    page = context.pages()[0] || await context.newPage();
    logConsole(page, browserLog);
    page.on('worker', (w) => { fs.appendFileSync(browserLog, `[worker] ${w.url()}\n`); });
    await openWorkbench(page, cs.url, ws);
    await openByQuickOpen(page, 'typos.zone');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'attached', timeout: 60_000 });
    // A Node extension host would start dist/server.js as a child process: there must be none.
    lib.recordDescendants();
    const nodeServers = nodeLanguageServers();
    if (nodeServers.length) throw new Error(`a Node language server runs (the extension is not in the web worker): ${nodeServers.join(' | ')}`);
    console.log('     diagnostics shown, and no dist/server.js process: the server runs in the browser');
  });

  step('web: a red squiggle under the invalid address, and its hover names the problem', async () => {
    const box = await tokenBox(page, BAD);
    const squiggles = await squigglesUnder(page, box);
    await shot('1-squiggle');
    if (squiggles.under === 0) throw new Error(`${squiggles.all} error squiggles, none under "${BAD}"`);
    const text = await hoverOver(page, box, /invalid-rdata/);
    await shot('2-hover');
    if (!/invalid-rdata/.test(text) || !/192\.0\.2\.300|IPv4|address/i.test(text)) throw new Error(`hover: "${text.slice(0, 300)}"`);
    console.log(`     ${squiggles.all} error squiggles, one under ${BAD}; hover: ${text.slice(0, 140)}`);
  });

  step('web: the Problems panel lists dane-zone\'s diagnostics with code and position (invalid-rdata at the bad address)', async () => {
    await page.keyboard.press('Control+Shift+M');
    const rows = page.locator('.markers-panel .monaco-list-row');
    await rows.first().waitFor({ timeout: 15_000 });
    await page.waitForTimeout(500);
    const texts = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    const { line, col } = positionOf(path.join(ws, 'examples', 'typos.zone'), BAD);
    // The hover again, over the Problems panel: the screenshot the README names.
    await hoverOver(page, await tokenBox(page, BAD), /invalid-rdata/);
    await shot('3-squiggle-hover-problems');
    const row = texts.find((t) => /dane-zone\W*invalid-rdata/.test(t) && t.includes(`[Ln ${line}, Col ${col}]`));
    if (!row) throw new Error(`no Problems row "dane-zone invalid-rdata [Ln ${line}, Col ${col}]": ${texts.join(' | ').slice(0, 600)}`);
    console.log(`     ${texts.filter((t) => /dane-zone/.test(t)).length} rows from dane-zone, e.g. ${row.slice(0, 160)}`);
  });

  step('web: linked certificates are read through the editor: tlsa-cert-mismatch on next= in e2e-certs.zone', async () => {
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
    await openByQuickOpen(page, 'e2e-certs.zone');
    const { line, col } = positionOf(path.join(ws, 'fixtures', 'e2e-certs.zone'), 'next=certs/next.pub');
    const want = `[Ln ${line}, Col ${col}]`;
    const rows = page.locator('.markers-panel .monaco-list-row');
    let texts: string[] = [];
    for (const until = Date.now() + 30_000; Date.now() < until;) {
      texts = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      if (texts.some((t) => /tlsa-cert-mismatch/.test(t) && t.includes(want))) break;
      await page.waitForTimeout(250);
    }
    await shot('4-certificates');
    const row = texts.find((t) => /tlsa-cert-mismatch/.test(t) && t.includes(want));
    if (!row) throw new Error(`no tlsa-cert-mismatch row at ${want}: ${texts.join(' | ').slice(0, 600)}`);
    if (texts.some((t) => /tlsa-cert-unreadable|being read/.test(t))) throw new Error(`a linked file was not read: ${texts.filter((t) => /unreadable|being read/.test(t)).join(' | ')}`);
    console.log(`     ${row.slice(0, 200)}`);
  });

  step('web: the quick fix on a TLSA acronym (DANE-EE SPKI SHA2-256) rewrites the record as 3 1 1', async () => {
    await openByQuickOpen(page, 'e2e-dane.zone');
    const file = path.join(ws, 'fixtures', 'e2e-dane.zone');
    const src = fs.readFileSync(file, 'utf8').split('\n');
    const index = src.findIndex((l) => /TLSA\s+DANE-EE SPKI SHA2-256/.test(l));
    if (index < 0) throw new Error('fixture e2e-dane.zone has no "TLSA DANE-EE SPKI SHA2-256" line');
    const owner = src[index].trim().split(/\s+/)[0];
    await page.locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-info, .monaco-editor .squiggly-error').first().waitFor({ state: 'attached', timeout: 30_000 });
    // Go to the line (Ctrl+G), then to the acronym, and ask for the quick fixes (Ctrl+.).
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`:${index + 1}:${src[index].indexOf('DANE-EE') + 2}`);
    await page.keyboard.press('Enter');
    await page.waitForTimeout(500);
    await page.keyboard.press('Control+.');
    const item = page.locator('.action-widget .monaco-list-row:has-text("3 1 1"), .context-view .monaco-list-row:has-text("3 1 1")').first();
    await item.waitFor({ state: 'visible', timeout: 15_000 });
    await shot('5-quick-fix');
    await item.click();
    let rendered = '';
    for (const until = Date.now() + 10_000; Date.now() < until;) {
      rendered = await lineText(page, owner, 'TLSA');
      if (/TLSA\s+3 1 1\s/.test(rendered)) break;
      await page.waitForTimeout(200);
    }
    await shot('6-quick-fix-applied');
    // The editor renders the inlay hint `DANE-EE SPKI SHA2-256` after the new `3 1 1`: the digest must follow.
    const digest = src[index].match(/[0-9a-f]{64}/)![0];
    if (!new RegExp(`TLSA\\s+3 1 1\\s(DANE-EE SPKI SHA2-256)?\\s*${digest}`).test(rendered)) throw new Error(`line ${index + 1} after the fix: "${rendered}"`);
    console.log(`     line ${index + 1}: "${src[index].trim().slice(0, 70)}…" → "${rendered.trim().slice(0, 70)}…"`);
    await page.keyboard.press('Control+Z');
  });

  step('web: "DANE Zone: Check Deployed MX" says in one line that the live check needs the desktop extension', async () => {
    await runCommand(page, 'DANE Zone: Check Deployed MX');
    const toast = page.locator('.notification-toast:has-text("needs the desktop extension")').first();
    await toast.waitFor({ state: 'visible', timeout: 15_000 });
    const text = (await toast.innerText()).replace(/\s+/g, ' ').trim();
    await shot('7-live-check');
    const errors = await page.locator('.notification-toast .codicon-error').count();
    if (errors > 0) throw new Error(`an error notification is shown: ${text}`);
    console.log(`     notification: ${text.slice(0, 160)}`);
  });

  await lib.withTeardown(teardown, () => lib.runSteps(steps, counts, () => page && shot('failure')));
  console.log(`web: ${lib.summary(counts)} (screenshots in test-artifacts/web-*.png)`);
  return counts;
}

/** The file names in a zip archive (its central directory), without an unzip tool. */
function zipEntries(buf: Buffer): string[] {
  const names: string[] = [];
  for (let i = buf.length - 22; i >= 0; i--) {
    if (buf.readUInt32LE(i) !== 0x06054b50) continue; // end of central directory
    let p = buf.readUInt32LE(i + 16);
    for (let n = buf.readUInt16LE(i + 10); n > 0; n--) {
      if (buf.readUInt32LE(p) !== 0x02014b50) break;
      const nameLen = buf.readUInt16LE(p + 28);
      names.push(buf.toString('utf8', p + 46, p + 46 + nameLen));
      p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    }
    break;
  }
  return names;
}

/** Processes running a dane-zone Node language server (dist/server.js of an installed extension). */
function nodeLanguageServers(): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    let cmd: string;
    try {
      cmd = fs.readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0').join(' ');
    } catch {
      continue;
    }
    if (/dane-zone[^ ]*[/\\]dist[/\\]server\.js/.test(cmd)) out.push(`${e}: ${cmd.slice(0, 200)}`);
  }
  return out;
}

/** Line and column (1-based, as the Problems panel shows them) of the first NEEDLE in FILE. */
function positionOf(file: string, needle: string): { line: number; col: number } {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${path.basename(file)} has no line with ${needle}`);
  return { line: i + 1, col: lines[i].indexOf(needle) + 1 };
}

if (require.main === module) lib.runAlone('web', runWebSmoke);
