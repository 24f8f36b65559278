// Photo uploads in the editor: whatever is refused is refused with a
// message a person understands (the newsroom's own quick checks, then the
// media module's, which decodes with libvips), adds no file to the media
// folder (which holds the demo paper's photos) and leaves the article as it
// was; a good photo is stored in several widths and shown with srcset.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, STAFF, editorFields, png, decode } from './newsroom-lib.mjs';

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

const NOT_AN_IMAGE = /^the file is not a JPEG, PNG or WebP image \(SVG and other formats are not accepted\)$/;
const refusals = [
  ['a text file named .jpg', { name: 'notes.jpg', type: 'image/jpeg', data: Buffer.from('these are not pixels\n'.repeat(50)) }, NOT_AN_IMAGE],
  ['an SVG with a script', { name: 'logo.svg', type: 'image/svg+xml', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script><rect width="10" height="10"/></svg>') }, NOT_AN_IMAGE],
  ['an SVG claiming to be a PNG', { name: 'x.png', type: 'image/png', data: Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>') }, NOT_AN_IMAGE],
  ['a huge file', { name: 'huge.png', type: 'image/png', data: Buffer.concat([png(4, 4), Buffer.alloc(1536 * 1024, 7)]) }, /^the photo is 1\.5 MB; the limit is 1\.0 MB: make it smaller and try again$/],
  // from here on the media module (libvips) has the word
  ['a truncated image', { name: 'cut.png', type: 'image/png', data: png(400, 300).subarray(0, 300) }, /^the image could not be decoded; the file is truncated or damaged\. Export it again and upload the new file$/],
  ['a 20000 x 20000 header', { name: 'big.png', type: 'image/png', data: png(20000, 20000, { rows: 2 }) }, /^the image is 20000 x 20000 pixels \(400 megapixels\); the limit is 12000 pixels on a side and 50 megapixels; make it smaller and upload it again$/],
  ['a PNG header with nothing after it', { name: 'head.png', type: 'image/png', data: png(400, 300).subarray(0, 16) }, /^the image could not be read; the file is damaged$/],
  ['an empty file', { name: 'empty.jpg', type: 'image/jpeg', data: Buffer.alloc(0) }, /^the photo file is empty; choose the file again$/],
];

for (const [what, file, message] of refusals) {
  test(`${what} is refused with a clear message and leaves nothing behind`, async () => {
    const before = state();
    const media = server.mediaFiles();
    assert.ok(media.length > 0, 'the demo paper\'s photos are in the media folder');
    const res = await upload(file);
    assert.equal(res.status, 422, res.text_.slice(0, 500));
    const m = res.text_.match(/<p class="field-error" id="e-photo_file">The photo was not added: ([^<]+)<\/p>/);
    assert.ok(m, 'the message is next to the file field');
    assert.match(decode(m[1]), message);
    // what was typed is kept; nothing was saved
    assert.equal(editorFields(res.text_).headline, 'Changed together with the upload');
    assert.equal(state(), before);
    assert.deepEqual(server.mediaFiles(), media, 'no file added to the media folder');
  });
}

test('an upload without a description for screen readers is refused before any processing', async () => {
  const before = state();
  const media = server.mediaFiles();
  const res = await upload({ name: 'ok.png', type: 'image/png', data: png(64, 48) }, { photo_alt: '' });
  assert.equal(res.status, 422);
  assert.match(res.text_, /describe the photo for readers who cannot see it/);
  assert.equal(state(), before);
  assert.deepEqual(server.mediaFiles(), media);
});

test('a body larger than the server accepts is refused', async () => {
  const before = state();
  const media = server.mediaFiles();
  const res = await upload({ name: 'giant.png', type: 'image/png', data: Buffer.alloc(17 * 1024 * 1024, 1) }).catch((e) => e);
  // the server may close the connection instead of answering
  if (!(res instanceof Error)) assert.equal(res.status, 413);
  assert.equal(state(), before);
  assert.deepEqual(server.mediaFiles(), media);
});

test('a good photo is stored in several widths and shown with srcset', async () => {
  const media = new Set(server.mediaFiles());
  const res = await upload({ name: 'harbour.png', type: 'image/png', data: png(1600, 1000) });
  assert.equal(res.status, 303, res.text_.slice(0, 500));
  const added = server.mediaFiles().filter((f) => !media.has(f));
  const name = added[0]?.match(/^(p-[0-9a-f]{16})-\d+\.(?:webp|jpg)$/)?.[1];
  assert.ok(name, `new renditions: ${added.join(' ')}`);
  assert.ok(added.every((f) => f.startsWith(`${name}-`)), added.join(' '));
  const widths = added.filter((f) => f.endsWith('.jpg')).map((f) => Number(f.match(/-(\d+)\.jpg$/)[1])).sort((a, b) => a - b);
  assert.ok(widths.length >= 2 && widths.at(-1) <= 1600, `widths ${widths}`);
  assert.deepEqual(added.filter((f) => f.endsWith('.webp')).length, widths.length, 'a WebP beside each JPEG');
  assert.equal(server.sql(`SELECT p.name || '|' || p.caption || '|' || p.credit || '|' || p.alt FROM photos p JOIN article_photos ap ON ap.photo_id = p.id WHERE ap.article_id = ${id}`),
    `${name}|A caption|Staff|A description`);
  // published with the form as the editor shows it: the photo stays on
  const f = editorFields((await editor.get(`/newsroom/articles/${id}`)).text_);
  assert.equal(f.photos.length, 1);
  const pub = await editor.post(`/newsroom/articles/${id}/publish`, f, { multipart: true });
  assert.equal(pub.status, 303);
  const page = await (await fetch(`${server.base}/article/${id}/story-with-photos`)).text();
  const img = page.match(new RegExp(`<img[^>]*srcset="(/media/${name}-[^"]+)"[^>]*>`));
  assert.ok(img, 'the article shows the new photo');
  for (const w of widths) assert.ok(img[1].includes(`/media/${name}-${w}.`), `srcset has ${w}w: ${img[1]}`);
  assert.match(img[0], /alt="A description"/);
  assert.match(page, /A caption/);
  assert.match(page, /Staff/);
});

test('a body of nested multiparts is refused at once, before anyone signs in', async () => {
  // GMime compares every "--" line with every open boundary: 40,000 levels
  // once held an event loop for 50 s. Our cap refuses them unparsed.
  let body = '--b5000\r\nContent-Disposition: form-data; name="x"\r\n\r\nv\r\n--b5000--\r\n';
  for (let d = 4999; d >= 0; d--) body = `--b${d}\r\nContent-Type: multipart/mixed; boundary=b${d + 1}\r\n\r\n${body}\r\n--b${d}--\r\n`;
  const res = await fetch(`${server.base}/newsroom/authors`, {
    method: 'POST', body, headers: { 'content-type': 'multipart/form-data; boundary=b0' },
  });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /the form has too many parts/);
  assert.equal((await fetch(`${server.base}/`)).status, 200, 'the server still answers');
});

test('an article whose text has many lines beginning with "--" still saves with an upload form', async () => {
  const f = editorFields((await editor.get(`/newsroom/articles/${id}`)).text_);
  const text = Array.from({ length: 200 }, (_, i) => `-- line ${i}`).join('\n\n');
  const res = await editor.post(`/newsroom/articles/${id}`, { ...f, body: text }, { multipart: true });
  assert.equal(res.status, 303, res.text_?.slice(0, 300));
  assert.match(server.sql(`SELECT body FROM articles WHERE id = ${id}`), /-- line 199/);
});
