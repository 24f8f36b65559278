// The newsroom's pages fit the screen they are on: nothing sticks out of the
// page at the width of a phone (360 px) or of a laptop (1280 px), so no
// button (Publish now, Schedule) is cut off; the keyboard's focus is seen
// on the headline and on checkboxes; on the front page the "Lead" badge
// moves with the story that is first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { Server, STAFF, editorFields } from '../http/newsroom-lib.mjs';

let server, browser, scheduled;

before(async () => {
  server = await new Server().start();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--headless=new', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  // a scheduled article: its editor shows the most buttons
  const c = server.client();
  await c.login(STAFF.editor);
  const res = await c.post('/newsroom/articles', {
    headline: 'Budget vote set for Thursday', summary: 'Lawmakers vote on the budget.',
    body: 'The vote is on Thursday.', section: server.sql("SELECT id FROM sections WHERE slug = 'politics'"),
    authors: server.sql('SELECT id FROM authors ORDER BY id LIMIT 1'),
  }, { multipart: true });
  scheduled = res.headers.get('location').match(/articles\/(\d+)/)[1];
  const f = editorFields((await c.get(`/newsroom/articles/${scheduled}`)).text_);
  const at = new Date(Date.now() + 2 * 86400e3).toISOString().slice(0, 16);
  const s = await c.post(`/newsroom/articles/${scheduled}/schedule`, { ...f, publish_at: at }, { multipart: true });
  assert.equal(s.status, 303, s.text_);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function signIn(who, viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  await page.goto(`${server.base}/newsroom/login`);
  await page.getByLabel('Login name').fill(who.login);
  await page.getByLabel('Password').fill(who.password);
  await Promise.all([page.waitForURL(/\/newsroom\/$/), page.getByRole('button', { name: 'Sign in' }).click()]);
  return page;
}

// The elements that end beyond the right edge of the window.
function overflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      // what scrolls inside its own box is fine
      if (el.closest('.table-scroll, .checklist')) continue;
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 1) out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${el.className}`);
    }
    return { scroll: document.documentElement.scrollWidth, width, out: out.slice(0, 5) };
  });
}

for (const [name, viewport] of [['a phone', { width: 360, height: 800 }], ['a laptop', { width: 1280, height: 900 }]]) {
  test(`every newsroom page fits the width of ${name}`, async () => {
    const pages = {
      editor: [
        '/newsroom/', '/newsroom/articles', '/newsroom/articles?page=2', '/newsroom/articles/new',
        `/newsroom/articles/${scheduled}`, '/newsroom/articles/1', '/newsroom/articles/1/revisions',
        '/newsroom/front', '/newsroom/sections', '/newsroom/authors', '/newsroom/intake',
      ],
      admin: ['/newsroom/staff', '/newsroom/audit', '/newsroom/moderation'],
    };
    for (const [role, paths] of Object.entries(pages)) {
      const page = await signIn(STAFF[role], viewport);
      for (const path of paths) {
        const res = await page.goto(server.base + path);
        assert.equal(res.status(), 200, path);
        const o = await overflow(page);
        assert.ok(o.scroll <= o.width && o.out.length === 0,
          `${path} at ${viewport.width} px: the page is ${o.scroll} px wide; beyond the edge: ${o.out.join(', ')}`);
      }
      // the scheduled article's buttons are all inside the window
      if (role === 'editor') {
        await page.goto(`${server.base}/newsroom/articles/${scheduled}`);
        for (const name of ['Publish now', 'Schedule', 'Unschedule']) {
          const b = await page.getByRole('button', { name, exact: true }).boundingBox();
          assert.ok(b.x >= 0 && b.x + b.width <= viewport.width, `${name}: ${JSON.stringify(b)}`);
        }
      }
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  });
}

test('the keyboard focus shows on the headline and on checkboxes', async () => {
  const page = await signIn(STAFF.editor, { width: 1280, height: 900 });
  await page.goto(`${server.base}/newsroom/articles/${scheduled}`);
  const outline = (sel) => page.$eval(sel, (el) => {
    const s = getComputedStyle(el);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
  for (const sel of ['#f-headline', '#f-authors input[type=checkbox]', '#f-comments_locked']) {
    // reach the field with the keyboard: back one step and Tab again
    await page.locator(sel).first().focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    assert.ok(await page.locator(sel).first().evaluate((el) => el === document.activeElement), `${sel} has the focus`);
    const o = await outline(sel);
    assert.ok(o.style !== 'none' && o.width >= 2, `${sel}: outline ${JSON.stringify(o)}`);
  }
  await page.context().close();
});

test('on the front page the Lead badge moves with the story placed first', async () => {
  const page = await signIn(STAFF.editor, { width: 1280, height: 900 });
  await page.goto(`${server.base}/newsroom/front`);
  const slots = page.locator('[data-slot]');
  assert.ok(await slots.count() >= 2, 'the demo front page has placed stories');
  const second = await slots.nth(1).locator('.slot-text a').textContent();
  // the buttons say which story they move
  await page.getByRole('button', { name: `Move “${second}” up` }).click();
  assert.equal(await slots.nth(0).locator('.slot-text a').textContent(), second);
  assert.equal(await page.locator('.badge-lead').count(), 1);
  assert.equal(await slots.nth(0).locator('.badge-lead').count(), 1, 'the badge is on the new first story');
  assert.equal(await slots.nth(0).locator('[data-position]').inputValue(), '1');
  await Promise.all([page.waitForURL(/msg=front/), page.getByRole('button', { name: 'Save the front page' }).click()]);
  assert.equal(await page.locator('[data-slot]').first().locator('.slot-text a').textContent(), second);
  assert.equal(await page.locator('[data-slot]').first().locator('.badge-lead').count(), 1);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
