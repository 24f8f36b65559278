// The program as an operator meets it: help, version, mistakes on the
// command line and in the config file, databases it must refuse and leave
// alone, init, and a template error at start-up.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { articleLinks, assertNoSanitizerReport, BIN, copyWeb, freePort, run, startServer, tempDir } from './lib.mjs';

let dir;
before(() => { dir = tempDir('broadsheet-cli-'); });
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs broadsheet in the test folder; checks for sanitizer reports. */
async function bs(...args) {
  const r = await run(args, { cwd: dir });
  assertNoSanitizerReport(r.stderr, `broadsheet ${args.join(' ')}`);
  assert.equal(r.signal, null, `broadsheet ${args.join(' ')} was killed by ${r.signal}`);
  return r;
}

/** Arguments that would serve if nothing stopped start-up first. */
async function serveArgs(db) {
  return ['serve', '--db', db, '--listen', `127.0.0.1:${await freePort()}`];
}

describe('command line', () => {
  test('--help and -h print the usage and exit 0', async () => {
    for (const flag of ['--help', '-h']) {
      const r = await bs(flag);
      assert.equal(r.code, 0, flag);
      assert.match(r.stdout, /^usage: broadsheet <command>/, flag);
      for (const word of ['serve', 'init', 'backup', '--db', '--listen', '--config']) {
        assert.ok(r.stdout.includes(word), `${flag} mentions ${word}`);
      }
    }
    assert.equal((await bs('serve', '--help')).code, 0, 'serve --help does not serve');
  });

  test('--version prints the version and exits 0', async () => {
    const r = await bs('--version');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^broadsheet \d+\.\d+(\.\d+)?\S*\n$/);
  });

  test('mistakes exit non-zero with a message that names them', async () => {
    const cases = [
      [[], /usage: broadsheet/],
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['serve', '--frobnicate'], /unknown option '--frobnicate'/],
      [['--db'], /missing value after '--db'/],
      [['serve', 'extra-argument'], /unknown command|unexpected argument/],
      [['serve', '--listen', 'nowhere'], /--listen/],
      [['serve', '--listen', '127.0.0.1:99999'], /--listen/],
      [['serve', '--threads', 'lots'], /--threads/],
      [['backup'], /backup needs a destination/],
    ];
    for (const [args, message] of cases) {
      const r = await bs(...args);
      assert.notEqual(r.code, 0, `broadsheet ${args.join(' ')} fails`);
      assert.match(r.stderr, message, `broadsheet ${args.join(' ')} says why`);
    }
    assert.deepEqual(readdirSync(dir), [], 'no database was created by a mistaken command');
  });
});

