// The moderation queue over HTTP, for when the newsroom's guard
// (newsroom_guard with STAFF_MODERATE) is connected to talk's queue in
// app.c. Skipped while `broadsheet user` does not exist in this build.
// The staff sign-in below assumes `broadsheet user add NAME --role R
// --password P` and a form at /newsroom/login (username, password, csrf):
// adapt staffSignIn() to the newsroom's real ones when connecting.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  BIN, startServer, Jar, req, me, signInDemo, postComment, articleIds, articlePath, sql,
} from './comments-lib.mjs';

const connected = (() => {
  try {
    return /user/.test(execFileSync(BIN, ['user', '--help'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch (e) {
    return false;
  }
})();
const skip = !connected && 'the newsroom (broadsheet user, newsroom_guard) is not connected in this build';

let server;
let id;

async function staffSignIn(name, role) {
  execFileSync(BIN, ['user', 'add', name, '--role', role, '--password', 'Staff-Pass-123', '--db', server.db]);
  const jar = new Jar();
  const page = await req(server.base, jar, 'GET', '/newsroom/login');
  const csrf = /name="csrf" value="([0-9a-f]+)"/.exec(page.text)[1];
  const r = await req(server.base, jar, 'POST', '/newsroom/login', { form: { csrf, username: name, password: 'Staff-Pass-123' } });
  assert.ok(r.status === 303 || r.status === 302, `staff sign-in: ${r.status}`);
  return { jar, csrf: (await me(server, jar)).csrf };
}

before(async () => {
  if (!connected) return;
  server = await startServer({ config: { comments: { min_interval: 0, suspect_words: 'dubious', report_threshold: 1 } } });
  id = articleIds(server.db)[0];
});

after(async () => {
  if (server) { await server.stop(); server.cleanup(); }
});

test('readers and reporters cannot open the queue; a moderator can', { skip }, async () => {
  const reader = new Jar();
  await signInDemo(server, reader, 'Just a reader');
  assert.notEqual((await req(server.base, reader, 'GET', '/newsroom/moderation')).status, 200);
  const reporter = await staffSignIn('rep1', 'reporter');
  assert.notEqual((await req(server.base, reporter.jar, 'GET', '/newsroom/moderation')).status, 200);
  const mod = await staffSignIn('mod1', 'moderator');
  const q = await req(server.base, mod.jar, 'GET', '/newsroom/moderation');
  assert.equal(q.status, 200);
  assert.match(q.text, /Moderation queue/);
});

test('held and reported comments wait in the queue; approve, delete; every action logged', { skip }, async () => {
  const mod = await staffSignIn('mod2', 'moderator');
  const a = new Jar();
  await signInDemo(server, a, 'Author');
  const held = await postComment(server, a, id, 'a dubious claim');
  assert.equal(held.data.status, 'held');
  const b = new Jar();
  await signInDemo(server, b, 'Reporter reader');
  const rude = await postComment(server, a, id, 'a rude remark');
  const bm = await me(server, b);
  await req(server.base, b, 'POST', `/comment/${rude.data.id}/report`, { form: { csrf: bm.csrf, reason: 'abuse' }, json: true });
  let q = await req(server.base, mod.jar, 'GET', '/newsroom/moderation');
  assert.match(q.text, /a dubious claim/);
  assert.match(q.text, /a rude remark/);
  const act = (cid, action) => req(server.base, mod.jar, 'POST', `/newsroom/moderation/comment/${cid}`, { form: { csrf: mod.csrf, action, note: 'checked' } });
  assert.equal((await act(held.data.id, 'approve')).status, 303);
  assert.equal((await act(rude.data.id, 'delete')).status, 303);
  const page = await req(server.base, null, 'GET', await articlePath(server, id));
  assert.match(page.text, /a dubious claim/);
  assert.doesNotMatch(page.text, /a rude remark/);
  q = await req(server.base, mod.jar, 'GET', '/newsroom/moderation');
  assert.match(q.text, /mod2<\/td><td>approve/);
  assert.match(q.text, /mod2<\/td><td>delete/);
  assert.equal(sql(server.db, "SELECT count(*) FROM moderation_log WHERE staff_name = 'mod2'"), '2');
});

test('a moderator suspends a commenter for a period with a reason', { skip }, async () => {
  const mod = await staffSignIn('mod3', 'moderator');
  const a = new Jar();
  const am = await signInDemo(server, a, 'To be suspended');
  const noReason = await req(server.base, mod.jar, 'POST', `/newsroom/moderation/commenter/${am.id}`, { form: { csrf: mod.csrf, days: '7', reason: '' } });
  assert.equal(noReason.status, 422);
  const ok = await req(server.base, mod.jar, 'POST', `/newsroom/moderation/commenter/${am.id}`, { form: { csrf: mod.csrf, days: '7', reason: 'repeated insults' } });
  assert.equal(ok.status, 303);
  const r = await postComment(server, a, id, 'can I still post?');
  assert.equal(r.status, 403);
  assert.ok(Number(r.headers.get('retry-after')) > 6 * 86400);
  const log = sql(server.db, `SELECT staff_name || '|' || action || '|' || detail FROM moderation_log WHERE commenter_id = ${am.id}`);
  assert.equal(log, 'mod3|suspend|7 days: repeated insults');
});

test('a moderator adds a banned word; comments with it are refused', { skip }, async () => {
  const mod = await staffSignIn('mod4', 'moderator');
  const r = await req(server.base, mod.jar, 'POST', '/newsroom/moderation/words', { form: { csrf: mod.csrf, word: 'zorblax', kind: 'banned' } });
  assert.equal(r.status, 303);
  const a = new Jar();
  await signInDemo(server, a, 'Word user');
  assert.equal((await postComment(server, a, id, 'what a zorblax')).status, 422);
});
