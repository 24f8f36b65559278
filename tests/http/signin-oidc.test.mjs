// Social sign-in end to end: a real OpenID Connect provider (Glewlwyd,
// started here on loopback with a test client and user) and a tiny local
// provider (fake-oidc.mjs) for the tokens a real one will not mint. The
// app must refuse a missing or wrong state, a PKCE mismatch, a replayed
// code, a wrong nonce, issuer or audience, an expired or badly signed ID
// token, and must never link two providers' accounts by e-mail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, freePort, Jar, req, me, sql, ROOT } from './comments-lib.mjs';
import { startFakeOidc } from './fake-oidc.mjs';

let haveGlewlwyd = true;
try { execFileSync('sh', ['-c', 'command -v glewlwyd jq openssl sqlite3 curl'], { stdio: 'ignore' }); } catch (e) { haveGlewlwyd = false; }

let gw; // { proc, env }
let fake;
let server;

function startGlewlwyd(appPort) {
  return new Promise((resolve, reject) => {
    const proc = spawn('bash', [join(ROOT, 'tests/http/glewlwyd.sh')], {
      env: { ...process.env, APP_PORT: String(appPort), REDIRECT_PATH: '/signin/glewlwyd/callback' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d) => {
      out += d;
      if (out.includes('GLEWLWYD_PID=')) {
        const env = Object.fromEntries(out.trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2)));
        resolve({ proc, env });
      }
    });
    proc.stderr.on('data', (d) => { err += d; });
    proc.on('exit', (code) => reject(new Error(`glewlwyd.sh exited ${code}:\n${err}`)));
  });
}

before(async () => {
  const appPort = await freePort();
  fake = await startFakeOidc({ clientId: 'fake-client', clientSecret: 'fake-secret' });
  const config = {
    'signin.fake': { label: 'Fake OIDC', issuer: fake.issuer, client_id: 'fake-client', client_secret: 'fake-secret', leeway: '30' },
  };
  if (haveGlewlwyd) {
    gw = await startGlewlwyd(appPort);
    config['signin.glewlwyd'] = {
      label: 'Glewlwyd', issuer: gw.env.OIDC_ISSUER, client_id: gw.env.OIDC_CLIENT_ID,
      client_secret: gw.env.OIDC_CLIENT_SECRET,
    };
  }
  server = await startServer({ port: appPort, config });
});

after(async () => {
  if (server) { await server.stop(); server.cleanup(); }
  if (fake) await fake.close();
  if (gw) {
    gw.proc.kill('SIGTERM');
    await new Promise((r) => { gw.proc.on('exit', r); setTimeout(r, 5000); });
  }
});

// --- Glewlwyd's side of the flow, as its login page would do it ---

