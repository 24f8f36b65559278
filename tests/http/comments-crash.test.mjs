// kill -9 of the server while several readers post: every comment the
// server acknowledged is there after the restart, and none is stored
// twice, also when the readers retry the posts whose answer they never got
// (same idempotency key).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Jar, signInDemo, postComment, articleIds, sql } from './comments-lib.mjs';

const CLIENTS = 6;
const PER_CLIENT = 40;
const KILL_AFTER_ACKS = 40;

test('acknowledged comments survive kill -9; retries are stored once', async (t) => {
  const limitsOff = { comments: { per_article: 0, min_interval: 0, per_day: 0, address_per_hour: 0 } };
  let server = await startServer({ config: limitsOff });
  try {
    const articleId = articleIds(server.db)[0];
    const readers = [];
    for (let i = 0; i < CLIENTS; i++) {
      const jar = new Jar();
      const m = await signInDemo(server, jar, `Crash reader ${i}`);
      readers.push({ jar, m, acked: [], unknown: [] });
    }
    let acks = 0;
    let killed = false;
    const run = async (rd, n) => {
      for (let k = 0; k < PER_CLIENT && !killed; k++) {
        const text = `reader ${n} comment ${k}`;
        const idem = `crash-${n}-${k}-${Math.random().toString(36).slice(2, 10)}`;
        try {
          const r = await postComment(server, rd.jar, articleId, text, { me: rd.m, idem });
          if (r.status === 200 && r.data && r.data.ok) {
            rd.acked.push({ id: r.data.id, text });
            acks++;
            if (acks >= KILL_AFTER_ACKS && !killed) {
              killed = true;
              server.kill9();
            }
          } else {
            rd.unknown.push({ text, idem });
          }
        } catch (e) {
          rd.unknown.push({ text, idem }); // the connection died with the server
        }
      }
    };
    await Promise.all(readers.map((rd, n) => run(rd, n)));
    assert.ok(killed, 'the server was killed while posting');
    t.diagnostic(`acknowledged ${acks}, unanswered ${readers.reduce((n, r) => n + r.unknown.length, 0)}`);
    assert.ok(await server.exitedNow());
    server = await server.restart();
    // every acknowledged comment is there, once
    for (const rd of readers) {
      for (const a of rd.acked) {
        const rows = sql(server.db, `SELECT id FROM comments WHERE body = '${a.text}'`).split('\n').filter(Boolean);
        assert.deepEqual(rows, [String(a.id)], `acknowledged "${a.text}" is stored exactly once`);
      }
    }
    // retrying what had no answer stores each at most once
    for (const rd of readers) {
      for (const u of rd.unknown) {
        const r = await postComment(server, rd.jar, articleId, u.text, { me: rd.m, idem: u.idem });
        assert.equal(r.status, 200, `retry of "${u.text}": ${r.status} ${r.text}`);
        const n = sql(server.db, `SELECT count(*) FROM comments WHERE body = '${u.text}'`);
        assert.equal(n, '1', `"${u.text}" stored once after its retry`);
      }
    }
    const dupes = sql(server.db, 'SELECT count(*) FROM (SELECT body FROM comments GROUP BY body HAVING count(*) > 1)');
    assert.equal(dupes, '0');
    assert.equal(sql(server.db, 'PRAGMA integrity_check'), 'ok');
  } finally {
    await server.stop();
    server.cleanup();
  }
});
