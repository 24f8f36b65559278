// The dictionary over HTTP: the per-article glossary, the lookup endpoint
// and its limits, the entry pages and the lookup form's target.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { run, startServer } from './dict-lib.mjs';

describe('dictionary', () => {
  let srv;
  before(async () => {
    srv = await startServer({ dict: 'lookup_burst = 200\nlookup_rate = 600' });
  });
  after(async () => {
    await srv?.stop();
  });

  test('the glossary of a published article reduces its words to dictionary forms', async () => {
    const r = await fetch(`${srv.base}/dict/glossary/1.json`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assert.match(r.headers.get('cache-control'), /public/);
    assert.match(r.headers.get('xkey'), /\ba:1\b/);
    const g = await r.json();
    assert.equal(g.lang, 'ko');
    assert.ok(g.words.summits.includes('summit'), JSON.stringify(g.words.summits));
    assert.ok(g.words.relations.includes('relation'));
    assert.ok(g.words.cozying.includes('cozy'));
    // "cozying up" in the text is the phrasal verb "cozy up"
    assert.deepEqual(g.phrases.cozying, ['cozy up']);
    assert.match(g.entries['cozy up'].senses[0].def, /ingratiate/);
    assert.ok(g.words.held.includes('hold'));
    assert.ok(g.words.leaders.includes('leader'));
    assert.deepEqual(g.words.talks.slice().sort(), ['talk', 'talks']);
    // words from the headline and the summary are in it too
    assert.ok(g.words.quarrels.includes('quarrel'));
    assert.ok(g.words.neighbours, 'summary word "neighbours"');
    const summit = g.entries.summit;
    assert.equal(summit.lemma, 'summit');
    assert.ok(summit.pos.includes('noun'));
    assert.match(summit.senses[0].def, /highest/);
    // the configured language's meaning comes first
    assert.equal(summit.meanings[0].lang, 'ko');
    assert.match(summit.meanings[0].text, /정상/);
    // function words are left to the lookup endpoint
    assert.equal(g.words.the, undefined);
  });

  test('the glossary is served from the page cache the second time', async () => {
    const a = await fetch(`${srv.base}/dict/glossary/1.json`);
    const b = await fetch(`${srv.base}/dict/glossary/1.json`, {
      headers: { 'if-none-match': a.headers.get('etag') },
    });
    assert.equal(b.status, 304);
  });

  test('a draft, a scheduled or a missing article has no glossary', async () => {
    for (const id of [2, 3, 999, 0]) {
      const r = await fetch(`${srv.base}/dict/glossary/${id}.json`);
      assert.equal(r.status, 404, `article ${id}`);
      const j = await r.json();
      assert.ok(j.error);
    }
    assert.equal((await fetch(`${srv.base}/dict/glossary/1.xml`)).status, 404);
    assert.equal((await fetch(`${srv.base}/dict/glossary/abc.json`)).status, 404);
  });

  test('the article page offers the dictionary button and the lookup form', async () => {
    const html = await (await fetch(`${srv.base}/article/1/island-leaders-cozy-up`)).text();
    assert.match(html, /class="tool tool-dict"[^>]*data-glossary="\/dict\/glossary\/1\.json"/);
    assert.match(html, /<form class="dict-lookup" action="\/dict\/" method="get"/);
    assert.match(html, /<label for="dict-q">Look up a word<\/label>/);
    assert.match(html, /<script src="\/static\/js\/dict\.js\?v=[0-9a-f]+" defer><\/script>/);
  });

  test('lookups reduce any word and put the configured language first', async () => {
    const cases = { Summits: 'summit', went: 'go', mice: 'mouse', "China's": 'china', better: 'good' };
    for (const [q, lemma] of Object.entries(cases)) {
      const r = await fetch(`${srv.base}/dict/lookup?q=${encodeURIComponent(q)}`);
      assert.equal(r.status, 200, q);
      const j = await r.json();
      assert.ok(j.entries.some((e) => e.lemma === lemma), `${q} -> ${lemma}: ${j.entries.map((e) => e.lemma)}`);
    }
    const j = await (await fetch(`${srv.base}/dict/lookup?q=message`)).json();
    assert.equal(j.entries[0].meanings[0].lang, 'ko');
    assert.match(j.entries[0].meanings[0].text, /메시지/);
  });

  test('an unknown word is a 404 with no entries', async () => {
    const r = await fetch(`${srv.base}/dict/lookup?q=blorfendip`);
    assert.equal(r.status, 404);
    const j = await r.json();
    assert.deepEqual(j.entries, []);
  });

  test('lookups refuse what is not a word', async () => {
    const bad = ['', '   ', 'a'.repeat(65), 'abc1', '<script>', 'semi;colon', 'a/b', 'x+y', 'emoji😀'];
    for (const q of bad) {
      const r = await fetch(`${srv.base}/dict/lookup?q=${encodeURIComponent(q)}`);
      assert.equal(r.status, 400, JSON.stringify(q));
      assert.ok((await r.json()).error);
    }
    assert.equal((await fetch(`${srv.base}/dict/lookup`)).status, 400);
    // 64 letters is allowed; invalid UTF-8 is not
    assert.notEqual((await fetch(`${srv.base}/dict/lookup?q=${'a'.repeat(64)}`)).status, 400);
    // invalid UTF-8 and NUL bytes are refused before the handler
    assert.equal((await fetch(`${srv.base}/dict/lookup?q=%C3%28`)).status, 400);
    assert.equal((await fetch(`${srv.base}/dict/lookup?q=e%00x`)).status, 400);
  });

  test('lookups normalise to NFC', async () => {
    const r = await fetch(`${srv.base}/dict/lookup?q=${encodeURIComponent('cafe\u0301')}`);
    const j = await r.json();
    assert.equal(j.query, 'caf\u00e9');
  });

  test('the entry page shows every sense, examples and the bilingual meaning', async () => {
    const r = await fetch(`${srv.base}/dict/summit`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('cache-control'), /public/);
    const html = await r.text();
    assert.match(html, /<h1 class="dict-title" lang="en">summit<\/h1>/);
    assert.match(html, /정상, 꼭대기; 정상 회담/);
    assert.match(html, /a meeting of heads of governments/);
    assert.match(html, /“the summit of his ambition”/);
    assert.match(html, /<link rel="canonical" href="[^"]*\/dict\/summit">/);
    // the configured language comes before the English senses
    assert.ok(html.indexOf('정상, 꼭대기') < html.indexOf('a meeting of heads of governments'));
  });

  test('an inflected form says what it is a form of', async () => {
    const html = await (await fetch(`${srv.base}/dict/held`)).text();
    assert.match(html, /“held” is a form of <a href="\/dict\/hold">hold<\/a>/);
  });

  test('entry pages live at the lower-case word', async () => {
    const r = await fetch(`${srv.base}/dict/Summits`, { redirect: 'manual' });
    assert.equal(r.status, 301);
    assert.equal(r.headers.get('location'), '/dict/summits');
  });

  test('an unknown word has a 404 page with the lookup form', async () => {
    const r = await fetch(`${srv.base}/dict/blorfendip`);
    assert.equal(r.status, 404);
    const html = await r.text();
    assert.match(html, /No entry for “blorfendip”/);
    assert.match(html, /name="q"/);
  });

  test('the lookup form works without JavaScript', async () => {
    let r = await fetch(`${srv.base}/dict/?q=Held`, { redirect: 'manual' });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/dict/held');
    r = await fetch(`${srv.base}/dict/?q=${encodeURIComponent('cozy up')}`, { redirect: 'manual' });
    assert.equal(r.headers.get('location'), '/dict/cozy%20up');
    r = await fetch(`${srv.base}/dict/cozy%20up`);
    assert.equal(r.status, 200);
    // the word "lookup" has a page although /dict/lookup is the JSON endpoint
    r = await fetch(`${srv.base}/dict/?q=lookup`, { redirect: 'manual' });
    assert.equal(r.status, 200);
    assert.match(await r.text(), /<h1 class="dict-title" lang="en">lookup<\/h1>/);
    r = await fetch(`${srv.base}/dict/?q=x1`);
    assert.equal(r.status, 400);
    assert.match(await r.text(), /only letters, hyphens and apostrophes/);
    r = await fetch(`${srv.base}/dict/`);
    assert.equal(r.status, 200);
    assert.match(await r.text(), /<form class="dict-lookup dict-lookup-page" action="\/dict\/"/);
  });
});

describe('dictionary limits', () => {
  let srv;
  before(async () => {
    srv = await startServer({ dict: 'lookup_burst = 3\nlookup_rate = 1' });
  });
  after(async () => {
    await srv?.stop();
  });

  test('too many lookups from one address get 429 with Retry-After', async () => {
    const statuses = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last = await fetch(`${srv.base}/dict/lookup?q=summit`);
      statuses.push(last.status);
      if (last.status === 429) break;
      await last.arrayBuffer();
    }
    assert.deepEqual(statuses.slice(0, 3), [200, 200, 200]);
    assert.equal(statuses[3], 429);
    const wait = Number(last.headers.get('retry-after'));
    assert.ok(wait >= 1 && wait <= 60, `retry-after ${wait}`);
    assert.ok((await last.json()).error);
    // the glossary is not counted: it is one cached document
    assert.equal((await fetch(`${srv.base}/dict/glossary/1.json`)).status, 200);
  });
});

describe('dict import on the command line', () => {
  test('refuses a broken dictionary and writes nothing', async () => {
    const srv = await startServer();
    try {
      const before = readdirSync(path.join(srv.dir, 'dict')).sort();
      const bad = path.join(srv.dir, 'bad.tsv');
      writeFileSync(bad, 'summit\t정상\nno tab here\n');
      const r = run(['--config', srv.cfg, 'dict', 'import', 'tsv', bad, '--lang', 'ko']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /line 2: expected headword<TAB>meaning/);
      assert.match(r.stderr, /nothing was written/);
      assert.deepEqual(readdirSync(path.join(srv.dir, 'dict')).sort(), before);
      assert.ok(!existsSync(path.join(srv.dir, 'dict', 'ko-bad.bsdict')));
      const nolang = run(['--config', srv.cfg, 'dict', 'import', 'tsv', bad]);
      assert.equal(nolang.code, 2);
      assert.match(nolang.stderr, /--lang/);
    } finally {
      await srv.stop();
    }
  });
});
