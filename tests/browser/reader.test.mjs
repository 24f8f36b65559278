// A reader's walk in Debian's Chromium (Playwright): front page → a
// section (by the navigation) → an article (by its headline) → the print
// view (by the Print link), then the article on a 360-pixel phone.
// Screenshots go to build/screenshots/. Any console error, CSP violation,
// page error, failed or cross-site request fails the test.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { chromium } from 'playwright-core';

import { REPO, startServer } from '../http/lib.mjs';

const SHOTS = path.join(REPO, 'build', 'screenshots');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--headless=new', '--disable-background-networking',
                       '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

let srv;
let browser;
let context;
let page;
const problems = [];

/** Collects what a careful reader's console would show. */
function watch(p, origin) {
  p.on('console', (msg) => {
    // an error page is a 404 on purpose: only its own load is not a problem
    if (/^Failed to load resource/.test(msg.text()) && msg.location().url === p.url() && expectedStatus(p)) return;
    if (msg.type() === 'error' || msg.type() === 'warning' && /Content.Security.Policy/i.test(msg.text())) {
      problems.push(`console ${msg.type()} on ${p.url()}: ${msg.text()}`);
    }
  });
  p.on('pageerror', (err) => problems.push(`page error on ${p.url()}: ${err.message}`));
  p.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  p.on('request', (req) => {
    const u = new URL(req.url());
    if (u.protocol !== 'data:' && u.origin !== origin) problems.push(`request to another site: ${req.url()}`);
  });
  p.on('response', (res) => {
    // the page itself may be an error page on purpose; its parts may not
    if (res.status() >= 400 && res.request().resourceType() !== 'document') {
      problems.push(`HTTP ${res.status()} for ${res.url()}`);
    }
  });
}

const errorPages = new WeakMap();
const expectedStatus = (p) => errorPages.get(p) === p.url();

function assertNoProblems(where) {
  const found = problems.splice(0);
  assert.deepEqual(found, [], `${where}: the browser reported problems`);
}

async function shot(p, name) {
  await p.screenshot({ path: path.join(SHOTS, name), fullPage: true });
}

/** The breadcrumb as a reader sees it, separators (CSS ::before) included. */
function breadcrumbText(p) {
  return p.locator('nav.breadcrumb').first().evaluate((nav) => [...nav.querySelectorAll('li')].map((li) => {
    const before = getComputedStyle(li, '::before').content;
    const sep = before && before !== 'none' && before !== 'normal' ? JSON.parse(before) : '';
    return `${sep ? ` ${sep} ` : ''}${li.innerText.trim()}`;
  }).join(''));
}

/** Links and buttons a thumb can hit: at least 24 x 24 px (WCAG 2.5.8), links
 * inside running text excepted. Returns the ones that are smaller. */
function smallTargets(p) {
  return p.evaluate(() => {
    const small = [];
    for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea')) {
      const r = el.getBoundingClientRect();
      const st = getComputedStyle(el);
      if (r.width === 0 || st.visibility === 'hidden') continue;
      const block = el.closest('p, li');
      const inText = st.display === 'inline' && block && block.textContent.trim().length > el.textContent.trim().length + 3;
      if (!inText && (r.width < 24 || r.height < 24)) small.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 20)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
    return small;
  });
}

/** Korean words (runs of Hangul) that the browser broke across two lines. */
function brokenKoreanWords(p, selector) {
  return p.evaluate((sel) => {
    const broken = [];
    for (const root of document.querySelectorAll(sel)) {
      const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        for (const m of n.data.matchAll(/[\uAC00-\uD7A3]{2,}/g)) {
          const range = document.createRange();
          range.setStart(n, m.index);
          range.setEnd(n, m.index + m[0].length);
          const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          if (tops.size > 1) broken.push(m[0]);
        }
      }
    }
    return broken;
  }, selector);
}

