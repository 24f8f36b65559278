// Response headers: security, caching (ETag, 304, Cache-Control, surrogate
// keys), compression, static files, HEAD and methods.

import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';

import { execFileSync } from 'node:child_process';

import { articleLinks, rawRequest, request, startServer, tags } from './lib.mjs';

let srv;
let article;   // {path, id}
let author;
let tag;

before(async () => {
  srv = await startServer();
  const front = (await request(`${srv.url}/`)).body.toString();
  const path = articleLinks(front)[0];
  article = { path, id: /^\/article\/(\d+)\//.exec(path)[1] };
  const html = (await request(`${srv.url}${path}`)).body.toString();
  author = tags(html, 'a').find((t) => t.attrs.rel === 'author').attrs.href;
  tag = tags(html, 'a').find((t) => t.attrs.rel === 'tag').attrs.href;
});

after(() => srv?.stop());

const publicPages = () => ['/', '/national/', '/national/politics/', article.path,
                           `${article.path}/print`, author, tag];

describe('security headers', () => {
  function assertSecurity(h, what) {
    const csp = h['content-security-policy'];
    assert.ok(csp, `${what}: has a Content-Security-Policy`);
    assert.ok(!csp.includes('unsafe-inline'), `${what}: CSP without 'unsafe-inline': ${csp}`);
    assert.ok(!csp.includes('unsafe-eval'), `${what}: CSP without 'unsafe-eval'`);
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/))
      .map(([k, ...v]) => [k, v.join(' ')]));
    assert.equal(directives['default-src'], "'self'", `${what}: default-src`);
    assert.equal(directives['script-src'], "'self'", `${what}: script-src`);
    assert.equal(directives['style-src'], "'self'", `${what}: style-src`);
    assert.equal(directives['object-src'], "'none'", `${what}: object-src`);
    assert.equal(directives['frame-ancestors'], "'none'", `${what}: frame-ancestors`);
    assert.ok(directives['base-uri'], `${what}: base-uri`);
    assert.equal(h['x-content-type-options'], 'nosniff', `${what}: nosniff`);
    assert.match(h['referrer-policy'] ?? '', /^(strict-origin-when-cross-origin|strict-origin|same-origin|no-referrer)$/,
      `${what}: Referrer-Policy`);
    assert.equal(h['x-frame-options'], 'DENY', `${what}: X-Frame-Options`);
    assert.equal(h['strict-transport-security'], undefined, `${what}: no HSTS on plain HTTP`);
  }

  test('on every kind of page and answer', async () => {
    const paths = [...publicPages(), '/healthz', '/robots.txt', '/no-such-page/',
                   '/national/?page=abc', '/national', `/article/${article.id}`, '/%zz'];
    for (const path of paths) {
      // twice: once rendered, once from the page cache
      for (const round of [1, 2]) {
        const res = await request(`${srv.url}${path}`);
        assertSecurity(res.headers, `GET ${path} (${round}, ${res.status})`);
      }
    }
    const post = await request(`${srv.url}/`, { method: 'POST', body: 'a=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assertSecurity(post.headers, 'POST / (405)');
  });

  test('static files are not sniffed', async () => {
    for (const path of ['/static/css/site.css', '/static/js/site.js', '/static/img/favicon.svg']) {
      const res = await request(`${srv.url}${path}`);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
    }
  });

  test('pages need no inline script or style, so the strict CSP breaks nothing', async () => {
    for (const path of [...publicPages(), '/no-such-page/']) {
      const html = (await request(`${srv.url}${path}`)).body.toString();
      for (const s of tags(html, 'script')) {
        const type = s.attrs.type ?? 'text/javascript';
        if (type === 'application/ld+json') continue; // data, not script
        assert.ok(s.attrs.src, `${path}: every script is a file (found an inline one)`);
        assert.ok(s.attrs.src.startsWith('/'), `${path}: scripts come from this site: ${s.attrs.src}`);
      }
      assert.ok(!/<style[\s>]/i.test(html), `${path}: no <style> element`);
      assert.ok(!/\sstyle\s*=/i.test(html), `${path}: no style attribute`);
      assert.ok(!/\son[a-z]+\s*=/i.test(html.replace(/<script type="application\/ld\+json">[\s\S]*?<\/script>/g, '')),
        `${path}: no inline event handler`);
      for (const l of tags(html, 'link').filter((t) => t.attrs.rel === 'stylesheet')) {
        assert.ok(l.attrs.href.startsWith('/'), `${path}: stylesheets come from this site`);
      }
    }
  });
});

