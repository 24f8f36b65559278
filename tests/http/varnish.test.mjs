// A real Varnish (Debian's varnish + varnish-modules' xkey) in front of the
// paper, configured by the VCL we ship (docs/varnish.vcl): it holds the
// public pages, and when an editor changes an article the paper purges
// exactly the pages that show it, so readers behind the cache see the
// change without waiting for s-maxage (an hour) and the other pages stay
// cached. With the cache gone, the paper keeps working and says so in its log.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from './lib.mjs';
import { Server, STAFF, editorFields, root, sleep } from './newsroom-lib.mjs';

let server, editor, varnish, vport, cache, vdir;

async function startVarnish(backendPort) {
  // varnishd reads the VCL as its own user: a folder it may enter
  vdir = mkdtempSync(join(tmpdir(), 'bs-varnish-'));
  chmodSync(vdir, 0o755);
  const dir = vdir;
  const vcl = readFileSync(join(root, 'docs/varnish.vcl'), 'utf8')
    .replace('.port = "8080";', `.port = "${backendPort}";`);
  assert.match(vcl, new RegExp(`\\.port = "${backendPort}"`), 'the shipped VCL names its backend port');
  writeFileSync(join(dir, 'broadsheet.vcl'), vcl);
  const proc = spawn('/usr/sbin/varnishd', ['-F', '-n', join(dir, 'varnish'), '-a', `127.0.0.1:${vport}`,
    '-f', join(dir, 'broadsheet.vcl'), '-s', 'malloc,32m', '-p', 'default_grace=0'],
  { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null) break;
    const ok = await fetch(`${cache}/healthz`).then((r) => r.ok, () => false);
    if (ok) return proc;
    await sleep(100);
  }
  proc.kill('SIGKILL');
  throw new Error(`varnishd did not start:\n${log}`);
}

async function stopVarnish() {
  if (!varnish || varnish.exitCode !== null) return;
  const done = once(varnish, 'close');
  varnish.kill('SIGTERM');
  await done;
}

before(async () => {
  vport = await freePort();
  cache = `http://127.0.0.1:${vport}`;
  server = await new Server({ server: { purge: `${cache}/` } }).start();
  varnish = await startVarnish(server.port);
  editor = server.client();
  await editor.login(STAFF.editor);
});

after(async () => {
  await stopVarnish();
  await server?.close();
  if (vdir) rmSync(vdir, { recursive: true, force: true });
});

async function viaCache(path) {
  const res = await fetch(cache + path, { redirect: 'manual' });
  return { status: res.status, hit: res.headers.get('x-cache'), xkey: res.headers.get('xkey'), text: await res.text() };
}

/** Asks until the page shows what is expected (the purge is sent from a thread of its own). */
async function eventually(path, re) {
  let page;
  for (let i = 0; i < 50; i++) {
    page = await viaCache(path);
    if (re.test(page.text)) return page;
    await sleep(100);
  }
  return page;
}

function publishedArticles(n) {
  return server.sql(`SELECT id || ' ' || slug FROM articles WHERE status = 'published' ORDER BY id LIMIT ${n}`)
    .split('\n').map((l) => { const [id, slug] = l.split(' '); return { id, path: `/article/${id}/${slug}` }; });
}

test('the cache holds public pages and keeps the surrogate keys to itself', async () => {
  const [a] = publishedArticles(1);
  const first = await viaCache(a.path);
  assert.equal(first.status, 200);
  assert.equal(first.hit, 'MISS');
  const second = await viaCache(a.path);
  assert.equal(second.hit, 'HIT');
  assert.equal(second.text, first.text);
  assert.equal(second.xkey, null, 'readers do not see the keys');
  // the paper itself sends them, for the cache
  const direct = await fetch(server.base + a.path);
  assert.match(direct.headers.get('xkey'), new RegExp(`(^| )a:${a.id}( |$)`));
  // nor do tracking parameters on a shared link
  for (const q of ['?fbclid=IwAR1', '?utm_source=x&utm_medium=social', '?gclid=1&fbclid=2']) {
    assert.equal((await viaCache(a.path + q)).hit, 'HIT', q);
  }
  // what a page reads stays (the section has one page)
  assert.equal((await viaCache('/national/?utm_source=x&page=2')).status, 404);
  assert.equal((await viaCache('/national/?page=1&fbclid=z')).status, 200);
  // a reader's cookies do not keep the page from the cache
  const withCookie = await fetch(cache + a.path, { headers: { cookie: 'bs_reader=abc' } });
  assert.equal(withCookie.headers.get('x-cache'), 'HIT');
  // the newsroom is never held
  await viaCache('/newsroom/login');
  assert.equal((await viaCache('/newsroom/login')).hit, 'MISS');
});

const keysOf = async (path) => (await fetch(server.base + path)).headers.get('xkey').split(' ');

/** An article whose page cannot show article a: not a, and no section, author
 * or tag in common (its related stories come from those). */
async function unrelatedTo(a) {
  const mine = (await keysOf(a.path)).filter((k) => /^(a|s|au|t):/.test(k));
  for (const b of publishedArticles(50)) {
    const theirs = await keysOf(b.path);
    if (b.id !== a.id && !mine.some((k) => theirs.includes(k))) return b;
  }
  throw new Error(`every article shares something with article ${a.id}`);
}

test('an editor\'s change reaches readers behind the cache at once; other pages stay cached', async () => {
  const [a] = publishedArticles(1);
  const b = await unrelatedTo(a);
  for (const p of [a.path, b.path, '/']) {
    await viaCache(p);
    assert.equal((await viaCache(p)).hit, 'HIT', `${p} is cached before the change`);
  }
  const f = editorFields((await editor.get(`/newsroom/articles/${a.id}`)).text_);
  const headline = 'Harbour bridge reopens after a night of repairs';
  const res = await editor.post(`/newsroom/articles/${a.id}`, { ...f, headline }, { multipart: true });
  assert.equal(res.status, 303, res.text_?.slice(0, 300));

  const page = await eventually(a.path, new RegExp(headline));
  assert.match(page.text, new RegExp(headline), 'the article behind the cache shows the new headline');
  assert.equal(page.hit, 'MISS');
  const front = await eventually('/', new RegExp(headline));
  assert.match(front.text, new RegExp(headline), 'so does the front page');
  assert.equal((await viaCache(b.path)).hit, 'HIT', 'an article the change does not touch stays cached');
});

test('with the cache gone the paper keeps serving and logs that it could not purge', async () => {
  await stopVarnish();
  const [, , c] = publishedArticles(3);
  const f = editorFields((await editor.get(`/newsroom/articles/${c.id}`)).text_);
  const res = await editor.post(`/newsroom/articles/${c.id}`, { ...f, headline: 'Night ferry keeps its winter timetable' },
    { multipart: true });
  assert.equal(res.status, 303);
  const page = await fetch(server.base + c.path);
  assert.match(await page.text(), /Night ferry keeps its winter timetable/);
  for (let i = 0; i < 100 && !/purge: the cache at .* did not purge/.test(server.log); i++) await sleep(100);
  assert.match(server.log, new RegExp(`purge: the cache at ${cache}/ did not purge '[^']*a:${c.id}`));
});
