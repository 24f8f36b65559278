// Hostile or broken requests, sent as exact bytes: each gets a 4xx (never
// a crash, a hang or a 200), and the server keeps answering afterwards.
// The same file runs against the ASan+UBSan build (make asan-check).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { rawRequest, replyComplete, startServer } from './lib.mjs';

let srv;
before(async () => {
  srv = await startServer();
  // warm the page cache, so that cached pages are checked too
  for (const p of ['/', '/national/', '/healthz']) await (await fetch(`${srv.url}${p}`)).text();
});
after(() => srv?.stop());

const CRLF = '\r\n';
const req = (line, headers = ['Host: 127.0.0.1'], body = '') =>
  `${line}${CRLF}${headers.map((h) => h + CRLF).join('')}${CRLF}${body}`;
const bytes = (s) => Buffer.from(s, 'latin1');
const get = (target) => req(`GET ${target} HTTP/1.1`);

async function expect4xx(name, data, { status } = {}) {
  const r = await rawRequest(srv.port, data, { until: replyComplete });
  assert.ok(r.status >= 400 && r.status < 500,
    `${name}: expected a 4xx, got ${r.status || 'no answer'}: ${JSON.stringify(r.raw.slice(0, 200))}`);
  if (status) assert.equal(r.status, status, `${name}: status`);
  return r;
}

async function assertAlive(after) {
  const r = await rawRequest(srv.port, req('GET /healthz HTTP/1.1', ['Host: 127.0.0.1', 'Connection: close']));
  assert.equal(r.status, 200, `the server answers /healthz after ${after}`);
  assert.equal(r.body.toString(), 'ok\n');
}

function cases(list) {
  for (const [name, data, opts] of list) {
    test(name, async () => {
      await expect4xx(name, data, opts);
      await assertAlive(name);
    });
  }
}

describe('malformed request line', () => cases([
  ['garbage', 'GARBAGE' + CRLF + CRLF, { status: 400 }],
  ['method only', 'GET' + CRLF + CRLF],
  ['no space before the version', 'GET /HTTP/1.1' + CRLF + 'Host: x' + CRLF + CRLF],
  ['HTTP/0.9 style (no version)', 'GET /' + CRLF + CRLF],
  ['a space inside the path', get('/a b')],
  ['a CR LF inside the path', 'GET /national' + CRLF + 'X-Injected: 1 HTTP/1.1' + CRLF + 'Host: x' + CRLF + CRLF],
  ['a control character in the path', bytes(get('/a\x01b'))],
  ['an absolute URL for another site', get('http://elsewhere.example/')],
  ['an unknown method', req('BREW / HTTP/1.1')],
  ['a lower-case method', req('get / HTTP/1.1')],
]));

