// What the newsroom does reaches the feeds, sitemaps and the ninjs API at
// once, although they are served from the page cache: publishing,
// unpublishing and correcting purge the "feeds" key (distribution's).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, STAFF, editorFields } from './newsroom-lib.mjs';

let server, editor, politics;

before(async () => {
  server = await new Server().start();
  editor = server.client();
  await editor.login(STAFF.editor);
  politics = server.sql("SELECT id FROM sections WHERE slug = 'politics'");
});

after(async () => {
  await server?.close();
});

async function text(path) {
  const res = await fetch(server.base + path);
  assert.equal(res.status, 200, path);
  return res.text();
}

async function fields(id) {
  return editorFields((await editor.get(`/newsroom/articles/${id}`)).text_);
}

async function createAndPublish(headline) {
  const res = await editor.post('/newsroom/articles', { headline, body: 'Text of the story.', section: politics }, { multipart: true });
  assert.equal(res.status, 303, res.text_.slice(0, 300));
  const id = res.headers.get('location').match(/articles\/(\d+)/)[1];
  const pub = await editor.post(`/newsroom/articles/${id}/publish`, await fields(id), { multipart: true });
  assert.equal(pub.status, 303, pub.text_.slice(0, 300));
  return id;
}

test('the feeds are served from the cache: a change behind the newsroom\'s back does not show', async () => {
  const first = await text('/feed.xml');
  const newest = server.sql("SELECT id || '|' || headline FROM articles WHERE status = 'published' ORDER BY published_at DESC, id DESC LIMIT 1").split('|');
  assert.ok(first.includes(newest[1]), 'the newest article is in the feed');
  server.sql(`UPDATE articles SET headline = 'Quietly changed in the database' WHERE id = ${newest[0]}`);
  assert.doesNotMatch(await text('/feed.xml'), /Quietly changed in the database/, 'the cached feed is served');
  server.sql(`UPDATE articles SET headline = '${newest[1].replace(/'/g, "''")}' WHERE id = ${newest[0]}`);
});

test('publishing shows the new headline in the feeds and the sitemap at once', async () => {
  // all of them cached first
  for (const p of ['/feed.xml', '/atom.xml', '/feed.json', '/sitemap-articles-1.xml', '/sitemap-news.xml', '/api/ninjs/articles']) await text(p);
  const id = await createAndPublish('Night ferry returns for the summer');
  assert.match(await text('/feed.xml'), /<title>Night ferry returns for the summer<\/title>/);
  assert.match(await text('/atom.xml'), /<title[^>]*>Night ferry returns for the summer<\/title>/);
  assert.ok(JSON.parse(await text('/feed.json')).items.some((i) => i.title === 'Night ferry returns for the summer'));
  assert.match(await text('/sitemap-articles-1.xml'), new RegExp(`/article/${id}/night-ferry-returns-for-the-summer</loc>`));
  assert.match(await text('/sitemap-news.xml'), /<news:title>Night ferry returns for the summer<\/news:title>/);
  assert.match(await text('/api/ninjs/articles'), /Night ferry returns for the summer/);
});

test('unpublishing takes the article out of the feeds at once', async () => {
  const id = await createAndPublish('Lantern parade moves to Saturday');
  assert.match(await text('/feed.xml'), /Lantern parade moves to Saturday/);
  const un = await editor.post(`/newsroom/articles/${id}/unpublish`, { version: (await fields(id)).version });
  assert.equal(un.status, 303);
  assert.doesNotMatch(await text('/feed.xml'), /Lantern parade moves to Saturday/);
  assert.doesNotMatch(await text('/sitemap-articles-1.xml'), new RegExp(`/article/${id}/`));
});

test('a correction reaches the ninjs API and the feeds at once', async () => {
  const id = await createAndPublish('Library extends its opening hours');
  const before = await text(`/api/ninjs/articles/${id}`);
  assert.doesNotMatch(before, /closes at nine, not ten/);
  await text('/feed.json');
  const res = await editor.post(`/newsroom/articles/${id}/corrections`, { kind: 'correction', text: 'The library closes at nine, not ten.', where: 'bottom' });
  assert.equal(res.status, 303, res.text_.slice(0, 300));
  assert.match(await text(`/api/ninjs/articles/${id}`), /The library closes at nine, not ten\./);
  const item = JSON.parse(await text('/feed.json')).items.find((i) => i.title === 'Library extends its opening hours');
  const version = server.sql(`SELECT updated_at FROM articles WHERE id = ${id}`);
  assert.equal(Date.parse(item.date_modified) / 1000, Number(version), 'the feed shows the corrected time');
});