describe('config file', () => {
  async function withConfig(name, text) {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    const db = path.join(dir, `${name}.db`);
    const r = await bs('--config', file, ...(await serveArgs(db)));
    assert.notEqual(r.code, 0, `${name}: start-up stops`);
    return { r, file };
  }

  test('an unknown key names the file, the line and the key', async () => {
    const { r, file } = await withConfig('unknown.ini',
      '[server]\nthreads = 1\n\n[site]\nname = Test Paper\ncolour = blue\n');
    assert.ok(r.stderr.includes(`${file}:6:`), `file and line in: ${r.stderr}`);
    assert.match(r.stderr, /unknown key 'colour' in \[site\]/);
  });

  test('a key in the wrong section is unknown there', async () => {
    const { r, file } = await withConfig('section.ini', '[site]\nthreads = 2\n');
    assert.ok(r.stderr.includes(`${file}:2:`), r.stderr);
    assert.match(r.stderr, /'threads'/);
  });

  test('a bad value names the file, the line, the key and what is expected', async () => {
    for (const [text, line, key] of [
      ['[server]\nthreads = many\n', 2, 'threads'],
      ['[server]\nlisten = 127.0.0.1\n', 2, 'listen'],
      ['[server]\n# a comment\nmax_body = lots\n', 3, 'max_body'],
      ['[site]\ntimezone = Mars/Olympus\n', 2, 'timezone'],
      ['[site]\nurl = ftp://example.com\n', 2, 'url'],
      ['[server]\nbehind_tls = perhaps\n', 2, 'behind_tls'],
      ['[server]\npurge = varnish.example:6081\n', 2, 'purge'],
      ['[site]\ncontact = the editor\n', 2, 'contact'],
      [`[server]\npurge = http://10.0.0.1:6081/\n${Array.from({ length: 8 }, (_, i) => `  http://10.0.1.${i}:6081/`).join('\n')}\n`, 10, 'purge'],
    ]) {
      const { r, file } = await withConfig(`bad-${key}.ini`, text);
      assert.ok(r.stderr.includes(`${file}:${line}:`), `${key}: file and line in: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`bad value .* for '${key}'`), key);
      assert.match(r.stderr, /expected/, `${key}: says what is expected`);
    }
  });

  test('a line too long for the reader is reported as such (tests/unit/test_config.c: a list over several lines)', async () => {
    const words = Array.from({ length: 40 }, (_, i) => `word${i}`);
    const { r, file } = await withConfig('long.ini', `[comments]\nbanned_words = ${words.join(', ')}\n`);
    assert.ok(r.stderr.includes(`${file}:2: the line is longer than 198 characters`), r.stderr);
    assert.match(r.stderr, /continue a list on the next line, indented/);
  });

  test('a malformed line and a missing file are reported', async () => {
    const { r, file } = await withConfig('junk.ini', '[server]\nthis is not a setting\n');
    assert.ok(r.stderr.includes(`${file}:2:`), r.stderr);
    const missing = await bs('--config', path.join(dir, 'no-such.ini'), ...(await serveArgs(path.join(dir, 'x.db'))));
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /no-such\.ini/);
  });

  test('no database was created by a config that stopped start-up', () => {
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.db')), []);
  });
});

describe('databases', () => {
  test('init --demo creates a new database, folders included', async () => {
    const db = path.join(dir, 'new', 'deeper', 'paper.db');
    const r = await bs('init', '--demo', '--db', db);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /is ready with the demo paper/);
    assert.ok(existsSync(db), 'the file exists');
    const again = await bs('init', '--demo', '--db', db);
    assert.notEqual(again.code, 0, 'a second demo is refused');
    assert.match(again.stderr, /already has articles/);
    const srv = await startServer({ db, args: ['--no-demo'] });
    try {
      const front = await (await fetch(`${srv.url}/`)).text();
      assert.ok(articleLinks(front).length >= 1, 'the demo paper is served');
      assert.ok(!srv.stderr().includes('adding the demo paper'));
    } finally {
      await srv.stop();
    }
  });

  test('init without --demo makes an empty paper', async () => {
    const db = path.join(dir, 'empty.db');
    const r = await bs('init', '--db', db);
    assert.equal(r.code, 0, r.stderr);
    const srv = await startServer({ db });
    try {
      const front = await (await fetch(`${srv.url}/`)).text();
      assert.deepEqual(articleLinks(front), [], 'no stories');
      assert.match(front, /Nothing has been published yet/);
    } finally {
      await srv.stop();
    }
  });

  async function refused(name, make, message) {
    const db = path.join(dir, name);
    make(db);
    const before = readFileSync(db);
    const siblings = readdirSync(dir).sort();
    for (const args of [await serveArgs(db), ['init', '--db', db], ['init', '--demo', '--db', db],
                        ['backup', '--db', db, path.join(dir, `${name}.copy`)]]) {
      const r = await bs(...args);
      assert.notEqual(r.code, 0, `${args[0]} on ${name} fails`);
      assert.match(r.stderr, message, `${args[0]} on ${name} says why`);
      assert.ok(r.stderr.includes(db), `${args[0]} on ${name} names the file`);
      assert.ok(readFileSync(db).equals(before), `${args[0]} left ${name} byte-identical`);
      assert.deepEqual(readdirSync(dir).sort(), siblings, `${args[0]} left no file beside ${name}`);
    }
  }

  test('a file of random bytes is refused and left byte-identical', async () => {
    await refused('random.db', (db) => writeFileSync(db, randomBytes(64 * 1024)),
      /damaged or not a database; it was left untouched/);
  });

  test('a damaged database is refused and left byte-identical', async () => {
    await refused('damaged.db', (db) => {
      execFileSync('sqlite3', [db, 'CREATE TABLE t(x); INSERT INTO t VALUES (1);']);
      const buf = readFileSync(db);
      buf.fill(0xa5, 120, 4096); // the rest of the first page, the schema
      writeFileSync(db, buf);
    }, /damaged or not a database/);
  });

  test('another program\'s SQLite database is refused and left alone', async () => {
    await refused('other.db', (db) => execFileSync('sqlite3', [db, 'CREATE TABLE notes(body TEXT);']),
      /belongs to another program/);
  });

  test('a database from a newer version is refused with a clear message', async () => {
    await refused('newer.db', (db) => {
      execFileSync(BIN, ['init', '--db', db], { cwd: dir });
      execFileSync('sqlite3', [db, "INSERT INTO schema_migrations(name, applied_at) VALUES ('9999-from-the-future', 0);"]);
      for (const f of readdirSync(dir)) if (/^newer\.db-(wal|shm)$/.test(f)) rmSync(path.join(dir, f));
    }, /written by a newer version of Broadsheet .*9999-from-the-future/);
  });
});

describe('templates', () => {
  test('a template error stops start-up and names file:line', async () => {
    const tdir = tempDir('broadsheet-tmpl-');
    try {
      const web = copyWeb(tdir);
      const file = path.join(web, 'templates', 'article.html');
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.splice(4, 0, '  <p>{{ article.headline | no_such_filter }}</p>'); // becomes line 5
      writeFileSync(file, lines.join('\n'));
      const r = await run(['serve', '--db', path.join(tdir, 't.db'), '--listen', `127.0.0.1:${await freePort()}`,
                           '--web', web], { cwd: tdir });
      assertNoSanitizerReport(r.stderr);
      assert.notEqual(r.code, 0, 'start-up stops');
      assert.ok(r.stderr.includes('article.html:5:'), `file:line in: ${r.stderr}`);
      assert.match(r.stderr, /no_such_filter/);
      assert.ok(!r.stderr.includes('serving on'), 'it never served');
    } finally {
      rmSync(tdir, { recursive: true, force: true });
    }
  });

  test('an unclosed block names the file and the line it opens on', async () => {
    const tdir = tempDir('broadsheet-tmpl-');
    try {
      const web = copyWeb(tdir);
      const file = path.join(web, 'templates', 'front.html');
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.splice(2, 0, '{% if lead %}<p>never closed'); // line 3
      writeFileSync(file, lines.join('\n'));
      const r = await run(['serve', '--db', path.join(tdir, 't.db'), '--listen', `127.0.0.1:${await freePort()}`,
                           '--web', web], { cwd: tdir });
      assert.notEqual(r.code, 0, 'start-up stops');
      assert.match(r.stderr, /front\.html:\d+:/, r.stderr);
      assert.ok(!r.stderr.includes('serving on'));
    } finally {
      rmSync(tdir, { recursive: true, force: true });
    }
  });
});