describe('unsupported HTTP version', () => cases([
  ['HTTP/2.0 in an HTTP/1 request line', req('GET / HTTP/2.0')],
  ['HTTP/3.0', req('GET / HTTP/3.0')],
  ['HTTP/1.x with letters', req('GET / HTTP/1.x')],
  ['no HTTP at all', req('GET / FTP/1.0')],
  ['the HTTP/2 preface (no cleartext HTTP/2)', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
]));

describe('headers too large or too many', () => cases([
  ['one 100 KB header', req('GET / HTTP/1.1', ['Host: x', `X-Big: ${'a'.repeat(100 * 1024)}`])],
  ['100 KB of headers in 50 lines', req('GET / HTTP/1.1',
    ['Host: x', ...Array.from({ length: 50 }, (_, i) => `X-H${i}: ${'b'.repeat(2048)}`)])],
  ['a 1 MB header block', req('GET /national/ HTTP/1.1', ['Host: x', `X-Big: ${'c'.repeat(1024 * 1024)}`])],
  ['200 headers', req('GET / HTTP/1.1', ['Host: x', ...Array.from({ length: 200 }, (_, i) => `X-H${i}: v`)])],
  ['a NUL byte in a header value', bytes(req('GET / HTTP/1.1', ['Host: x', 'X-A: a\0b']))],
]));

describe('bodies over the limit', () => cases([
  ['Content-Length of 20 MB announced', req('POST / HTTP/1.1', ['Host: x', 'Content-Length: 20000000']),
    { status: 413 }],
  ['a 300 KB body on a GET of a cached page', [req('GET / HTTP/1.1', ['Host: x', 'Content-Length: 300000']),
    Buffer.alloc(300000, 0x61)], { status: 413 }],
  ['a 300 KB form body', [req('GET /national/ HTTP/1.1',
    ['Host: x', 'Content-Type: application/x-www-form-urlencoded', 'Content-Length: 300000']),
    Buffer.alloc(300000, 0x61)], { status: 413 }],
  ['a negative Content-Length', req('POST / HTTP/1.1', ['Host: x', 'Content-Length: -1'])],
  ['a Content-Length that is not a number', req('POST / HTTP/1.1', ['Host: x', 'Content-Length: abc'])],
  ['broken chunked encoding', req('POST / HTTP/1.1', ['Host: x', 'Transfer-Encoding: chunked'], 'zz\r\n')],
  ['an unknown transfer coding', req('GET / HTTP/1.1', ['Host: x', 'Transfer-Encoding: gzip'])],
]));

describe('bad percent-encoding', () => cases([
  ['%zz in the path', get('/%zz'), { status: 400 }],
  ['a lone % in the path', get('/%'), { status: 400 }],
  ['a truncated %4 in the path', get('/national/%4'), { status: 400 }],
  ['%g1 in an article address', get('/article/1/a%g1'), { status: 400 }],
  ['%zz in the query', get('/?q=%zz'), { status: 400 }],
  ['a truncated escape at the end of the query', get('/national/?page=%4'), { status: 400 }],
  ['%zz in a query name', get('/?%zz=1'), { status: 400 }],
]));

describe('invalid UTF-8', () => cases([
  ['a raw 0xFF byte in the path', bytes(get('/\xff\xfe')), { status: 400 }],
  ['%FF in the path', get('/national/%ff/'), { status: 400 }],
  ['an overlong encoding of / (%C0%AF)', get('/%c0%af'), { status: 400 }],
  ['a raw overlong encoding in the path', bytes(get('/\xc0\xaf')), { status: 400 }],
  ['an encoded UTF-16 surrogate', get('/%ed%a0%80'), { status: 400 }],
  ['a truncated sequence in an article slug', get('/article/1/caf%c3'), { status: 400 }],
  ['a raw 0xFF byte in the query', bytes(get('/?q=\xff')), { status: 400 }],
  ['%FF in the query', get('/national/?page=%ff'), { status: 400 }],
  ['an overlong encoding in the query', get('/?q=%c0%80'), { status: 400 }],
]));

describe('dot segments and escapes from the web root', () => cases([
  ['/../ in the path', get('/../etc/passwd'), { status: 400 }],
  ['/.. under /static/', get('/static/../../etc/passwd'), { status: 400 }],
  ['%2e%2e in the path', get('/%2e%2e/etc/passwd'), { status: 400 }],
  ['%2E%2E upper case under /static/', get('/static/%2E%2E/%2E%2E/etc/passwd'), { status: 400 }],
  ['.%2e mixed', get('/static/.%2e/.%2e/etc/passwd'), { status: 400 }],
  ['/./ in the path', get('/./national/'), { status: 400 }],
  ['/.. under /media/', get('/media/../../etc/passwd'), { status: 400 }],
  ['..%2f under /static/', get('/static/..%2f..%2f..%2fetc/passwd')],
  ['%2e%2e%2f under /static/css/', get('/static/css/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd')],
  ['backslashes under /static/', get('/static/..\\..\\..\\etc\\passwd')],
  ['an empty segment (//)', get('//etc/passwd'), { status: 400 }],
]));

describe('NUL bytes', () => cases([
  ['a raw NUL in the path', bytes(get('/a\0b')), { status: 400 }],
  ['%00 in the path', get('/a%00b'), { status: 400 }],
  ['%00 in an article slug', get('/article/1/x%00.html'), { status: 400 }],
  ['%00 in the query', get('/?q=a%00b'), { status: 400 }],
  ['%00 in a static file name', get('/static/css/site.css%00.txt'), { status: 400 }],
  ['%00 to serve a script as HTML', get('/static/js/site.js%00.html'), { status: 400 }],
  ['%zz in a static file name', get('/static/css/site%zz.css'), { status: 400 }],
]));

describe('too long', () => cases([
  ['a 10 KB path', get(`/${'a'.repeat(10000)}`), { status: 414 }],
  ['a 20 KB query', get(`/?q=${'a'.repeat(20000)}`), { status: 414 }],
  ['33 path segments', get('/a'.repeat(40) + '/'), { status: 414 }],
]));

describe('no file outside the web root is ever served', () => {
  test('none of the traversal attempts returns /etc/passwd', async () => {
    for (const target of ['/static/..%2f..%2f..%2fetc/passwd', '/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
                          '/static/css/..%2f..%2f..%2f..%2fetc%2fpasswd', '/static/..\\..\\..\\etc\\passwd',
                          '/media/..%2f..%2f..%2fetc/passwd', '/static//etc/passwd']) {
      const r = await rawRequest(srv.port, get(target), { until: replyComplete });
      assert.ok(r.status >= 400 && r.status < 500, `${target}: ${r.status}`);
      assert.ok(!r.raw.includes('root:x:0:0'), `${target} leaked /etc/passwd`);
    }
  });
});

describe('after all of that', () => {
  test('an h2c upgrade request is answered as plain HTTP/1.1', async () => {
    const r = await rawRequest(srv.port, req('GET /healthz HTTP/1.1', ['Host: x', 'Connection: Upgrade, HTTP2-Settings, close',
      'Upgrade: h2c', 'HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA']), { until: replyComplete });
    assert.equal(r.status, 200);
    assert.match(r.head, /^HTTP\/1\.1 200/);
  });

  test('normal pages still work, from the cache and rendered', async () => {
    for (const p of ['/', '/national/', '/business/']) {
      const res = await fetch(`${srv.url}${p}`);
      assert.equal(res.status, 200, p);
      assert.match(await res.text(), /<header class="masthead">/);
    }
  });

  test('a bad request on a kept-alive connection does not poison the next one', async () => {
    const r = await rawRequest(srv.port, [get('/%zz'), req('GET /healthz HTTP/1.1', ['Host: x', 'Connection: close'])]);
    const statuses = [...r.raw.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
    assert.equal(statuses[0], 400);
    if (statuses.length > 1) assert.equal(statuses[1], 200, 'the next request on the connection is served');
  });
});
