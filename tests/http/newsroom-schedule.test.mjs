// Scheduled publishing across a restart: an article whose time comes while
// the server is down goes live as soon as the server is back, and one due
// after the restart goes live on time.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, STAFF, editorFields, sleep } from './newsroom-lib.mjs';

let server;
after(async () => {
  await server?.close();
});

// A datetime-local value in the paper's zone (+09:00 by default).
function local(ms) {
  return new Date(ms + 9 * 3600 * 1000).toISOString().slice(0, 19);
}

async function schedule(editor, headline, at) {
  const politics = server.sql("SELECT id FROM sections WHERE slug = 'politics'");
  const res = await editor.post('/newsroom/articles', { headline, body: 'Embargoed text.', section: politics }, { multipart: true });
  const id = res.headers.get('location').match(/articles\/(\d+)/)[1];
  const f = editorFields((await editor.get(`/newsroom/articles/${id}`)).text_);
  const s = await editor.post(`/newsroom/articles/${id}/schedule`, { ...f, publish_at: local(at) }, { multipart: true });
  assert.equal(s.status, 303, s.text_.slice(0, 400));
  return id;
}

async function status(path) {
  return (await fetch(server.base + path, { redirect: 'manual' })).status;
}

test('scheduled articles go live on time, also across a restart', async () => {
  // (a stopping server gives idle keep-alive connections a second, not the
  // request timeout; a short timeout here would race the client's reuse)
  server = await new Server().start();
  const editor = server.client();
  await editor.login(STAFF.editor);
  const t0 = Date.now();
  // generous margins: the ASan build on a busy machine starts slowly
  const during = await schedule(editor, 'Due while the server is down', t0 + 8000);
  const later = await schedule(editor, 'Due after the restart', t0 + 25000);
  const p1 = `/article/${during}/due-while-the-server-is-down`;
  const p2 = `/article/${later}/due-after-the-restart`;
  assert.equal(await status(p1), 404);
  // the front page is cached without them
  assert.doesNotMatch(await (await fetch(server.base + '/')).text(), /Due while the server is down/);
  await server.stop();
  assert.ok(Date.now() < t0 + 8000, 'stopped before the first was due');
  await sleep(Math.max(0, t0 + 9500 - Date.now()));
  assert.equal(server.sql(`SELECT status FROM articles WHERE id = ${during}`), 'scheduled');
  await server.start();
  let live = false;
  for (let i = 0; i < 50 && !live; i++) {
    live = (await status(p1)) === 200;
    if (!live) await sleep(100);
  }
  assert.ok(live, 'the article due during the downtime is live after the start');
  assert.ok(Date.now() < t0 + 24000, 'restarted before the second was due');
  assert.equal(await status(p2), 404, 'the later one is still embargoed');
  for (let i = 0; i < 250 && (await status(p2)) !== 200; i++) await sleep(100);
  assert.equal(await status(p2), 200);
  assert.ok(Date.now() >= t0 + 25000 - 1000, 'not before its time');
  assert.match(await (await fetch(server.base + '/')).text(), /Due after the restart/);
});
