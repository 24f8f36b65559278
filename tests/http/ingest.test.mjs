// Agency copy: POST /api/ingest with an agency's key, and the watched
// folder. Stories become drafts credited to the agency and its source;
// newer versions update the draft; unreadable files are quarantined with
// the reason and never stop the files after them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  ROOT, tmpdir, startServer, writeWxr, importWxr, sql, waitFor, run, writeConfig,
} from './distribution-lib.mjs';
import { addStaff, staffClient } from './newsroom-lib.mjs';

const dir = tmpdir();
const db = path.join(dir, 'ingest.db');
const inbox = path.join(dir, 'inbox');
const KEY = 'yonhap-test-key-0123456789abcdef';
const KYODO = 'kyodo-test-key-fedcba9876543210';
const sample = (name) => fs.readFileSync(path.join(ROOT, 'tests/data/ingest', name));
const REPORTER = { login: 'desk', role: 'reporter', name: 'Desk Reporter', password: 'desk-password-1' };
const MODERATOR = { login: 'mod', role: 'moderator', name: 'Comment Moderator', password: 'mod-password-1' };
let srv;

async function post(body, { key = KEY, type = 'application/json' } = {}) {
  const headers = { 'content-type': type };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const r = await fetch(`${srv.url}/api/ingest`, { method: 'POST', headers, body });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, json, text, headers: r.headers };
}

before(async () => {
  fs.mkdirSync(inbox);
  writeWxr(path.join(dir, 'sections.xml'), {
    categories: [{ slug: 'world', name: 'World' }, { slug: 'asia', name: 'Asia', parent: 'world' }],
  }, [{ id: 1, title: 'A first story', slug: 'first', category: 'world', time: Date.now() - 3600e3,
    html: '<p>Text.</p>' }]);
  await importWxr(db, path.join(dir, 'sections.xml'));
  addStaff({ db }, REPORTER);
  addStaff({ db }, MODERATOR);
  srv = await startServer({
    db,
    sections: {
      ingest: { interval: 1 },
      'ingest.yonhap': { credit: 'Yonhap', key: KEY, watch: inbox, section: 'world/asia' },
      'ingest.kyodo': { credit: 'Kyodo', key: KYODO },
    },
  });
});

after(async () => {
  await srv?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a ninjs story becomes a draft credited "KCNA via Yonhap"', async () => {
  const r = await post(sample('ninjs2-story.json'));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.outcome, 'created');
  assert.equal(r.json.agency, 'yonhap');
  const id = r.json.article_id;
  const [art] = sql(db, `SELECT a.status, a.credit, a.headline, s.slug AS section, a.body
                         FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.id = ${id}`);
  assert.deepEqual({ ...art, body: undefined }, { status: 'draft', credit: 'KCNA via Yonhap',
    headline: 'North reports test run on new rail link', section: 'asia', body: undefined });
  assert.doesNotMatch(art.body, /<script|javascript:/);
  const [item] = sql(db, `SELECT urgency, source, version FROM ingest_items WHERE article_id = ${id}`);
  assert.deepEqual(item, { urgency: 2, source: 'KCNA', version: 1 });
  const tags = sql(db, `SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id
                        WHERE x.article_id = ${id} ORDER BY x.position`).map((t) => t.name);
  assert.deepEqual(tags, ['Railways', 'North Korea', 'transport']);
  // a draft is nobody's business outside the newsroom
  assert.equal((await fetch(`${srv.url}/api/ninjs/articles/${id}`)).status, 404);
  assert.equal((await fetch(`${srv.url}/article/${id}`)).status, 404);
});

test('versions: the same is a duplicate, a newer one updates the draft', async () => {
  const again = await post(sample('ninjs2-story.json'));
  assert.equal(again.status, 200);
  assert.equal(again.json.outcome, 'duplicate');
  const v2 = await post(sample('ninjs2-story-v2.json'));
  assert.equal(v2.status, 200, v2.text);
  assert.equal(v2.json.outcome, 'updated');
  assert.equal(v2.json.article_id, again.json.article_id);
  const [art] = sql(db, `SELECT headline FROM articles WHERE id = ${v2.json.article_id}`);
  assert.equal(art.headline, 'North reports second test run on rail link');
  assert.equal(sql(db, "SELECT count(*) AS n FROM articles WHERE credit = 'KCNA via Yonhap'")[0].n, 1);
});