describe('caching', () => {
  test('public pages have an ETag, and If-None-Match gets 304 with no body', async () => {
    for (const path of publicPages()) {
      const first = await request(`${srv.url}${path}`);
      const etag = first.headers.etag;
      assert.match(etag ?? '', /^(W\/)?"[^"]+"$/, `${path}: ETag`);
      const again = await request(`${srv.url}${path}`);
      assert.equal(again.headers.etag, etag, `${path}: the same page, the same ETag`);
      assert.deepEqual(again.body, first.body, `${path}: the same bytes`);
      const cond = await request(`${srv.url}${path}`, { headers: { 'if-none-match': etag } });
      assert.equal(cond.status, 304, `${path}: 304 for If-None-Match`);
      assert.equal(cond.body.length, 0, `${path}: 304 has no body`);
      assert.equal(cond.headers.etag, etag, `${path}: 304 repeats the ETag`);
      assert.ok(cond.headers['cache-control'], `${path}: 304 repeats Cache-Control`);
      const list = await request(`${srv.url}${path}`, { headers: { 'if-none-match': `"nope", ${etag}` } });
      assert.equal(list.status, 304, `${path}: 304 when the ETag is in a list`);
      const other = await request(`${srv.url}${path}`, { headers: { 'if-none-match': '"something-else"' } });
      assert.equal(other.status, 200, `${path}: 200 for another ETag`);
      assert.deepEqual(other.body, first.body);
    }
  });

  test('public pages may be kept by a shared cache', async () => {
    for (const path of publicPages()) {
      const cc = (await request(`${srv.url}${path}`)).headers['cache-control'] ?? '';
      const parts = cc.split(',').map((p) => p.trim());
      assert.ok(parts.includes('public'), `${path}: public (${cc})`);
      const smax = parts.find((p) => p.startsWith('s-maxage='));
      assert.ok(smax && Number(smax.split('=')[1]) > 0, `${path}: s-maxage for the shared cache (${cc})`);
      assert.ok(!parts.includes('private') && !parts.includes('no-store'), `${path}: ${cc}`);
    }
  });

  test('tracking parameters on a shared link are served from the page cache like the plain address', async () => {
    // a click id unique to each reader (fbclid) must not render the page for each of them
    const plain = await request(`${srv.url}${article.path}`);
    const sql = (q) => execFileSync('sqlite3', [srv.db, q], { encoding: 'utf8' });
    const old = sql(`SELECT headline FROM articles WHERE id = ${article.id}`).trim();
    // changed behind the server's back: only a new rendering would show it
    sql(`UPDATE articles SET headline = 'Changed behind the cache' WHERE id = ${article.id}`);
    try {
      for (const q of ['?fbclid=IwAR0x1', '?fbclid=IwAR0x2', '?utm_source=x&utm_medium=social&utm_campaign=a',
        '?gclid=1&_ga=2']) {
        const res = await request(`${srv.url}${article.path}${q}`);
        assert.equal(res.status, 200, q);
        assert.doesNotMatch(res.body.toString(), /Changed behind the cache/, `${q}: from the page cache`);
        assert.equal(res.headers.etag, plain.headers.etag, q);
      }
      // what a page reads stays part of the address: the section has one page
      assert.equal((await request(`${srv.url}/national/?page=1&utm_source=x`)).status, 200);
      assert.equal((await request(`${srv.url}/national/?utm_source=x&page=2`)).status, 404);
      assert.equal((await request(`${srv.url}/national/?page=2&fbclid=y`)).status, 404);
    } finally {
      sql(`UPDATE articles SET headline = '${old.replaceAll("'", "''")}' WHERE id = ${article.id}`);
    }
  });

  test('errors and private answers are never stored', async () => {
    for (const [path, status] of [['/no-such-page/', 404], ['/article/999999/x', 404],
                                  ['/national/?page=0', 400], ['/%zz', 400], ['/healthz', 200]]) {
      for (const round of [1, 2]) {
        const res = await request(`${srv.url}${path}`);
        assert.equal(res.status, status, `${path} (${round})`);
        assert.equal(res.headers['cache-control'], 'no-store', `${path} (${round})`);
        assert.equal(res.headers.etag, undefined, `${path}: no ETag on an uncacheable answer`);
      }
    }
    const post = await request(`${srv.url}/`, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers['cache-control'], 'no-store');
  });

  test('surrogate keys name what the page shows, for purging a shared cache', async () => {
    const keys = (h) => {
      assert.ok(h.xkey, 'an xkey header');
      assert.equal(h['surrogate-key'], h.xkey, 'Surrogate-Key repeats xkey');
      return h.xkey.split(/\s+/);
    };
    const art = keys((await request(`${srv.url}${article.path}`)).headers);
    assert.ok(art.includes(`a:${article.id}`), `the article page carries a:${article.id}: ${art}`);
    assert.ok(art.some((k) => /^s:\d+$/.test(k)), 'and its section');
    assert.ok(art.some((k) => /^au:\d+$/.test(k)), 'and its author');
    const print = keys((await request(`${srv.url}${article.path}/print`)).headers);
    assert.ok(print.includes(`a:${article.id}`), 'the print view carries the article key');
    const frontRes = await request(`${srv.url}/`);
    const front = keys(frontRes.headers);
    assert.ok(front.includes('front'), 'the front page carries "front"');
    for (const link of articleLinks(frontRes.body.toString())) {
      const id = /^\/article\/(\d+)\//.exec(link)[1];
      assert.ok(front.includes(`a:${id}`), `the front page carries a:${id} for the story it shows`);
    }
    const secRes = await request(`${srv.url}/national/`);
    const sec = keys(secRes.headers);
    for (const link of articleLinks(secRes.body.toString())) {
      const id = /^\/article\/(\d+)\//.exec(link)[1];
      assert.ok(sec.includes(`a:${id}`), `/national/ carries a:${id}`);
    }
  });

  test('static files are cached for a long time and revalidate', async () => {
    for (const path of ['/static/css/site.css', '/static/js/site.js']) {
      const res = await request(`${srv.url}${path}`);
      const m = /max-age=(\d+)/.exec(res.headers['cache-control'] ?? '');
      assert.ok(m && Number(m[1]) >= 30 * 86400, `${path}: long max-age (${res.headers['cache-control']})`);
      assert.match(res.headers['cache-control'], /public/);
      assert.ok(res.headers.etag, `${path}: ETag`);
      const cond = await request(`${srv.url}${path}`, { headers: { 'if-none-match': res.headers.etag } });
      assert.equal(cond.status, 304, `${path}: 304`);
      assert.equal(cond.body.length, 0);
    }
  });

  test('pages link their assets with a version, so the long max-age is safe', async () => {
    const html = (await request(`${srv.url}/`)).body.toString();
    const assets = [...tags(html, 'link').filter((t) => t.attrs.rel === 'stylesheet').map((t) => t.attrs.href),
                    ...tags(html, 'script').filter((t) => t.attrs.src).map((t) => t.attrs.src)];
    assert.ok(assets.length >= 2);
    for (const a of assets) {
      assert.match(a, /\?v=[0-9a-f]{6,}$/, `${a} carries a version`);
      assert.equal((await request(`${srv.url}${a}`)).status, 200, `${a} exists`);
    }
  });
});

