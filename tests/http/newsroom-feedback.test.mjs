// What the newsroom tells a person after an action or on a long list: the
// pager says which page this is also on the last one, the newest revision
// is the current one also after a correction (which saves no revision), and
// a refused correction says so at the top of the page, where it is seen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, STAFF, editorFields, png } from './newsroom-lib.mjs';

let server;
let editor;

before(async () => {
  server = await new Server().start();
  editor = server.client();
  await editor.login(STAFF.editor);
});

after(async () => {
  await server?.close();
});

async function publishedArticle({ photo = false } = {}) {
  const res = await editor.post('/newsroom/articles', {
    headline: 'Ferry timetable changes for the winter',
    summary: 'Fewer evening boats from December.',
    body: 'The last evening ferry leaves at nine.',
    section: server.sql("SELECT id FROM sections WHERE slug = 'business'"),
    authors: server.sql('SELECT id FROM authors ORDER BY id LIMIT 1'),
    ...(photo ? { photo_caption: 'The pier at dusk', photo_credit: 'Staff', photo_alt: 'A pier' } : {}),
  }, { multipart: true, files: photo ? { photo_file: { name: 'pier.png', type: 'image/png', data: png(64, 48) } } : undefined });
  assert.equal(res.status, 303, res.text_);
  const id = res.headers.get('location').match(/articles\/(\d+)/)[1];
  const f = editorFields((await editor.get(`/newsroom/articles/${id}`)).text_);
  const pub = await editor.post(`/newsroom/articles/${id}/publish`, f, { multipart: true });
  assert.equal(pub.status, 303, pub.text_);
  return id;
}

test('the article list says which page it shows, on the first and on the last page', async () => {
  const total = Number(server.sql('SELECT count(*) FROM articles'));
  const pages = Math.ceil(total / 30);
  assert.ok(pages >= 2, `the demo paper fills more than one page (${total} articles)`);
  const first = (await editor.get('/newsroom/articles')).text_;
  assert.match(first, new RegExp(`<span class="pager-info">Page 1 of ${pages}</span>`));
  assert.match(first, /rel="next">Older<\/a>/);
  const last = (await editor.get(`/newsroom/articles?page=${pages}`)).text_;
  assert.match(last, new RegExp(`<span class="pager-info">Page ${pages} of ${pages}</span>`));
  assert.match(last, /rel="prev">Newer<\/a>/);
  assert.doesNotMatch(last, /rel="next"/);
  // one page only: no pager at all
  const one = (await editor.get('/newsroom/articles?status=scheduled')).text_;
  assert.doesNotMatch(one, /class="pager"/);
});

test('after a correction the newest revision is still marked current', async () => {
  const id = await publishedArticle();
  const res = await editor.post(`/newsroom/articles/${id}/corrections`, { kind: 'correction', text: 'The last ferry leaves at nine, not ten.', where: 'bottom' });
  assert.equal(res.status, 303, res.text_);
  const list = (await editor.get(`/newsroom/articles/${id}/revisions`)).text_;
  const rows = [...list.matchAll(/<tr( class="current")?>\s*<td><input type="radio" name="from"[\s\S]*?<\/tr>/g)];
  assert.ok(rows.length >= 2, 'at least two revisions');
  assert.equal(rows[0][1], ' class="current"', 'the newest row is the current one');
  assert.match(rows[0][0], /<span class="badge">current<\/span>/);
  assert.equal(rows.filter((r) => r[1]).length, 1, 'one current revision');
});

