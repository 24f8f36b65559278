// Comments in a real browser (Playwright with Debian's Chromium): sign in,
// watch the (n/250자) counter while typing Korean, post exactly 250
// characters (accepted) and 251 (refused, text kept), reply, like, report;
// a moderator signs in to the newsroom, hides and restores;
// and hostile comments and names with a canary that fails the test if
// anything executes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import {
  startServer, Jar, signInDemo, postComment, articleIds, articlePath,
} from '../http/comments-lib.mjs';
import { addStaff } from '../http/newsroom-lib.mjs';

let server;
let browser;
let path;
let articleId;

const LAUNCH = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--headless=new', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
};

before(async () => {
  server = await startServer({ config: { comments: { min_interval: 0, report_threshold: 5 } } });
  articleId = articleIds(server.db)[0];
  path = await articlePath(server, articleId);
  browser = await chromium.launch(LAUNCH);
});

after(async () => {
  if (browser) await browser.close();
  if (server) { await server.stop(); server.cleanup(); }
});

// A page whose every script execution outside ours would trip the canary.
async function canaryPage(context) {
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__pwned = 0;
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.errors = errors;
  return page;
}

async function signInThroughTheBox(page, name) {
  await page.goto(server.base + path);
  await page.click('.comments a.signin-demo');
  await page.fill('#demo-name', name);
  await page.click('form[action="/signin/demo"] button[type=submit]');
  await page.waitForURL((u) => u.pathname === path);
  await page.waitForSelector('[data-signed-in]:not([hidden])');
}

test('sign in, count Korean as typed, 250 accepted, 251 refused with the text kept, reply, like, report', async () => {
  const context = await browser.newContext({ locale: 'ko-KR' });
  const page = await canaryPage(context);
  await page.goto(server.base + path);
  // locked before signing in
  assert.equal(await page.isDisabled('#comment-body'), true);
  assert.match(await page.textContent('.comment-lock'), /please sign in/);
  assert.equal(await page.textContent('[data-counter]'), '(0/250자)');

  await signInThroughTheBox(page, '김독자');
  assert.equal(await page.textContent('[data-reader-name]'), '김독자');
  assert.equal(await page.isDisabled('#comment-body'), false);

  // the counter follows the typing, a syllable at a time
  await page.click('#comment-body');
  await page.keyboard.type('안녕');
  assert.equal(await page.textContent('[data-counter]'), '(2/250자)');
  await page.keyboard.type('하세요 👍🏽');
  assert.equal(await page.textContent('[data-counter]'), '(7/250자)');

  // exactly 250: accepted and shown
  const text250 = '가'.repeat(240) + '한국어 댓글입니다!';
  assert.equal([...new Intl.Segmenter('ko', { granularity: 'grapheme' }).segment(text250)].length, 250);
  await page.fill('#comment-body', text250);
  assert.equal(await page.textContent('[data-counter]'), '(250/250자)');
  await Promise.all([page.waitForNavigation(), page.click('[data-submit]')]);
  const posted = page.locator('.comment-text', { hasText: '한국어 댓글입니다!' });
  await posted.waitFor();
  assert.equal((await posted.textContent()).length, 250);

  // 251: refused with a clear message, the text stays
  await page.waitForSelector('[data-signed-in]:not([hidden])');
  const text251 = `${text250}더`;
  await page.fill('#comment-body', text251);
  assert.equal(await page.textContent('[data-counter]'), '(251/250자)');
  assert.equal(await page.getAttribute('[data-counter]', 'class'), 'counter over');
  await page.click('[data-submit]');
  await page.waitForSelector('[data-error]:not([hidden])');
  assert.match(await page.textContent('[data-error]'), /251 characters; at most 250/);
  assert.equal(await page.inputValue('#comment-body'), text251);
  assert.equal(new URL(page.url()).pathname, path, 'nothing was sent');

  // reply to the comment
  const comment = page.locator('.comment', { has: posted }).first();
  await comment.locator('[data-reply]').first().click();
  assert.equal(await page.isVisible('[data-replying]'), true);
  await page.fill('#comment-body', '답글: 동의합니다');
  await Promise.all([page.waitForNavigation(), page.click('[data-submit]')]);
  const reply = page.locator('.replies .comment-text', { hasText: '답글: 동의합니다' });
  await reply.waitFor();

  // another reader likes it and reports it
  const other = await browser.newContext({ locale: 'ko-KR' });
  const p2 = await canaryPage(other);
  await signInThroughTheBox(p2, 'Second Reader');
  const theirs = p2.locator('.comment', { has: p2.locator('.comment-text', { hasText: '한국어 댓글입니다!' }) }).first();
  await theirs.locator('[data-like]').first().click();
  await p2.waitForFunction(() => document.querySelector('[data-like][aria-pressed="true"] [data-likes]')?.textContent === '1');
  await Promise.all([p2.waitForNavigation(), theirs.locator('[data-report]').first().click()]);
  await p2.selectOption('#report-reason', 'spam');
  // the report form in the page's main part (the header has a search form too)
  await Promise.all([p2.waitForNavigation(), p2.click('#main form[action$="/report"] button[type=submit]')]);
  assert.match(await p2.textContent('#main h1'), /Thank you for your report/);
  await p2.goto(server.base + path);
  await p2.reload(); // a reader's reload revalidates; a plain visit may reuse the browser's copy for max-age
  assert.equal(await p2.textContent(`#${await comment.getAttribute('id')} [data-likes]`), '1');

  for (const p of [page, p2]) {
    assert.equal(await p.evaluate(() => window.__pwned), 0);
    assert.deepEqual(await p.evaluate(() => window.__csp), []);
    assert.deepEqual(p.errors, []);
  }
  await other.close();
  await context.close();
});

