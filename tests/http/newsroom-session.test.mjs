// Sessions: the cookie's attributes, a new id at every sign-in (fixation),
// idle and absolute expiry (shortened by the [newsroom] config so the test
// need not wait half an hour), and sessions ending when an account is
// disabled or its password reset.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, STAFF, sleep } from './newsroom-lib.mjs';

let server;

before(async () => {
  server = await new Server({ newsroom: { idle_timeout: '3s', absolute_timeout: '7s' } }).start();
});

after(async () => {
  await server?.close();
});

function sessionCookie(res, name = 'bs_session') {
  return res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
}

test('the session cookie is HttpOnly, SameSite=Lax, host-only, and holds 128 random bits', async () => {
  const c = server.client();
  const res = await c.login(STAFF.editor);
  const cookie = sessionCookie(res);
  assert.ok(cookie, 'a session cookie');
  assert.match(cookie, /; HttpOnly/);
  assert.match(cookie, /; SameSite=Lax/);
  assert.match(cookie, /; Path=\//);
  assert.doesNotMatch(cookie, /Domain=/i);
  assert.doesNotMatch(cookie, /Secure/); // no TLS in front of this server
  const token = c.jar.get('bs_session');
  assert.match(token, /^[0-9a-f]{32}$/);
  // the store keeps only a hash of it
  assert.equal(server.sql(`SELECT count(*) FROM sessions WHERE token_hash = '${token}'`), '0');
  assert.equal(server.sql("SELECT count(*) FROM sessions WHERE length(token_hash) = 64"), server.sql('SELECT count(*) FROM sessions'));
});

test('signing in and out gives the browser a new CSRF token; the one from before is refused', async () => {
  const c = server.client();
  const before = await c.token();
  await c.login(STAFF.editor);
  const during = c.jar.get('bs_csrf');
  assert.match(during, /^[0-9a-f]{32}$/);
  assert.notEqual(during, before, 'rotated at sign-in');
  // a form carrying the token known before sign-in (say, planted with its
  // cookie by someone else) is refused: the browser's cookie has moved on
  const stale = await c.post('/newsroom/logout', {}, { csrf: before });
  assert.equal(stale.status, 403);
  assert.equal((await c.get('/newsroom/')).status, 200, 'still signed in');
  assert.equal((await c.post('/newsroom/logout', {})).status, 303);
  assert.notEqual(c.jar.get('bs_csrf'), during, 'rotated at sign-out');
});

test('a session id planted before sign-in is never the one signed in (fixation)', async () => {
  // an attacker signs in as themselves and plants their session id in the victim's browser
  const attacker = server.client();
  await attacker.login(STAFF.reporter);
  const planted = attacker.jar.get('bs_session');
  const victim = server.client();
  await victim.token(); // the victim's browser has been to the sign-in page
  victim.jar.set('bs_session', planted);
  await victim.login(STAFF.editor);
  const fresh = victim.jar.get('bs_session');
  assert.notEqual(fresh, planted);
  // the planted id is dead: the attacker does not ride along with the editor
  const ride = await attacker.get('/newsroom/front');
  assert.equal(ride.status, 303);
  assert.equal((await victim.get('/newsroom/front')).status, 200);
  // a made-up id is not accepted either
  const forged = server.client();
  forged.jar.set('bs_session', 'a'.repeat(32));
  assert.equal((await forged.get('/newsroom/')).status, 303);
});

test('a session ends after the idle time', async () => {
  const c = server.client();
  await c.login(STAFF.reporter);
  assert.equal((await c.get('/newsroom/')).status, 200);
  await sleep(4500);
  const res = await c.get('/newsroom/articles');
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), /^\/newsroom\/login\?expired=1&next=%2Fnewsroom%2Farticles/);
  const page = await c.get(res.headers.get('location'));
  assert.match(page.text_, /Your session ended/);
});

test('activity keeps a session alive, but not past the absolute time', async () => {
  const c = server.client();
  await c.login(STAFF.reporter);
  const seen = [];
  for (let i = 0; i < 9; i++) {
    await sleep(1000);
    seen.push((await c.get('/newsroom/')).status);
  }
  // at 1 to 4 seconds (past the 3 s idle time) it is alive; from 8 s it is over
  assert.deepEqual(seen.slice(0, 4), [200, 200, 200, 200]);
  assert.equal(seen[8], 303);
});

