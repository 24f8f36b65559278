// The editor and the workflow over HTTP: saving, form errors that keep the
// typed text, concurrent edits, publishing and the public pages (cache
// included), revisions, corrections, the front page and the audit log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, STAFF, editorFields, decode } from './newsroom-lib.mjs';

let server;
let editor, editor2, reporter, admin;
let politics, business, author;

before(async () => {
  server = await new Server().start();
  politics = server.sql("SELECT id FROM sections WHERE slug = 'politics'");
  business = server.sql("SELECT id FROM sections WHERE slug = 'business'");
  author = server.sql("SELECT id FROM authors ORDER BY id LIMIT 1");
  editor = server.client();
  editor2 = server.client();
  reporter = server.client();
  admin = server.client();
  await editor.login(STAFF.editor);
  await editor2.login(STAFF.editor);
  await reporter.login(STAFF.reporter);
  await admin.login(STAFF.admin);
});

after(async () => {
  await server?.close();
});

async function create(client, fields = {}) {
  const res = await client.post('/newsroom/articles', {
    headline: 'Harbour bridge reopens after repairs',
    summary: 'Traffic returns to the old bridge after two months.',
    body: 'The bridge reopened on Monday morning.\n\nRepairs took two months.',
    section: politics,
    authors: author,
    tags: 'transport, city',
    ...fields,
  }, { multipart: true });
  assert.equal(res.status, 303, res.text_);
  const m = res.headers.get('location').match(/\/newsroom\/articles\/(\d+)\?msg=created/);
  assert.ok(m, res.headers.get('location'));
  return m[1];
}

async function open(client, id) {
  const res = await client.get(`/newsroom/articles/${id}`);
  assert.equal(res.status, 200);
  return editorFields(res.text_);
}

async function publicPage(path) {
  const res = await fetch(server.base + path, { redirect: 'manual' });
  return { status: res.status, text: await res.text() };
}

test('a new draft is saved, listed on the dashboard, and invisible to readers', async () => {
  const id = await create(reporter, { headline: 'Draft about the budget vote' });
  const f = await open(reporter, id);
  assert.equal(f.headline, 'Draft about the budget vote');
  assert.equal(f.slug, 'draft-about-the-budget-vote');
  assert.deepEqual(f.authors, [author]);
  const dash = await reporter.get('/newsroom/');
  assert.match(dash.text_, /My drafts[\s\S]*Draft about the budget vote/);
  assert.equal((await publicPage(`/article/${id}/draft-about-the-budget-vote`)).status, 404);
});

test('a form error keeps what was typed and says what to fix', async () => {
  const long = 'A'.repeat(121);
  const body = 'Text that must not be lost.\n\nSecond paragraph.';
  const res = await reporter.post('/newsroom/articles', {
    headline: long, summary: 'Short summary', body, section: politics, tags: 'x',
  }, { multipart: true });
  assert.equal(res.status, 422);
  assert.match(res.text_, /has 121 characters; the limit is 120/);
  const f = editorFields(res.text_);
  assert.equal(f.headline, long);
  assert.equal(f.body, body);
  assert.equal(f.summary, 'Short summary');
  assert.equal(server.sql(`SELECT count(*) FROM articles WHERE headline = '${long}'`), '0');
});

test('the headline limit counts characters as readers see them (NFC graphemes)', async () => {
  // 120 Hangul syllables typed as decomposed jamo: 120 characters, not 360
  const decomposed = '한'.normalize('NFD').repeat(120);
  const id = await create(reporter, { headline: decomposed });
  const stored = server.sql(`SELECT headline FROM articles WHERE id = ${id}`);
  assert.equal(stored, '한'.repeat(120));
  const over = await reporter.post('/newsroom/articles', {
    headline: '👍🏽'.repeat(121), section: politics,
  }, { multipart: true });
  assert.equal(over.status, 422);
  assert.match(over.text_, /has 121 characters/);
});

