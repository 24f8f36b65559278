// Helpers for the comments HTTP and browser tests: start the real binary on
// a free loopback port with a fresh database and a config file, a small
// cookie jar, requests that never follow redirects, and the demo sign-in.
// The server is started and stopped by lib.mjs's launchServer.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, REPO, freePort, launchServer } from './lib.mjs';

export { BIN, freePort };
export const ROOT = REPO;

// INI text from { section: { key: value } }
function ini(config) {
  let out = '';
  for (const [section, keys] of Object.entries(config || {})) {
    out += `[${section}]\n`;
    for (const [k, v] of Object.entries(keys)) out += `${k} = ${v}\n`;
  }
  return out;
}

export function sql(db, statement) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', db, statement], { encoding: 'utf8' }).trim();
}

// A server with the demo paper in a fresh database. opts.config: INI sections.
// opts.prepare(db): runs on the database before the server starts.
export async function startServer(opts = {}) {
  const dir = opts.dir || mkdtempSync(join(tmpdir(), 'bs-comments-'));
  const db = join(dir, 'test.db');
  const port = opts.port || await freePort();
  const configPath = join(dir, 'test.ini');
  const config = { ...(opts.config || {}) };
  config.server = { access_log: 'off', ...(config.server || {}) };
  config.site = { media: join(dir, 'media'), ...(config.site || {}) };
  writeFileSync(configPath, ini(config));
  if (!existsSync(db)) {
    execFileSync(BIN, ['init', '--demo', '--db', db, '--config', configPath], { cwd: ROOT, stdio: 'ignore' });
    if (opts.prepare) opts.prepare(db);
  }
  const args = ['--no-demo', '--db', db, '--listen', `127.0.0.1:${port}`, '--threads', '2',
    '--web', join(ROOT, 'web'), '--config', configPath];
  const launched = await launchServer(args, { port, cwd: ROOT });
  const server = {
    base: launched.url, port, dir, db, proc: launched.proc, opts,
    stderr: launched.stderr,
    // SIGTERM; asserts exit status 0 and no sanitizer report
    stop: launched.stop,
    kill9: launched.kill9,
    async exitedNow() { await launched.exited; return true; },
    async restart() {
      await this.stop();
      return startServer({ ...opts, dir, port });
    },
    cleanup() { rmSync(dir, { recursive: true, force: true }); },
  };
  return server;
}

export class Jar {
  constructor() { this.cookies = new Map(); }
  store(res) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (gone || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
  get(name) { return this.cookies.get(name); }
}

// One request, redirects not followed. opts: { form, json, headers, body }
export async function req(base, jar, method, path, opts = {}) {
  const headers = { ...(opts.headers || {}) };
  if (jar && jar.cookies.size) headers.cookie = jar.header();
  let body = opts.body;
  if (opts.form) {
    body = new URLSearchParams(opts.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  if (opts.json) headers.accept = 'application/json';
  const url = path.startsWith('http') ? path : base + path;
  const res = await fetch(url, { method, headers, body, redirect: 'manual' });
  if (jar) jar.store(res);
  const text = await res.text();
  let data = null;
  if ((res.headers.get('content-type') || '').includes('json')) {
    try { data = JSON.parse(text); } catch (e) { data = null; }
  }
  return { status: res.status, headers: res.headers, text, data, location: res.headers.get('location') };
}

export async function me(server, jar) {
  return (await req(server.base, jar, 'GET', '/api/me')).data;
}

// Signs in with the demo provider under this name; returns /api/me.
export async function signInDemo(server, jar, name) {
  const page = await req(server.base, jar, 'GET', '/signin/demo?return=/');
  if (page.status !== 200) throw new Error(`demo sign-in page: ${page.status}`);
  const csrf = /name="csrf" value="([0-9a-f]+)"/.exec(page.text)[1];
  const r = await req(server.base, jar, 'POST', '/signin/demo', { form: { csrf, name, return: '/' } });
  if (r.status !== 303) throw new Error(`demo sign-in: ${r.status}`);
  const m = await me(server, jar);
  // signing in gives the browser a new CSRF token: the page's one is spent
  if (m.csrf === csrf) throw new Error('the CSRF token was not renewed at sign-in');
  return m;
}

// Posts a comment as the signed-in reader (JSON answer unless opts.form).
export async function postComment(server, jar, articleId, text, opts = {}) {
  const m = opts.me || await me(server, jar);
  const form = { csrf: m.csrf, body: text, idem: opts.idem ?? m.idem };
  if (opts.parent) form.parent = String(opts.parent);
  return req(server.base, jar, 'POST', `/comments/${articleId}`, { form, json: !opts.html });
}

export function articleIds(db) {
  return sql(db, "SELECT id FROM articles WHERE status='published' ORDER BY id").split('\n').map(Number);
}

export async function articlePath(server, id) {
  const r = await req(server.base, null, 'GET', `/article/${id}`);
  return new URL(r.location, server.base).pathname;
}
