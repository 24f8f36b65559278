// The reader's dictionary in a real browser: dictionary mode, a
// double-click on a word, the pop-up and its closing, the keyboard path,
// the form without JavaScript, and a narrow phone screen.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { root, startServer } from '../http/dict-lib.mjs';

const ARTICLE = '/article/1/island-leaders-cozy-up';
const shots = path.join(root, 'build/screenshots');

// The screen position of a word of the article body (its first occurrence).
async function wordPoint(page, word) {
  return page.evaluate((w) => {
    const body = document.querySelector('.article-body');
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const re = new RegExp(`\\b${w}\\b`);
      const m = re.exec(n.data);
      if (!m) continue;
      const range = document.createRange();
      range.setStart(n, m.index);
      range.setEnd(n, m.index + w.length);
      range.startContainer.parentElement.scrollIntoView({ block: 'center' });
      const r = range.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2, left: r.left, right: r.right };
    }
    return null;
  }, word);
}

describe('dictionary in the browser', () => {
  let srv, browser;
  before(async () => {
    srv = await startServer();
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--headless=new', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
      // launch() gives every run a fresh temporary profile
    });
    mkdirSync(shots, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  test('double-clicking "summits" in dictionary mode shows "summit"', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(srv.base + ARTICLE);
    const toggle = page.locator('.tool-dict');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    const glossary = page.waitForResponse((r) => r.url().endsWith('/dict/glossary/1.json'));
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    assert.equal((await glossary).status(), 200);

    const lookups = [];
    page.on('request', (r) => { if (r.url().includes('/dict/lookup')) lookups.push(r.url()); });
    const at = await wordPoint(page, 'summits');
    assert.ok(at, 'the article has "summits"');
    await page.mouse.dblclick(at.x, at.y);
    const pop = page.locator('.dict-pop[role="dialog"]');
    await pop.waitFor({ state: 'visible' });
    assert.equal(await pop.locator('#dict-pop-title').textContent(), 'summits');
    assert.equal(await pop.locator('.dict-pop-word strong').first().textContent(), 'summit');
    const text = await pop.textContent();
    assert.match(text, /정상/, 'the Korean meaning');
    assert.match(text, /highest level or degree attainable/, 'the English sense');
    assert.equal(await pop.locator('a.dict-pop-more').first().getAttribute('href'), '/dict/summit');
    assert.deepEqual(lookups, [], 'the glossary answered: no request per word');
    // the pop-up sits next to the word
    const box = await pop.boundingBox();
    assert.ok(Math.abs(box.y - at.y) < 120, `pop-up at ${box.y}, word at ${at.y}`);
    await page.screenshot({ path: path.join(shots, 'dict.png') });

    // a phrasal verb of the text comes first: "cozying up" is "cozy up"
    await page.keyboard.press('Escape');
    const cozying = await wordPoint(page, 'cozying');
    await page.mouse.dblclick(cozying.x, cozying.y);
    await pop.waitFor({ state: 'visible' });
    assert.deepEqual(await pop.locator('.dict-pop-word strong').allTextContents(), ['cozy up', 'cozy']);
    assert.match(await pop.textContent(), /ingratiate oneself/);
    assert.match(await pop.textContent(), /아늑한/);

    // Esc closes it and gives focus back to the button
    await page.keyboard.press('Escape');
    await pop.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement.className), 'tool tool-dict');

    // a click outside closes it too
    const rel = await wordPoint(page, 'relations');
    await page.mouse.dblclick(rel.x, rel.y);
    await pop.waitFor({ state: 'visible' });
    assert.match(await pop.textContent(), /relation/);
    await page.mouse.click(5, 5);
    await pop.waitFor({ state: 'detached' });

    // off again: a double-click does nothing
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    const held = await wordPoint(page, 'held');
    await page.mouse.dblclick(held.x, held.y);
    await page.waitForTimeout(300);
    assert.equal(await pop.count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('selecting a word by dragging shows it too', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(srv.base + ARTICLE);
    const glossary = page.waitForResponse((r) => r.url().endsWith('/dict/glossary/1.json'));
    await page.locator('.tool-dict').click();
    await glossary;
    const at = await wordPoint(page, 'relations');
    await page.mouse.move(at.left + 1, at.y);
    await page.mouse.down();
    await page.mouse.move(at.right - 1, at.y, { steps: 5 });
    await page.mouse.up();
    const pop = page.locator('.dict-pop');
    await pop.waitFor({ state: 'visible' });
    assert.equal(await pop.locator('.dict-pop-word strong').first().textContent(), 'relation');
    await page.close();
  });

  test('a word outside the glossary goes to the lookup endpoint', async () => {
    const page = await browser.newPage();
    await page.goto(srv.base + ARTICLE);
    const glossary = page.waitForResponse((r) => r.url().endsWith('/dict/glossary/1.json'));
    await page.locator('.tool-dict').click();
    await glossary;
    // "the" is left out of the glossary; selecting it asks the server
    const req = page.waitForRequest((r) => r.url().includes('/dict/lookup?q=the'));
    const at = await wordPoint(page, 'the');
    await page.mouse.dblclick(at.x, at.y);
    await req;
    const pop = page.locator('.dict-pop');
    await pop.waitFor({ state: 'visible' });
    await page.close();
  });

  test('the keyboard path: Tab to the lookup field, type, Enter', async () => {
    const page = await browser.newPage();
    await page.goto(srv.base + ARTICLE);
    await page.locator('.tool-dict').focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'dict-q');
    await page.keyboard.type('held');
    await page.keyboard.press('Enter');
    const pop = page.locator('.dict-pop[role="dialog"]');
    await pop.waitFor({ state: 'visible' });
    assert.equal(page.url(), srv.base + ARTICLE, 'no navigation with JavaScript');
    assert.equal(await pop.locator('.dict-pop-word strong').first().textContent(), 'hold');
    assert.match(await pop.textContent(), /잡다, 쥐다/);
    // focus is in the pop-up; Tab reaches its close button and links
    assert.ok(await page.evaluate(() => document.activeElement.closest('.dict-pop') !== null));
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'dict-pop-close');
    await page.keyboard.press('Escape');
    await pop.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement.id), 'dict-q');
    // an unknown word says so
    await page.keyboard.press('Control+A');
    await page.keyboard.type('blorfendip');
    await page.keyboard.press('Enter');
    await pop.waitFor({ state: 'visible' });
    assert.match(await pop.textContent(), /No entry for “blorfendip”/);
    await page.close();
  });

  test('without JavaScript the form opens the entry page', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(srv.base + ARTICLE);
    assert.equal(await page.locator('.tool-dict').isVisible(), false, 'no dead button');
    await page.fill('#dict-q', 'Summits');
    await page.press('#dict-q', 'Enter');
    await page.waitForURL(srv.base + '/dict/summits');
    assert.match(await page.locator('main').textContent(), /is a form of/);
    assert.match(await page.locator('main').textContent(), /정상/);
    await ctx.close();
  });

  test('the pop-up fits a 360 px screen', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });
    await page.goto(srv.base + ARTICLE);
    const glossary = page.waitForResponse((r) => r.url().endsWith('/dict/glossary/1.json'));
    await page.locator('.tool-dict').tap();
    await glossary;
    const at = await wordPoint(page, 'summits');
    await page.touchscreen.tap(at.x, at.y);
    const pop = page.locator('.dict-pop');
    await pop.waitFor({ state: 'visible' });
    assert.match(await pop.textContent(), /summit/);
    const box = await pop.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 360, `pop-up ${box.x}..${box.x + box.width}`);
    await page.screenshot({ path: path.join(shots, 'dict-360.png') });
    await page.close();
  });
});
