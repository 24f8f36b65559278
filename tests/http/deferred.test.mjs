// Slow work off the event loop: Argon2id (newsroom sign-in, passwords),
// libvips (photo uploads) and the calls to a sign-in provider run on the
// server's worker pool, so readers never wait behind them.
//
// Nothing here measures time. A local OpenID Connect provider holds its
// token endpoint until the test lets it answer: a reader's sign-in then
// keeps the pool's only worker busy for as long as the test wants, and the
// tests check what happens meanwhile, by order alone:
//   - reader pages answer on the server's only event loop;
//   - each slow path goes through the pool's queue (one place): of two
//     requests sent together, one waits and one is refused with 503 and
//     Retry-After; the waiting one completes once the worker is free;
//   - a client that leaves while its job waits does no harm;
//   - SIGTERM while a job runs: its response is still sent, then exit 0.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { Server, STAFF, editorFields, png, decode } from './newsroom-lib.mjs';
import { startFakeOidc } from './fake-oidc.mjs';
import { waitUntilRefused } from './lib.mjs';

let fake;
let server;
let admin;
let editor;

const POOL = { threads: 1, workers: 1, work_queue: 1, access_log: '-' };

function withFake(opts = {}) {
  return new Server({
    ...opts,
    sections: {
      'signin.fake': { label: 'Fake OIDC', issuer: fake.issuer, client_id: 'fake-client',
        client_secret: 'fake-secret', leeway: '30' },
    },
  });
}

before(async () => {
  fake = await startFakeOidc({ clientId: 'fake-client', clientSecret: 'fake-secret' });
  server = await withFake({ server: POOL }).start();
  admin = server.client();
  await admin.login(STAFF.admin);
  editor = server.client();
  await editor.login(STAFF.editor);
});

after(async () => {
  await server?.close();
  await fake?.close();
});

/** A promise that also says whether it has settled yet. */
function track(promise) {
  const t = { settled: false };
  t.promise = promise.finally(() => { t.settled = true; });
  return t;
}

/** A reader's sign-in with the local provider, up to the callback URL. */
async function callbackPath(srv, reader) {
  const start = await reader.get('/signin/fake?return=/');
  assert.equal(start.status, 302, start.text_.slice(0, 300));
  const auth = await fetch(start.headers.get('location'), { redirect: 'manual' });
  assert.equal(auth.status, 302);
  const cb = new URL(auth.headers.get('location'));
  return cb.pathname + cb.search;
}

/**
 * The pool's only worker busy with a reader's sign-in that waits for the
 * provider. Resolves { reader, pending, release } once the provider has the
 * token request: pending is the tracked callback request.
 */
async function busyWorker(srv = server) {
  const reader = srv.client();
  const path = await callbackPath(srv, reader);
  const hold = fake.holdToken();
  const pending = track(reader.get(path));
  await hold.arrived;
  return { reader, pending, release: hold.release };
}

async function assertSignedIn(busy, { ask = true } = {}) {
  const res = await busy.pending.promise;
  assert.equal(res.status, 303, res.text_.slice(0, 300));
  assert.equal(res.headers.get('location'), '/');
  assert.ok(busy.reader.jar.get('bs_reader'), 'the reader has a session');
  if (!ask) return;
  const me = await busy.reader.get('/api/me');
  assert.equal(JSON.parse(me.text_).signed_in, true);
}

/**
 * With the worker busy and one place in the queue, sends two requests at
 * once: one must be refused with 503 and Retry-After while the other waits;
 * then the worker is freed. Resolves { refused, queued, index } (index: which
 * of the two was queued).
 */
async function oneQueuedOneRefused(send) {
  const busy = await busyWorker();
  const two = [track(send(0)), track(send(1))];
  const first = await Promise.race(two.map((t, i) => t.promise.then((res) => ({ res, i }))));
  const refused = first.res;
  assert.equal(refused.status, 503, refused.text_.slice(0, 500));
  assert.equal(refused.headers.get('retry-after'), '1');
  assert.match(decode(refused.text_), /the server is busy; try again in a moment/);
  const index = 1 - first.i;
  assert.equal(two[index].settled, false, 'the other request waits in the queue');
  assert.equal(busy.pending.settled, false, 'the sign-in still waits for the provider');
  busy.release();
  await assertSignedIn(busy);
  return { refused, queued: await two[index].promise, index };
}

test('while a sign-in waits for a slow provider, reader pages answer on the only event loop', async () => {
  const busy = await busyWorker();
  const front = await (await fetch(`${server.base}/`)).text();
  const article = front.match(/href="(\/article\/\d+\/[^"]+)"/)[1];
  for (const path of ['/', '/national/', article, '/search', '/newsroom/login', '/healthz']) {
    const res = await fetch(server.base + path, { redirect: 'manual' });
    assert.equal(res.status, 200, path);
    await res.arrayBuffer();
    assert.equal(busy.pending.settled, false, `answered ${path} while the sign-in waits`);
  }
  busy.release();
  await assertSignedIn(busy);
});