test('a second save based on a stale version is told, shown both, and overwrites nothing', async () => {
  const id = await create(editor, { body: 'Original text of the story.' });
  const a = await open(editor, id);
  const b = await open(editor2, id);
  const first = await editor.post(`/newsroom/articles/${id}`, { ...a, body: 'Text as the first editor left it.' }, { multipart: true });
  assert.equal(first.status, 303);
  const second = await editor2.post(`/newsroom/articles/${id}`, { ...b, body: 'Text as the second editor typed it.' }, { multipart: true });
  assert.equal(second.status, 409);
  assert.match(second.text_, /changed by someone else/);
  assert.match(second.text_, /Eddie Editor saved this article/);
  // both versions are on the page: theirs in the comparison, mine in the form
  assert.match(second.text_, /Text as the first editor left it\./);
  const mine = editorFields(second.text_);
  assert.equal(mine.body, 'Text as the second editor typed it.');
  assert.equal(server.sql(`SELECT body FROM articles WHERE id = ${id}`), 'Text as the first editor left it.');
  // the form now carries the latest version: saving again is a decision
  assert.equal(mine.version, server.sql(`SELECT version FROM articles WHERE id = ${id}`));
});

test('autosave sends the version it edits and refuses to overwrite', async () => {
  const id = await create(reporter, { body: 'Autosave me.' });
  const f = await open(reporter, id);
  const token = await reporter.token();
  const saved = await reporter.post(`/newsroom/articles/${id}/autosave`, { ...f, body: 'Autosaved once.' },
    { multipart: true, csrf: false, headers: { 'x-csrf-token': token } });
  assert.equal(saved.status, 200, saved.text_);
  const ok = JSON.parse(saved.text_);
  assert.equal(ok.ok, true);
  assert.equal(String(ok.version), String(Number(f.version) + 1));
  const stale = await reporter.post(`/newsroom/articles/${id}/autosave`, { ...f, body: 'From a stale tab.' },
    { multipart: true, csrf: false, headers: { 'x-csrf-token': token } });
  assert.equal(stale.status, 409);
  assert.match(JSON.parse(stale.text_).message, /Someone else saved/);
  assert.equal(server.sql(`SELECT body FROM articles WHERE id = ${id}`), 'Autosaved once.');
});

test('a reporter cannot publish; an editor publishes and readers see it at once', async () => {
  const id = await create(reporter, { headline: 'Ferry timetable changes next week' });
  const f = await open(reporter, id);
  const refused = await reporter.post(`/newsroom/articles/${id}/publish`, f, { multipart: true });
  assert.equal(refused.status, 403);
  assert.equal(server.sql(`SELECT status FROM articles WHERE id = ${id}`), 'draft');
  assert.doesNotMatch((await reporter.get(`/newsroom/articles/${id}`)).text_, /formaction="[^"]*\/publish"/);

  const ready = await reporter.post(`/newsroom/articles/${id}/ready`, f, { multipart: true });
  assert.equal(ready.status, 303);
  assert.equal(server.sql(`SELECT status FROM articles WHERE id = ${id}`), 'ready');

  // the front page and the section are cached before publication
  const frontBefore = await publicPage('/');
  assert.doesNotMatch(frontBefore.text, /Ferry timetable changes next week/);
  await publicPage('/national/politics/');

  const g = await open(editor, id);
  const pub = await editor.post(`/newsroom/articles/${id}/publish`, g, { multipart: true });
  assert.equal(pub.status, 303);
  assert.match(pub.headers.get('location'), /msg=published/);
  const page = await publicPage(`/article/${id}/ferry-timetable-changes-next-week`);
  assert.equal(page.status, 200);
  assert.match(page.text, /Ferry timetable changes next week/);
  assert.match((await publicPage('/')).text, /Ferry timetable changes next week/);
  assert.match((await publicPage('/national/politics/')).text, /Ferry timetable changes next week/);

  // a reporter can no longer change it
  const h = await open(reporter, id);
  const locked = await reporter.post(`/newsroom/articles/${id}`, { ...h, headline: 'Changed by a reporter' }, { multipart: true });
  assert.equal(locked.status, 422);
  assert.match(locked.text_, /only an editor can change a scheduled or published article/);
  assert.equal(server.sql(`SELECT headline FROM articles WHERE id = ${id}`), 'Ferry timetable changes next week');

  // an editor's update reaches the cached page; a substantive one shows the time
  await publicPage(`/article/${id}/ferry-timetable-changes-next-week`);
  const upd = await editor.post(`/newsroom/articles/${id}`, { ...g, version: h.version, summary: 'New summary after the update.', substantive: '1' }, { multipart: true });
  assert.equal(upd.status, 303);
  const after = await publicPage(`/article/${id}/ferry-timetable-changes-next-week`);
  assert.match(after.text, /New summary after the update\./);
  assert.match(after.text, /Updated <time/);

  // unpublishing takes it away everywhere
  const cur = await open(editor, id);
  const un = await editor.post(`/newsroom/articles/${id}/unpublish`, { version: cur.version });
  assert.equal(un.status, 303);
  assert.equal((await publicPage(`/article/${id}/ferry-timetable-changes-next-week`)).status, 404);
  assert.doesNotMatch((await publicPage('/')).text, /Ferry timetable changes next week/);

  const audit = await admin.get('/newsroom/audit');
  assert.match(audit.text_, /publish[\s\S]*Ferry timetable changes next week/);
  assert.match(audit.text_, /unpublish/);
});

