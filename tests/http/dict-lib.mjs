// The dictionary tests' own server helper: a fresh data folder with a
// database made by `broadsheet init`, one published article of our own
// (tests/data/dict/article-700.md) and a draft, the English-Korean test
// dictionary imported, and `broadsheet serve` on a free loopback port.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const bin = process.env.BROADSHEET_BIN || path.join(root, 'build/broadsheet');
export const dataDir = path.join(root, 'tests/data/dict');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export function run(args, opts = {}) {
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 120000, ...opts });
  return { code: r.status, stdout: r.stdout || '', stderr: r.stderr || '' };
}

function sql(db, statements) {
  const r = spawnSync('sqlite3', [db], { input: statements, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
}

// The fixture: section 1, article 1 published an hour ago, article 2 a
// draft, article 3 published with a time in the future (scheduled).
function fixture(db) {
  const now = Math.floor(Date.now() / 1000);
  const body = path.join(dataDir, 'article-700.md').replaceAll("'", "''");
  sql(db, `
INSERT INTO sections (id, slug, name, position) VALUES (1, 'world', 'World', 1);
INSERT INTO articles (id, slug, headline, summary, body, status, section_id, created_at, saved_at, published_at)
  VALUES (1, 'island-leaders-cozy-up', 'Island leaders are cozying up after years of quarrels',
          'Three summits and a warm message mark a thaw in relations between the neighbours.',
          CAST(readfile('${body}') AS TEXT), 'published', 1, ${now - 7200}, ${now - 7200}, ${now - 3600});
INSERT INTO articles (id, slug, headline, summary, body, status, section_id, created_at, saved_at)
  VALUES (2, 'secret-draft', 'A draft about summits', 'Not yet.', 'The summits were held in secret.',
          'draft', 1, ${now}, ${now});
INSERT INTO articles (id, slug, headline, summary, body, status, section_id, created_at, saved_at, published_at)
  VALUES (3, 'tomorrow', 'Scheduled summits', 'Later.', 'The summits will be held tomorrow.',
          'scheduled', 1, ${now}, ${now}, ${now + 86400});
`);
}

async function waitUp(base, child, log) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${log.join('')}`);
    try {
      const r = await fetch(base + '/healthz');
      if (r.ok) return;
    } catch {
      // not yet listening
    }
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`server did not start: ${log.join('')}`);
}

// Starts a server; dict: extra lines for the [dict] section.
export async function startServer({ dict = '' } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bs-dict-'));
  const port = await freePort();
  const cfg = path.join(dir, 'broadsheet.ini');
  writeFileSync(cfg, `[server]
listen = 127.0.0.1:${port}
threads = 2
access_log = off
[site]
web = ${path.join(root, 'web')}
media = ${path.join(dir, 'media')}
[database]
path = ${path.join(dir, 'test.db')}
[dict]
data = ${path.join(dir, 'dict')}
language = ko
${dict}
`);
  let r = run(['--config', cfg, 'init']);
  if (r.code !== 0) throw new Error(`init failed: ${r.stderr}`);
  fixture(path.join(dir, 'test.db'));
  r = run(['--config', cfg, 'dict', 'import', 'tsv', path.join(root, 'web/dict/en-ko.tsv'), '--lang', 'ko']);
  if (r.code !== 0) throw new Error(`dict import failed: ${r.stderr}`);
  const log = [];
  const child = spawn(bin, ['--config', cfg, 'serve', '--no-demo'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => log.push(String(d)));
  child.stderr.on('data', (d) => log.push(String(d)));
  const base = `http://127.0.0.1:${port}`;
  await waitUp(base, child, log);
  return {
    base,
    dir,
    cfg,
    log,
    async stop() {
      if (child.exitCode === null) {
        const done = new Promise((res) => child.once('exit', res));
        child.kill('SIGTERM');
        await done;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