test('disabling an account and resetting a password end its sessions at once', async (t) => {
  // the usual timeouts: password hashing between requests must not expire sessions here
  const server = await new Server().start();
  t.after(() => server.close());
  const admin = server.client();
  await admin.login(STAFF.admin);
  const extra = { login: 'temp', password: 'temporary-pass-1', role: 'reporter', name: 'Temp Worker' };
  server.cli(['user', 'add', extra.login, '--role', extra.role, '--name', extra.name], `${extra.password}\n`);
  const id = server.sql("SELECT id FROM users WHERE login = 'temp'");
  const temp = server.client();
  await temp.login(extra);
  assert.equal((await temp.get('/newsroom/')).status, 200);
  const reset = await admin.post(`/newsroom/staff/${id}/password`);
  assert.equal(reset.status, 200);
  const onetime = reset.text_.match(/<code class="secret">([^<]+)<\/code>/)[1];
  assert.equal((await temp.get('/newsroom/')).status, 303);
  // the one-time password works once, and must be replaced first
  await temp.login({ ...extra, password: onetime });
  const forced = await temp.get('/newsroom/articles');
  assert.equal(forced.status, 303);
  assert.match(forced.headers.get('location'), /\/newsroom\/account\?msg=must_change/);
  const changed = await temp.post('/newsroom/account/password', { current: onetime, password: 'my-own-password-2', confirm: 'my-own-password-2' });
  assert.equal(changed.status, 303);
  assert.equal((await temp.get('/newsroom/articles')).status, 200);
  const dis = await admin.post(`/newsroom/staff/${id}/disable`);
  assert.equal(dis.status, 303);
  assert.equal((await temp.get('/newsroom/')).status, 303);
  const again = await temp.post('/newsroom/login', { login: 'temp', password: 'my-own-password-2' });
  assert.equal(again.status, 401);
  assert.match(server.sql("SELECT group_concat(action) FROM audit_log WHERE subject = 'temp'"), /password reset.*staff disable|staff disable.*password reset/);
});

test('behind TLS the cookie is __Host-bs_session and Secure', async () => {
  const tls = await new Server({ server: { behind_tls: 'true' } }).start();
  try {
    const c = tls.client();
    const res = await c.login(STAFF.editor);
    const cookie = sessionCookie(res, '__Host-bs_session');
    assert.ok(cookie, res.headers.getSetCookie().join(' | '));
    assert.match(cookie, /; Secure/);
    assert.match(cookie, /; Path=\//);
    assert.match(cookie, /; HttpOnly/);
    assert.equal((await c.get('/newsroom/')).status, 200);
    // the CSRF cookie is host-only and Secure too
    assert.ok(c.jar.get('__Host-bs_csrf'), 'the CSRF cookie carries the __Host- prefix');
    assert.equal(c.jar.get('bs_csrf'), undefined);
  } finally {
    await tls.close();
  }
});

test('the demo paper comes with an administrator whose one-time password is printed once', async (t) => {
  const server = new Server({ staff: {} });
  t.after(() => server.close());
  await server.writeConfig();
  const out = server.cli(['init', '--demo']);
  const m = out.match(/The newsroom: (\S+)\n {2}sign in as 'admin' with the one-time password (\S+)\n/);
  assert.ok(m, out);
  assert.equal(m[1], `${server.base}/newsroom/`);
  assert.match(server.sql("SELECT role || ' ' || must_change FROM users WHERE login = 'admin'"), /^admin 1$/);
  await server.start();
  const admin = server.client();
  await admin.login({ login: 'admin', password: m[2] });
  const forced = await admin.get('/newsroom/');
  assert.equal(forced.status, 303);
  assert.match(forced.headers.get('location'), /\/newsroom\/account\?msg=must_change/);
  const changed = await admin.post('/newsroom/account/password', { current: m[2], password: 'the-admins-own-1', confirm: 'the-admins-own-1' });
  assert.equal(changed.status, 303);
  assert.equal((await admin.get('/newsroom/staff')).status, 200, 'an administrator manages staff');
  assert.doesNotMatch(server.log, new RegExp(m[2]), 'the password is not in the server log');
});
