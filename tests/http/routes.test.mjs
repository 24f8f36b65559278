// Every reader route: status and type; canonical redirects; the 404, 400
// and paging answers a reader or a crawler gets for a wrong address.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

import { articleLinks, get, run, startServer, tags, tempDir, textOf } from './lib.mjs';

let srv;
let dir;
let article;   // {path, id, slug} of a story in National > Politics
let author;    // "/author/<slug>" from its byline
let tag;       // "/tag/<slug>" from its topics

before(async () => {
  // the demo paper, and older copies of Society's stories so that National
  // (Politics and Society together) runs to a second page
  dir = tempDir();
  const db = join(dir, 't.db');
  assert.equal((await run(['init', '--demo', '--db', db], { cwd: dir })).code, 0);
  execFileSync('sqlite3', [db, `INSERT INTO articles(slug, headline, summary, body, credit, status, section_id,
    created_at, saved_at, published_at) SELECT a.slug || '-archive', a.headline || ' (archive)', a.summary, a.body,
    a.credit, a.status, a.section_id, a.created_at, a.saved_at, a.published_at - 400 * 86400
    FROM articles a JOIN sections s ON s.id = a.section_id WHERE s.slug = 'society' AND a.status = 'published'`]);
  srv = await startServer({ dir, db });
  const politics = await (await get(`${srv.url}/national/politics/`)).text();
  const path = articleLinks(politics)[0];
  assert.ok(path, 'the Politics page lists at least one article');
  const [, id, slug] = /^\/article\/(\d+)\/(.+)$/.exec(path);
  article = { path, id, slug };
  const html = await (await get(`${srv.url}${path}`)).text();
  author = tags(html, 'a').find((t) => t.attrs.rel === 'author')?.attrs.href;
  tag = tags(html, 'a').find((t) => t.attrs.rel === 'tag')?.attrs.href;
  assert.match(author ?? '', /^\/author\/[^/]+$/, 'the article has an author link');
  assert.match(tag ?? '', /^\/tag\/[^/]+$/, 'the article has a tag link');
});

