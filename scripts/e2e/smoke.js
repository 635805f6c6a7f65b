#!/usr/bin/env node
// The visible smoke test: code-server's own web UI, as a user gets it, with the extension
// installed from the .vsix that `npm run package` makes. Opens examples/typos.zone and checks
// what a person sees: the language mode, a red squiggle under the bad address, the hover on it,
// the Problems panel. Screenshots go to test-artifacts/smoke-*.png.
// Proves the packaged .vsix (not the development folder) activates on a .zone file and that its
// bundled language server starts.
//
// Run alone: node scripts/e2e/smoke.js (after the install); npm run test:e2e runs it after the suite.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const lib = require('./lib');

const ZONE = 'typos.zone';
const BAD = '192.0.2.300'; // the invalid address in examples/typos.zone (invalid-rdata)

async function runSmoke() {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const steps = [];
  const step = (name, fn) => steps.push({ name, fn });
  const { tmp, ws, serverLog, browserLog, teardown } = lib.prepareRun('smoke', () => context);
  const shot = (page, name) => page.screenshot({ path: path.join(lib.ARTIFACTS, `smoke-${name}.png`) });

  let context;
  let page;
  let requests = 0;
  const offMachine = [];
  let vsix;
  let cs;

  step('smoke: npm run package makes a .vsix and code-server installs it', async () => {
    vsix = lib.packageVsix();
    cs = await lib.startCodeServer(tmp, { vsix, port: await lib.freePort(), logFile: serverLog });
    const installed = fs.readdirSync(path.join(tmp, 'extensions')).filter((d) => d.startsWith(`${lib.EXTENSION_ID}-`));
    if (installed.length !== 1) throw new Error(`extensions dir holds ${JSON.stringify(installed)}, expected ${lib.EXTENSION_ID}-<version>`);
    console.log(`     ${path.basename(vsix)} → ${installed[0]}; code-server at ${cs.url}`);
  });

  step(`smoke: ${ZONE} opens in the DNS zone language mode`, async () => {
    context = await lib.launchBrowser(tmp);
    page = context.pages()[0] || await context.newPage();
    page.on('console', (m) => fs.appendFileSync(browserLog, `[console ${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => fs.appendFileSync(browserLog, `[pageerror] ${e.message}\n`));
    context.on('request', (r) => {
      requests++;
      const u = new URL(r.url());
      if (/^(https?|wss?):$/.test(u.protocol) && !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) offMachine.push(u.host);
    });
    await page.goto(`${cs.url}/?folder=${encodeURIComponent(ws)}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
    // Quick Open (Ctrl+P), as a user would; the explorer row works too but needs examples/ expanded.
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => undefined);
    await openByQuickOpen(page, ZONE);
    const mode = page.locator('#status\\.editor\\.mode');
    await mode.waitFor({ timeout: 15_000 });
    let text = '';
    const until = Date.now() + 20_000;
    while (Date.now() < until) {
      text = (await mode.innerText()).trim();
      if (text && !/plain ?text/i.test(text)) break;
      await page.waitForTimeout(250);
    }
    await shot(page, '1-opened');
    if (!text || /plain ?text/i.test(text)) throw new Error(`status bar language mode is "${text}", not the zone language`);
    console.log(`     language mode in the status bar: ${text}`);
  });

  step('smoke: a red squiggle under the invalid address', async () => {
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'attached', timeout: 45_000 });
    const box = await badTokenBox(page);
    const squiggles = await page.locator('.monaco-editor .squiggly-error').evaluateAll((els) =>
      els.map((e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; }));
    const under = squiggles.filter((s) => s.y < box.y + box.height && s.y + s.h > box.y && s.x < box.x + box.width && s.x + s.w > box.x);
    await shot(page, '2-squiggles');
    if (under.length === 0) throw new Error(`${squiggles.length} error squiggles, none under "${BAD}" at ${JSON.stringify(box)}`);
    console.log(`     ${squiggles.length} error squiggles on the page, one under ${BAD}`);
  });

  step('smoke: hovering the squiggle shows the problem', async () => {
    const text = await hoverOver(page, await badTokenBox(page), /invalid-rdata|192\.0\.2\.300|IPv4|address/i);
    await shot(page, '3-hover');
    if (!/invalid-rdata|192\.0\.2\.300|IPv4|address/i.test(text)) throw new Error(`hover text does not name the problem: "${text.slice(0, 300)}"`);
    console.log(`     hover: ${text.slice(0, 160)}`);
  });

  step('smoke: the Problems panel lists the mistakes from dane-zone', async () => {
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+M');
    const rows = page.locator('.markers-panel .monaco-list-row');
    await rows.first().waitFor({ timeout: 15_000 });
    await page.waitForTimeout(500);
    const texts = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    await shot(page, '4-problems');
    const ours = texts.filter((t) => /dane-zone/.test(t));
    if (ours.length < 3) throw new Error(`Problems panel rows from dane-zone: ${ours.length} (${texts.join(' | ').slice(0, 400)})`);
    console.log(`     ${ours.length} Problems rows from dane-zone, e.g. ${ours[0].slice(0, 120)}`);
  });

  step('smoke: inlay hints stand apart from the TLSA numbers (issue 16/9)', async () => {
    await openByQuickOpen(page, EDITOR_ZONE);
    const hint = page.locator('.monaco-editor .view-line span:text-is("DANE-EE SPKI SHA2-256")').first();
    await hint.waitFor({ state: 'attached', timeout: 30_000 });
    const m = await hintGap(page, 'DANE-EE SPKI SHA2-256');
    await shot(page, '5-inlay-hints');
    console.log(`     "3 1 1", ${m.gap.toFixed(1)} px, the hint, ${m.after.toFixed(1)} px, the digest (a space is ${m.space.toFixed(1)} px)`);
    if (m.gap < 0.75 * m.space) throw new Error(`the inlay hint is glued to the digits: ${m.gap.toFixed(1)} px after "1", a space is ${m.space.toFixed(1)} px`);
    if (m.after < 2) throw new Error(`the inlay hint is glued to the digest: ${m.after.toFixed(1)} px`);
  });

  step('smoke: hover on a 63-digit digest says one digit short of the 64 SHA2-256 needs (issue 16/11)', async () => {
    const text = await hoverOver(page, await tokenBox(page, DIGEST63.slice(20, 30)), /one digit short/);
    await shot(page, '6-hover-63-digits');
    if (!/63 hex digits/.test(text) || !/one digit short of the 64 hex digits SHA2-256/.test(text) || /not valid hexadecimal/.test(text)) {
      throw new Error(`hover: "${text.slice(0, 400)}"`);
    }
    console.log(`     hover: ${text.slice(0, 160)}`);
  });

  step('smoke: Check Deployed MX shows a progress notification whose message follows the step, with a Cancel button; Cancel says "cancelled" in the output, no error toast (issue 16/6)', async () => {
    // A slow resolver (each answer after 1.5 s, authenticated): MX → mx1, mx1 → 127.0.0.1, nothing
    // else. The check spends seconds on each step, so the notification's message can be seen to move.
    const packet = require('dns-packet');
    const silent = require('node:dgram').createSocket('udp4');
    const timers = new Set();
    silent.on('message', (buf, from) => {
      let q;
      try { q = packet.decode(buf); } catch { return; }
      const question = q.questions && q.questions[0];
      if (!question) return;
      const answers = [];
      if (question.type === 'MX' && /^e2e-editor\.example$/i.test(question.name)) answers.push({ type: 'MX', name: question.name, ttl: 60, data: { preference: 10, exchange: 'mx1.e2e-editor.example' } });
      if (question.type === 'A' && /^mx1\.e2e-editor\.example$/i.test(question.name)) answers.push({ type: 'A', name: question.name, ttl: 60, data: '127.0.0.1' });
      const reply = packet.encode({ type: 'response', id: q.id, flags: packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE | packet.AUTHENTIC_DATA, questions: [question], answers });
      const t = setTimeout(() => { timers.delete(t); silent.send(reply, from.port, from.address, () => undefined); }, 1500);
      timers.add(t);
    });
    await new Promise((resolve) => silent.bind(0, '127.0.0.1', resolve));
    try {
      fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
      fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'daneZone.live.resolver': `127.0.0.1:${silent.address().port}` }, null, 2));
      await page.waitForTimeout(1500); // the settings file is watched
      await runCommand(page, 'DANE Zone: Check Deployed MX');
      const toast = page.locator('.notification-toast:has-text("checking the deployed MX of")').first();
      await toast.waitFor({ state: 'visible', timeout: 15_000 });
      // The message follows the step: first the MX question, then the host's lookups.
      const seen = [];
      let shotTaken = false;
      for (const until = Date.now() + 4_000; Date.now() < until;) {
        const t = (await toast.innerText().catch(() => '')).replace(/\s+/g, ' ').trim();
        if (t && !seen.includes(t)) seen.push(t);
        if (!shotTaken && /looking up the addresses and TLSA records of mx1\.e2e-editor\.example/.test(t)) { await shot(page, '7-live-progress'); shotTaken = true; }
        if (shotTaken) break;
        await page.waitForTimeout(100);
      }
      console.log(`     progress notification texts: ${seen.map((x) => JSON.stringify(x.slice(0, 160))).join(' → ')}`);
      if (!seen.some((x) => /for the MX records of e2e-editor\.example/.test(x)) || !shotTaken) {
        await shot(page, '7-live-progress');
        throw new Error('the notification message did not follow the steps (MX question, then the host lookups)');
      }
      const cancel = toast.locator('.monaco-button:has-text("Cancel"), a.monaco-button[title="Cancel"], .codicon-notifications-clear, [aria-label="Cancel"]').first();
      await cancel.click({ timeout: 5_000 });
      const output = page.locator('.monaco-editor:has-text("cancelled: the live check of")').first();
      await output.waitFor({ state: 'attached', timeout: 15_000 });
      await page.waitForTimeout(1000);
      await shot(page, '8-live-cancelled');
      const errors = await page.locator('.notification-toast:has-text("Canceled"), .notification-toast:has-text("cancelled")').count();
      if (errors > 0) throw new Error('Cancel popped a toast ("Canceled"/"cancelled")');
      console.log('     after Cancel: the output says "cancelled: the live check of …", no toast');
    } finally {
      for (const t of timers) clearTimeout(t);
      silent.close();
      fs.rmSync(path.join(ws, '.vscode', 'settings.json'), { force: true });
    }
  });

  step('smoke: nothing was asked of an extension gallery or any host off this machine (issue 14)', async () => {
    const log = fs.readFileSync(serverLog, 'utf8');
    const gallery = log.split('\n').filter((l) => /open-vsx|marketplace\.visualstudio|gallery|ENOTFOUND|EAI_AGAIN/i.test(l) && !/Using custom extensions gallery/.test(l));
    if (offMachine.length || gallery.length) {
      throw new Error(`requests off the machine: ${[...new Set(offMachine)].join(', ') || 'none from the page'}; server log: ${gallery.slice(0, 5).join(' | ') || 'clean'}`);
    }
    console.log(`     ${requests} page requests, all to 127.0.0.1; no gallery lookups in the code-server log`);
  });

  await lib.withTeardown(teardown, () => lib.runSteps(steps, counts, () => page && shot(page, 'failure')));
  console.log(`smoke: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''} (screenshots in test-artifacts/)`);
  return counts;
}

