// Photo uploads in the editor: whatever is refused is refused with a
// message a person understands, leaves no file in the media folder and
// leaves the article as it was; a good photo is stored in several widths.
// The decoding itself is the media module's (libvips): until it is built
// in, the good photo's test is skipped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, STAFF, editorFields, png } from './newsroom-lib.mjs';

let server, editor, id, politics;

before(async () => {
  server = await new Server({ newsroom: { max_photo: '1m' } }).start();
  editor = server.client();
  await editor.login(STAFF.editor);
  politics = server.sql("SELECT id FROM sections WHERE slug = 'politics'");
  const res = await editor.post('/newsroom/articles', { headline: 'Story with photos', body: 'Text.', section: politics }, { multipart: true });
  id = res.headers.get('location').match(/articles\/(\d+)/)[1];
});

after(async () => {
  await server?.close();
});

function state() {
  return server.sql(`SELECT version || '|' || headline || '|' || (SELECT count(*) FROM article_photos WHERE article_id = ${id}) || '|' || (SELECT count(*) FROM photos) FROM articles WHERE id = ${id}`);
}

async function upload(file, extra = {}) {
  const f = editorFields((await editor.get(`/newsroom/articles/${id}`)).text_);
  return editor.post(`/newsroom/articles/${id}`, {
    ...f, headline: 'Changed together with the upload', photo_caption: 'A caption', photo_credit: 'Staff', photo_alt: 'A description', ...extra,
  }, { files: { photo_file: file } });
}

const refusals = [
  ['a text file named .jpg', { name: 'notes.jpg', type: 'image/jpeg', data: Buffer.from('these are not pixels\n'.repeat(50)) }, /not a JPEG, PNG or WebP image/],
  ['an SVG with a script', { name: 'logo.svg', type: 'image/svg+xml', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script><rect width="10" height="10"/></svg>') }, /not a JPEG, PNG or WebP image/],
  ['an SVG claiming to be a PNG', { name: 'x.png', type: 'image/png', data: Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>') }, /not a JPEG, PNG or WebP image/],
  ['a huge file', { name: 'huge.png', type: 'image/png', data: Buffer.concat([png(4, 4), Buffer.alloc(1536 * 1024, 7)]) }, /the photo is 1\.5 MB; the limit is 1\.0 MB/],
  ['a truncated image', { name: 'cut.png', type: 'image/png', data: png(400, 300).subarray(0, 300) }, /./],
  ['a 20000 x 20000 header', { name: 'big.png', type: 'image/png', data: png(20000, 20000, { rows: 2 }) }, /20000/],
  ['an empty file', { name: 'empty.jpg', type: 'image/jpeg', data: Buffer.alloc(0) }, /empty/],
];

for (const [what, file, message] of refusals) {
  test(`${what} is refused with a clear message and leaves nothing behind`, async () => {
    const before = state();
    const res = await upload(file);
    assert.equal(res.status, 422, res.text_.slice(0, 500));
    const m = res.text_.match(/<p class="field-error" id="e-photo_file">The photo was not added: ([^<]+)<\/p>/);
    assert.ok(m, 'the message is next to the file field');
    assert.match(m[1], message);
    // what was typed is kept; nothing was saved
    assert.equal(editorFields(res.text_).headline, 'Changed together with the upload');
    assert.equal(state(), before);
    assert.deepEqual(server.mediaFiles(), []);
  });
}

test('an upload without a description for screen readers is refused before any processing', async () => {
  const before = state();
  const res = await upload({ name: 'ok.png', type: 'image/png', data: png(64, 48) }, { photo_alt: '' });
  assert.equal(res.status, 422);
  assert.match(res.text_, /describe the photo for readers who cannot see it/);
  assert.equal(state(), before);
  assert.deepEqual(server.mediaFiles(), []);
});

test('a body larger than the server accepts is refused', async () => {
  const res = await upload({ name: 'giant.png', type: 'image/png', data: Buffer.alloc(17 * 1024 * 1024, 1) }).catch((e) => e);
  if (res instanceof Error) return; // the server may close the connection instead
  assert.equal(res.status, 413);
  assert.deepEqual(server.mediaFiles(), []);
});

test('a good photo is stored in several widths and shown with srcset', async (t) => {
  const res = await upload({ name: 'harbour.png', type: 'image/png', data: png(1600, 1000) });
  if (res.status === 422 && /not built into this server/.test(res.text_)) {
    t.skip('the media module (libvips) is not built into this binary yet');
    return;
  }
  assert.equal(res.status, 303, res.text_.slice(0, 500));
  const files = server.mediaFiles();
  assert.ok(files.some((f) => f.endsWith('.webp')) && files.some((f) => f.endsWith('.jpg')), files.join(' '));
  const f = editorFields((await editor.get(`/newsroom/articles/${id}`)).text_);
  const pub = await editor.post(`/newsroom/articles/${id}/publish`, f, { multipart: true });
  assert.equal(pub.status, 303);
  const page = await (await fetch(`${server.base}/article/${id}/story-with-photos`)).text();
  assert.match(page, /srcset="\/media\/p-[^"]+ \d+w/);
  assert.match(page, /A caption/);
});