async function glewlwydCode(authUrl, userJar) {
  const api = gw.env.GLEWLWYD_API;
  let r = await req('', userJar, 'GET', authUrl);
  assert.equal(r.status, 302, `authorize: ${r.status} ${r.text}`);
  if (new URL(r.location).pathname.endsWith('/login.html')) {
    const callback = new URL(r.location).searchParams.get('callback_url');
    if (!userJar.loggedIn) {
      const login = await req('', userJar, 'POST', `${api}/auth/`, {
        body: JSON.stringify({ username: gw.env.OIDC_USER, password: gw.env.OIDC_PASSWORD }),
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(login.status, 200);
      const grant = await req('', userJar, 'PUT', `${api}/auth/grant/${encodeURIComponent(gw.env.OIDC_CLIENT_ID)}`, {
        body: JSON.stringify({ scope: 'openid profile email' }),
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(grant.status, 200);
      userJar.loggedIn = true;
    }
    r = await req('', userJar, 'GET', `${callback}&g_continue`);
  }
  assert.equal(r.status, 302);
  return r.location; // the app's callback URL with code, state and iss
}

// Starts a sign-in in the app: the provider's authorization URL.
async function begin(jar, provider, ret = '/policy/standards') {
  const r = await req(server.base, jar, 'GET', `/signin/${provider}?return=${encodeURIComponent(ret)}`);
  assert.equal(r.status, 302, r.text);
  assert.ok(jar.get('bs_signin'), 'the state cookie is set');
  const u = new URL(r.location);
  assert.equal(u.searchParams.get('code_challenge_method'), 'S256');
  assert.equal(u.searchParams.get('state'), jar.get('bs_signin'));
  assert.ok(u.searchParams.get('nonce'));
  return r.location;
}

const callbackPath = (url) => { const u = new URL(url); return u.pathname + u.search; };

async function fakeCallback(authUrl) {
  const r = await req('', null, 'GET', authUrl);
  assert.equal(r.status, 302);
  return r.location;
}

test('Glewlwyd: sign in end to end; the session follows; a replayed callback is refused', { skip: !haveGlewlwyd && 'glewlwyd not installed' }, async () => {
  const app = new Jar();
  const user = new Jar();
  const auth = await begin(app, 'glewlwyd');
  assert.ok(auth.startsWith(gw.env.OIDC_ISSUER));
  const cb = await glewlwydCode(auth, user);
  const done = await req(server.base, app, 'GET', callbackPath(cb));
  assert.equal(done.status, 303, done.text);
  assert.equal(done.location, '/policy/standards');
  assert.ok(app.get('bs_reader'));
  const set = done.headers.getSetCookie().find((c) => c.startsWith('bs_reader='));
  assert.match(set, /HttpOnly/);
  assert.match(set, /SameSite=Lax/);
  const m = await me(server, app);
  assert.equal(m.signed_in, true);
  assert.equal(m.name, 'Alice Reader');
  assert.equal(m.provider, 'glewlwyd');
  // the same callback again: the flow was used up
  const again = await req(server.base, app, 'GET', callbackPath(cb));
  assert.equal(again.status, 400);
  // and a second sign-in of the same person is the same account
  const app2 = new Jar();
  const cb2 = await glewlwydCode(await begin(app2, 'glewlwyd'), user);
  assert.equal((await req(server.base, app2, 'GET', callbackPath(cb2))).status, 303);
  assert.equal((await me(server, app2)).id, m.id);
});

test('Glewlwyd: missing state, wrong state, or another browser are refused', { skip: !haveGlewlwyd && 'glewlwyd not installed' }, async () => {
  const user = new Jar();
  const app = new Jar();
  const cb = new URL(await glewlwydCode(await begin(app, 'glewlwyd'), user));
  const noState = new URL(cb);
  noState.searchParams.delete('state');
  let r = await req(server.base, app, 'GET', callbackPath(noState.toString()));
  assert.equal(r.status, 400);
  const wrong = new URL(cb);
  wrong.searchParams.set('state', 'A'.repeat(43));
  r = await req(server.base, app, 'GET', callbackPath(wrong.toString()));
  assert.equal(r.status, 400);
  r = await req(server.base, new Jar(), 'GET', callbackPath(cb.toString()));
  assert.equal(r.status, 400, 'a browser that did not start the sign-in');
  assert.equal((await me(server, app)).signed_in, false);
  // a refused callback ends the attempt in this browser: the state cookie is gone
  assert.equal(app.get('bs_signin'), undefined);
  r = await req(server.base, app, 'GET', callbackPath(cb.toString()));
  assert.equal(r.status, 400);
});

test('Glewlwyd: a code issued for another PKCE challenge is refused (PKCE mismatch), and so is a replayed code', { skip: !haveGlewlwyd && 'glewlwyd not installed' }, async () => {
  const user = new Jar();
  const a = new Jar();
  const b = new Jar();
  const authA = await begin(a, 'glewlwyd');
  const authB = await begin(b, 'glewlwyd');
  const cbB = new URL(await glewlwydCode(authB, user));
  // deliver B's code with A's state to A's browser: the app redeems it with A's verifier
  const mixed = new URL(cbB);
  mixed.searchParams.set('state', new URL(authA).searchParams.get('state'));
  const r = await req(server.base, a, 'GET', callbackPath(mixed.toString()));
  assert.equal(r.status, 400);
  assert.match(r.text, /could not be checked/);
  assert.equal((await me(server, a)).signed_in, false);
  // B's code was spent by that attempt; B's own, correct callback now fails at the provider
  const c = new Jar();
  const authC = await begin(c, 'glewlwyd');
  const replay = new URL(cbB);
  replay.searchParams.set('state', new URL(authC).searchParams.get('state'));
  const r2 = await req(server.base, c, 'GET', callbackPath(replay.toString()));
  assert.equal(r2.status, 400);
  assert.equal((await me(server, c)).signed_in, false);
});

test('local provider: a good RS256 and ES256 ID token sign in', async () => {
  for (const alg of ['RS256', 'ES256']) {
    const app = new Jar();
    fake.next = { alg };
    const r = await req(server.base, app, 'GET', callbackPath(await fakeCallback(await begin(app, 'fake'))));
    assert.equal(r.status, 303, `${alg}: ${r.text}`);
    const m = await me(server, app);
    assert.equal(m.signed_in, true);
    assert.equal(m.name, 'Fake Alice');
  }
});

const refusals = [
  ['wrong nonce', { nonce: 'not-the-one-we-sent' }, /nonce/],
  ['wrong issuer', { iss: 'http://127.0.0.1:1/evil' }, /another issuer/],
  ['wrong audience', { aud: 'someone-else' }, /another client/],
  ['expired ID token', { exp: Math.floor(Date.now() / 1000) - 3600 }, /expired/],
  ['issued in the future', { iat: Math.floor(Date.now() / 1000) + 3600 }, /future/],
  ['signed by a key outside the JWKS', { rogue: true }, /signature/],
  ['wrong iss parameter (RFC 9207)', { issParam: 'http://127.0.0.1:1/evil' }, /another issuer/],
];

for (const [name, next, why] of refusals) {
  test(`local provider: ${name} is refused`, async () => {
    const app = new Jar();
    const auth = await begin(app, 'fake');
    fake.next = next;
    const r = await req(server.base, app, 'GET', callbackPath(await fakeCallback(auth)));
    assert.equal(r.status, 400);
    assert.match(r.text, why);
    assert.equal(app.get('bs_reader'), undefined);
    assert.equal((await me(server, app)).signed_in, false);
    fake.next = {};
  });
}

test('an e-mail matching another provider\'s account does not link the accounts', async () => {
  const first = new Jar();
  fake.subject = 'fake-subject-email';
  fake.email = 'shared@example.test';
  assert.equal((await req(server.base, first, 'GET', callbackPath(await fakeCallback(await begin(first, 'fake'))))).status, 303);
  const one = await me(server, first);
  // the same e-mail under another provider's identity
  sql(server.db, `INSERT INTO commenters(display_name, created_at) VALUES ('Other Provider', 0)`);
  const otherId = sql(server.db, 'SELECT max(id) FROM commenters');
  sql(server.db, `INSERT INTO commenter_identities(provider, subject, commenter_id, email, created_at)
    VALUES ('glewlwyd-elsewhere', 'zzz', ${otherId}, 'shared@example.test', 0)`);
  fake.subject = 'fake-subject-email-2';
  const second = new Jar();
  assert.equal((await req(server.base, second, 'GET', callbackPath(await fakeCallback(await begin(second, 'fake'))))).status, 303);
  const two = await me(server, second);
  assert.notEqual(two.id, one.id);
  assert.notEqual(String(two.id), otherId);
  if (haveGlewlwyd) {
    // Glewlwyd's alice@example.test and the local provider's alice@example.test
    fake.subject = 'fake-subject-alice';
    fake.email = 'alice@example.test';
    const viaFake = new Jar();
    await req(server.base, viaFake, 'GET', callbackPath(await fakeCallback(await begin(viaFake, 'fake'))));
    const viaGw = new Jar();
    const cb = await glewlwydCode(await begin(viaGw, 'glewlwyd'), new Jar());
    assert.equal((await req(server.base, viaGw, 'GET', callbackPath(cb))).status, 303);
    const a = await me(server, viaFake);
    const b = await me(server, viaGw);
    assert.ok(a.signed_in && b.signed_in);
    assert.notEqual(a.id, b.id, 'same e-mail, two providers, two accounts');
  }
  fake.subject = 'fake-subject-1';
});

test('a sign-in started for one provider cannot finish at another', async () => {
  const app = new Jar();
  const auth = await begin(app, 'fake');
  const cb = new URL(await fakeCallback(auth));
  const r = await req(server.base, app, 'GET', `/signin/${haveGlewlwyd ? 'glewlwyd' : 'demo'}/callback${cb.search}`);
  assert.ok(r.status === 400 || r.status === 404);
  assert.equal((await me(server, app)).signed_in, false);
});
