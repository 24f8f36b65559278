// Comments over HTTP against the real binary: the locked box on the cached
// article page, the private /api/me, posting within 250 characters,
// hostile input, idempotency, replies, likes, reports, rate limits with
// 429 and Retry-After, suspensions, closed threads, the edit window, the
// commenter's data, the demo provider's conditions, and the moderation
// queue closed to readers (comments-moderation.test.mjs has the staff).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, Jar, req, me, signInDemo, postComment, articleIds, articlePath, sql,
} from './comments-lib.mjs';

let server;
let ids;
let OPEN; // articles taking comments
let LOCKED; // locked by an editor
let OLD; // published 40 days ago: closed by close_after_days

before(async () => {
  server = await startServer({
    config: {
      site: { contact: 'standards@paper.example' },
      comments: {
        per_article: 3, min_interval: 0, per_day: 20, address_per_hour: 1000,
        edit_window: 3, report_threshold: 2, banned_words: 'forbiddenword, 금지어',
        suspect_words: 'questionable',
      },
    },
    prepare: (db) => {
      const first = articleIds(db)[0];
      for (let i = 0; i < 4; i++) {
        sql(db, `INSERT INTO articles(slug, headline, summary, body, credit, status, section_id,
          created_at, saved_at, published_at) SELECT slug || '-${i}', headline || ' (${i})', summary,
          body, credit, status, section_id, created_at, saved_at, published_at FROM articles WHERE id = ${first}`);
      }
      const all = articleIds(db);
      sql(db, `UPDATE articles SET comments_locked = 1 WHERE id = ${all[1]}`);
      sql(db, `UPDATE articles SET published_at = strftime('%s','now') - 40*86400 WHERE id = ${all[2]}`);
    },
  });
  ids = articleIds(server.db);
  OPEN = [ids[0], ...ids.slice(3)];
  LOCKED = ids[1];
  OLD = ids[2];
  assert.ok(OPEN.length >= 4);
});

after(async () => {
  await server.stop();
  server.cleanup();
});

const repeat = (s, n) => Array(n).fill(s).join('');

