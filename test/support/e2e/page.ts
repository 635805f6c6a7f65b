// What the page-level drivers do in code-server's web UI, as a user would: open the workbench on
// a folder, Quick Open a file, run a command from the palette, hover a piece of text and read the
// hover, measure where text and inlay hints are rendered.
import * as fs from 'node:fs';
import type { Page } from 'playwright-core';

/** A rectangle on the page, in CSS pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Appends the page's console messages and errors to `logFile`. */
export function logConsole(page: Page, logFile: string): void {
  page.on('console', (m) => fs.appendFileSync(logFile, `[console ${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => fs.appendFileSync(logFile, `[pageerror] ${e.message}\n`));
}

/** Opens the workbench at `url` on `folder`, waits for the explorer, and puts the focus in the workbench. */
export async function openWorkbench(page: Page, url: string, folder: string): Promise<void> {
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => undefined);
}

/** Moves the mouse onto BOX and returns the hover's text once it matches WANT (or after 10 s). */
export async function hoverOver(page: Page, box: Box, want: RegExp): Promise<string> {
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
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(`>${title}`);
  await page.locator(`.quick-input-list .monaco-list-row:has-text("${title.split(': ').pop()}")`).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}

/** Quick Open (Ctrl+P) NAME, as a user would; waits for its tab. */
export async function openByQuickOpen(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(name);
  await page.locator(`.quick-input-list .monaco-list-row:has-text("${name}")`).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator(`.tab.active:has-text("${name}")`).waitFor({ timeout: 15_000 });
}

/** The boxes of the error squiggles on the page, and those under BOX. */
export async function squigglesUnder(page: Page, box: Box): Promise<{ all: number; under: number }> {
  const squiggles = await page.locator('.monaco-editor .squiggly-error').evaluateAll((els) =>
    els.map((e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; }));
  const under = squiggles.filter((s) => s.y < box.y + box.height && s.y + s.h > box.y && s.x < box.x + box.width && s.x + s.w > box.x);
  return { all: squiggles.length, under: under.length };
}

/**
 * On the first rendered line holding the inlay hint LABEL: the distance from the last digit
 * before it (the matching type) to the hint's text, from the hint to the text after it, and
 * the width of one character (a space, in the editor's monospace font).
 */
export async function hintGap(page: Page, label: string): Promise<{ gap: number; after: number; space: number }> {
  const m = await page.evaluate((label) => {
    const box = (node: Node, from: number, to: number) => {
      const r = document.createRange();
      r.setStart(node, from);
      r.setEnd(node, to);
      return r.getBoundingClientRect();
    };
    for (const line of document.querySelectorAll('.monaco-editor .view-line')) {
      const nodes: Node[] = [];
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.textContent) nodes.push(n);
      const i = nodes.findIndex((n) => (n.textContent ?? '').replace(/\u00a0/g, ' ') === label); // the editor renders spaces as U+00A0
      if (i < 1) continue;
      let digit: DOMRect | undefined;
      for (let j = i - 1; j >= 0 && !digit; j--) {
        const t = nodes[j].textContent ?? '';
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

/** Screen box of TEXT where it is rendered in the editor. */
export async function tokenBox(page: Page, text: string): Promise<Box> {
  const box = await page.evaluate((bad) => {
    for (const line of document.querySelectorAll('.monaco-editor .view-line')) {
      const i = (line.textContent || '').replace(/\u00a0/g, ' ').indexOf(bad);
      if (i < 0) continue;
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      let seen = 0;
      const range = document.createRange();
      let started = false;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const len = (n.textContent ?? '').length;
        if (!started && seen + len > i) { range.setStart(n, i - seen); started = true; }
        if (started && seen + len >= i + bad.length) { range.setEnd(n, i + bad.length - seen); break; }
        seen += len;
      }
      const r = range.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }
    return undefined;
  }, text);
  if (!box || box.width === 0) throw new Error(`"${text}" is not rendered in the editor`);
  return box;
}

/** The rendered text of the first editor line that starts with OWNER and holds WORD. */
export async function lineText(page: Page, owner: string, word: string): Promise<string> {
  return page.evaluate(([owner, word]) => {
    for (const line of document.querySelectorAll('.monaco-editor .view-line')) {
      const t = (line.textContent || '').replace(/\u00a0/g, ' ');
      if (t.trimStart().startsWith(owner) && t.includes(word)) return t;
    }
    return '';
  }, [owner, word] as const);
}
