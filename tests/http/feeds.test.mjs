// Feeds, sitemaps, robots.txt and the ninjs API, read the way their users
// read them: RSS and Atom through Debian's python3-feedparser, XML checked
// by xmllint, the Google News rules, JSON Feed against its specification.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  ROOT, tmpdir, startServer, writeWxr, importWxr, sql,
} from './distribution-lib.mjs';

const HOUR = 3600 * 1000;
const now = Math.floor(Date.now() / 1000) * 1000;
const dir = tmpdir();
const db = path.join(dir, 'feeds.db');
let srv;
let correctedAt;

const posts = [
  { id: 201, title: 'Leaders gather for two summits', slug: 'leaders-summits', author: 'mina',
    category: 'asia', tags: ['Diplomacy', 'Shipping'], time: now - 3 * HOUR,
    excerpt: 'Two meetings & one statement.',
    html: '<p>Heads of government met twice.</p><p>A <strong>joint statement</strong> followed.</p>' },
  { id: 202, title: '서울에서 열린 시장선거 토론회', slug: 'seoul-debate', author: 'mina',
    category: 'asia', tags: ['선거'], time: now - 5 * HOUR,
    html: '<p>서울에서 시장선거 후보들이 토론회를 열었다.</p>' },
  { id: 203, title: 'Harbour ferry timetable <changes> on Monday', slug: 'ferry', author: 'tom',
    category: 'uncategorized', tags: ['Shipping'], time: now - 60 * HOUR,
    html: 'The morning ferry leaves earlier.\n\nThe evening service is unchanged.' },
  { id: 204, title: 'Embargoed summit communique', slug: 'communique', author: 'tom',
    category: 'world', status: 'future', time: now + 240 * HOUR, html: '<p>Later.</p>' },
  { id: 205, title: 'Draft summit notes', author: 'tom', category: 'world', status: 'draft',
    html: 'Not yet.' },
];

function feedparse(url) {
  const out = execFileSync('/usr/bin/python3', [path.join(ROOT, 'tests/http/feedcheck.py'), url],
    { encoding: 'utf8' });
  return JSON.parse(out);
}

function xmllint(text) {
  const f = path.join(dir, `doc-${Math.random().toString(36).slice(2)}.xml`);
  fs.writeFileSync(f, text);
  execFileSync('xmllint', ['--noout', '--nonet', f]); // throws when not well-formed
}

async function get(p, headers = {}) {
  const r = await fetch(srv.url + p, { headers });
  return { status: r.status, headers: r.headers, text: await r.text() };
}

before(async () => {
  writeWxr(path.join(dir, 'export.xml'), {
    authors: [{ login: 'mina', name: 'Cho Mi-na', email: 'mina@old.example' },
      { login: 'tom', name: 'Tom Reyes', email: 'tom@old.example' }],
    categories: [{ slug: 'world', name: 'World' }, { slug: 'asia', name: 'Asia', parent: 'world' }],
  }, posts);
  await importWxr(db, path.join(dir, 'export.xml'));
  // a correction, written as the newsroom writes one: the note, then the
  // article's updated time and version
  correctedAt = Math.floor(now / 1000) - 3600;
  sql(db, `INSERT INTO corrections(article_id, kind, text, at_top, created_at)
           VALUES (1, 'correction', 'The meeting was in the capital, not the harbour.', 0, ${correctedAt});
           UPDATE articles SET updated_at = ${correctedAt}, version = version + 1 WHERE id = 1;`);
  srv = await startServer({ db });
});