after(async () => {
  await srv?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Asserts an HTML page that looks like the paper: masthead, nav, footer. */
function assertPaperPage(html, what) {
  assert.match(html, /^<!doctype html>/i, `${what}: an HTML document`);
  assert.match(html, /<header class="masthead">/, `${what}: has the masthead`);
  assert.match(html, /<a class="nameplate" href="\/">[^<]+<\/a>/, `${what}: has the nameplate`);
  assert.match(html, /<nav class="section-nav" aria-label="Sections">/, `${what}: has the section nav`);
  assert.match(html, /<footer class="site-footer">/, `${what}: has the footer`);
  assert.match(html, /<\/html>\s*$/, `${what}: complete`);
}

describe('reader routes answer 200 with the right type', () => {
  const html = 'text/html; charset=utf-8';
  const cases = () => [
    ['/', html],
    ['/national/', html],
    ['/national/politics/', html],
    ['/business/', html],
    ['/culture/', html],
    ['/sports/', html],
    ['/opinion/', html],
    [article.path, html],
    [`${article.path}/print`, html],
    [author, html],
    [tag, html],
    ['/robots.txt', 'text/plain; charset=utf-8'],
    ['/healthz', 'text/plain; charset=utf-8'],
    ['/static/css/site.css', 'text/css'],
    ['/static/css/print.css', 'text/css'],
    ['/static/js/site.js', 'application/javascript'],
    ['/static/img/favicon.svg', 'image/svg+xml'],
  ];

  test('each route', async () => {
    for (const [path, type] of cases()) {
      const res = await get(`${srv.url}${path}`);
      assert.equal(res.status, 200, `GET ${path}`);
      assert.equal(res.headers.get('content-type'), type, `content type of ${path}`);
      const body = await res.text();
      assert.ok(body.length > 0, `${path} has a body`);
      if (type === html && !path.endsWith('/print')) assertPaperPage(body, path);
    }
  });

  test('the front page leads with a story and shows each section with stories', async () => {
    const body = await (await get(`${srv.url}/`)).text();
    assert.match(body, /<article class="lead">/);
    assert.match(textOf(body, '<h2 class="lead-headline">', 'h2') ?? '', /\w{3,}/);
    const [, top = ''] = /<section class="front-top"[^>]*>([\s\S]*?)<\/section>/.exec(body) ?? [];
    const topStories = articleLinks(top);
    assert.ok(topStories.length >= 1, 'the top stories include the lead');
    const blocks = new Map();
    for (const m of body.matchAll(/<section class="front-section"[^>]*>\s*<h2 class="section-title"[^>]*><a href="([^"]+)">[^<]+<\/a><\/h2>([\s\S]*?)<\/section>/g)) {
      blocks.set(m[1], articleLinks(m[2]));
    }
    // a top-level section with a story beyond the top stories has a block
    // of its newest such stories
    for (const path of ['/national/', '/business/', '/culture/', '/sports/', '/opinion/']) {
      const list = articleLinks(await (await get(`${srv.url}${path}`)).text());
      const rest = list.filter((a) => !topStories.includes(a));
      if (rest.length === 0) {
        assert.ok(!blocks.has(path), `${path}: no empty block`);
        continue;
      }
      assert.ok(blocks.has(path), `${path} has a block on the front page`);
      assert.deepEqual(blocks.get(path), rest.slice(0, blocks.get(path).length),
        `${path}'s block shows its newest stories`);
      assert.ok(blocks.get(path).length >= Math.min(rest.length, 3), `${path}'s block is not cut short`);
    }
    const all = [...body.matchAll(/<h[23] class="(?:lead|card)-headline"><a href="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(all.length >= 2);
    assert.equal(new Set(all).size, all.length, 'no story twice on the front page');
  });

  test('section pages list their stories and sub-sections', async () => {
    const national = await (await get(`${srv.url}/national/`)).text();
    assert.equal(textOf(national, '<h1 class="list-title">', 'h1'), 'National');
    assert.match(national, /<nav class="subsections"[^>]*><ul><li><a href="\/national\/politics\/">Politics<\/a>/);
    assert.ok(articleLinks(national).length >= 1, 'National lists stories');
    assert.ok(articleLinks(national).includes(article.path), 'National includes its Politics stories');
    const politics = await (await get(`${srv.url}/national/politics/`)).text();
    assert.equal(textOf(politics, '<h1 class="list-title">', 'h1'), 'Politics');
    assert.equal(textOf(politics, '<nav class="breadcrumb"[^>]*>', 'nav'), 'HomeNationalPolitics');
  });

  test('author and tag pages list the article they came from', async () => {
    for (const path of [author, tag]) {
      const body = await (await get(`${srv.url}${path}`)).text();
      assert.ok(articleLinks(body).includes(article.path), `${path} lists ${article.path}`);
    }
  });

  test('robots.txt keeps crawlers out of print views and the newsroom', async () => {
    const body = await (await get(`${srv.url}/robots.txt`)).text();
    assert.match(body, /^User-agent: \*$/m);
    assert.match(body, /^Disallow: \/article\/\*\/print$/m);
  });
});

describe('canonical URLs', () => {
  async function redirect(path) {
    const res = await get(`${srv.url}${path}`);
    const loc = res.headers.get('location');
    return { status: res.status, location: loc && new URL(loc, srv.url).pathname + new URL(loc, srv.url).search };
  }

  test('a wrong slug redirects 301 to the right one', async () => {
    assert.deepEqual(await redirect(`/article/${article.id}/not-the-slug`),
      { status: 301, location: article.path });
    assert.deepEqual(await redirect(`/article/${article.id}/${article.slug}x`),
      { status: 301, location: article.path });
  });

  test('a wrong slug on the print view redirects to the right print view', async () => {
    assert.deepEqual(await redirect(`/article/${article.id}/not-the-slug/print`),
      { status: 301, location: `${article.path}/print` });
  });

  test('/article/<id> redirects 301 to the full address', async () => {
    assert.deepEqual(await redirect(`/article/${article.id}`), { status: 301, location: article.path });
  });

  test('a section without its trailing slash redirects 301', async () => {
    assert.deepEqual(await redirect('/national'), { status: 301, location: '/national/' });
    assert.deepEqual(await redirect('/national/politics'), { status: 301, location: '/national/politics/' });
  });

  test('the redirect target answers 200', async () => {
    const res = await fetch(`${srv.url}/article/${article.id}/wrong`);
    assert.equal(res.status, 200);
    assert.equal(new URL(res.url).pathname, article.path);
  });
});

describe('wrong addresses get a 404 page that looks like the paper', () => {
  const paths = [
    '/article/999999/no-such-story',
    '/article/999999',
    '/article/abc/some-slug',
    '/article/abc',
    '/article/0/zero',
    '/article/-1/minus',
    '/article/1.5/fraction',
    '/article/99999999999999999999999/overflow',
    '/no-such-section/',
    '/national/no-such-desk/',
    '/author/nobody-by-this-name',
    '/tag/no-such-topic',
    '/static/no-such-file.css',
    '/robots.txt/extra',
  ];
  test('each', async () => {
    for (const path of paths) {
      const res = await get(`${srv.url}${path}`);
      assert.equal(res.status, 404, `GET ${path}`);
      if (path.startsWith('/static/')) continue; // h2o's file handler answers plainly
      assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8', path);
      assert.equal(res.headers.get('cache-control'), 'no-store', `${path} is not cached`);
      const body = await res.text();
      assertPaperPage(body, `404 for ${path}`);
      assert.match(body, /<h1>Page not found<\/h1>/, `${path}: says what happened`);
      assert.match(body, /<meta name="robots" content="noindex">/, `${path}: not indexed`);
      assert.match(body, /<a href="\/">Go to the front page<\/a>/, `${path}: a way back`);
    }
  });
});

describe('paging', () => {
  test('?page=0, ?page=abc and other junk are 400 with the paper\'s page', async () => {
    for (const q of ['page=0', 'page=abc', 'page=-1', 'page=1.5', 'page=', 'page=99999999999']) {
      for (const base of ['/national/', author, tag]) {
        const res = await get(`${srv.url}${base}?${q}`);
        assert.equal(res.status, 400, `GET ${base}?${q}`);
        assertPaperPage(await res.text(), `${base}?${q}`);
      }
    }
  });

  test('page 1 is the list itself; a page past the end is 404', async () => {
    const first = await (await get(`${srv.url}/national/?page=1`)).text();
    const plain = await (await get(`${srv.url}/national/`)).text();
    assert.deepEqual(articleLinks(first), articleLinks(plain));
    for (const base of ['/national/', author, tag]) {
      const res = await get(`${srv.url}${base}?page=500`);
      assert.equal(res.status, 404, `GET ${base}?page=500`);
      assertPaperPage(await res.text(), `${base}?page=500`);
    }
  });

  test('pager links lead to pages that exist and do not repeat stories', async (t) => {
    let start;
    for (const base of ['/national/', '/business/', '/culture/', '/sports/', '/opinion/']) {
      const html = await (await get(`${srv.url}${base}`)).text();
      if (tags(html, 'a').some((a) => a.attrs.rel === 'next')) start = base;
    }
    if (!start) {
      t.skip('no section of the demo paper has more than one page of stories yet');
      return;
    }
    const seen = new Set();
    let url = start;
    let pages = 0;
    while (url && pages < 50) {
      const res = await get(`${srv.url}${url}`);
      assert.equal(res.status, 200, `GET ${url}`);
      const html = await res.text();
      const links = articleLinks(html);
      assert.ok(links.length > 0, `${url} lists stories`);
      for (const a of links) {
        assert.ok(!seen.has(a), `${a} appears on two pages`);
        seen.add(a);
      }
      url = tags(html, 'a').find((a) => a.attrs.rel === 'next')?.attrs.href;
      pages++;
    }
    assert.ok(pages >= 2);
  });
});
