// A WordPress export of 10,000 posts with 30,000 comments, generated here,
// imports completely; a second run imports nothing twice; the result is
// served: sitemaps, the Google News cap, search, feeds, and the comments
// under their articles (replies in their threads), by commenters of their
// own that nobody signing in is joined to. Under AddressSanitizer
// the export is smaller (2,000 posts) to keep the run short.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  BIN, tmpdir, run, startServer, sql, wxrHead, wxrItem, wxrTail, writeWxr, UNDER_ASAN,
} from './distribution-lib.mjs';

const POSTS = UNDER_ASAN ? 2000 : 10000;
const COMMENTS_EACH = 3;
const RECENT = 1100; // within the last two days: more than Google News takes
const HOUR = 3600 * 1000;
const now = Date.now();
const dir = tmpdir();
const db = path.join(dir, 'big.db');
const file = path.join(dir, 'big-export.xml');

const authors = ['ana', 'ben', 'chae', 'dong', 'eun'].map((l) => ({
  login: l, name: `${l[0].toUpperCase()}${l.slice(1)} Writer`, email: `${l}@old.example` }));
const categories = [
  { slug: 'news', name: 'News' }, { slug: 'local', name: 'Local', parent: 'news' },
  { slug: 'sport', name: 'Sport' }, { slug: 'arts', name: 'Arts' },
];
const words = ['harbour', 'council', 'ferry', 'market', 'festival', 'school', 'bridge', 'river',
  'budget', 'weather', '서울', '시장', '축제', '항구'];

function post(i) {
  const w = (k) => words[(i * 7 + k * 3) % words.length];
  const time = i < RECENT ? now - (i + 1) * 2 * 60 * 1000 : now - (48 + i) * HOUR;
  const comments = [];
  for (let c = 0; c < COMMENTS_EACH; c++) {
    const id = i * COMMENTS_EACH + c + 1;
    comments.push({ id, parent: c === 2 ? id - 1 : 0, author: `Reader ${c}`,
      email: `reader${c}@readers.example`, text: `Comment ${c} on post ${i}: the ${w(c)} again.`,
      time: time + (c + 1) * 60 * 1000 });
  }
  return {
    id: i + 1, title: `Story ${i + 1} about the ${w(0)} and the ${w(1)}`, slug: `story-${i + 1}`,
    author: authors[i % authors.length].login, category: categories[i % categories.length].slug,
    tags: [`Topic ${i % 40}`, w(2)], time, comments,
    html: `<p>Paragraph one of story ${i + 1}: the ${w(0)} met the ${w(1)}.</p>\n` +
      `<p>Paragraph two, with a <a href="https://example.org/${i}">link</a> and <em>emphasis</em>.</p>\n` +
      (i === 776 ? '<p>A unique word: zeppelinharbour.</p>' : ''),
  };
}

let imported;