test('newsroom sign-in (Argon2id) waits for a worker; a full queue answers 503', async () => {
  const clients = [server.client(), server.client()];
  await Promise.all(clients.map((c) => c.token()));
  const { queued, index } = await oneQueuedOneRefused((i) => clients[i].post('/newsroom/login',
    { login: STAFF.reporter.login, password: STAFF.reporter.password }));
  assert.equal(queued.status, 303);
  assert.equal((await clients[index].get('/newsroom/')).status, 200, 'the queued one is signed in');
  assert.equal((await clients[1 - index].get('/newsroom/')).status, 303, 'the refused one is not');
});

test('a reader sign-in start (provider discovery) waits for a worker too', async () => {
  const readers = [server.client(), server.client()];
  const { queued } = await oneQueuedOneRefused((i) => readers[i].get('/signin/fake?return=/'));
  assert.equal(queued.status, 302);
  assert.ok(queued.headers.get('location').startsWith(`${fake.issuer}/authorize?`));
});

// Ranking reads every match: a few searches of many words, each ending in
// '*', held both loops for seconds on a large archive (the cached front
// page fell from 30,000 answers a second to 2).
test('a search (ranking every match) waits for a worker; a full queue answers 503', async () => {
  const readers = [server.client(), server.client()];
  const { queued } = await oneQueuedOneRefused((i) => readers[i].get('/search?q=summit'));
  assert.equal(queued.status, 200, queued.text_.slice(0, 300));
  assert.match(decode(queued.text_), /class="search-count" role="status">\d+ result/);
});

test('changing one\'s password (Argon2id twice) waits for a worker', async () => {
  const who = { login: 'pat', password: 'pat-password-01', role: 'reporter', name: 'Pat Queue' };
  server.cli(['user', 'add', who.login, '--role', who.role, '--name', who.name], `${who.password}\n`);
  const pats = [server.client(), server.client()];
  for (const c of pats) await c.login(who);
  const fresh = ['pat-password-first', 'pat-password-second'];
  const { queued, index } = await oneQueuedOneRefused((i) => pats[i].post('/newsroom/account/password',
    { current: who.password, password: fresh[i], confirm: fresh[i] }));
  assert.equal(queued.status, 303);
  const check = server.client();
  assert.equal((await check.post('/newsroom/login', { login: 'pat', password: fresh[index] })).status, 303,
    'the queued change was made');
  assert.equal((await server.client().post('/newsroom/login', { login: 'pat', password: fresh[1 - index] })).status, 401,
    'the refused change was not');
});

test('adding staff and resetting a password (Argon2id) wait for a worker', async () => {
  const logins = ['queued-a', 'queued-b'];
  const add = await oneQueuedOneRefused((i) => admin.post('/newsroom/staff',
    { login: logins[i], name: `Person ${i}`, role: 'reporter', password: '' }));
  assert.equal(add.queued.status, 200);
  assert.match(add.queued.text_, /<code class="secret">[^<]+<\/code>/, 'the one-time password is shown');
  assert.equal(server.sql(`SELECT count(*) FROM users WHERE login = '${logins[add.index]}'`), '1');
  assert.equal(server.sql(`SELECT count(*) FROM users WHERE login = '${logins[1 - add.index]}'`), '0');
  const ids = ['reporter', 'moderator'].map((r) => server.sql(`SELECT id FROM users WHERE login = '${STAFF[r].login}'`));
  const reset = await oneQueuedOneRefused((i) => admin.post(`/newsroom/staff/${ids[i]}/password`));
  assert.equal(reset.queued.status, 200);
  const onetime = reset.queued.text_.match(/<code class="secret">([^<]+)<\/code>/)[1];
  const who = [STAFF.reporter, STAFF.moderator];
  assert.equal((await server.client().post('/newsroom/login', { login: who[reset.index].login, password: onetime })).status, 303);
  assert.equal((await server.client().post('/newsroom/login', who[1 - reset.index])).status, 303,
    'the refused reset changed nothing');
});

async function newArticle(headline) {
  const politics = server.sql("SELECT id FROM sections WHERE slug = 'politics'");
  const res = await editor.post('/newsroom/articles', { headline, body: 'Text.', section: politics }, { multipart: true });
  assert.equal(res.status, 303);
  return res.headers.get('location').match(/articles\/(\d+)/)[1];
}

