// The moderation queue over HTTP, with the newsroom's guard connected
// (newsroom_guard with STAFF_MODERATE, in app.c): staff accounts made by
// `broadsheet user add`, signed in on /newsroom/login; moderators and
// administrators may open the queue and act, readers are sent to the staff
// sign-in, reporters and editors are refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, Jar, req, me, signInDemo, postComment, articleIds, articlePath, sql,
} from './comments-lib.mjs';
import { addStaff } from './newsroom-lib.mjs';

const PASSWORD = 'Staff-Pass-123';
let server;
let id;

// A staff account with this role, signed in: its cookie jar and the CSRF
// token its forms carry.
async function staffSignIn(login, role, name = login) {
  addStaff({ db: server.db }, { login, role, name, password: PASSWORD });
  const jar = new Jar();
  const page = await req(server.base, jar, 'GET', '/newsroom/login');
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)[1];
  const r = await req(server.base, jar, 'POST', '/newsroom/login', { form: { csrf, login, password: PASSWORD } });
  assert.equal(r.status, 303, `staff sign-in of ${login}: ${r.status}`);
  assert.ok(jar.get('bs_session'), 'a staff session');
  // signing in gives the browser a new CSRF token
  assert.notEqual(jar.get('bs_csrf'), csrf);
  return { jar, csrf: jar.get('bs_csrf') };
}

before(async () => {
  server = await startServer({ config: { comments: { min_interval: 0, suspect_words: 'dubious', report_threshold: 1 } } });
  id = articleIds(server.db)[0];
});

after(async () => {
  if (server) { await server.stop(); server.cleanup(); }
});