const EDITOR_ZONE = 'e2e-editor.zone'; // test/e2e/fixtures: inlay hints, a 63-digit digest
const DIGEST63 = '2c20c9a237719fb2c0a678a0e0e0678f7f0178fa76f88802f702801dd88190e';

/** Moves the mouse onto BOX and returns the hover's text once it matches WANT (or after 10 s). */
async function hoverOver(page, box, want) {
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 1);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const hover = page.locator('.monaco-hover:visible').first();
  await hover.waitFor({ state: 'visible', timeout: 15_000 });
  let text = '';
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    text = (await hover.innerText()).replace(/\s+/g, ' ').trim();
    if (want.test(text)) break;
    await page.waitForTimeout(250);
  }
  return text;
}

/** Runs the command TITLE (`Category: Title`) from the Command Palette (F1), as a user would. */
async function runCommand(page, title) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(`>${title}`);
  await page.locator(`.quick-input-list .monaco-list-row:has-text("${title.split(': ').pop()}")`).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}

/** Quick Open (Ctrl+P) NAME, as a user would; waits for its tab. */
async function openByQuickOpen(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(name);
  await page.locator(`.quick-input-list .monaco-list-row:has-text("${name}")`).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator(`.tab.active:has-text("${name}")`).waitFor({ timeout: 15_000 });
}