test('each agency has its own key and credit', async () => {
  const r = await post(sample('newsml-item.xml'), { key: KYODO, type: 'application/xml' });
  assert.equal(r.status, 201, r.text);
  const [art] = sql(db, `SELECT credit, section_id FROM articles WHERE id = ${r.json.article_id}`);
  assert.equal(art.credit, 'KCNA via Kyodo');
  const msg = await post(sample('newsml-message.xml'), { type: 'application/xml' });
  assert.equal(msg.status, 201);
  assert.equal(msg.json.stories, 2);
});

test('no key, a wrong key: 401, nothing filed', async () => {
  const before = sql(db, 'SELECT count(*) AS n FROM articles')[0].n;
  for (const key of [null, 'wrong', KEY.slice(0, -1), `${KEY}x`, '']) {
    const r = await post(sample('ninjs1-story.json'), { key });
    assert.equal(r.status, 401, `key ${JSON.stringify(key)}`);
    assert.match(r.headers.get('www-authenticate'), /^Bearer/);
    assert.match(r.json.error, /Authorization: Bearer/);
  }
  assert.equal(sql(db, 'SELECT count(*) AS n FROM articles')[0].n, before);
  assert.ok([404, 405].includes((await fetch(`${srv.url}/api/ingest`)).status), 'only POST');
});

test('unreadable copy: 422 with the reason, listed in the quarantine', async () => {
  const cases = [
    ['broken/truncated.json', /not valid JSON/],
    ['broken/doctype.xml', /DOCTYPE/],
    ['broken/no-headline.json', /no headline/],
    ['broken/not-newsml.xml', /not a NewsML-G2/],
  ];
  for (const [file, why] of cases) {
    const r = await post(sample(file));
    assert.equal(r.status, 422, file);
    assert.equal(r.json.outcome, 'quarantined');
    assert.match(r.json.reason, why, file);
  }
  const rows = sql(db, "SELECT file, reason FROM ingest_log WHERE outcome = 'quarantined' AND file = 'POST /api/ingest'");
  assert.equal(rows.length, 4);
  // and the server goes on
  assert.equal((await post(sample('ninjs1-story.json'))).status, 201);
});

test('a document over 4 MB is refused', async () => {
  const big = JSON.stringify({ uri: 'urn:test:big', headline: 'Big', body_text: 'x'.repeat(5 << 20) });
  const r = await post(big);
  assert.equal(r.status, 413);
});

test('the watched folder: done/, quarantine/, and nothing blocks the next file', async () => {
  const put = (name, data) => {
    const tmp = path.join(inbox, `.${name}.part`);
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, path.join(inbox, name));
  };
  put('a-story.json', sample('ninjs3-story.json'));
  put('b-broken.xml', sample('broken/malformed.xml'));
  put('c-item.xml', sample('newsml-item.xml'));
  put('d-doctype.xml', sample('broken/doctype.xml'));
  fs.writeFileSync(path.join(inbox, 'e-still-writing.json.part'), '{"uri": ');
  const exists = (...p) => fs.existsSync(path.join(inbox, ...p));
  await waitFor(() => exists('done', 'a-story.json') && exists('done', 'c-item.xml') &&
    exists('quarantine', 'b-broken.xml') && exists('quarantine', 'd-doctype.xml'),
  { what: 'the watcher to file the folder', timeout: 20000 });
  assert.ok(exists('e-still-writing.json.part'), 'a file still being written is left alone');
  const q = sql(db, "SELECT file, reason FROM ingest_log WHERE outcome = 'quarantined' AND agency = 'yonhap' AND file LIKE '%.xml' ORDER BY file");
  assert.deepEqual(q.map((e) => e.file), ['b-broken.xml', 'd-doctype.xml']);
  assert.match(q[0].reason, /not well-formed XML \(line \d+: /);
  const drafts = sql(db, "SELECT headline, credit, status FROM articles WHERE credit LIKE '%Yonhap' AND headline IN ('서울에서 등불 축제 개막', 'Fishing fleet returns early as storm nears') ORDER BY id");
  assert.deepEqual(drafts, [
    { headline: '서울에서 등불 축제 개막', credit: 'Yonhap', status: 'draft' },
    { headline: 'Fishing fleet returns early as storm nears', credit: 'KCNA via Yonhap', status: 'draft' },
  ]);
  assert.equal((await fetch(`${srv.url}/healthz`)).status, 200);
});