after(async () => {
  await srv?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('RSS 2.0 read by feedparser: titles, links, guids, dates, authors', async () => {
  const r = await get('/feed.xml');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /application\/rss\+xml/);
  xmllint(r.text);
  const f = feedparse(`${srv.url}/feed.xml`);
  assert.equal(f.bozo, false, f.bozo_exception);
  assert.equal(f.version, 'rss20');
  assert.equal(f.feed.title, 'The Broadsheet');
  assert.equal(f.feed.link, `${srv.url}/`);
  assert.deepEqual(f.entries.map((e) => e.title), [
    'Leaders gather for two summits', '서울에서 열린 시장선거 토론회',
    'Harbour ferry timetable <changes> on Monday']);
  const [e] = f.entries;
  assert.equal(e.link, `${srv.url}/article/1/leaders-summits`);
  assert.equal(e.id, `${srv.url}/article/1`, 'guid is the permanent address');
  assert.match(r.text, new RegExp(`<guid isPermaLink="true">${srv.url}/article/1</guid>`));
  assert.equal(e.published, (now - 3 * HOUR) / 1000);
  assert.equal(e.updated, correctedAt, 'updated follows the correction');
  assert.equal(e.author, 'Cho Mi-na');
  assert.deepEqual(e.tags, ['Diplomacy', 'Shipping']);
  assert.equal(e.summary, 'Two meetings & one statement.');
  assert.match(e.content[0], /<strong>joint statement<\/strong>/, 'full text by default');
  // the Korean article's canonical URL is percent-encoded, never raw
  assert.equal(f.entries[1].link, `${srv.url}/article/2/seoul-debate`);
});

test('Atom read by feedparser: tag: ids stay put, updated follows corrections', async () => {
  const r = await get('/atom.xml');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /application\/atom\+xml/);
  xmllint(r.text);
  const f = feedparse(`${srv.url}/atom.xml`);
  assert.equal(f.bozo, false, f.bozo_exception);
  assert.equal(f.version, 'atom10');
  assert.equal(f.feed.updated, correctedAt);
  assert.ok(f.feed.links.some((l) => l.rel === 'self' && l.href === `${srv.url}/atom.xml`));
  const [e] = f.entries;
  const day = new Date(now - 3 * HOUR).toISOString().slice(0, 10);
  assert.equal(e.id, `tag:127.0.0.1,${day}:article:1`);
  assert.equal(e.updated, correctedAt);
  assert.equal(e.published, (now - 3 * HOUR) / 1000);
  assert.deepEqual(e.authors, ['Cho Mi-na']);
  assert.equal(e.link, `${srv.url}/article/1/leaders-summits`);
  // an entry without a correction is updated when it was published
  assert.equal(f.entries[2].updated, (now - 60 * HOUR) / 1000);
});

test('JSON Feed 1.1 has what the specification requires', async () => {
  const r = await get('/feed.json');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /application\/feed\+json/);
  const j = JSON.parse(r.text);
  assert.equal(j.version, 'https://jsonfeed.org/version/1.1');
  assert.equal(j.title, 'The Broadsheet');
  assert.equal(j.feed_url, `${srv.url}/feed.json`);
  assert.equal(j.items.length, 3);
  for (const it of j.items) {
    assert.equal(typeof it.id, 'string');
    assert.ok(it.content_html || it.content_text, 'an item needs content_html or content_text');
    assert.ok(!Number.isNaN(Date.parse(it.date_published)));
  }
  const atomId = feedparse(`${srv.url}/atom.xml`).entries[0].id;
  assert.equal(j.items[0].id, atomId, 'the same stable id in every format');
  assert.equal(j.items[0].date_modified, new Date(correctedAt * 1000).toISOString().replace('.000', ''));
  assert.deepEqual(j.items[0].authors.map((a) => a.name), ['Cho Mi-na']);
});

test('feeds per section (with sub-sections), author and tag', async () => {
  const world = feedparse(`${srv.url}/world/feed.xml`);
  assert.equal(world.bozo, false, world.bozo_exception);
  assert.equal(world.entries.length, 3, 'World includes Asia');
  assert.equal(world.feed.link, `${srv.url}/world/`);
  const asia = feedparse(`${srv.url}/world/asia/atom.xml`);
  assert.deepEqual(asia.entries.map((e) => e.title),
    ['Leaders gather for two summits', '서울에서 열린 시장선거 토론회']);
  const tom = feedparse(`${srv.url}/author/tom-reyes/feed.xml`);
  assert.deepEqual(tom.entries.map((e) => e.title), ['Harbour ferry timetable <changes> on Monday']);
  const shipping = JSON.parse((await get('/tag/shipping/feed.json')).text);
  assert.equal(shipping.items.length, 2);
  const korean = feedparse(`${srv.url}/tag/${encodeURIComponent('선거')}/atom.xml`);
  assert.equal(korean.entries.length, 1);
  for (const p of ['/nowhere/feed.xml', '/author/nobody/atom.xml', '/tag/nothing/feed.json',
    '/world/asia/nothing/feed.xml']) {
    assert.equal((await get(p)).status, 404, p);
  }
});