before(() => {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, wxrHead({ authors, categories }));
  for (let i = 0; i < POSTS; i += 500) {
    let chunk = '';
    for (let k = i; k < Math.min(i + 500, POSTS); k++) chunk += wxrItem(post(k));
    fs.writeSync(fd, chunk);
  }
  fs.writeSync(fd, wxrTail());
  fs.closeSync(fd);
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

test(`a generated export of ${POSTS} posts with comments imports completely`, async (t) => {
  const size = fs.statSync(file).size;
  const t0 = process.hrtime.bigint();
  const r = await run(['import', 'wordpress', file, '--db', db]);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  imported = seconds;
  assert.equal(r.code, 0, r.stderr);
  const msg = `imported ${POSTS} posts and ${POSTS * COMMENTS_EACH} comments ` +
    `(${(size / 1048576).toFixed(1)} MB) in ${seconds.toFixed(1)} s`;
  t.diagnostic(msg);
  assert.match(r.stdout, new RegExp(`^wordpress: ${POSTS} new articles \\(0 imported before, 0 skipped\\), ` +
    `${POSTS * COMMENTS_EACH} new comments \\(0 imported before, 0 skipped\\), 4 new sections, ` +
    `5 new authors, \\d+ tags in [\\d.]+ s$`, 'm'));
  // not a terminal: plain progress lines, ending at 100%
  const progress = r.stderr.split('\n').filter((l) => l.startsWith('import: '));
  assert.ok(progress.length >= 5, r.stderr);
  assert.match(progress.at(-1), /^import: 100% read, \d+ posts, \d+ comments$/);
  assert.doesNotMatch(r.stderr, /\r/, 'no progress bar off a terminal');

  assert.equal(sql(db, 'SELECT count(*) AS n FROM articles')[0].n, POSTS);
  assert.equal(sql(db, "SELECT count(*) AS n FROM articles WHERE status = 'published'")[0].n, POSTS);
  assert.equal(sql(db, "SELECT count(*) AS n FROM comments WHERE status = 'visible'")[0].n, POSTS * COMMENTS_EACH);
  assert.equal(sql(db, 'SELECT count(*) AS n FROM comments WHERE parent_id IS NOT NULL')[0].n, POSTS, 'the replies');
  // one commenter per author of the export, known by a key, not an e-mail
  const who = sql(db, 'SELECT i.provider, i.subject, i.email, c.display_name FROM commenter_identities i JOIN commenters c ON c.id = i.commenter_id ORDER BY c.display_name');
  assert.deepEqual(who.map((w) => w.display_name), ['Reader 0', 'Reader 1', 'Reader 2']);
  for (const w of who) {
    assert.equal(w.provider, 'import:wordpress:https://old.example');
    assert.match(w.subject, /^e:[0-9a-f]{32}$/);
    assert.equal(w.email, '');
  }
  assert.equal(sql(db, 'SELECT count(*) AS n FROM article_authors')[0].n, POSTS);
  assert.equal(sql(db, 'SELECT count(*) AS n FROM search_fts')[0].n, POSTS, 'indexed for search');
  const [sample] = sql(db, "SELECT a.body, s.slug AS section FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.slug = 'story-2'");
  assert.equal(sample.section, 'local');
  assert.match(sample.body, /\[link\]\(https:\/\/example.org\/1\) and \*emphasis\*/);
});

test('running the import again imports nothing twice', async (t) => {
  const t0 = process.hrtime.bigint();
  const r = await run(['import', 'wordpress', file, '--db', db]);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  t.diagnostic(`second run in ${seconds.toFixed(1)} s (first: ${imported?.toFixed(1)} s)`);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^wordpress: 0 new articles \\(${POSTS} imported before, 0 skipped\\), ` +
    `0 new comments \\(${POSTS * COMMENTS_EACH} imported before, 0 skipped\\), 0 new sections, 0 new authors`, 'm'));
  assert.equal(sql(db, 'SELECT count(*) AS n FROM articles')[0].n, POSTS);
  assert.equal(sql(db, 'SELECT count(*) AS n FROM comments')[0].n, POSTS * COMMENTS_EACH);
  assert.equal(sql(db, 'SELECT count(*) AS n FROM commenters')[0].n, 3);
});

test('the imported archive is served: sitemaps, news cap, search, feeds', async () => {
  const srv = await startServer({ db });
  try {
    const get = async (p) => (await fetch(srv.url + p)).text();
    const part = await get('/sitemap-articles-1.xml');
    assert.equal((part.match(/<url>/g) || []).length, POSTS);
    const news = await get('/sitemap-news.xml');
    const dates = [...news.matchAll(/<news:publication_date>([^<]+)</g)].map((m) => Date.parse(m[1]));
    assert.equal(dates.length, 1000, 'Google News takes at most 1,000');
    assert.ok(dates.every((d) => now - d <= 48 * HOUR), 'and only the last 48 hours');
    const found = await get('/search?q=zeppelinharbour');
    assert.match(found, /1 result for/);
    assert.match(found, /Story 777 about/);
    const many = await get(`/search?q=${encodeURIComponent('서울')}`);
    assert.match(many, /\d+ results for/);
    const feed = await get('/feed.xml');
    assert.equal((feed.match(/<item>/g) || []).length, 20);
    assert.match(feed, /<title>Story 1 about /, 'the newest first');
    // the comments are under their story: two top-level, the third a reply
    const [story] = sql(db, "SELECT id FROM articles WHERE slug = 'story-2'");
    const page = await get(`/article/${story.id}/story-2`);
    const list = page.slice(page.indexOf('<ol class="comment-list">'));
    for (let c = 0; c < 3; c++) assert.ok(list.includes(`Comment ${c} on post 1: the `), `comment ${c} shown`);
    assert.match(list, /<span class="comment-author">Reader 1<\/span>[\s\S]*?Comment 1 on post 1[\s\S]*?<ol class="replies">\s*<li class="comment reply"[^>]*>\s*<p class="comment-meta"><span class="comment-author">Reader 2<\/span>[\s\S]*?Comment 2 on post 1/);
    assert.doesNotMatch(page, /reader\d@readers\.example/, 'no e-mail address shown');
  } finally {
    await srv.stop();
  }
});

test('on a terminal the progress is a bar that redraws itself', () => {
  const small = path.join(dir, 'small.xml');
  writeWxr(small, { authors, categories }, Array.from({ length: 300 }, (_, i) => post(i)));
  const tdb = path.join(dir, 'tty.db');
  // script(1) gives the import a pseudo-terminal
  const cmd = `${BIN} import wordpress ${small} --db ${tdb}`;
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /\r {2}\[#+-*\] +\d+% {2}\d+ posts, \d+ comments/);
  assert.match(r.stdout, /\[#{30}\] 100% {2}300 posts, 900 comments/);
  assert.match(r.stdout, /wordpress: 300 new articles/);
});

test('Disqus comments land on the imported articles', async () => {
  const threads = [];
  const postsXml = [];
  for (let i = 0; i < 50; i++) {
    // half by the old address, half by the WordPress identifier
    const link = i % 2 ? `https://www.old.example/story-${i + 1}/` : 'https://old.example/moved/';
    const ident = i % 2 ? '' : `${i + 1} https://old.example/?p=${i + 1}`;
    threads.push(`<thread dsq:id="t${i}"><id>${ident}</id><forum>old</forum><link>${link}</link>` +
      `<title>x</title></thread>`);
    postsXml.push(`<post dsq:id="p${i}"><message><![CDATA[<p>Disqus comment ${i}</p>]]></message>` +
      `<createdAt>2026-11-01T00:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>` +
      `<author><name>D${i}</name><email>d${i}@x.example</email></author><thread dsq:id="t${i}"/></post>`);
  }
  threads.push('<thread dsq:id="gone"><id></id><link>https://elsewhere.example/</link></thread>');
  postsXml.push('<post dsq:id="lost"><message>no article</message><thread dsq:id="gone"/></post>');
  const file = path.join(dir, 'disqus.xml');
  fs.writeFileSync(file, '<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" ' +
    'xmlns:dsq="http://disqus.com/disqus-internals">' + threads.join('') + postsXml.join('') + '</disqus>');
  const r = await run(['import', 'disqus', file, '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^disqus: 50 new comments \(0 imported before, 0 skipped, 1 with no matching article\)/m);
  const rows = sql(db, `SELECT a.slug, c.body AS text, m.display_name FROM comments c
    JOIN articles a ON a.id = c.article_id JOIN commenters m ON m.id = c.commenter_id
    JOIN import_map i ON i.kind = 'comment' AND i.target_id = c.id WHERE i.source = 'disqus:old' ORDER BY i.source_id`);
  assert.equal(rows.length, 50);
  assert.ok(rows.every((row) => row.slug === `story-${Number(row.text.split(' ').pop()) + 1}`),
    'each comment is on its own story');
  assert.ok(rows.every((row) => row.display_name === `D${row.text.split(' ').pop()}`), 'by its author');
  const again = await run(['import', 'disqus', file, '--db', db]);
  assert.match(again.stdout, /^disqus: 0 new comments \(50 imported before/m);
  assert.equal(sql(db, "SELECT count(*) AS n FROM commenter_identities WHERE provider = 'import:disqus:old'")[0].n, 50);
  // and a reader sees them under the story
  const srv = await startServer({ db });
  try {
    const [story] = sql(db, "SELECT id FROM articles WHERE slug = 'story-8'");
    const page = await (await fetch(`${srv.url}/article/${story.id}/story-8`)).text();
    assert.match(page, /<span class="comment-author">D7<\/span>[\s\S]*?<p class="comment-text">Disqus comment 7<\/p>/);
  } finally {
    await srv.stop();
  }
});