test('the quarantine list is for staff who write: others are sent to sign in or refused', async () => {
  const anonymous = await fetch(`${srv.url}/newsroom/intake`, { redirect: 'manual' });
  assert.equal(anonymous.status, 303);
  assert.equal(anonymous.headers.get('location'), '/newsroom/login?next=%2Fnewsroom%2Fintake');
  assert.equal(anonymous.headers.get('cache-control'), 'no-store');
  const reporter = await staffClient(srv.url, REPORTER);
  const r = await reporter.get('/newsroom/intake');
  assert.equal(r.status, 200, r.text_.slice(0, 300));
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.match(r.text_, /<h1>Agency copy<\/h1>/);
  // inside the newsroom's layout: its stylesheet and menu, this page marked, no public masthead
  assert.match(r.text_, /<link rel="stylesheet" href="\/static\/css\/newsroom\.css/);
  assert.match(r.text_, /<a href="\/newsroom\/intake" aria-current="page">Agency copy<\/a>/);
  assert.match(r.text_, /<a href="\/newsroom\/articles"/, 'the rest of the reporter\'s menu');
  assert.doesNotMatch(r.text_, /css\/site\.css/);
  // the quarantined files with their reasons, and the drafts made
  const quarantine = r.text_.slice(r.text_.indexOf('id="quarantine-title"'), r.text_.indexOf('id="recent-title"'));
  assert.match(quarantine, /<td>yonhap<\/td><td>b-broken\.xml<\/td><td>not well-formed XML \(line \d+: /);
  assert.match(quarantine, /<td>d-doctype\.xml<\/td><td>documents with a DOCTYPE are not accepted/);
  const [draft] = sql(db, "SELECT id FROM articles WHERE headline = 'Fishing fleet returns early as storm nears'");
  assert.ok(r.text_.includes(`<a href="/newsroom/articles/${draft.id}">draft ${draft.id}</a>`), 'the draft links to the editor');
  const moderator = await staffClient(srv.url, MODERATOR);
  const refused = await moderator.get('/newsroom/intake');
  assert.equal(refused.status, 403);
  assert.match(refused.text_, /does not allow this/);
  assert.doesNotMatch(refused.text_, /b-broken\.xml/);
});

test('broadsheet ingest FILE files one document by hand', async () => {
  const cfg = writeConfig(path.join(dir, 'cli.ini'), {
    database: { path: db },
    'ingest.desk': { credit: 'Desk Wire', section: 'world' },
    'ingest.other': { credit: 'Other' },
  });
  const file = path.join(ROOT, 'tests/data/ingest/ninjs1-story.json');
  const ok = await run(['ingest', file, '--config', cfg, '--agency', 'desk']);
  assert.equal(ok.code, 0, ok.stderr);
  const [, id] = ok.stdout.match(/ninjs1-story.json: created \(article (\d+)\)/);
  assert.equal(sql(db, `SELECT credit FROM articles WHERE id = ${id}`)[0].credit, 'Desk Wire');
  const dup = await run(['ingest', file, '--config', cfg, '--agency', 'desk']);
  assert.match(dup.stdout, /duplicate .*version 1 is not newer than version 1/);
  const bad = await run(['ingest', path.join(ROOT, 'tests/data/ingest/broken/doctype.xml'),
    '--config', cfg, '--agency', 'desk']);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /quarantined: documents with a DOCTYPE are not accepted/);
  const which = await run(['ingest', file, '--config', cfg]);
  assert.equal(which.code, 2);
  assert.match(which.stderr, /name the agency with --agency NAME/);
});