test('moving an article to another section purges the old and the new section', async () => {
  const id = await create(editor, { headline: 'Port strike enters second week' });
  const pub = await editor.post(`/newsroom/articles/${id}/publish`, await open(editor, id), { multipart: true });
  assert.equal(pub.status, 303);
  assert.match((await publicPage('/national/politics/')).text, /Port strike enters second week/);
  await publicPage('/business/');
  const f = await open(editor, id);
  const moved = await editor.post(`/newsroom/articles/${id}`, { ...f, section: business }, { multipart: true });
  assert.equal(moved.status, 303);
  assert.doesNotMatch((await publicPage('/national/politics/')).text, /Port strike enters second week/);
  assert.match((await publicPage('/business/')).text, /Port strike enters second week/);
});

test('every save is a revision; two can be compared word by word and one restored', async () => {
  const id = await create(editor, { headline: 'Council approves the new library', body: 'The council voted nine to two.' });
  let f = await open(editor, id);
  await editor.post(`/newsroom/articles/${id}`, { ...f, body: 'The council voted eight to three.' }, { multipart: true });
  f = await open(editor, id);
  await editor.post(`/newsroom/articles/${id}`, { ...f, headline: 'Council backs the new library' }, { multipart: true });
  const list = await editor.get(`/newsroom/articles/${id}/revisions`);
  assert.equal(list.status, 200);
  const revs = [...list.text_.matchAll(/name="to" value="(\d+)"/g)].map((m) => m[1]);
  assert.equal(revs.length, 3);
  const [newest, , oldest] = revs;
  const diff = await editor.get(`/newsroom/articles/${id}/diff?from=${oldest}&to=${newest}`);
  assert.equal(diff.status, 200);
  assert.match(diff.text_, /<del>nine<\/del>/);
  assert.match(diff.text_, /<ins>eight<\/ins>/);
  assert.match(diff.text_, /<del>two<\/del>/);
  assert.match(diff.text_, /<del>approves<\/del><ins>backs<\/ins>/);
  f = await open(editor, id);
  const restore = await editor.post(`/newsroom/articles/${id}/revisions/${oldest}/restore`, { version: f.version });
  assert.equal(restore.status, 303);
  assert.equal(server.sql(`SELECT headline || '|' || body FROM articles WHERE id = ${id}`),
    'Council approves the new library|The council voted nine to two.');
  assert.equal(server.sql(`SELECT count(*) FROM revisions WHERE article_id = ${id}`), '4');
  // a restore based on an old version is refused
  const stale = await editor.post(`/newsroom/articles/${id}/revisions/${oldest}/restore`, { version: f.version });
  assert.equal(stale.status, 409);
});

