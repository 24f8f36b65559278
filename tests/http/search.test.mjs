// /search as a reader uses it: English with stemming, Korean inside longer
// words and as phrases, nothing found, paging, a section filter, marked
// matches that stay escaped, and hostile or huge queries answered with a
// sentence, never an error page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { tmpdir, startServer, writeWxr, importWxr } from './distribution-lib.mjs';

const HOUR = 3600 * 1000;
const now = Date.now();
const dir = tmpdir();
const db = path.join(dir, 'search.db');
let srv;

const posts = [
  { id: 1, title: 'Leaders meet at two summits', slug: 'summits', category: 'world', time: now - HOUR,
    html: '<p>The budget talks ended late on Tuesday after both summits.</p>' },
  { id: 2, title: '서울에서 열린 시장선거 토론회', slug: 'seoul', category: 'seoul', time: now - 2 * HOUR,
    html: '<p>앞부분은 다른 이야기입니다. 후보들은 서울에서 교통과 주택을 두고 맞섰다.</p>' },
  { id: 3, title: 'A <b>bold</b> summit headline & more', slug: 'bold', category: 'world',
    time: now - 3 * HOUR, html: '<p>The summit text with &lt;script&gt; in it.</p>' },
  { id: 4, title: 'Summit communique under embargo', slug: 'embargo', category: 'world',
    status: 'future', time: now + 48 * HOUR, html: '<p>Embargoed summit text.</p>' },
  { id: 5, title: 'Draft about the summit', category: 'world', status: 'draft', html: 'Draft.' },
];
for (let i = 0; i < 23; i++) {
  posts.push({ id: 100 + i, title: `Harbour report number ${i + 1}`, slug: `harbour-${i + 1}`,
    category: i % 2 ? 'world' : 'seoul', time: now - (10 + i) * HOUR,
    html: `<p>The harbour was busy on day ${i + 1}.</p>` });
}

async function search(q, extra = '') {
  const r = await fetch(`${srv.url}/search?q=${encodeURIComponent(q)}${extra}`);
  return { status: r.status, type: r.headers.get('content-type'), html: await r.text() };
}

