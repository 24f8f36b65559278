// Every newsroom route (the newsroom's own, the comment queue's and the
// agency intake's) against every role, and every state-changing route of
// the whole server (every module's) against a missing and a foreign CSRF
// token. The routes come from `broadsheet routes`, so a route added later
// without an entry here fails this test instead of going unchecked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Server, STAFF, bin } from './newsroom-lib.mjs';

// The only state-changing routes without the CSRF check, and why.
const NO_CSRF = {
  'POST /api/ingest': 'agencies post with a key in the Authorization header, not from a browser',
};

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
  // the comment queue (talk), behind newsroom_guard with STAFF_MODERATE
  'GET /newsroom/moderation': M,
  'POST /newsroom/moderation/comment': M,
  'POST /newsroom/moderation/comment/:cid': M,
  'POST /newsroom/moderation/commenter/:id': M,
  'POST /newsroom/moderation/words': M,
  // agency copy (distribution), behind newsroom_guard with STAFF_WRITE
  'GET /newsroom/intake': W,
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
    .replace('/staff/:id', `/staff/${ids.staff}`)
    .replace('/comments/:aid', `/comments/${ids.published}`)
    .replace(':cid', ids.comment)
    .replace('/commenter/:id', `/commenter/${ids.commenter}`);
  assert.ok(!p.includes(':'), `no id for ${pattern}: add one to pathOf`);
  if (method === 'GET' && p.endsWith('/diff')) p += `?from=${ids.revision}&to=${ids.revision}`;
  return p;
}

// Signs the client in as a reader too (the demo provider), as a person
// who comments and works in the newsroom would be; returns /api/me.
async function readerSignIn(client, name) {
  const page = await client.get('/signin/demo?return=/');
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.text_)[1];
  const res = await client.post('/signin/demo', { name, return: '/' }, { csrf });
  assert.equal(res.status, 303, `demo sign-in: ${res.status}`);
  return JSON.parse((await client.get('/api/me')).text_);
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
  // a reader's comment, for the comment routes
  ids.published = server.sql("SELECT id FROM articles WHERE status = 'published' ORDER BY id LIMIT 1");
  const reader = server.client();
  const me = await readerSignIn(reader, 'Route Reader');
  const posted = await reader.post(`/comments/${ids.published}`, { body: 'A comment for the route checks', idem: me.idem });
  assert.ok(posted.status === 303 || posted.status === 200, `comment: ${posted.status}`);
  ids.comment = server.sql("SELECT id FROM comments WHERE body = 'A comment for the route checks'");
  ids.commenter = String(me.id);
  assert.ok(ids.comment && ids.commenter);
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
    for (const m of r.methods.filter((x) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(x))) {
      if (r.flags.includes('no-csrf')) {
        assert.ok(`${m} ${r.pattern}` in NO_CSRF, `${m} ${r.pattern} skips the CSRF check: say why in NO_CSRF, or check it`);
        continue;
      }
      out.push({ route: r, method: m });
    }
  }
  return out;
}

// What a forged request could change, anywhere: articles, the audit log,
// sections, staff, comments and their moderation, readers' accounts.
function everything() {
  return server.sql(`SELECT json_array(
    (SELECT max(version) FROM articles), (SELECT count(*) FROM articles), (SELECT count(*) FROM audit_log),
    (SELECT count(*) FROM sections), (SELECT count(*) FROM users), (SELECT count(*) FROM sessions),
    (SELECT group_concat(id || status || body) FROM comments), (SELECT count(*) FROM comment_likes),
    (SELECT count(*) FROM comment_reports), (SELECT count(*) FROM comment_words),
    (SELECT count(*) FROM moderation_log), (SELECT group_concat(id || deleted_at || suspended_until) FROM commenters),
    (SELECT count(*) FROM reader_sessions), (SELECT count(*) FROM front_slots))`);
}

// Fields that would make each route do something, were the token not checked.
const FORGED = {
  headline: 'forged', body: 'forged comment', action: 'delete', id: '1', word: 'forgedword', kind: 'banned',
  days: '30', reason: 'forged', confirm: 'delete', name: 'Forged', login: 'forged', role: 'admin',
  password: 'forged-password-1', section: '1', note: 'forged',
};

test('every state-changing route of every module refuses a missing or a foreign CSRF token', async () => {
  // staff admin and signed-in reader at once: a forged request that got
  // through would have rights everywhere
  const admin = server.client();
  await admin.login(STAFF.admin);
  await readerSignIn(admin, 'Admin Reading');
  const stranger = server.client();
  const foreign = await stranger.token(); // valid, but another browser's
  assert.notEqual(foreign, await admin.token());
  const list = stateChanging();
  const patterns = new Set(list.map(({ method, route }) => `${method} ${route.pattern}`));
  for (const must of ['POST /newsroom/articles/:id/publish', 'POST /newsroom/staff', 'POST /comments/:aid',
    'POST /comment/:cid/like', 'POST /comment/:cid/report', 'POST /comment/:cid/delete', 'POST /account/delete',
    'POST /signin/demo', 'POST /signout', 'POST /newsroom/moderation/comment/:cid',
    'POST /newsroom/moderation/commenter/:id', 'POST /newsroom/moderation/words']) {
    assert.ok(patterns.has(must), `${must} is among the checked routes`);
  }
  assert.ok(list.length >= 35, `${list.length} state-changing routes`);
  const before = everything();
  for (const { route, method } of list) {
    const path = pathOf(route.pattern, method);
    const multipart = isUpload(route);
    const where = `${method} ${route.pattern}`;
    const form = () => {
      if (!multipart) return new URLSearchParams(FORGED);
      const f = new FormData();
      for (const [k, v] of Object.entries(FORGED)) f.append(k, v);
      return f;
    };
    const missing = await admin.request(method, path, multipart
      ? { body: form() }
      : { body: form(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(missing.status, 403, `${where} without a token -> ${missing.status}`);
    assert.match(missing.text_, /security token is missing or expired/, where);
    const wrongField = await admin.post(path, FORGED, { csrf: foreign, multipart });
    assert.equal(wrongField.status, 403, `${where} with a foreign token -> ${wrongField.status}`);
    const wrongHeader = await admin.post(path, FORGED, { csrf: false, multipart, headers: { 'x-csrf-token': foreign } });
    assert.equal(wrongHeader.status, 403, `${where} with a foreign header token -> ${wrongHeader.status}`);
  }
  assert.equal(everything(), before, 'nothing changed');
  // and the right token passes the check (routes that change nothing much)
  const ok = await admin.post(`/newsroom/articles/${ids.article}/preview`, { headline: 'x', section: ids.section }, { multipart: true });
  assert.equal(ok.status, 200);
  const like = await admin.post(`/comment/${ids.comment}/like`, {}, { headers: { accept: 'application/json' } });
  assert.equal(like.status, 200, like.text_);
  assert.equal(server.sql(`SELECT likes FROM comments WHERE id = ${ids.comment}`), '1');
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