test('a refused correction is announced at the top of the page and keeps its text', async () => {
  const id = await publishedArticle();
  const future = new Date(Date.now() + 3 * 86400e3).toISOString().slice(0, 16);
  const res = await editor.post(`/newsroom/articles/${id}/corrections`, { kind: 'clarification', text: 'Kept text of the clarification.', where: 'top', date: future });
  assert.equal(res.status, 422);
  const top = res.text_.indexOf('The correction was not published');
  const form = res.text_.indexOf('id="editor"');
  assert.ok(top > 0 && top < form, 'the notice comes before the editor form');
  assert.match(res.text_, /<div class="alert alert-error" role="alert" id="correction-errors">/);
  assert.match(res.text_, /<a href="#f-correction-text">the date of a correction cannot be in the future<\/a>/);
  assert.match(res.text_, /<textarea id="f-correction-text" name="text" rows="3" aria-describedby="e-correction">Kept text of the clarification\.<\/textarea>/);
  assert.match(res.text_, /id="k-clarification" type="radio" name="kind" value="clarification" checked/);
  assert.equal(server.sql(`SELECT count(*) FROM corrections WHERE article_id = ${id}`), '0');
});

test('a reporter reads a published article: no photo upload, text that cannot be typed into', async () => {
  const id = await publishedArticle({ photo: true });
  const reporter = server.client();
  await reporter.login(STAFF.reporter);
  const page = (await reporter.get(`/newsroom/articles/${id}`)).text_;
  assert.match(page, /This article is published\. Only an editor can change it/);
  assert.doesNotMatch(page, /Add a photo|name="photo_file"/);
  assert.doesNotMatch(page, /data-save/);
  for (const name of ['headline', 'summary', 'body'])
    assert.match(page, new RegExp(`<textarea id="f-${name}" name="${name}"[^>]* readonly>`), name);
  for (const name of ['tags', 'slug', 'credit', 'photo_caption_\\d+', 'photo_credit_\\d+', 'photo_alt_\\d+'])
    assert.match(page, new RegExp(`<input id="f-${name}" name="${name}"[^>]* readonly>`), name);
  // the editor may change it: nothing read-only, the upload is there
  const mine = (await editor.get(`/newsroom/articles/${id}`)).text_;
  assert.doesNotMatch(mine, /readonly/);
  assert.match(mine, /name="photo_file"/);
});

test('a refusal inside the newsroom keeps the newsroom around it, with a way back', async () => {
  const reporter = server.client();
  await reporter.login(STAFF.reporter);
  const admin = server.client();
  await admin.login(STAFF.admin);
  for (const [client, path, status, text] of [
    [reporter, '/newsroom/front', 403, /<p class="refusal">your role \(Reporter\) does not allow this; ask an editor or an administrator\.<\/p>/],
    [reporter, '/newsroom/staff', 403, /does not allow this/],
    [editor, '/newsroom/articles/987654', 404, /there is no such article: it may have been deleted/],
    [editor, '/newsroom/articles/987654/revisions', 404, /there is no such article/],
    [editor, '/newsroom/articles/1/diff?from=987654&to=987654', 404, /there is no such revision of this article/],
    [editor, '/newsroom/sections/987654', 404, /there is no such section/],
    [editor, '/newsroom/authors/987654', 404, /there is no such author/],
    [admin, '/newsroom/staff/987654', 404, /there is no such staff account/],
  ]) {
    const res = await client.get(path);
    assert.equal(res.status, status, path);
    assert.match(res.text_, text, path);
    assert.match(res.text_, /<nav class="nr-nav" aria-label="Newsroom">/, `${path}: the newsroom's navigation`);
    assert.match(res.text_, /<a class="btn[a-z -]*" href="\/newsroom\/">Back to the dashboard<\/a>/, path);
    assert.equal(res.headers.get('cache-control')?.includes('no-store'), true, path);
  }
  // where there is a nearer place to go back to, it is offered first
  for (const [client, path, href, label] of [
    [editor, '/newsroom/sections/987654', '/newsroom/sections', 'All sections'],
    [editor, '/newsroom/authors/987654', '/newsroom/authors', 'All authors'],
    [admin, '/newsroom/staff/987654', '/newsroom/staff', 'All staff'],
    [editor, '/newsroom/articles/1/diff?from=987654&to=987654', '/newsroom/articles/1/revisions', 'The article&#39;s revisions'],
  ]) {
    const res = await client.get(path);
    assert.ok(res.text_.includes(`<a class="btn btn-primary" href="${href}">${label}</a>`), `${path}: ${res.text_.match(/<p class="actions">.*<\/p>/)?.[0]}`);
  }
  // a section still in use: 409, said inside the newsroom, back to the section
  const business = server.sql("SELECT id FROM sections WHERE slug = 'business'");
  const del = await editor.post(`/newsroom/sections/${business}/delete`, {});
  assert.equal(del.status, 409);
  assert.match(del.text_, /<h1>Nothing was changed<\/h1>/);
  assert.match(del.text_, /this section still has articles or sub-sections; move them first/);
  assert.ok(del.text_.includes(`<a class="btn btn-primary" href="/newsroom/sections/${business}">Back to the section</a>`));
  // an unpublish sent from a page opened before someone else saved: back to the article
  const stale = await publishedArticle();
  const old = await editor.post(`/newsroom/articles/${stale}/unpublish`, { version: '1' }, { multipart: true });
  assert.equal(old.status, 409);
  assert.match(old.text_, /the article changed since you opened it; open it again/);
  assert.ok(old.text_.includes(`<a class="btn btn-primary" href="/newsroom/articles/${stale}">Back to the article</a>`));
  assert.equal(server.sql(`SELECT status FROM articles WHERE id = ${stale}`), 'published');
  // a POST refused for the role: the same page
  const id = await publishedArticle();
  const f = editorFields((await reporter.get(`/newsroom/articles/${id}`)).text_);
  const res = await reporter.post(`/newsroom/articles/${id}/unpublish`, { version: f.version }, { multipart: true });
  assert.equal(res.status, 403);
  assert.match(res.text_, /Back to the dashboard/);
});