const titles = (html) => [...html.matchAll(/<h2 class="card-headline"><a href="[^"]*">([\s\S]*?)<\/a><\/h2>/g)]
  .map((m) => m[1].replace(/<\/?mark>/g, ''));

before(async () => {
  writeWxr(path.join(dir, 'export.xml'), {
    categories: [{ slug: 'world', name: 'World' }, { slug: 'seoul', name: 'Seoul' }],
  }, posts);
  await importWxr(db, path.join(dir, 'export.xml'));
  srv = await startServer({ db });
});

after(async () => {
  await srv?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('English: "summit" finds "summits", published articles only', async () => {
  const r = await search('summit');
  assert.equal(r.status, 200);
  assert.deepEqual(titles(r.html).sort(),
    ['A &lt;b&gt;bold&lt;/b&gt; summit headline &amp; more', 'Leaders meet at two summits']);
  assert.match(r.html, /2 results for &ldquo;summit&rdquo;/);
  assert.match(r.html, /Leaders meet at two <mark>summits<\/mark>/, 'the match is marked');
  assert.doesNotMatch(r.html, /embargo|Draft about/i, 'embargoed and draft articles never match');
});

test('matches are marked but the text stays escaped', async () => {
  const r = await search('bold');
  assert.match(r.html, /A &lt;<mark>b<\/mark>&gt;<mark>bold<\/mark>&lt;\/b&gt;|A &lt;b&gt;<mark>bold<\/mark>&lt;\/b&gt;/);
  assert.doesNotMatch(r.html, /<b>bold<\/b>/);
  const s = await search('script');
  assert.match(s.html, /&lt;<mark>script<\/mark>&gt;/);
  assert.doesNotMatch(s.html, /<script>/);
});

test('Korean: 서울 inside 서울에서, a longer word, and a phrase', async () => {
  for (const q of ['서울', '시장선거', '선거', '"서울에서 열린"', '토론회']) {
    const r = await search(q);
    assert.equal(r.status, 200, q);
    assert.deepEqual(titles(r.html), ['서울에서 열린 시장선거 토론회'], q);
  }
  const r = await search('서울');
  assert.match(r.html, /<mark>서울<\/mark>에서 열린 시장선거 토론회/, 'headline marked');
  assert.match(r.html, /<p class="search-excerpt">[^<]*<mark>서울<\/mark>에서 교통과/,
    'the excerpt shows where it was found');
  // decomposed jamo (NFD), as some systems send it, finds the same
  const nfd = await search('서울'.normalize('NFD'));
  assert.deepEqual(titles(nfd.html), ['서울에서 열린 시장선거 토론회']);
  assert.deepEqual(titles((await search('"열린 서울에서"')).html), [], 'a phrase keeps its order');
});

test('a phrase in English', async () => {
  assert.deepEqual(titles((await search('"budget talks"')).html), ['Leaders meet at two summits']);
  assert.deepEqual(titles((await search('"talks budget"')).html), []);
});

test('nothing found says so', async () => {
  const r = await search('volcano');
  assert.equal(r.status, 200);
  assert.match(r.html, /Nothing matched &ldquo;volcano&rdquo;/);
  assert.doesNotMatch(r.html, /class="search-result"/);
  const k = await search('부산');
  assert.match(k.html, /Nothing matched/);
});

test('paging and the section filter', async () => {
  const p1 = await search('harbour');
  assert.match(p1.html, /23 results for/);
  assert.equal(titles(p1.html).length, 10);
  assert.match(p1.html, /<a rel="next" href="\/search\?q=harbour&amp;page=2">/);
  const p3 = await search('harbour', '&page=3');
  assert.equal(titles(p3.html).length, 3);
  assert.match(p3.html, /Page 3 of 3/);
  const p9 = await search('harbour', '&page=9');
  assert.equal(p9.status, 400);
  assert.match(p9.html, /no more results/);
  const seoul = await search('harbour', '&section=seoul');
  assert.match(seoul.html, /12 results for/);
  assert.match(seoul.html, /<option value="seoul" selected>/);
  assert.match(seoul.html, /<a rel="next" href="\/search\?q=harbour&amp;section=seoul&amp;page=2">/);
});

test('hostile queries are text, never FTS5 syntax, never a 500', async () => {
  const hostile = ['NEAR(summit budget)', 'summit OR volcano', 'headline:summit', 'body : summit',
    '{headline}: x', '^summit', 'summit*', '*', '"', '""', '(((', 'a AND', 'NOT', '-summit',
    "'; DROP TABLE articles; --", '\\', 'summit\u200b', '<script>alert(1)</script>',
    '%', '100%', '서울*', 'e\u0301t\u0301e\u0301'];
  for (const q of hostile) {
    const r = await search(q);
    assert.ok([200, 400].includes(r.status), `${JSON.stringify(q)}: ${r.status}`);
    assert.match(r.type, /^text\/html/);
    assert.doesNotMatch(r.html, /<script>alert/, JSON.stringify(q));
    assert.match(r.html, /<form class="search-form"/, `${JSON.stringify(q)}: the search page, not an error page`);
  }
  // a NUL byte never reaches the page: the server refuses the address itself
  assert.equal((await search('a\u0000b')).status, 400);
  // operators are words to look for, not operators
  assert.deepEqual(titles((await search('summit OR volcano')).html), []);
  assert.deepEqual(titles((await search('summit*')).html).length, 2, 'a trailing * is a prefix');
});

test('a bad or huge query gets a clear answer', async () => {
  const long = await search('summit '.repeat(40));
  assert.equal(long.status, 400);
  assert.match(long.html, /too long: use at most 200 characters/);
  assert.match(long.html, /role="alert"/);
  const quote = await search('"summit budget');
  assert.equal(quote.status, 400);
  assert.match(quote.html, /quotation mark/);
  const many = await search('a b c d e f g h i j k l m n');
  assert.equal(many.status, 400);
  assert.match(many.html, /too many words/);
  const empty = await search('!!! ???');
  assert.equal(empty.status, 400);
  assert.match(empty.html, /Type one or more words/);
  const page = await search('summit', '&page=abc');
  assert.equal(page.status, 400);
  const bare = await fetch(`${srv.url}/search`);
  assert.equal(bare.status, 200);
  assert.doesNotMatch(await bare.text(), /search-message/);
  const bad = await fetch(`${srv.url}/search?q=%FF%FE`);
  assert.equal(bad.status, 400, 'not UTF-8');
});

test('the search box is on every page, and results are not indexed', async () => {
  for (const p of ['/', '/world/', '/article/1/summits', '/search?q=x', '/no-such-page/']) {
    const html = await (await fetch(srv.url + p)).text();
    assert.match(html, /<form class="search-box" role="search" action="\/search" method="get">/, p);
  }
  const r = await search('summit');
  assert.match(r.html, /<meta name="robots" content="noindex">/);
  assert.match(r.html, /<input type="search" id="site-search" name="q" value="summit"/);
});

test('articles published later are found without a restart', async () => {
  // the watcher thread and the search page both bring the index up to date
  const extra = path.join(dir, 'later.xml');
  writeWxr(extra, { categories: [{ slug: 'world', name: 'World' }] }, [
    { id: 900, title: 'Volcano erupts near the coast', slug: 'volcano', category: 'world',
      time: now - 60 * 1000, html: '<p>Ash fell on the harbour.</p>' }]);
  await importWxr(db, extra);
  assert.deepEqual(titles((await search('volcano')).html), ['Volcano erupts near the coast']);
});