/**
 * On the first rendered line holding the inlay hint LABEL: the distance from the last digit
 * before it (the matching type) to the hint's text, from the hint to the text after it, and
 * the width of one character (a space, in the editor's monospace font).
 */
async function hintGap(page, label) {
  const m = await page.evaluate((label) => {
    const box = (node, from, to) => {
      const r = document.createRange();
      r.setStart(node, from);
      r.setEnd(node, to);
      return r.getBoundingClientRect();
    };
    for (const line of document.querySelectorAll('.monaco-editor .view-line')) {
      const nodes = [];
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.textContent) nodes.push(n);
      const i = nodes.findIndex((n) => n.textContent.replace(/\u00a0/g, ' ') === label); // the editor renders spaces as U+00A0
      if (i < 1) continue;
      let digit;
      for (let j = i - 1; j >= 0 && !digit; j--) {
        const t = nodes[j].textContent;
        for (let k = t.length - 1; k >= 0; k--) if (/\d/.test(t[k])) { digit = box(nodes[j], k, k + 1); break; }
      }
      if (!digit) continue;
      const hint = box(nodes[i], 0, label.length);
      const next = nodes[i + 1] ? box(nodes[i + 1], 0, 1) : undefined;
      return { gap: hint.x - (digit.x + digit.width), after: next ? next.x - (hint.x + hint.width) : 0, space: digit.width };
    }
    return undefined;
  }, label);
  if (!m) throw new Error(`no rendered line with the inlay hint "${label}" after a digit`);
  return m;
}