test('a moderator signs in to the newsroom, hides a comment and restores it', async () => {
  addStaff({ db: server.db }, { login: 'mod1', role: 'moderator', name: 'Mod One', password: 'Moderator-Pass-1' });
  const jar = new Jar();
  const c = await postComment(server, jar, articleId, 'to be moderated', { me: await signInDemo(server, jar, 'Moderated') });
  assert.equal(c.status, 200, c.text);
  const context = await browser.newContext();
  const page = await canaryPage(context);
  // the queue sends a stranger to the newsroom's sign-in, and back after it
  await page.goto(`${server.base}/newsroom/moderation`);
  assert.match(page.url(), /\/newsroom\/login\?next=%2Fnewsroom%2Fmoderation$/);
  await page.getByLabel('Login name').fill('mod1');
  await page.getByLabel('Password').fill('Moderator-Pass-1');
  await Promise.all([page.waitForURL(/\/newsroom\/moderation$/), page.getByRole('button', { name: 'Sign in' }).click()]);
  assert.match(await page.textContent('#main h1'), /Moderation queue/);
  assert.match(await page.textContent('#main'), /Signed in as Mod One/);
  await page.fill('#by-id', String(c.data.id));
  await Promise.all([page.waitForNavigation(), page.click('button[value=hide]')]);
  const article = await canaryPage(context);
  await article.goto(server.base + path);
  assert.equal(await article.locator('.comment-text', { hasText: 'to be moderated' }).count(), 0);
  // the hidden comment waits in the queue; approving it restores it
  await page.goto(`${server.base}/newsroom/moderation`);
  await Promise.all([page.waitForNavigation(), page.locator(`#q-${c.data.id} button[value=approve]`).click()]);
  await article.reload(); // revalidates: a plain visit may reuse the browser's copy for max-age
  assert.equal(await article.locator('.comment-text', { hasText: 'to be moderated' }).count(), 1);
  const log = await page.textContent('.modlog');
  assert.match(log, /Mod One\s*approve/);
  assert.match(log, /Mod One\s*hide/);
  for (const p of [page, article]) {
    assert.equal(await p.evaluate(() => window.__pwned), 0);
    assert.deepEqual(await p.evaluate(() => window.__csp), []);
  }
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('hostile comments and display names are shown inert: the canary never fires', async () => {
  const payloads = [
    '<script>window.__pwned=1</script>',
    '<img src=x onerror="window.__pwned=2">',
    'javascript:window.__pwned=3',
    '"><svg onload=window.__pwned=4>',
    'https://example.com/"onmouseover="window.__pwned=5"x',
    "https://example.com/'onfocus='window.__pwned=6'autofocus='",
    'https://example.com/</p><script>window.__pwned=7</script>',
    '<a href="javascript:window.__pwned=8">click</a>',
    '\u1112\u1161\u11ab\u1100\u1173\u11af \u202Eevil\u202C {{ site.name }} {% if 1 %}',
  ];
  const names = ['<script>window.__pwned=9</script>', '"><img src=x onerror=window.__pwned=10>', 'javascript:window.__pwned=11'];
  const s = await startServer({ config: { comments: { min_interval: 0, per_article: 0 } } });
  try {
    const id = articleIds(s.db)[0];
    const p = await articlePath(s, id);
    for (let i = 0; i < names.length; i++) {
      const jar = new Jar();
      const m = await signInDemo(s, jar, names[i]);
      for (let k = i; k < payloads.length; k += names.length) {
        const r = await postComment(s, jar, id, payloads[k], { me: { ...m, idem: `hostile-${k}-xxxxxxxx` } });
        assert.equal(r.status, 200, `${payloads[k]}: ${r.text}`);
      }
    }
    // broken UTF-8 and 100 KB bodies never make it in
    const jar = new Jar();
    const m = await signInDemo(s, jar, 'Sender');
    const broken = await fetch(`${s.base}/comments/${id}`, {
      method: 'POST', body: `csrf=${m.csrf}&body=%ff%fe%3Cscript%3E`,
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(broken.status, 400);
    assert.equal((await postComment(s, jar, id, 'x'.repeat(100 * 1024))).status, 422);

    const context = await browser.newContext();
    const page = await canaryPage(context);
    await page.goto(s.base + p);
    await page.waitForSelector('.comment-list');
    // every payload is on the page as text
    const texts = await page.$$eval('.comment-text', (els) => els.map((e) => e.textContent));
    for (const pl of payloads.slice(0, 8)) assert.ok(texts.some((t) => t.includes(pl)), `shown as text: ${pl}`);
    const authors = await page.$$eval('.comment-author', (els) => els.map((e) => e.textContent));
    for (const n of names) assert.ok(authors.includes(n), `name shown as text: ${n}`);
    assert.ok(texts.some((t) => t.includes('한글')), 'decomposed Hangul shown composed');
    // only http(s) links, each marked as user content
    const links = await page.$$eval('.comment-text a', (els) => els.map((a) => [a.getAttribute('href'), a.rel]));
    assert.ok(links.length >= 3);
    for (const [href, rel] of links) {
      assert.match(href, /^https?:\/\//);
      assert.equal(rel, 'nofollow ugc noopener');
    }
    // hover and focus everything in the comments, then look at the canary
    for (const a of await page.$$('.comment-list a')) {
      if (await a.isVisible()) { await a.hover(); await a.focus(); }
    }
    await page.mouse.move(0, 0);
    // sign in as one of the hostile names and use the box and the account page
    await page.goto(`${s.base}/signin/demo?return=${encodeURIComponent(p)}`);
    await page.fill('#demo-name', names[1]);
    await Promise.all([page.waitForNavigation(), page.click('form[action="/signin/demo"] button[type=submit]')]);
    await page.waitForSelector('[data-signed-in]:not([hidden])');
    assert.equal(await page.textContent('[data-reader-name]'), names[1]);
    await page.goto(`${s.base}/account/comments`);
    await page.goto(`${s.base}/comments/${id}/write?reply=1`);
    assert.equal(await page.evaluate(() => window.__pwned), 0, 'no payload ran');
    assert.deepEqual(await page.evaluate(() => window.__csp), [], 'no CSP violation');
    assert.deepEqual(page.errors, []);
    await context.close();
  } finally {
    await s.stop();
    s.cleanup();
  }
});
