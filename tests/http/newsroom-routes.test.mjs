// Every newsroom route against every role, and every state-changing route
// of the whole server against a missing and a foreign CSRF token. The
// routes come from `broadsheet routes`, so a route added later without an
// entry here fails this test instead of going unchecked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Server, STAFF, bin } from './newsroom-lib.mjs';

const W = 1, P = 2, M = 4, A = 8;
const CAPS = { reporter: W, editor: W | P, moderator: M, admin: W | P | M | A };

// What each newsroom route requires. null: not guarded (sign-in itself).
const NEED = {
  'GET /newsroom': null,
  'GET /newsroom/login': null,
  'POST /newsroom/login': null,
  'POST /newsroom/logout': null,
  'GET /newsroom/account': 0,
  'POST /newsroom/account/password': 0,
  'GET /newsroom/': 0,
  'GET /newsroom/articles': W,
  'GET /newsroom/articles/new': W,
  'POST /newsroom/articles': W,
  'POST /newsroom/preview': W,
  'GET /newsroom/articles/:id': W,
  'POST /newsroom/articles/:id': W,
  'POST /newsroom/articles/:id/ready': W,
  'POST /newsroom/articles/:id/draft': W,
  'POST /newsroom/articles/:id/publish': W | P,
  'POST /newsroom/articles/:id/schedule': W | P,
  'POST /newsroom/articles/:id/unpublish': W | P,
  'POST /newsroom/articles/:id/autosave': W,
  'POST /newsroom/articles/:id/preview': W,
  'GET /newsroom/articles/:id/revisions': W,
  'GET /newsroom/articles/:id/diff': W,
  'POST /newsroom/articles/:id/revisions/:rev/restore': W,
  'POST /newsroom/articles/:id/corrections': W | P,
  'GET /newsroom/sections': W | P,
  'POST /newsroom/sections': W | P,
  'GET /newsroom/sections/:id': W | P,
  'POST /newsroom/sections/:id': W | P,
  'POST /newsroom/sections/:id/delete': W | P,
  'GET /newsroom/authors': W | P,
  'GET /newsroom/authors/new': W | P,
  'POST /newsroom/authors': W | P,
  'GET /newsroom/authors/:id': W | P,
  'POST /newsroom/authors/:id': W | P,
  'GET /newsroom/staff': A,
  'POST /newsroom/staff': A,
  'GET /newsroom/staff/:id': A,
  'POST /newsroom/staff/:id': A,
  'POST /newsroom/staff/:id/disable': A,
  'POST /newsroom/staff/:id/enable': A,
  'POST /newsroom/staff/:id/password': A,
  'GET /newsroom/front': W | P,
  'POST /newsroom/front': W | P,
  'GET /newsroom/audit': A,
};

let server;
let routes;
const ids = {};

function listRoutes() {
  const out = execFileSync(bin, ['routes', '--config', server.config], { encoding: 'utf8' });
  return out.trim().split('\n').map((line) => {
    const [methods, pattern, flags] = line.split(' ');
    return { methods: methods.split(','), pattern, flags: flags === '-' ? [] : flags.split(',') };
  });
}

// A concrete path for a pattern: ids that exist, chosen so that a request
// that passes the guard harms nothing the other checks need.
function pathOf(pattern, method) {
  let p = pattern
    .replace('/articles/:id', `/articles/${ids.article}`)
    .replace(':rev', ids.revision)
    .replace('/sections/:id', `/sections/${ids.section}`)
    .replace('/authors/:id', `/authors/${ids.author}`)
    .replace('/staff/:id', `/staff/${ids.staff}`);
  if (method === 'GET' && p.endsWith('/diff')) p += `?from=${ids.revision}&to=${ids.revision}`;
  return p;
}

function isUpload(route) {
  return route.flags.includes('upload');
}

before(async () => {
  server = await new Server({ staff: { ...STAFF, spare: { login: 'spare', password: 'spare-password-1', role: 'reporter', name: 'Spare Account' } } }).start();
  routes = listRoutes();
  const admin = server.client();
  await admin.login(STAFF.admin);
  ids.section = server.sql("SELECT id FROM sections WHERE slug = 'politics'");
  ids.author = server.sql('SELECT id FROM authors ORDER BY id LIMIT 1');
  ids.staff = server.sql("SELECT id FROM users WHERE login = 'spare'");
  const res = await admin.post('/newsroom/articles', { headline: 'A draft for the route checks', body: 'Text.', section: ids.section }, { multipart: true });
  ids.article = res.headers.get('location').match(/articles\/(\d+)/)[1];
  ids.revision = server.sql(`SELECT id FROM revisions WHERE article_id = ${ids.article}`);
});

after(async () => {
  await server?.close();
});

test('`broadsheet routes` lists the newsroom, and each newsroom route has an expectation here', () => {
  const newsroom = routes.filter((r) => r.pattern.startsWith('/newsroom'));
  assert.ok(newsroom.length >= 40, `only ${newsroom.length} newsroom routes listed`);
  for (const r of newsroom)
    for (const m of r.methods.filter((x) => x !== 'HEAD'))
      assert.ok(`${m} ${r.pattern}` in NEED, `no role expectation for ${m} ${r.pattern}: add it to NEED`);
});