test('a correction shows on the article, bumps its updated time and lists on /corrections', async () => {
  const id = await create(editor, { headline: 'Museum opens a new wing', body: 'The wing has 40 rooms.' });
  await editor.post(`/newsroom/articles/${id}/publish`, await open(editor, id), { multipart: true });
  const path = `/article/${id}/museum-opens-a-new-wing`;
  assert.doesNotMatch((await publicPage(path)).text, /class="correction/);
  await publicPage('/corrections');
  const empty = await editor.post(`/newsroom/articles/${id}/corrections`, { kind: 'correction', text: '', where: 'top' });
  assert.equal(empty.status, 422);
  assert.match(empty.text_, /write the correction&#39;s text|write the correction's text/);
  const byReporter = await reporter.post(`/newsroom/articles/${id}/corrections`, { kind: 'correction', text: 'x', where: 'top' });
  assert.equal(byReporter.status, 403);
  const res = await editor.post(`/newsroom/articles/${id}/corrections`, {
    kind: 'correction', text: 'An earlier version said the wing has 40 rooms; it has 14.', where: 'top',
  });
  assert.equal(res.status, 303);
  const page = (await publicPage(path)).text;
  assert.match(page, /correction-top[\s\S]*An earlier version said the wing has 40 rooms; it has 14\./);
  assert.match(page, /Updated <time/);
  const list = (await publicPage('/corrections')).text;
  assert.match(list, /Museum opens a new wing/);
  assert.match(list, /it has 14\./);
  assert.match((await admin.get('/newsroom/audit')).text_, /correct[\s\S]*Museum opens a new wing/);
});

test('the editor picks the lead story and the front page changes at once', async () => {
  const id = await create(editor, { headline: 'Lead story chosen by the desk' });
  await editor.post(`/newsroom/articles/${id}/publish`, await open(editor, id), { multipart: true });
  const before = (await publicPage('/')).text;
  assert.doesNotMatch(before.match(/<article class="lead">[\s\S]*?<\/article>/)[0], /Lead story chosen by the desk/);
  const slots = [...(await editor.get('/newsroom/front')).text_.matchAll(/name="slot" value="(\d+)"/g)].map((m) => m[1]);
  const fields = { add: id, add_position: '1', slot: slots };
  slots.forEach((s, i) => { fields[`position_${s}`] = String(i + 1); });
  assert.equal((await reporter.post('/newsroom/front', fields)).status, 403);
  const res = await editor.post('/newsroom/front', fields);
  assert.equal(res.status, 303);
  const front = (await publicPage('/')).text;
  assert.match(front.match(/<article class="lead">[\s\S]*?<\/article>/)[0], /Lead story chosen by the desk/);
  const order = [...(await editor.get('/newsroom/front')).text_.matchAll(/name="slot" value="(\d+)"/g)].map((m) => m[1]);
  assert.deepEqual(order, [id, ...slots]);
  assert.match((await admin.get('/newsroom/audit')).text_, /front/);
});

test('a scheduled article is invisible everywhere until its time, then goes live by itself', async () => {
  const id = await create(editor, { headline: 'Embargoed report on rates' });
  const f = await open(editor, id);
  const past = await editor.post(`/newsroom/articles/${id}/schedule`, { ...f, publish_at: '2001-01-01T09:00' }, { multipart: true });
  assert.equal(past.status, 422);
  assert.match(past.text_, /choose a time in the future/);
  const when = new Date(Date.now() + 3000);
  const local = new Date(when.getTime() + 9 * 3600 * 1000).toISOString().slice(0, 19); // paper's zone: +09:00
  const res = await editor.post(`/newsroom/articles/${id}/schedule`, { ...f, publish_at: local }, { multipart: true });
  assert.equal(res.status, 303, res.text_);
  assert.equal(server.sql(`SELECT status FROM articles WHERE id = ${id}`), 'scheduled');
  const path = `/article/${id}/embargoed-report-on-rates`;
  assert.equal((await publicPage(path)).status, 404);
  assert.doesNotMatch((await publicPage('/')).text, /Embargoed report on rates/);
  assert.doesNotMatch((await publicPage('/national/politics/')).text, /Embargoed report on rates/);
  let live = false;
  for (let i = 0; i < 100 && !live; i++) {
    await new Promise((r) => setTimeout(r, 200));
    live = (await publicPage(path)).status === 200;
  }
  assert.ok(live, 'the scheduled article went live');
  assert.equal(server.sql(`SELECT status FROM articles WHERE id = ${id}`), 'published');
  assert.match((await publicPage('/')).text, /Embargoed report on rates/);
  assert.match((await admin.get('/newsroom/audit')).text_, /system[\s\S]*?publish[\s\S]*?Embargoed report on rates/);
});

test('the preview is rendered by the public page and is never cached', async () => {
  const id = await create(reporter, { headline: 'Preview me', body: 'Some **bold** words.\n\n<script>alert(1)</script>' });
  const f = await open(reporter, id);
  const res = await reporter.post(`/newsroom/articles/${id}/preview`, { ...f, headline: 'Preview of unsaved text' }, { multipart: true });
  assert.equal(res.status, 200);
  assert.match(res.text_, /class="preview-banner"/);
  assert.match(res.text_, /<h1 class="headline">Preview of unsaved text<\/h1>/);
  assert.match(res.text_, /<strong>bold<\/strong>/);
  assert.doesNotMatch(res.text_, /<script>alert/);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const json = await reporter.post(`/newsroom/articles/${id}/preview`, f, { multipart: true, headers: { accept: 'application/json' } });
  assert.match(JSON.parse(json.text_).body_html, /<strong>bold<\/strong>/);
  assert.equal(server.sql(`SELECT headline FROM articles WHERE id = ${id}`), 'Preview me');
});

test('newsroom pages are private and say so', async () => {
  const res = await editor.get('/newsroom/');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.match(decode(res.text_), /Eddie Editor/);
});
