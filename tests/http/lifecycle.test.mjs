// A server's life: first start creates the demo paper, a restart reuses
// it, a backup taken while serving is a working paper, and SIGTERM lets
// the response in flight finish before a clean exit.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { copyWeb, headlines, rawRequest, replyComplete, run, startServer, tempDir,
         waitUntilRefused, assertNoSanitizerReport } from './lib.mjs';

let dir;
before(() => { dir = tempDir('broadsheet-life-'); });
after(() => rmSync(dir, { recursive: true, force: true }));

const countArticles = (db) =>
  Number(execFileSync('sqlite3', ['-readonly', db, 'SELECT count(*) FROM articles;']).toString().trim());

async function frontHeadlines(srv) {
  const res = await fetch(`${srv.url}/`);
  assert.equal(res.status, 200);
  return headlines(await res.text());
}

describe('the database across restarts', () => {
  test('serve creates the demo paper once; a restart reuses it', async () => {
    const db = path.join(dir, 'data', 'paper.db');
    const first = await startServer({ dir, db });
    const before = await frontHeadlines(first);
    await first.stop();
    assert.match(first.stderr(), /adding the demo paper/);
    assert.ok(before.length >= 1, 'the demo paper has stories on the front page');
    const count = countArticles(db);
    assert.ok(count >= 1);

    const second = await startServer({ dir, db });
    const after = await frontHeadlines(second);
    await second.stop();
    assert.ok(!second.stderr().includes('adding the demo paper'), 'no second demo paper');
    assert.equal(countArticles(db), count, 'the article count is unchanged');
    assert.deepEqual(after, before, 'the same front page');
  });

  test('backup while serving gives a database another server serves the same', async () => {
    const db = path.join(dir, 'live.db');
    const copy = path.join(dir, 'copy.db');
    const live = await startServer({ dir, db });
    let expected;
    try {
      expected = await frontHeadlines(live);
      // readers keep reading while the copy is taken
      const reading = Promise.all(Array.from({ length: 20 }, () => fetch(`${live.url}/national/`).then((r) => r.status)));
      const r = await run(['backup', '--db', db, copy], { cwd: dir });
      assertNoSanitizerReport(r.stderr, 'broadsheet backup');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /backup of .* written to /);
      assert.ok((await reading).every((s) => s === 200), 'readers were served during the backup');
      assert.deepEqual(await frontHeadlines(live), expected, 'the live paper is unchanged');
    } finally {
      await live.stop();
    }
    assert.equal(execFileSync('sqlite3', ['-readonly', copy, 'PRAGMA integrity_check;']).toString().trim(), 'ok');
    assert.equal(countArticles(copy), countArticles(db));
    const restored = await startServer({ dir, db: copy });
    try {
      assert.ok(!restored.stderr().includes('adding the demo paper'), 'the copy is not a new paper');
      assert.deepEqual(await frontHeadlines(restored), expected, 'the same front page headlines');
    } finally {
      await restored.stop();
    }
  });

  test('backup of a database that does not exist fails and creates nothing', async () => {
    const r = await run(['backup', '--db', path.join(dir, 'none.db'), path.join(dir, 'none-copy.db')], { cwd: dir });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /does not exist/);
    assert.ok(!existsSync(path.join(dir, 'none.db')), 'no database created');
    assert.ok(!existsSync(path.join(dir, 'none-copy.db')), 'no copy created');
  });
});

describe('shutdown', () => {
  test('SIGTERM lets a large response in flight to a slow reader finish, then exits 0', async () => {
    const tdir = tempDir('broadsheet-slow-');
    const web = copyWeb(tdir);
    // bigger than the socket buffers on both sides, so it is still being
    // sent when the signal arrives
    const big = randomBytes(16 * 1024 * 1024);
    writeFileSync(path.join(web, 'static', 'big.bin'), big);
    const srv = await startServer({ dir: tdir, web });
    try {
      const sock = net.connect(srv.port, '127.0.0.1');
      await once(sock, 'connect');
      const chunks = [];
      // read the first bytes, then stop reading: a slow client
      const firstData = new Promise((resolve) => {
        sock.on('data', (d) => {
          chunks.push(d);
          if (chunks.length === 1) { sock.pause(); resolve(); }
        });
      });
      const ended = new Promise((resolve) => { sock.on('end', resolve); sock.on('close', resolve); });
      sock.write('GET /static/big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      await firstData;

      srv.terminate();
      await srv.waitForStderr('finishing in-flight responses');
      await waitUntilRefused(srv.port); // the listener is closed: shutdown has begun

      sock.resume();
      await ended;
      const reply = Buffer.concat(chunks);
      const headEnd = reply.indexOf('\r\n\r\n');
      const head = reply.subarray(0, headEnd).toString('latin1');
      const body = reply.subarray(headEnd + 4);
      assert.match(head, /^HTTP\/1\.1 200 /);
      assert.equal(body.length, big.length, 'the whole file arrived');
      assert.equal(createHash('sha256').update(body).digest('hex'),
                   createHash('sha256').update(big).digest('hex'), 'intact');
      await srv.stop();
      assert.ok(!srv.stderr().includes('still open'), 'drained without hitting the deadline');
    } finally {
      await srv.stop();
      rmSync(tdir, { recursive: true, force: true });
    }
  });

  test('an idle kept-alive connection is closed at shutdown instead of holding it up', async () => {
    const srv = await startServer();
    const sock = net.connect(srv.port, '127.0.0.1');
    await once(sock, 'connect');
    let buf = '';
    sock.setEncoding('latin1');
    sock.on('data', (d) => { buf += d; });
    const ended = new Promise((resolve) => { sock.on('end', resolve); sock.on('close', resolve); });
    sock.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await new Promise((resolve) => { const check = () => (replyComplete(buf) ? resolve() : sock.once('data', check)); check(); });
    assert.match(buf, /^HTTP\/1\.1 200 /);
    assert.match(buf, /connection: keep-alive/i, 'the connection was kept alive');

    srv.terminate();
    await srv.waitForStderr('finishing in-flight responses');
    await waitUntilRefused(srv.port);
    // the idle connection is closed by the server: it ends, with nothing more
    await ended;
    assert.equal([...buf.matchAll(/HTTP\/1\.1 /g)].length, 1);
    await srv.stop();
    assert.ok(!srv.stderr().includes('still open'));
  });

  test('SIGINT (Ctrl-C) stops as cleanly as SIGTERM', async () => {
    const srv = await startServer();
    const r = await rawRequest(srv.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal(r.status, 200);
    srv.proc.kill('SIGINT');
    const [code, signal] = await srv.exited;
    assert.equal(signal, null);
    assert.equal(code, 0, srv.stderr());
    assertNoSanitizerReport(srv.stderr());
    assert.match(srv.stderr(), /stopped/);
    await srv.stop();
  });

  test('the access log records each request', async () => {
    const srv = await startServer();
    await rawRequest(srv.port, 'GET /national/?page=1 HTTP/1.1\r\nHost: x\r\nUser-Agent: test-agent/1\r\nConnection: close\r\n\r\n');
    await rawRequest(srv.port, 'GET /%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await srv.stop();
    assert.match(srv.stderr(), /"GET \/national\/\?page=1 HTTP\/1\.1" 200 \d+ "-" "test-agent\/1"/);
    assert.match(srv.stderr(), /"GET \/%zz HTTP\/1\.1" 400 /);
  });
});