test('pages announce their feeds (autodiscovery)', async () => {
  const front = (await get('/')).text;
  assert.match(front, /<link rel="alternate" type="application\/rss\+xml" title="The Broadsheet \(RSS\)" href="\/feed.xml">/);
  assert.match(front, /<link rel="alternate" type="application\/atom\+xml"[^>]* href="\/atom.xml">/);
  assert.match(front, /<link rel="alternate" type="application\/feed\+json"[^>]* href="\/feed.json">/);
  const asia = (await get('/world/asia/')).text;
  assert.match(asia, /title="Asia \(RSS\)" href="\/world\/asia\/feed.xml"/);
  const author = (await get('/author/cho-mi-na')).text;
  assert.match(author, /href="\/author\/cho-mi-na\/atom.xml"/);
  const tag = (await get('/tag/diplomacy')).text;
  assert.match(tag, /href="\/tag\/diplomacy\/feed.json"/);
});

test('feeds are cached with surrogate keys that publishing can purge', async () => {
  const a = await get('/feed.xml');
  const b = await get('/feed.xml');
  assert.equal(a.headers.get('etag'), b.headers.get('etag'));
  const keys = b.headers.get('xkey').split(' ');
  for (const k of ['feeds', 'a:1', 'a:2', 'a:3']) assert.ok(keys.includes(k), `${k} in ${keys}`);
  assert.match(b.headers.get('cache-control'), /public/);
  const sec = (await get('/world/asia/feed.xml')).headers.get('xkey').split(' ');
  assert.ok(sec.includes('s:2'), sec.join(' '));
});