async function call(client, route, method) {
  const path = pathOf(route.pattern, method);
  if (method === 'GET') return client.get(path);
  return client.post(path, {}, { multipart: isUpload(route) });
}

for (const role of ['anonymous', 'reporter', 'editor', 'moderator', 'admin']) {
  test(`${role}: every newsroom route is allowed or refused as the role says`, async () => {
    const client = server.client();
    if (role !== 'anonymous') await client.login(STAFF[role]);
    const checks = [];
    for (const r of routes.filter((x) => x.pattern.startsWith('/newsroom'))) {
      for (const method of r.methods.filter((m) => m === 'GET' || m === 'POST')) {
        const need = NEED[`${method} ${r.pattern}`];
        if (r.pattern === '/newsroom/logout') continue; // ends the session: checked below
        const res = await call(client, r, method);
        const where = `${role} ${method} ${r.pattern} -> ${res.status}`;
        const toLogin = res.status === 303 && /^\/newsroom\/login/.test(res.headers.get('location') || '');
        if (need === null) {
          assert.ok(res.status !== 403 && res.status < 500, where);
        } else if (role === 'anonymous') {
          assert.ok(toLogin, `${where}: expected a redirect to the sign-in page`);
        } else if ((CAPS[role] & need) === need) {
          assert.ok(res.status !== 403 && !toLogin && res.status < 500, `${where}: expected allowed\n${res.text_.slice(0, 300)}`);
          if (method === 'GET' && r.pattern !== '/newsroom') assert.equal(res.status, 200, where);
        } else {
          assert.equal(res.status, 403, `${where}: expected refused`);
          assert.match(res.text_, /does not allow this/, where);
        }
        checks.push(where);
      }
    }
    assert.ok(checks.length >= 43, `${checks.length} checks`);
  });
}

test('signing out ends the session for every role', async () => {
  for (const role of ['reporter', 'editor', 'moderator', 'admin']) {
    const client = server.client();
    await client.login(STAFF[role]);
    const session = client.jar.get('bs_session');
    const out = await client.post('/newsroom/logout');
    assert.equal(out.status, 303);
    assert.equal(client.jar.get('bs_session'), undefined);
    client.jar.set('bs_session', session); // a copy kept by someone
    const res = await client.get('/newsroom/');
    assert.equal(res.status, 303, role);
    assert.match(res.headers.get('location'), /^\/newsroom\/login/);
  }
});

// --- CSRF ---

function stateChanging() {
  const out = [];
  for (const r of routes) {
    if (r.flags.includes('no-csrf')) continue;
    for (const m of r.methods.filter((x) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(x)))
      out.push({ route: r, method: m });
  }
  return out;
}

test('every state-changing route refuses a missing or a foreign CSRF token', async () => {
  const admin = server.client();
  await admin.login(STAFF.admin);
  const stranger = server.client();
  const foreign = await stranger.token(); // valid, but another browser's
  assert.notEqual(foreign, await admin.token());
  const list = stateChanging();
  assert.ok(list.length >= 25, `${list.length} state-changing routes`);
  const before = server.sql('SELECT (SELECT max(version) FROM articles) || (SELECT count(*) FROM audit_log) || (SELECT count(*) FROM sections)');
  for (const { route, method } of list) {
    const path = pathOf(route.pattern, method);
    const multipart = isUpload(route);
    const where = `${method} ${route.pattern}`;
    const missing = await admin.request(method, path, multipart
      ? { body: (() => { const f = new FormData(); f.append('headline', 'x'); return f; })() }
      : { body: new URLSearchParams({ headline: 'x' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(missing.status, 403, `${where} without a token -> ${missing.status}`);
    assert.match(missing.text_, /security token is missing or expired/, where);
    const wrongField = await admin.post(path, { headline: 'x' }, { csrf: foreign, multipart });
    assert.equal(wrongField.status, 403, `${where} with a foreign token -> ${wrongField.status}`);
    const wrongHeader = await admin.post(path, { headline: 'x' }, { csrf: false, multipart, headers: { 'x-csrf-token': foreign } });
    assert.equal(wrongHeader.status, 403, `${where} with a foreign header token -> ${wrongHeader.status}`);
  }
  const afterState = server.sql('SELECT (SELECT max(version) FROM articles) || (SELECT count(*) FROM audit_log) || (SELECT count(*) FROM sections)');
  assert.equal(afterState, before, 'nothing changed');
  // and the right token passes the check (a route that changes nothing much)
  const ok = await admin.post(`/newsroom/articles/${ids.article}/preview`, { headline: 'x', section: ids.section }, { multipart: true });
  assert.equal(ok.status, 200);
});

test('a form posted from another site is refused even with a token', async () => {
  const admin = server.client();
  await admin.login(STAFF.admin);
  const res = await admin.post('/newsroom/staff', { login: 'intruder', name: 'X', role: 'admin' }, { headers: { origin: 'https://evil.example' } });
  assert.equal(res.status, 403);
  assert.equal(server.sql("SELECT count(*) FROM users WHERE login = 'intruder'"), '0');
});

test('sign-in itself needs the token (no login CSRF)', async () => {
  const c = server.client();
  const res = await c.post('/newsroom/login', { login: STAFF.editor.login, password: STAFF.editor.password }, { csrf: false });
  assert.equal(res.status, 403);
  assert.equal(c.jar.get('bs_session'), undefined);
});