test('the front page still saves after a placed story was unpublished; a refused choice stays chosen', async () => {
  const page = async () => (await editor.get('/newsroom/front')).text_;
  const slotIds = (html) => [...html.matchAll(/name="slot" value="(\d+)"/g)].map((m) => m[1]);
  const fields = (html, extra = {}) => {
    const ids = slotIds(html);
    const f = { slot: ids, ...extra };
    ids.forEach((id, i) => { f[`position_${id}`] = String(i + 1); });
    return f;
  };
  // unpublish the story placed second
  let html = await page();
  const placed = slotIds(html);
  assert.ok(placed.length >= 3, 'the demo front page has placed stories');
  const gone = placed[1];
  const g = editorFields((await editor.get(`/newsroom/articles/${gone}`)).text_);
  assert.equal((await editor.post(`/newsroom/articles/${gone}/unpublish`, { version: g.version }, { multipart: true })).status, 303);
  html = await page();
  assert.match(html, /not shown: no longer published/);
  // placing a live story at position 3 works although an unpublished one is placed
  const live = await publishedArticle();
  let res = await editor.post('/newsroom/front', fields(html, { add: live, add_position: '3' }));
  assert.equal(res.status, 303, res.text_.match(/alert-error[^>]*>([^<]*)/)?.[1]);
  assert.equal(res.headers.get('location'), '/newsroom/front?msg=front');
  const now = slotIds(await page());
  assert.equal(now[2], live);
  assert.ok(now.includes(gone), 'the unpublished story keeps its slot until someone removes it');
  // choosing a story that is not live (crafted: the list offers none) is refused by name,
  // and what was chosen stays chosen
  const made = await editor.post('/newsroom/articles', {
    headline: 'A draft nobody published', body: 'Text.', section: server.sql("SELECT id FROM sections WHERE slug = 'business'"),
    authors: server.sql('SELECT id FROM authors ORDER BY id LIMIT 1'),
  }, { multipart: true });
  const draft = made.headers.get('location').match(/articles\/(\d+)/)[1];
  const draftHeadline = 'A draft nobody published';
  html = await page();
  // the top is full (seven): one is removed to make room
  res = await editor.post('/newsroom/front', fields(html, { add: draft, add_position: '4', [`remove_${now[0]}`]: '1' }));
  assert.equal(res.status, 422);
  assert.ok(res.text_.includes(`“${draftHeadline}” is not published`), res.text_.match(/alert-error[^>]*>([^<]*)/)?.[1]);
  assert.match(res.text_, /id="f-add_position" class="input-narrow" type="number" name="add_position" min="1" max="7" value="4"/);
  const other = await publishedArticle();
  res = await editor.post('/newsroom/front', fields(html, { add: other, add_position: '2', [`remove_${placed[0]}`]: '1', slot: [...slotIds(html), draft] }));
  assert.equal(res.status, 422, 'a crafted slot of a draft is refused too');
  assert.match(res.text_, new RegExp(`<option value="${other}" selected>`));
  assert.deepEqual(slotIds(await page()), now, 'nothing changed');
});

