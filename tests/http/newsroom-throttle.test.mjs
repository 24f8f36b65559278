// Throttled sign-in: after a few failures each attempt must wait (even with
// the right password), and past 100 failures in an hour sign-in is refused,
// per account and per address.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, STAFF, sleep } from './newsroom-lib.mjs';

const servers = [];
after(async () => {
  for (const s of servers) await s.close();
});

async function start(opts) {
  const s = await new Server(opts).start();
  servers.push(s);
  return s;
}

async function attempt(server, login, password, from) {
  const c = server.client();
  return c.post('/newsroom/login', { login, password }, { headers: from ? { 'x-forwarded-for': from } : {} });
}

test('after five failures, sign-in slows down, then works again', async () => {
  const server = await start();
  for (let i = 0; i < 5; i++) {
    const res = await attempt(server, STAFF.editor.login, 'wrong password');
    assert.equal(res.status, 401);
    assert.match(res.text_, /The login name or the password is wrong/);
  }
  const slowed = await attempt(server, STAFF.editor.login, STAFF.editor.password);
  assert.equal(slowed.status, 429);
  assert.match(slowed.text_, /Too many failed sign-ins\. Wait \d+ seconds?/);
  const wait = Number(slowed.headers.get('retry-after'));
  assert.ok(wait >= 1 && wait <= 300, `Retry-After ${wait}`);
  assert.equal(slowed.headers.getSetCookie().find((c) => c.startsWith('bs_session=')), undefined);
  await sleep(wait * 1000 + 1100);
  const ok = await attempt(server, STAFF.editor.login, STAFF.editor.password);
  assert.equal(ok.status, 303);
  // the typed login name is kept on the refused form, never the password
  const bad = await attempt(server, 'Eddie', 'wrong password');
  assert.match(bad.text_, /value="Eddie"/);
  assert.doesNotMatch(bad.text_, /wrong password/);
});

test('100 failures in an hour refuse an account, from any address', async () => {
  const server = await start({ server: { trust_proxy: 'true' }, newsroom: { login_slow_after: 1000, login_max_failures: 100 } });
  for (let i = 1; i <= 100; i++) {
    const res = await attempt(server, STAFF.editor.login, `guess ${i}`, `198.51.100.${i}`);
    assert.equal(res.status, 401, `attempt ${i}`);
  }
  const refused = await attempt(server, STAFF.editor.login, STAFF.editor.password, '203.0.113.5');
  assert.equal(refused.status, 429);
  assert.match(refused.text_, /Sign-in is blocked after too many failed attempts/);
  assert.ok(Number(refused.headers.get('retry-after')) > 60);
  // someone else signs in from the same address
  assert.equal((await attempt(server, STAFF.reporter.login, STAFF.reporter.password, '203.0.113.5')).status, 303);
});

test('100 failures in an hour refuse an address, for any account', async () => {
  const server = await start({ server: { trust_proxy: 'true' }, newsroom: { login_slow_after: 1000, login_max_failures: 100 } });
  for (let i = 1; i <= 100; i++) {
    const res = await attempt(server, `nobody${i}`, 'guess', '192.0.2.77');
    assert.equal(res.status, 401, `attempt ${i}`);
  }
  const refused = await attempt(server, STAFF.reporter.login, STAFF.reporter.password, '192.0.2.77');
  assert.equal(refused.status, 429);
  assert.equal((await attempt(server, STAFF.reporter.login, STAFF.reporter.password, '192.0.2.78')).status, 303);
});