/** Screen box of the invalid address in the editor, measured on the rendered text. */
async function badTokenBox(page) {
  return tokenBox(page, BAD);
}

/** Screen box of TEXT where it is rendered in the editor. */
async function tokenBox(page, bad) {
  const box = await page.evaluate((bad) => {
    for (const line of document.querySelectorAll('.monaco-editor .view-line')) {
      const i = (line.textContent || '').replace(/\u00a0/g, ' ').indexOf(bad);
      if (i < 0) continue;
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      let seen = 0;
      const range = document.createRange();
      let started = false;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const len = n.textContent.length;
        if (!started && seen + len > i) { range.setStart(n, i - seen); started = true; }
        if (started && seen + len >= i + bad.length) { range.setEnd(n, i + bad.length - seen); break; }
        seen += len;
      }
      const r = range.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }
    return undefined;
  }, bad);
  if (!box || box.width === 0) throw new Error(`"${bad}" is not rendered in the editor`);
  return box;
}

module.exports = { runSmoke, hoverOver, openByQuickOpen, runCommand, tokenBox };

if (require.main === module) {
  (async () => {
    lib.ensureInstalled();
    lib.buildExtension();
    const c = await runSmoke();
    console.log(`${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}`);
    process.exit(c.failed === 0 && c.passed > 0 ? 0 : 1);
  })().catch((e) => { console.log(`smoke: FAILED: ${e instanceof lib.Fatal ? e.message : e && e.stack || e}`); process.exit(1); });
}