test('the article page shows the locked box, the policy, help and counter; same for everyone', async () => {
  const path = await articlePath(server, OPEN[0]);
  const anon = await req(server.base, null, 'GET', path);
  assert.equal(anon.status, 200);
  assert.match(anon.text, /To write comments, please sign in/);
  assert.match(anon.text, /href="\/policy\/standards">Standards Board Policy</);
  assert.match(anon.text, /Social comment\?/);
  assert.match(anon.text, /\(0\/250자\)/);
  assert.match(anon.text, /<textarea[^>]*disabled/);
  assert.match(anon.text, /href="\/signin\/demo\?return=/);
  assert.doesNotMatch(anon.text, /name="csrf" value="[0-9a-f]/, 'no token in a cached page');
  const jar = new Jar();
  await signInDemo(server, jar, 'Page Reader');
  const signed = await req(server.base, jar, 'GET', path);
  assert.equal(signed.text, anon.text, 'the cached page is the same when signed in');
  assert.match(signed.headers.get('cache-control'), /public/);
  const m = await req(server.base, jar, 'GET', '/api/me');
  assert.equal(m.headers.get('cache-control'), 'no-store');
  assert.equal(m.data.signed_in, true);
  assert.equal(m.data.name, 'Page Reader');
  assert.match(m.data.csrf, /^[0-9a-f]{32}$/);
  const anonMe = await req(server.base, null, 'GET', '/api/me');
  assert.equal(anonMe.data.signed_in, false);
});

test('policy and help pages exist and link each other', async () => {
  const p = await req(server.base, null, 'GET', '/policy/standards');
  assert.equal(p.status, 200);
  assert.match(p.text, /Standards Board/);
  assert.match(p.text, /at most 250 characters/);
  assert.match(p.text, /deleted account/);
  // the policy names the paper's contact address, which the footer of every page carries
  assert.match(p.text, /write to the Standards Board at <a href="mailto:standards@paper\.example">/);
  const front = await req(server.base, null, 'GET', '/');
  assert.match(front.text, /<p class="footer-links">[^\n]*href="\/policy\/standards"[^\n]*href="mailto:standards@paper\.example"/);
  const h = await req(server.base, null, 'GET', '/help/social-comments');
  assert.equal(h.status, 200);
  assert.match(h.text, /Social comment\?/);
  assert.match(h.text, /href="\/policy\/standards"/);
});

test('250 characters are accepted and shown at once; 251 refused with the text kept', async () => {
  const jar = new Jar();
  await signInDemo(server, jar, 'Counter');
  const path = await articlePath(server, OPEN[0]);
  await req(server.base, null, 'GET', path); // cache the page first
  // decomposed Hangul: 250 syllables of three code points each
  const nfd = repeat('\u1112\u1161\u11ab', 250);
  const ok = await postComment(server, jar, OPEN[0], nfd, { html: true });
  assert.equal(ok.status, 303);
  assert.match(ok.location, new RegExp(`${path}#c-\\d+$`));
  const page = await req(server.base, null, 'GET', path);
  assert.ok(page.text.includes(repeat('한', 250)), 'stored composed and shown without waiting for the cache');
  const over = repeat('가', 251);
  const bad = await postComment(server, jar, OPEN[0], over, { html: true });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /has 251 characters; at most 250/);
  assert.ok(bad.text.includes(`>${over}</textarea>`), 'the text stays in the box');
  const badJson = await postComment(server, jar, OPEN[0], over);
  assert.equal(badJson.status, 422);
  assert.equal(badJson.data.chars, 251);
});

test('hostile input: broken UTF-8 and NUL refused, 100 KB refused, markup stored as text', async () => {
  const jar = new Jar();
  const m = await signInDemo(server, jar, 'Hostile');
  const raw = (body) => req(server.base, jar, 'POST', `/comments/${OPEN[0]}`, {
    body, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
  });
  assert.equal((await raw(`csrf=${m.csrf}&body=%C3%28`)).status, 400);
  assert.equal((await raw(`csrf=${m.csrf}&body=a%00b`)).status, 400);
  const big = await postComment(server, jar, OPEN[0], repeat('a', 100 * 1024));
  assert.equal(big.status, 422);
  const x = await postComment(server, jar, OPEN[0], '<img src=x onerror=alert(1)> javascript:alert(1)');
  assert.equal(x.status, 200);
  const page = await req(server.base, null, 'GET', await articlePath(server, OPEN[0]));
  assert.ok(page.text.includes('&lt;img src=x onerror=alert(1)&gt; javascript:alert(1)'));
  assert.doesNotMatch(page.text, /<img src=x/);
});

test('a retried post with the same idempotency key is stored once', async () => {
  const jar = new Jar();
  const m = await signInDemo(server, jar, 'Retrier');
  const a = await postComment(server, jar, OPEN[2], 'only once please', { me: m });
  const b = await postComment(server, jar, OPEN[2], 'only once please', { me: m });
  assert.equal(a.status, 200);
  assert.equal(b.status, 200);
  assert.equal(a.data.id, b.data.id);
  const n = sql(server.db, `SELECT count(*) FROM comments WHERE body = 'only once please'`);
  assert.equal(n, '1');
});

test('replies one level deep, likes once per account, reports hide at the threshold', async () => {
  const alice = new Jar();
  const bob = new Jar();
  const carol = new Jar();
  await signInDemo(server, alice, 'Alice');
  await signInDemo(server, bob, 'Bob');
  await signInDemo(server, carol, 'Carol');
  const top = await postComment(server, alice, OPEN[2], 'A top comment');
  const reply = await postComment(server, bob, OPEN[2], 'A reply', { parent: top.data.id });
  assert.equal(reply.status, 200);
  const deep = await postComment(server, carol, OPEN[2], 'A reply to a reply', { parent: reply.data.id });
  assert.equal(deep.status, 422);
  const bm = await me(server, bob);
  const like = () => req(server.base, bob, 'POST', `/comment/${top.data.id}/like`, { form: { csrf: bm.csrf, on: '1' }, json: true });
  assert.equal((await like()).data.likes, 1);
  assert.equal((await like()).data.likes, 1, 'a second like by the same account does not count');
  const path = await articlePath(server, OPEN[2]);
  let page = await req(server.base, null, 'GET', path);
  assert.match(page.text, new RegExp(`id="c-${top.data.id}"[\\s\\S]*?data-likes>1<[\\s\\S]*?class="replies"[\\s\\S]*?A reply`));
  const report = async (jar) => {
    const m = await me(server, jar);
    return req(server.base, jar, 'POST', `/comment/${top.data.id}/report`, { form: { csrf: m.csrf, reason: 'abuse' }, json: true });
  };
  assert.equal((await report(bob)).data.hidden, false);
  assert.equal((await report(bob)).status, 409);
  assert.equal((await report(carol)).data.hidden, true);
  page = await req(server.base, null, 'GET', path);
  assert.ok(!page.text.includes('A top comment'), 'hidden pending review');
  assert.match(page.text, /This comment is hidden pending review/, 'its reply keeps a placeholder');
  assert.match(page.text, /A reply/);
});

test('the count says every visible comment, replies included', async () => {
  const id = OPEN[OPEN.length - 1]; // no other test comments here
  const path = await articlePath(server, id);
  const count = async () => {
    const page = await req(server.base, null, 'GET', path);
    return /<h2 id="comments-title"[^>]*>Comments <span class="comment-count">([^<]*)<\/span><\/h2>/.exec(page.text)[1];
  };
  assert.equal(await count(), '0 comments');
  const [dana, eve, finn] = [new Jar(), new Jar(), new Jar()];
  await signInDemo(server, dana, 'Dana');
  const fm = await signInDemo(server, finn, 'Finn');
  await signInDemo(server, eve, 'Eve');
  const top = await postComment(server, dana, id, 'The first thread');
  assert.equal(await count(), '1 comment');
  await postComment(server, eve, id, 'The second thread');
  const reply = await postComment(server, finn, id, 'A reply in the first thread', { parent: top.data.id });
  assert.equal(reply.status, 200);
  // two threads, three comments
  assert.equal(await count(), '3 comments');
  // a deleted reply is no longer counted; a held comment is not counted yet
  const del = await req(server.base, finn, 'POST', `/comment/${reply.data.id}/delete`, { form: { csrf: fm.csrf }, json: true });
  assert.equal(del.status, 200);
  const held = await postComment(server, finn, id, 'a questionable remark');
  assert.equal(held.data.status, 'held');
  assert.equal(await count(), '2 comments');
});

test('rate limits: 3 per article per account, then 429 with Retry-After', async () => {
  const jar = new Jar();
  await signInDemo(server, jar, 'Chatty');
  for (let i = 1; i <= 3; i++) {
    const r = await postComment(server, jar, OPEN[0], `comment number ${i}`);
    assert.equal(r.status, 200, `comment ${i}`);
  }
  const fourth = await postComment(server, jar, OPEN[0], 'comment number 4', { html: true });
  assert.equal(fourth.status, 429);
  assert.ok(Number(fourth.headers.get('retry-after')) > 0);
  assert.match(fourth.text, /as many comments on this article as one account may/);
  assert.ok(fourth.text.includes('comment number 4</textarea>'), 'text kept');
});

test('rate limits: 60 seconds apart and per address, with Retry-After', async () => {
  const s = await startServer({ config: { comments: { min_interval: 60, address_per_hour: 3 } } });
  try {
    const [a, b] = articleIds(s.db);
    const jar = new Jar();
    await signInDemo(s, jar, 'Quick');
    assert.equal((await postComment(s, jar, a, 'first')).status, 200);
    const second = await postComment(s, jar, b, 'second');
    assert.equal(second.status, 429);
    const wait = Number(second.headers.get('retry-after'));
    assert.ok(wait > 0 && wait <= 60, `Retry-After ${wait}`);
    const j2 = new Jar();
    const j3 = new Jar();
    await signInDemo(s, j2, 'Same network 2');
    await signInDemo(s, j3, 'Same network 3');
    assert.equal((await postComment(s, j2, a, 'from here')).status, 200);
    assert.equal((await postComment(s, j3, a, 'from here too')).status, 200);
    const j4 = new Jar();
    await signInDemo(s, j4, 'Same network 4');
    const capped = await postComment(s, j4, a, 'one too many from this address');
    assert.equal(capped.status, 429);
    assert.match(capped.data.message, /your network/);
    assert.ok(Number(capped.headers.get('retry-after')) > 3000);
  } finally {
    await s.stop();
    s.cleanup();
  }
});

test('banned words refuse without echoing the list; suspect words hold for review', async () => {
  const jar = new Jar();
  await signInDemo(server, jar, 'Wordy');
  const banned = await postComment(server, jar, OPEN[3], '이건 금지어 입니다');
  assert.equal(banned.status, 422);
  assert.ok(!banned.text.includes('금지어'), 'the word list is not echoed');
  const held = await postComment(server, jar, OPEN[3], 'a questionable remark');
  assert.equal(held.status, 202);
  assert.equal(held.data.status, 'held');
  const page = await req(server.base, null, 'GET', await articlePath(server, OPEN[3]));
  assert.ok(!page.text.includes('a questionable remark'));
});

test('suspended accounts cannot comment, told until when', async () => {
  const jar = new Jar();
  const m = await signInDemo(server, jar, 'Suspended');
  sql(server.db, `UPDATE commenters SET suspended_until = strftime('%s','now') + 86400, suspend_reason = 'insults' WHERE id = ${m.id}`);
  const r = await postComment(server, jar, OPEN[0], 'let me in');
  assert.equal(r.status, 403);
  assert.match(r.data.message, /suspended/);
  assert.ok(Number(r.headers.get('retry-after')) > 80000);
  assert.ok((await me(server, jar)).suspended_until > 0);
});

test('closed threads: locked by an editor, or past close_after_days, shown with the lock', async () => {
  const jar = new Jar();
  await signInDemo(server, jar, 'Late');
  for (const id of [LOCKED, OLD]) {
    const r = await postComment(server, jar, id, 'too late?');
    assert.equal(r.status, 403);
    assert.match(r.data.message, /closed/);
    const page = await req(server.base, null, 'GET', await articlePath(server, id));
    assert.match(page.text, /class="comments-closed"><span class="lock-icon"/);
    assert.doesNotMatch(page.text, /<textarea/);
  }
});

test('the author edits within the edit window, not after; others never', async () => {
  const jar = new Jar();
  const m = await signInDemo(server, jar, 'Editor');
  const other = new Jar();
  const om = await signInDemo(server, other, 'Other');
  const c = await postComment(server, jar, OPEN[2], 'first draft');
  const edit = (j, mm, text) => req(server.base, j, 'POST', `/comment/${c.data.id}/edit`, { form: { csrf: mm.csrf, body: text }, json: true });
  assert.equal((await edit(other, om, 'vandalised')).status, 403);
  const ok = await edit(jar, m, 'second draft');
  assert.equal(ok.status, 200);
  const page = await req(server.base, null, 'GET', await articlePath(server, OPEN[2]));
  assert.match(page.text, /second draft<\/p>/);
  assert.match(page.text, /\(edited\)/);
  // the window is 3 seconds in this server's config
  await new Promise((r) => setTimeout(r, 4200));
  const late = await edit(jar, m, 'third draft');
  assert.equal(late.status, 403);
  assert.match(late.data.message, /time to change this comment has passed/);
  const del = await req(server.base, jar, 'POST', `/comment/${c.data.id}/delete`, { form: { csrf: m.csrf }, json: true });
  assert.equal(del.status, 200, 'deleting stays possible');
});

test('the commenter downloads their comments as JSON and deletes the account', async () => {
  const jar = new Jar();
  const m = await signInDemo(server, jar, 'Leaving Soon');
  const c = await postComment(server, jar, OPEN[0], 'my words, my data');
  assert.equal(c.status, 200);
  const dl = await req(server.base, jar, 'GET', '/account/comments.json');
  assert.equal(dl.status, 200);
  assert.match(dl.headers.get('content-disposition'), /attachment/);
  assert.equal(dl.data.account.name, 'Leaving Soon');
  assert.equal(dl.data.comments[0].text, 'my words, my data');
  const page = await req(server.base, jar, 'GET', '/account/comments');
  assert.match(page.text, /my words, my data/);
  const refused = await req(server.base, jar, 'POST', '/account/delete', { form: { csrf: m.csrf, confirm: 'nope' } });
  assert.equal(refused.status, 422);
  const gone = await req(server.base, jar, 'POST', '/account/delete', { form: { csrf: m.csrf, confirm: 'delete' } });
  assert.equal(gone.status, 200);
  assert.equal((await me(server, jar)).signed_in, false);
  const article = await req(server.base, null, 'GET', await articlePath(server, OPEN[0]));
  assert.match(article.text, new RegExp(`id="c-${c.data.id}"[\\s\\S]*?deleted account[\\s\\S]*?my words, my data`));
  assert.ok(!article.text.includes('Leaving Soon'));
  assert.equal((await req(server.base, jar, 'GET', '/account/comments.json')).status, 401);
});

test('not signed in: posting is refused, the write page offers sign-in and keeps the text', async () => {
  const jar = new Jar();
  const m = await me(server, jar);
  const r = await req(server.base, jar, 'POST', `/comments/${OPEN[0]}`, { form: { csrf: m.csrf, body: 'anonymous words' } });
  assert.equal(r.status, 401);
  assert.match(r.text, /To write comments, please sign in/);
  assert.ok(r.text.includes('anonymous words'));
  const w = await req(server.base, jar, 'GET', `/comments/${OPEN[0]}/write`);
  assert.equal(w.status, 200);
  assert.match(w.headers.get('cache-control'), /no-store/);
  const noCsrf = await req(server.base, jar, 'POST', `/comments/${OPEN[0]}`, { form: { body: 'x' } });
  assert.equal(noCsrf.status, 403, 'CSRF checked');
});

test('a signed-in reader is no moderator: the queue sends them to the staff sign-in and changes nothing', async () => {
  const jar = new Jar();
  const m = await signInDemo(server, jar, 'Would-be moderator');
  const logged = sql(server.db, 'SELECT count(*) FROM moderation_log');
  const victim = await postComment(server, jar, OPEN[3], 'a comment a reader tries to delete through the queue');
  assert.equal(victim.status, 200, victim.text);
  const q = await req(server.base, jar, 'GET', '/newsroom/moderation');
  assert.equal(q.status, 303);
  assert.equal(q.location, '/newsroom/login?next=%2Fnewsroom%2Fmoderation');
  assert.match(q.headers.get('cache-control'), /no-store/);
  const act = await req(server.base, jar, 'POST', `/newsroom/moderation/comment/${victim.data.id}`, { form: { csrf: m.csrf, action: 'delete' } });
  assert.equal(act.status, 303);
  assert.match(act.location, /^\/newsroom\/login\?/);
  const suspend = await req(server.base, jar, 'POST', `/newsroom/moderation/commenter/${m.id}`, { form: { csrf: m.csrf, days: '0', reason: 'lifting my own' } });
  assert.equal(suspend.status, 303);
  assert.equal(sql(server.db, `SELECT status FROM comments WHERE id = ${victim.data.id}`), 'visible');
  assert.equal(sql(server.db, 'SELECT count(*) FROM moderation_log'), logged, 'nothing logged: nothing done');
});

test('sign-in: unknown providers 404, the demo provider only on a loopback server', async () => {
  assert.equal((await req(server.base, null, 'GET', '/signin/myspace')).status, 404);
  const proxied = await startServer({ config: { server: { trust_proxy: 'true' } } });
  try {
    assert.equal((await req(proxied.base, null, 'GET', '/signin/demo')).status, 404);
    const page = await req(proxied.base, null, 'GET', await articlePath(proxied, articleIds(proxied.db)[0]));
    assert.doesNotMatch(page.text, /signin\/demo/);
  } finally {
    await proxied.stop();
    proxied.cleanup();
  }
  // a callback without a started sign-in is refused
  const cb = await req(server.base, null, 'GET', '/signin/demo/callback?state=x&code=y');
  assert.equal(cb.status, 404);
});