test('readers are sent to the staff sign-in, reporters and editors refused; moderators and admins get the queue', async () => {
  const logged = sql(server.db, 'SELECT count(*) FROM moderation_log');
  const reader = new Jar();
  const rm = await signInDemo(server, reader, 'Just a reader');
  const mine = await postComment(server, reader, id, 'a comment nobody may delete but staff');
  const asReader = await req(server.base, reader, 'GET', '/newsroom/moderation');
  assert.equal(asReader.status, 303);
  assert.equal(asReader.location, '/newsroom/login?next=%2Fnewsroom%2Fmoderation');
  const readerAct = await req(server.base, reader, 'POST', `/newsroom/moderation/comment/${mine.data.id}`, { form: { csrf: rm.csrf, action: 'delete' } });
  assert.equal(readerAct.status, 303);
  assert.match(readerAct.location, /^\/newsroom\/login/);
  for (const role of ['reporter', 'editor']) {
    const staff = await staffSignIn(`${role}1`, role);
    const page = await req(server.base, staff.jar, 'GET', '/newsroom/moderation');
    assert.equal(page.status, 403, role);
    assert.match(page.text, /does not allow this/, role);
    const act = await req(server.base, staff.jar, 'POST', `/newsroom/moderation/comment/${mine.data.id}`, { form: { csrf: staff.csrf, action: 'delete' } });
    assert.equal(act.status, 403, role);
    const word = await req(server.base, staff.jar, 'POST', '/newsroom/moderation/words', { form: { csrf: staff.csrf, word: 'sneaky', kind: 'banned' } });
    assert.equal(word.status, 403, role);
  }
  assert.equal(sql(server.db, `SELECT status FROM comments WHERE id = ${mine.data.id}`), 'visible');
  assert.equal(sql(server.db, "SELECT count(*) FROM comment_words WHERE word = 'sneaky'"), '0');
  assert.equal(sql(server.db, 'SELECT count(*) FROM moderation_log'), logged, 'nothing logged: nothing done');
  for (const role of ['moderator', 'admin']) {
    const staff = await staffSignIn(`${role}1`, role);
    const q = await req(server.base, staff.jar, 'GET', '/newsroom/moderation');
    assert.equal(q.status, 200, role);
    assert.match(q.text, /<h1>Moderation queue<\/h1>/);
    assert.match(q.headers.get('cache-control'), /no-store/);
    // inside the newsroom's layout: its stylesheet and menu, this page marked
    assert.match(q.text, /<link rel="stylesheet" href="\/static\/css\/newsroom\.css/, role);
    assert.match(q.text, /<a href="\/newsroom\/moderation" aria-current="page">Comments<\/a>/, role);
    assert.doesNotMatch(q.text, /css\/site\.css/, role);
    // the newsroom leads there
    const home = await req(server.base, staff.jar, 'GET', '/newsroom/');
    assert.match(home.text, /href="\/newsroom\/moderation"/, `${role}'s newsroom links the queue`);
  }
});

test('held and reported comments wait in the queue; approve, delete; every action logged', async () => {
  const mod = await staffSignIn('mod2', 'moderator', 'Mo Two');
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
  // the log names the staff member by the name the newsroom knows
  assert.match(q.text, /Mo Two<\/td><td>approve/);
  assert.match(q.text, /Mo Two<\/td><td>delete/);
  const staffId = sql(server.db, "SELECT id FROM users WHERE login = 'mod2'");
  assert.equal(sql(server.db, `SELECT count(*) FROM moderation_log WHERE staff_name = 'Mo Two' AND staff_id = ${staffId}`), '2');
});

test('a moderator suspends a commenter for a period with a reason', async () => {
  const mod = await staffSignIn('mod3', 'moderator');
  const a = new Jar();
  const am = await signInDemo(server, a, 'To be suspended');
  const noReason = await req(server.base, mod.jar, 'POST', `/newsroom/moderation/commenter/${am.id}`, { form: { csrf: mod.csrf, days: '7', reason: '' } });
  assert.equal(noReason.status, 422);
  // the queue again, in the newsroom's layout, with what to do above it
  assert.match(noReason.text, /<h1>Moderation queue<\/h1>/);
  assert.match(noReason.text, /role="alert"><h2>The suspension was not saved<\/h2><p>A suspension needs a reason that the commenter can be told\.<\/p>/);
  assert.match(noReason.text, /aria-current="page">Comments<\/a>/);
  const noDays = await req(server.base, mod.jar, 'POST', `/newsroom/moderation/commenter/${am.id}`, { form: { csrf: mod.csrf, days: 'a week', reason: 'spam' } });
  assert.equal(noDays.status, 422);
  assert.match(noDays.text, /Give the number of days \(0 lifts a suspension\)\./);
  const noComment = await req(server.base, mod.jar, 'POST', '/newsroom/moderation/comment', { form: { csrf: mod.csrf, id: 'x', action: 'hide' } });
  assert.equal(noComment.status, 404);
  assert.match(noComment.text, /There is no comment with that number\./);
  assert.match(noComment.text, /<h1>Moderation queue<\/h1>/);
  const ok = await req(server.base, mod.jar, 'POST', `/newsroom/moderation/commenter/${am.id}`, { form: { csrf: mod.csrf, days: '7', reason: 'repeated insults' } });
  assert.equal(ok.status, 303);
  const r = await postComment(server, a, id, 'can I still post?');
  assert.equal(r.status, 403);
  assert.ok(Number(r.headers.get('retry-after')) > 6 * 86400);
  const log = sql(server.db, `SELECT staff_name || '|' || action || '|' || detail FROM moderation_log WHERE commenter_id = ${am.id}`);
  assert.equal(log, 'mod3|suspend|7 days: repeated insults');
});

test('a moderator adds a banned word; comments with it are refused', async () => {
  const mod = await staffSignIn('mod4', 'moderator');
  const r = await req(server.base, mod.jar, 'POST', '/newsroom/moderation/words', { form: { csrf: mod.csrf, word: 'zorblax', kind: 'banned' } });
  assert.equal(r.status, 303);
  const a = new Jar();
  await signInDemo(server, a, 'Word user');
  assert.equal((await postComment(server, a, id, 'what a zorblax')).status, 422);
});

test('after each action the queue says what was done; a refused number stays in its box', async () => {
  const mod = await staffSignIn('mod5', 'moderator');
  const a = new Jar();
  const am = await signInDemo(server, a, 'Feedback author');
  const held = await postComment(server, a, id, 'another dubious claim');
  assert.equal(held.data.status, 'held');
  const cases = [
    [`/newsroom/moderation/comment/${held.data.id}`, { action: 'approve' }, 'mod_approve', 'The comment is approved: readers see it.'],
    ['/newsroom/moderation/comment', { id: String(held.data.id), action: 'hide' }, 'mod_hide', 'The comment is hidden from readers.'],
    ['/newsroom/moderation/comment', { id: String(held.data.id), action: 'restore' }, 'mod_restore', 'The comment is restored: readers see it again.'],
    ['/newsroom/moderation/words', { word: 'flimflam', kind: 'suspect' }, 'mod_words', 'The word list is saved.'],
    [`/newsroom/moderation/commenter/${am.id}`, { days: '1', reason: 'testing' }, 'mod_suspend', 'The commenter is suspended and is told the reason.'],
  ];
  for (const [path, form, code, text] of cases) {
    const r = await req(server.base, mod.jar, 'POST', path, { form: { csrf: mod.csrf, ...form } });
    assert.equal(r.status, 303, `${path}: ${r.text}`);
    assert.equal(r.location, `/newsroom/moderation?msg=${code}`);
    const q = await req(server.base, mod.jar, 'GET', r.location);
    assert.match(q.text, new RegExp(`<p class="flash" role="status">${text.replace(/[.:]/g, '\\$&')}</p>`), code);
  }
  // a number that is not a comment: the queue with the reason, the number still typed
  const miss = await req(server.base, mod.jar, 'POST', '/newsroom/moderation/comment', { form: { csrf: mod.csrf, id: '987654', note: 'checking', action: 'hide' } });
  assert.equal(miss.status, 404);
  assert.match(miss.text, /id="by-id" name="id" inputmode="numeric" required value="987654"/);
  assert.match(miss.text, /id="by-id-note" name="note" placeholder="Note for the log \(optional\)" value="checking"/);
});

test('a long queue has pages, and every comment in it shows its number', async () => {
  const mod = await staffSignIn('mod6', 'moderator');
  const a = new Jar();
  await signInDemo(server, a, 'Many held');
  const held = await postComment(server, a, id, 'one more dubious claim');
  assert.equal(held.data.status, 'held');
  // 120 more held comments, written straight into the store (the rate limits are not the point)
  sql(server.db, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 120)
    INSERT INTO comments (article_id, commenter_id, body, status, hold_reason, address, created_at)
    SELECT c.article_id, c.commenter_id, 'queued copy ' || n.i, 'held', 'words', c.address, c.created_at + n.i
    FROM comments c, n WHERE c.id = ${held.data.id}`);
  const total = Number(sql(server.db, "SELECT count(*) FROM comments WHERE status IN ('held','hidden')"));
  const pages = Math.ceil(total / 100);
  assert.ok(pages >= 2);
  const first = await req(server.base, mod.jar, 'GET', '/newsroom/moderation');
  assert.equal([...first.text.matchAll(/data-queue-item="/g)].length, 100);
  assert.match(first.text, new RegExp(`<span class="pager-info">Page 1 of ${pages}</span><a class="btn" href="/newsroom/moderation\\?page=2" rel="next">Next</a>`));
  assert.match(first.text, new RegExp(`<span class="queue-number">No\\. ${held.data.id}</span>`));
  const last = await req(server.base, mod.jar, 'GET', `/newsroom/moderation?page=${pages}`);
  assert.equal([...last.text.matchAll(/data-queue-item="/g)].length, total - (pages - 1) * 100);
  assert.match(last.text, /rel="prev">Previous<\/a><span class="pager-info">Page \d+ of \d+<\/span><\/nav>/);
  // every queued comment is on exactly one page
  const seen = new Set();
  for (let p = 1; p <= pages; p++) {
    const page = await req(server.base, mod.jar, 'GET', `/newsroom/moderation?page=${p}`);
    for (const m of page.text.matchAll(/data-queue-item="(\d+)"/g)) seen.add(m[1]);
  }
  assert.equal(seen.size, total);
  sql(server.db, "UPDATE comments SET status = 'rejected' WHERE body LIKE 'queued copy %'");
});