async function noHorizontalScroll(p, width) {
  const sw = await p.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(sw <= width, `${p.url()}: no horizontal scrolling at ${width} px (scrollWidth ${sw})`);
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  srv = await startServer();
  // Playwright gives the browser a fresh temporary user-data-dir
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: true });
  page = await context.newPage();
  watch(page, srv.url);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

describe('a reader\'s walk', () => {
  let sectionUrl;
  let headline;
  let articleUrl;

  test('front page: masthead, sections, lead story', async () => {
    const res = await page.goto(`${srv.url}/`);
    assert.equal(res.status(), 200);
    await assert.doesNotReject(page.locator('a.nameplate').waitFor());
    assert.equal((await page.locator('a.nameplate').innerText()).trim(), 'The Broadsheet');
    assert.match(await page.title(), /The Broadsheet/);
    const nav = page.getByRole('navigation', { name: 'Sections', exact: true });
    assert.deepEqual((await nav.getByRole('link').allInnerTexts()).map((t) => t.trim().toLowerCase()),
      ['home', 'national', 'business', 'culture', 'sports', 'opinion']);
    const lead = page.locator('article.lead h2.lead-headline a');
    assert.ok(await lead.isVisible(), 'the lead headline is visible');
    assert.ok((await lead.innerText()).trim().length > 10);
    assert.ok(await page.locator('article.lead .lead-summary').isVisible(), 'the lead has a summary');
    // the lead is near the top, in the first screen
    const box = await lead.boundingBox();
    assert.ok(box && box.y < 900, `the lead headline is in the first screen (y=${box?.y})`);
    assert.ok(await page.locator('section.front-section').count() >= 1, 'section blocks');
    // typography: the body type is readable
    const size = await page.locator('article.lead .lead-summary').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    assert.ok(size >= 16, `summary type is at least 16 px (${size})`);
    await shot(page, 'front.png');
    assertNoProblems('front page');
  });

  test('the skip link is the first thing the keyboard reaches', async () => {
    await page.goto(`${srv.url}/`);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => ({
      cls: document.activeElement?.className, text: document.activeElement?.textContent?.trim(),
      href: document.activeElement?.getAttribute('href'),
    }));
    assert.deepEqual(focused, { cls: 'skip-link', text: 'Skip to main content', href: '#main' });
    const box = await page.locator('a.skip-link').boundingBox();
    assert.ok(box && box.x >= 0 && box.y >= 0 && box.width > 20, 'it shows on screen when focused');
    await page.keyboard.press('Enter');
    assert.equal(new URL(page.url()).hash, '#main');
    await page.keyboard.press('Tab');
    const inMain = await page.evaluate(() => document.getElementById('main').contains(document.activeElement));
    assert.ok(inMain, 'the next Tab lands inside the main content');
    assertNoProblems('skip link');
  });

  test('a section, by the navigation', async () => {
    await page.goto(`${srv.url}/`);
    const nav = page.getByRole('navigation', { name: 'Sections', exact: true });
    await Promise.all([page.waitForURL(`${srv.url}/national/`), nav.getByRole('link', { name: 'National' }).click()]);
    sectionUrl = page.url();
    assert.equal(await page.locator('h1').innerText(), 'National');
    assert.equal(await nav.getByRole('link', { name: 'National' }).getAttribute('aria-current'), 'page');
    assert.equal(await breadcrumbText(page), 'Home › National');
    assert.ok(await page.getByRole('navigation', { name: 'Sub-sections' }).getByRole('link', { name: 'Politics' }).isVisible());
    assert.ok(await page.locator('article.card').count() >= 1, 'stories are listed');
    const levels = await page.locator('h1, h2, h3, h4').evaluateAll((hs) => hs.map((h) => Number(h.tagName[1])));
    const skips = levels.filter((l, i) => i > 0 && l > levels[i - 1] + 1);
    assert.deepEqual(skips, [], `headings go down one level at a time (${levels.join(' ')})`);
    await shot(page, 'section.png');
    assertNoProblems('section page');
  });

  test('an article, by its headline', async () => {
    // a Politics story, so the breadcrumb has three steps
    const card = page.locator('article.card').filter({ has: page.locator('.kicker', { hasText: 'Politics' }) }).first();
    const link = card.locator('.card-headline a');
    headline = (await link.innerText()).trim();
    await Promise.all([page.waitForURL(/\/article\/\d+\/[^/]+$/), link.click()]);
    articleUrl = page.url();
    assert.equal((await page.locator('h1.headline').innerText()).trim(), headline);
    assert.equal(await breadcrumbText(page), 'Home › National › Politics');
    const byline = page.locator('.byline-names');
    assert.match(await byline.innerText(), /^BY /i);
    assert.ok(await byline.getByRole('link').first().isVisible(), 'the author is a link');
    const mail = byline.locator('a[href^="mailto:"]');
    assert.ok(await mail.isVisible(), 'the e-mail link is visible');
    assert.match(await mail.innerText(), /@/);
    const time = page.locator('.dates time').first();
    assert.ok(await time.isVisible());
    assert.match(await time.innerText(), /\d{4}/);
    assert.ok(await page.locator('p.standfirst').isVisible(), 'the summary is shown');
    const paras = page.locator('.article-body p');
    assert.ok(await paras.count() >= 2, 'body paragraphs');
    for (const p of await paras.all()) assert.ok(await p.isVisible());
    const measure = await page.locator('.article-body').evaluate((e) => e.getBoundingClientRect().width);
    assert.ok(measure <= 760, `the body keeps a readable measure (${measure} px)`);
    assert.ok(await page.getByRole('link', { name: 'Print' }).isVisible());
    await shot(page, 'article.png');
    assertNoProblems('article page');
  });

  test('the print view, by the Print link', async () => {
    await Promise.all([page.waitForURL(/\/print$/), page.getByRole('link', { name: 'Print' }).click()]);
    assert.equal(page.url(), `${articleUrl}/print`);
    assert.equal((await page.locator('h1').innerText()).trim(), headline);
    assert.equal(await page.locator('nav').count(), 0, 'no navigation');
    assert.equal(await page.locator('.masthead, .site-footer, .share, .related').count(), 0, 'nothing but the article');
    assert.ok(await page.locator('.article-body p').count() >= 2, 'the body');
    assert.equal((await page.locator('.print-url').innerText()).trim(), articleUrl, 'the source URL is printed');
    // site.js shows the print button: scripts run under the strict CSP
    assert.ok(await page.locator('button.print-button').isVisible(), 'the Print button is shown');
    await shot(page, 'print.png');
    await page.emulateMedia({ media: 'print' });
    assert.ok(await page.locator('.article-body').isVisible(), 'the article prints');
    assert.ok(!(await page.locator('button.print-button').isVisible()), 'the buttons do not print');
    assert.ok(await page.locator('.print-url').isVisible(), 'the source URL prints');
    await page.emulateMedia({ media: 'screen' });
    assertNoProblems('print view');
  });

  test('printing the article page itself leaves out navigation and tools', async () => {
    await page.goto(articleUrl);
    await page.emulateMedia({ media: 'print' });
    try {
      for (const sel of ['.masthead', '.site-footer', '.article-tools', '.share']) {
        assert.ok(!(await page.locator(sel).first().isVisible()), `${sel} is not printed`);
      }
      assert.ok(await page.locator('h1.headline').isVisible());
      assert.ok(await page.locator('.article-body p').first().isVisible());
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
    assertNoProblems('article printed');
  });

  test('on a 360-pixel phone: no sideways scrolling, the article reads', async () => {
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true,
                                             hasTouch: true, deviceScaleFactor: 2 });
    try {
      const p = await phone.newPage();
      watch(p, srv.url);
      await p.goto(articleUrl);
      const authorUrl = new URL(await p.locator('a[rel="author"]').first().getAttribute('href'), srv.url).href;
      const tagUrl = new URL(await p.locator('a[rel="tag"]').first().getAttribute('href'), srv.url).href;
      const pages = [`${srv.url}/`, sectionUrl, `${srv.url}/national/politics/`, authorUrl, tagUrl,
        `${srv.url}/search?q=summit`, `${srv.url}/search?q=${encodeURIComponent('서울')}`, `${srv.url}/corrections`,
        `${srv.url}/policy/standards`, `${articleUrl}/print`, articleUrl];
      for (const url of pages) {
        const res = await p.goto(url);
        assert.equal(res.status(), 200, url);
        await noHorizontalScroll(p, 360);
        assert.deepEqual(await smallTargets(p), [], `${url}: every link and button is at least 24 px square`);
      }
      errorPages.set(p, `${srv.url}/no-such-section/`);
      assert.equal((await p.goto(`${srv.url}/no-such-section/`)).status(), 404);
      await noHorizontalScroll(p, 360);
      await p.goto(`${srv.url}/search?q=${encodeURIComponent('서울')}`);
      assert.ok(await p.locator('.search-excerpt').count() >= 1, 'Korean text is found');
      assert.deepEqual(await brokenKoreanWords(p, 'main'), [], 'Korean words are not broken between syllables');
      // below the lead, stories show a thumbnail beside the headline, not a screen-wide picture each
      await p.goto(`${srv.url}/`);
      const thumbs = await p.locator('.front-section .card-photo img').evaluateAll((imgs) => imgs.map((i) => i.getBoundingClientRect().width));
      assert.ok(thumbs.length >= 1 && thumbs.every((w) => w > 0 && w <= 180), `thumbnails on a phone (${thumbs.join(', ')} px)`);
      await p.goto(articleUrl);
      assert.equal((await p.locator('h1.headline').innerText()).trim(), headline);
      const h1 = await p.locator('h1.headline').boundingBox();
      assert.ok(h1 && h1.x >= 0 && h1.x + h1.width <= 360, 'the headline fits the screen');
      const body = await p.locator('.article-body p').first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
      assert.ok(body >= 16, `body type at least 16 px on a phone (${body})`);
      await p.screenshot({ path: path.join(SHOTS, 'article-360.png'), fullPage: true });
      assertNoProblems('phone');
    } finally {
      await phone.close();
    }
  });

  test('without JavaScript the walk still works', async () => {
    const nojs = await browser.newContext({ javaScriptEnabled: false });
    try {
      const p = await nojs.newPage();
      watch(p, srv.url);
      await p.goto(`${srv.url}/`);
      await Promise.all([p.waitForURL(/\/national\/$/),
        p.getByRole('navigation', { name: 'Sections', exact: true }).getByRole('link', { name: 'National' }).click()]);
      await Promise.all([p.waitForURL(/\/article\//), p.locator('.card-headline a').first().click()]);
      assert.ok((await p.locator('h1.headline').innerText()).length > 10);
      await Promise.all([p.waitForURL(/\/print$/), p.getByRole('link', { name: 'Print' }).click()]);
      assert.ok(await p.locator('.article-body p').first().isVisible());
      assertNoProblems('without JavaScript');
    } finally {
      await nojs.close();
    }
  });

  test('a wrong address shows the paper\'s 404 page', async () => {
    errorPages.set(page, `${srv.url}/no-such-section/`);
    const res = await page.goto(`${srv.url}/no-such-section/`);
    assert.equal(res.status(), 404);
    assert.ok(await page.locator('a.nameplate').isVisible(), 'the masthead');
    assert.equal(await page.locator('h1').innerText(), 'Page not found');
    const nav = page.getByRole('navigation', { name: 'Sections', exact: true });
    assert.equal(await nav.locator('[aria-current]').count(), 0, 'no section is marked current on a 404');
    const foot = await page.locator('footer.site-footer').boundingBox();
    assert.ok(foot && foot.y + foot.height >= 900 - 1, `the footer sits at the foot of the window (ends at ${foot && foot.y + foot.height})`);
    await Promise.all([page.waitForURL(`${srv.url}/`), page.getByRole('link', { name: 'Go to the front page' }).click()]);
    assertNoProblems('404 page');
  });
});