test('photo uploads (libvips) wait for a worker; the refused one leaves nothing behind', async () => {
  const ids = [await newArticle('Queued photo one'), await newArticle('Queued photo two')];
  const forms = [];
  for (const id of ids) forms.push(editorFields((await editor.get(`/newsroom/articles/${id}`)).text_));
  const photos = Number(server.sql('SELECT count(*) FROM photos'));
  const media = server.mediaFiles().length;
  const { queued, index } = await oneQueuedOneRefused((i) => editor.post(`/newsroom/articles/${ids[i]}`, {
    ...forms[i], headline: `With a photo ${i}`, photo_caption: 'Queued', photo_credit: 'Staff', photo_alt: 'A gradient',
  }, { files: { photo_file: { name: 'g.png', type: 'image/png', data: png(800, 600) } } }));
  assert.equal(queued.status, 303, queued.text_.slice(0, 500));
  const count = (id) => server.sql(`SELECT count(*) FROM article_photos WHERE article_id = ${id}`);
  assert.equal(count(ids[index]), '1');
  assert.equal(count(ids[1 - index]), '0');
  assert.equal(server.sql(`SELECT headline FROM articles WHERE id = ${ids[1 - index]}`),
    ['Queued photo one', 'Queued photo two'][1 - index], 'the refused save changed nothing');
  assert.equal(Number(server.sql('SELECT count(*) FROM photos')), photos + 1);
  assert.ok(server.mediaFiles().length > media, 'the renditions of the queued photo');
});

test('an author portrait (libvips) waits for a worker', async () => {
  const ids = server.sql('SELECT id FROM authors ORDER BY id LIMIT 2').split('\n');
  const names = ids.map((id) => server.sql(`SELECT name FROM authors WHERE id = ${id}`));
  const { queued, index } = await oneQueuedOneRefused((i) => admin.post(`/newsroom/authors/${ids[i]}`,
    { name: names[i], role: 'Reporter', email: '', bio: 'Writes.', slug: '' },
    { files: { photo_file: { name: 'p.png', type: 'image/png', data: png(400, 400) } } }));
  assert.equal(queued.status, 303, queued.text_.slice(0, 500));
  const photoOf = (id) => server.sql(`SELECT photo_id FROM authors WHERE id = ${id}`);
  const before = photoOf(ids[1 - index]);
  assert.notEqual(photoOf(ids[index]), '');
  assert.equal(server.sql(`SELECT alt FROM photos WHERE id = ${photoOf(ids[index])}`), `Portrait of ${names[index]}`);
  assert.equal(photoOf(ids[1 - index]), before);
});

/** Bytes of a request as a browser would send them (form or multipart). */
async function requestBytes(url, { fields, file, cookie }) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of [].concat(v)) fd.append(k, String(one));
  if (file) fd.append('photo_file', new Blob([file.data], { type: file.type }), file.name);
  const r = new Request(url, { method: 'POST', body: file ? fd : new URLSearchParams(fields) });
  const body = Buffer.from(await r.arrayBuffer());
  const u = new URL(url);
  const head = `POST ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\n` +
    `Content-Type: ${r.headers.get('content-type')}\r\nContent-Length: ${body.length}\r\n` +
    `Cookie: ${cookie}\r\nConnection: close\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), body]);
}

/** Sends the bytes and closes the connection without reading any answer. */
async function sendAndLeave(port, bytes) {
  const sock = net.connect(port, '127.0.0.1');
  await once(sock, 'connect');
  await new Promise((r) => sock.write(bytes, r));
  sock.destroy();
}

test('a client that leaves while its job waits in the queue does no harm', async () => {
  // a sign-in whose client has gone: the job runs, its answer has nowhere to go
  let busy = await busyWorker();
  const csrf = await admin.token();
  await sendAndLeave(server.port, await requestBytes(`${server.base}/newsroom/login?left=1`, {
    fields: { csrf, login: 'nobody', password: 'wrong-password-1' }, cookie: `bs_csrf=${csrf}`,
  }));
  busy.release();
  await assertSignedIn(busy);
  await server.server.waitForStderr('"POST /newsroom/login?left=1 HTTP/1.1" 401');
  // a photo upload likewise
  const id = await newArticle('Left during the upload');
  const f = editorFields((await editor.get(`/newsroom/articles/${id}`)).text_);
  busy = await busyWorker();
  await sendAndLeave(server.port, await requestBytes(`${server.base}/newsroom/articles/${id}?left=2`, {
    fields: { ...f, csrf: editor.jar.get('bs_csrf'), photo_caption: 'Gone', photo_credit: 'Staff', photo_alt: 'A gradient' },
    file: { name: 'g.png', type: 'image/png', data: png(640, 480) },
    cookie: editor.cookieHeader(),
  }));
  busy.release();
  await assertSignedIn(busy);
  await server.server.waitForStderr(`"POST /newsroom/articles/${id}?left=2 HTTP/1.1" 303`);
  // the server goes on as before
  assert.equal((await fetch(`${server.base}/`)).status, 200);
  assert.equal((await server.client().post('/newsroom/login', STAFF.editor)).status, 303);
});

test('SIGTERM while a job runs: its response is sent, then the server exits 0', async () => {
  const own = await withFake({ server: { threads: 2, access_log: 'off' } }).start();
  try {
    const busy = await busyWorker(own);
    own.server.terminate();
    await waitUntilRefused(own.port);
    assert.equal(own.server.proc.exitCode, null, 'still running: a job is out');
    assert.equal(busy.pending.settled, false);
    busy.release();
    await assertSignedIn(busy, { ask: false });
    await own.stop(); // asserts exit status 0, no sanitizer report
  } finally {
    await own.close();
  }
});