test('sitemap index, parts, and robots.txt naming them', async () => {
  const robots = (await get('/robots.txt')).text;
  assert.match(robots, new RegExp(`^Sitemap: ${srv.url}/sitemap.xml$`, 'm'));
  assert.match(robots, new RegExp(`^Sitemap: ${srv.url}/sitemap-news.xml$`, 'm'));
  const index = await get('/sitemap.xml');
  assert.equal(index.status, 200);
  xmllint(index.text);
  assert.match(index.text, /<sitemapindex xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">/);
  const locs = [...index.text.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
  assert.deepEqual(locs, [`${srv.url}/sitemap-pages.xml`, `${srv.url}/sitemap-articles-1.xml`,
    `${srv.url}/sitemap-news.xml`]);
  for (const loc of locs) {
    const r = await get(loc.slice(srv.url.length));
    assert.equal(r.status, 200, loc);
    xmllint(r.text);
    // publishing and section changes purge every sitemap
    const keys = r.headers.get('xkey').split(' ');
    for (const k of ['feeds', 'sitemaps', 'sections']) assert.ok(keys.includes(k), `${k} in ${loc}: ${keys}`);
  }
  assert.ok((await get('/sitemap-news.xml')).headers.get('xkey').split(' ').includes('a:1'), 'the news sitemap names its articles');
  const part = (await get('/sitemap-articles-1.xml')).text;
  const urls = [...part.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
  assert.deepEqual(urls, [`${srv.url}/article/1/leaders-summits`, `${srv.url}/article/2/seoul-debate`,
    `${srv.url}/article/3/ferry`], 'published articles only');
  assert.match(part, new RegExp(`<lastmod>${new Date(correctedAt * 1000).toISOString().replace('.000', '')}</lastmod>`));
  assert.equal((await get('/sitemap-articles-2.xml')).status, 404);
  const pages = (await get('/sitemap-pages.xml')).text;
  assert.match(pages, new RegExp(`<loc>${srv.url}/world/asia/</loc>`));
  assert.match(pages, new RegExp(`<loc>${srv.url}/author/tom-reyes</loc>`));
});

test('Google News sitemap: namespace, publication, 48 hours', async () => {
  const r = await get('/sitemap-news.xml');
  xmllint(r.text);
  assert.match(r.text, /xmlns:news="http:\/\/www.google.com\/schemas\/sitemap-news\/0.9"/);
  const items = [...r.text.matchAll(/<url>([\s\S]*?)<\/url>/g)].map((m) => m[1]);
  assert.equal(items.length, 2, 'the 60-hour-old article is left out');
  for (const it of items) {
    assert.match(it, /<news:name>The Broadsheet<\/news:name>/);
    assert.match(it, /<news:language>en<\/news:language>/);
    const when = Date.parse(it.match(/<news:publication_date>([^<]+)</)[1]);
    assert.ok(now - when <= 48 * HOUR && when <= Date.now(), it);
  }
  assert.match(items[0], /<news:title>Leaders gather for two summits<\/news:title>/);
});

test('ninjs 2 and 3: corrections signalled, version bumped, drafts hidden', async () => {
  const v2 = await get('/api/ninjs/articles/1?version=2');
  assert.equal(v2.status, 200);
  assert.match(v2.headers.get('content-type'), /application\/json/);
  const a = JSON.parse(v2.text);
  assert.equal(a.uri, feedparse(`${srv.url}/atom.xml`).entries[0].id);
  assert.equal(a.version, '2', 'the correction raised the version');
  assert.equal(a.versioncreated, new Date(correctedAt * 1000).toISOString().replace('.000', ''));
  assert.equal(a.headlines[0].value, 'Leaders gather for two summits');
  const corr = a.descriptions.find((d) => d.role === 'correction');
  assert.match(corr.value, /in the capital, not the harbour/);
  assert.match(a.ednote, /^Corrected: /);
  assert.equal(a.standard.version, '2.1');
  assert.equal(a.bodies[0].contenttype, 'text/html');
  assert.ok(v2.headers.get('xkey').split(' ').includes('a:1'));

  const v3 = JSON.parse((await get('/api/ninjs/articles/1?version=3')).text);
  assert.equal(v3.standard.version, '3.0');
  assert.ok(v3.versionCreated && v3.pubStatus && v3.edNote && !v3.versioncreated);
  // asked for with a profile in Accept, on the address without ?version
  const byAccept = await get('/api/ninjs/articles/1', {
    accept: 'application/json; profile="http://www.iptc.org/std/ninjs/ninjs-schema_3.0.json"' });
  assert.equal(JSON.parse(byAccept.text).standard.version, '3.0');
  assert.match(byAccept.headers.get('vary'), /^Accept\b/, 'caches keep the answers apart');
  assert.equal(JSON.parse((await get('/api/ninjs/articles/1')).text).standard.version, '2.1');

  for (const id of [4, 5, 99, 'x']) {
    const r = await get(`/api/ninjs/articles/${id}?version=2`);
    assert.equal(r.status, 404, `article ${id}`);
    assert.equal(JSON.parse(r.text).error, 'no such article');
  }
  assert.equal((await get('/api/ninjs/articles/1?version=7')).status, 400);
  const list = JSON.parse((await get('/api/ninjs/articles?version=2')).text);
  assert.deepEqual(list.items.map((i) => i.headlines[0].value), [
    'Leaders gather for two summits', '서울에서 열린 시장선거 토론회',
    'Harbour ferry timetable <changes> on Monday']);
  const asia = JSON.parse((await get('/api/ninjs/articles?version=2&section=world/asia')).text);
  assert.equal(asia.items.length, 2);
});

test('summaries only when the configuration says so', async () => {
  const s2 = await startServer({ db, sections: { feeds: { full_text: 'false', items: 2 } } });
  try {
    const f = feedparse(`${s2.url}/feed.xml`);
    assert.equal(f.entries.length, 2, 'items = 2');
    assert.deepEqual(f.entries[0].content, [], 'no full text');
    assert.equal(f.entries[0].summary, 'Two meetings & one statement.');
    const j = JSON.parse(await (await fetch(`${s2.url}/feed.json`)).text());
    assert.equal(j.items[0].content_html, undefined);
    assert.equal(j.items[0].content_text, 'Two meetings & one statement.');
  } finally {
    await s2.stop();
  }
});
