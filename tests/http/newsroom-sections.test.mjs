// Sections in the newsroom over HTTP: adding one (and refusing a taken
// address), editing and moving it, deleting it (refused while articles are
// filed there), and what an address naming no section or no article
// answers on the section, editor, revisions and correction routes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, STAFF } from './newsroom-lib.mjs';

let server;
let editor;
let national;

before(async () => {
  server = await new Server().start();
  national = server.sql("SELECT id FROM sections WHERE slug = 'national'");
  editor = server.client();
  await editor.login(STAFF.editor);
});

after(async () => {
  await server?.close();
});

const sectionId = (slug) => server.sql(`SELECT id FROM sections WHERE slug = '${slug}'`);

test('an editor adds a section, edits and moves it, and deletes it', async () => {
  const add = await editor.post('/newsroom/sections', { name: 'Harbour News', slug: '', description: 'Ships and ferries', position: '7', parent: '' });
  assert.equal(add.status, 303, add.text_);
  assert.equal(add.headers.get('location'), '/newsroom/sections?msg=section');
  const id = sectionId('harbour-news');
  assert.ok(id, 'the address is made from the name');
  const list = await editor.get('/newsroom/sections?msg=section');
  assert.equal(list.status, 200);
  assert.match(list.text_, /The section is saved\./);
  assert.ok(list.text_.includes(`<a href="/newsroom/sections/${id}">Harbour News</a>`));
  // the new-section form offers every section as a parent
  const newForm = list.text_.slice(list.text_.indexOf('id="new-title"'));
  assert.match(newForm, new RegExp(`<select id="f-parent" name="parent">\\s*<option value="">\\(top level\\)</option>[\\s\\S]*<option value="${national}">`));
  assert.equal((await fetch(`${server.base}/harbour-news/`)).status, 200, 'readers find it');

  const taken = await editor.post('/newsroom/sections', { name: 'Harbour again', slug: 'harbour-news', parent: '' });
  assert.equal(taken.status, 422);
  assert.match(taken.text_, /another section under the same parent has this address/);
  assert.equal(server.sql("SELECT count(*) FROM sections WHERE slug = 'harbour-news'"), '1');

  const page = await editor.get(`/newsroom/sections/${id}`);
  assert.equal(page.status, 200);
  assert.match(page.text_, /<title>Edit section · Newsroom/);
  assert.match(page.text_, /value="Harbour News"/);
  const moved = await editor.post(`/newsroom/sections/${id}`, { name: 'Harbour', slug: 'harbour', description: '', position: '2', parent: national });
  assert.equal(moved.status, 303, moved.text_);
  assert.equal(server.sql(`SELECT name || '|' || slug || '|' || parent_id || '|' || position FROM sections WHERE id = ${id}`), `Harbour|harbour|${national}|2`);
  // its page shows the parent it moved under, and does not offer itself
  const after = await editor.get(`/newsroom/sections/${id}`);
  assert.match(after.text_, new RegExp(`<option value="${national}" selected>`));
  assert.doesNotMatch(after.text_, new RegExp(`<option value="${id}"`));
  const bad = await editor.post(`/newsroom/sections/${id}`, { name: '', slug: 'harbour', parent: national });
  assert.equal(bad.status, 422);
  assert.match(bad.text_, /give the section a name of at most 80 characters/);

  const del = await editor.post(`/newsroom/sections/${id}/delete`, {});
  assert.equal(del.status, 303);
  assert.equal(del.headers.get('location'), '/newsroom/sections?msg=section_deleted');
  assert.equal(server.sql(`SELECT count(*) FROM sections WHERE id = ${id}`), '0');
});

test('a section with articles is not deleted', async () => {
  const busy = server.sql("SELECT section_id FROM articles GROUP BY section_id ORDER BY count(*) DESC LIMIT 1");
  const res = await editor.post(`/newsroom/sections/${busy}/delete`, {});
  assert.equal(res.status, 409);
  assert.match(res.text_, /this section still has articles or sub-sections/);
  assert.equal(server.sql(`SELECT count(*) FROM sections WHERE id = ${busy}`), '1');
});

test('an address naming no section or no article answers 404 and changes nothing', async () => {
  const sections = server.sql('SELECT count(*) FROM sections');
  for (const id of ['999999', 'abc', '0']) {
    const page = await editor.get(`/newsroom/sections/${id}`);
    assert.equal(page.status, 404, `section ${id}`);
    assert.match(page.text_, /there is no such section/);
    assert.equal((await editor.post(`/newsroom/sections/${id}`, { name: 'Ghost', parent: '' })).status, 404);
    assert.equal((await editor.post(`/newsroom/sections/${id}/delete`, {})).status, 404);
  }
  assert.equal(server.sql('SELECT count(*) FROM sections'), sections);

  const articles = server.sql('SELECT count(*) || max(version) FROM articles');
  for (const id of ['999999', 'abc']) {
    for (const path of [`/newsroom/articles/${id}`, `/newsroom/articles/${id}/revisions`]) {
      const res = await editor.get(path);
      assert.equal(res.status, 404, path);
      assert.match(res.text_, /there is no such article/, path);
    }
    // the editor's forms are multipart (photos); the correction form is not
    for (const [path, fields, multipart] of [
      [`/newsroom/articles/${id}`, { headline: 'Ghost', body: 'Text.', version: '1' }, true],
      [`/newsroom/articles/${id}/publish`, { headline: 'Ghost', body: 'Text.', version: '1' }, true],
      [`/newsroom/articles/${id}/unpublish`, { version: '1' }, true],
      [`/newsroom/articles/${id}/corrections`, { kind: 'correction', text: 'Fixed.', where: 'top' }, false],
    ]) {
      const res = await editor.post(path, fields, { multipart });
      assert.equal(res.status, 404, path);
      assert.match(res.text_, /there is no such article/, path);
    }
  }
  assert.equal(server.sql('SELECT count(*) || max(version) FROM articles'), articles);
});