describe('compression', () => {
  test('gzip when asked, decompressing to the same bytes', async () => {
    // the tag page is asked for compressed first, before it is cached
    for (const path of [tag, '/', article.path, '/national/', '/static/css/site.css', '/static/js/site.js']) {
      const gz = await request(`${srv.url}${path}`, { headers: { 'accept-encoding': 'gzip' } });
      const plain = await request(`${srv.url}${path}`);
      const gz2 = await request(`${srv.url}${path}`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
      assert.equal(plain.headers['content-encoding'], undefined, `${path}: identity when not asked`);
      for (const [what, res] of [['first', gz], ['again', gz2]]) {
        assert.equal(res.status, 200, `${path} (${what})`);
        assert.equal(res.headers['content-encoding'], 'gzip', `${path} (${what}): gzip`);
        assert.match(res.headers.vary ?? '', /accept-encoding/i, `${path} (${what}): Vary`);
        assert.ok(res.body.length < plain.body.length, `${path} (${what}): smaller`);
        assert.deepEqual(gunzipSync(res.body), plain.body, `${path} (${what}): the same bytes`);
      }
      assert.equal(gz.headers.etag === undefined, plain.headers.etag === undefined);
    }
  });

  test('a 304 for a compressed page when its ETag comes back', async () => {
    const gz = await request(`${srv.url}${article.path}`, { headers: { 'accept-encoding': 'gzip' } });
    const cond = await request(`${srv.url}${article.path}`,
      { headers: { 'accept-encoding': 'gzip', 'if-none-match': gz.headers.etag } });
    assert.equal(cond.status, 304);
  });
});

describe('methods', () => {
  test('HEAD gives the headers of GET and no body', async () => {
    for (const path of [...publicPages(), '/static/css/site.css', '/no-such-page/', '/national']) {
      const g = await request(`${srv.url}${path}`);
      const raw = await rawRequest(srv.port,
        `HEAD ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      assert.equal(raw.status, g.status, `HEAD ${path}: status`);
      assert.equal(raw.body.length, 0, `HEAD ${path}: no body`);
      const h = Object.fromEntries(raw.head.split('\r\n').slice(1).map((l) => {
        const i = l.indexOf(':');
        return [l.slice(0, i).toLowerCase(), l.slice(i + 1).trim()];
      }));
      assert.equal(h['content-type'], g.headers['content-type'], `HEAD ${path}: type`);
      assert.equal(h.etag, g.headers.etag, `HEAD ${path}: ETag`);
      if (h['content-length'] !== undefined && g.status === 200) {
        assert.equal(Number(h['content-length']), g.body.length, `HEAD ${path}: length of the GET body`);
      }
    }
  });

  test('POST, PUT, DELETE, PATCH and methods we do not know on reader pages are 405 with Allow: GET, HEAD', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'BREW']) {
      for (const path of ['/', '/national/', article.path, '/healthz']) {
        const res = await request(`${srv.url}${path}`, { method, body: method === 'DELETE' ? undefined : 'x=1',
          headers: { 'content-type': 'application/x-www-form-urlencoded' } });
        assert.equal(res.status, 405, `${method} ${path}`);
        assert.equal(res.headers.allow, 'GET, HEAD', `${method} ${path}: Allow`);
        assert.match(res.headers['content-type'], /^text\/html/, `${method} ${path}: the paper's error page`);
      }
    }
  });

  test('a POST without the CSRF token is refused with 403', async () => {
    // the comments' form on the article (any state-changing route would do:
    // newsroom-routes.test.mjs forges every one of them)
    const res = await request(`${srv.url}/comments/${article.id}`, { method: 'POST', body: 'body=hello',
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(res.status, 403);
    assert.match(res.headers['content-type'], /^text\/html/, 'the paper\'s error page');
    assert.match(res.body.toString(), /security token is missing or expired/);
    assert.match(res.headers['cache-control'], /no-store/);
    assert.ok(res.headers['content-security-policy'], 'with the security headers');
  });
});
