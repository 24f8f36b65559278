// `broadsheet user` and `broadsheet routes` from the command line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Server, bin, root } from './newsroom-lib.mjs';

let server;
before(async () => {
  server = await new Server({ staff: {} }).start();
});
after(async () => {
  await server?.close();
});

function run(args, input) {
  try {
    return { code: 0, out: server.cli(args, input) };
  } catch (e) {
    return { code: e.status, out: String(e.stdout) + String(e.stderr) };
  }
}

test('the first administrator is made from the command line, with a password from stdin', async () => {
  const added = run(['user', 'add', 'chief', '--role', 'admin', '--name', 'Chief Editor'], 'a very long password\n');
  assert.equal(added.code, 0, added.out);
  assert.match(added.out, /added staff account 'chief'/);
  const c = server.client();
  await c.login({ login: 'chief', password: 'a very long password' });
  assert.equal((await c.get('/newsroom/staff')).status, 200);
});

test('a generated one-time password is printed once and must be replaced', async () => {
  const added = run(['user', 'add', 'kim', '--role', 'reporter', '--name', 'Kim Ha-neul', '--generate']);
  assert.equal(added.code, 0, added.out);
  const pw = added.out.trim().split('\n').pop();
  assert.match(pw, /^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
  const c = server.client();
  await c.login({ login: 'kim', password: pw });
  const res = await c.get('/newsroom/');
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), /\/newsroom\/account\?msg=must_change/);
});

test('bad input is refused with a reason and a non-zero exit', () => {
  assert.match(run(['user', 'add', 'lee', '--role', 'chief'], 'long enough password\n').out, /unknown role 'chief'/);
  const short = run(['user', 'add', 'lee', '--role', 'editor'], 'short\n');
  assert.notEqual(short.code, 0);
  assert.match(short.out, /at least 10 characters/);
  const taken = run(['user', 'add', 'CHIEF', '--role', 'editor'], 'another long password\n');
  assert.notEqual(taken.code, 0);
  assert.match(taken.out, /that login name is taken/);
  assert.notEqual(run(['user', 'disable']).code, 0);
  assert.notEqual(run(['user', 'promote', 'kim']).code, 0);
});

test('list, disable, enable and passwd', async () => {
  const list = run(['user', 'list']);
  assert.match(list.out, /^LOGIN\s+ROLE\s+STATUS/m);
  assert.match(list.out, /^chief\s+admin\s+active\s+\S+\s+Chief Editor$/m);
  assert.match(list.out, /^kim\s+reporter\s+active\s+\S+\s+Kim Ha-neul$/m);
  const c = server.client();
  await c.login({ login: 'chief', password: 'a very long password' });
  assert.equal(run(['user', 'disable', 'chief']).code, 0);
  assert.equal((await c.get('/newsroom/')).status, 303, 'the session ended');
  assert.match(run(['user', 'list']).out, /^chief\s+admin\s+disabled/m);
  assert.equal(run(['user', 'enable', 'chief']).code, 0);
  assert.equal(run(['user', 'passwd', 'chief'], 'the new long password\n').code, 0);
  await c.login({ login: 'chief', password: 'the new long password' });
  assert.equal((await c.get('/newsroom/audit')).status, 200);
  assert.match((await c.get('/newsroom/audit')).text_, /cli[\s\S]*password reset[\s\S]*chief/);
});

test('`broadsheet routes` prints every route without listening or touching files', () => {
  const out = execFileSync(bin, ['routes', '--db', '/nonexistent/dir/x.db', '--web', `${root}/web`], { encoding: 'utf8', cwd: server.dir });
  const lines = out.trim().split('\n');
  assert.ok(lines.includes('POST /newsroom/articles/:id/publish upload'), out);
  assert.ok(lines.includes('GET,HEAD /corrections cache'));
  for (const l of lines) assert.match(l, /^[A-Z,]+ \/\S* [a-z,-]+$/);
  assert.ok(!existsSync(`${server.dir}/data`), 'no media folder made');
});