test('disabling and enabling a staff account says which was done', async () => {
  const admin = server.client();
  await admin.login(STAFF.admin);
  const id = server.sql(`SELECT id FROM users WHERE login = '${STAFF.moderator.login}'`);
  const off = await admin.post(`/newsroom/staff/${id}/disable`);
  assert.equal(off.status, 303);
  assert.equal(off.headers.get('location'), `/newsroom/staff/${id}?msg=staff_disabled`);
  let page = (await admin.get(off.headers.get('location'))).text_;
  assert.match(page, /<p class="flash" role="status">The account is disabled: it cannot sign in, and its sessions have ended\.<\/p>/);
  assert.match(page, /This account is disabled: it cannot sign in\. Its work stays\./);
  const on = await admin.post(`/newsroom/staff/${id}/enable`);
  assert.equal(on.headers.get('location'), `/newsroom/staff/${id}?msg=staff_enabled`);
  page = (await admin.get(on.headers.get('location'))).text_;
  assert.match(page, /The account is enabled: it can sign in again\./);
  assert.doesNotMatch(page, /This account is disabled/);
});

test('a reporter comparing versions of a published article is not offered Restore', async () => {
  const id = await publishedArticle();
  const revs = server.sql(`SELECT id FROM revisions WHERE article_id = ${id} ORDER BY id`).split('\n');
  const path = `/newsroom/articles/${id}/diff?from=${revs[0]}&to=${revs.at(-1)}`;
  const reporter = server.client();
  await reporter.login(STAFF.reporter);
  const page = (await reporter.get(path)).text_;
  assert.doesNotMatch(page, /Restore version/);
  assert.match(page, /Only an editor can restore a version of a scheduled or published article\./);
  const f = editorFields((await reporter.get(`/newsroom/articles/${id}`)).text_);
  const res = await reporter.post(`/newsroom/articles/${id}/revisions/${revs[0]}/restore`, { version: f.version });
  assert.equal(res.status, 403);
  assert.ok(res.text_.includes(`<a class="btn btn-primary" href="/newsroom/articles/${id}/revisions">`));
  // the editor may restore
  assert.match((await editor.get(path)).text_, /<button class="btn" type="submit">Restore version \d+<\/button>/);
});

test('links and buttons repeated on every row say which story they are for', async () => {
  const list = (await editor.get('/newsroom/articles')).text_;
  const rows = [...list.matchAll(/<td class="cell-headline"><a href="[^"]+">([^<]+)<\/a> <a class="ext"[^>]* aria-label="View “([^"]+)” on the site">View<\/a>/g)];
  assert.ok(rows.length >= 10, 'each published row names its story');
  for (const m of rows) assert.equal(m[2], m[1]);
  const front = (await editor.get('/newsroom/front')).text_;
  assert.match(front, /aria-label="Move “[^"]+” up">↑<\/button><button type="button" class="btn btn-small" data-down aria-label="Move “[^"]+” down">↓<\/button>/);
});
