// Helpers for the distribution tests (feeds, search, agency copy, imports):
// a fresh temporary folder, the real binary on a free port, WordPress
// exports generated on the fly (our own text, dates relative to now), and
// queries on the database with Debian's sqlite3 client. The server is
// started and stopped by lib.mjs's launchServer.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, REPO, freePort, launchServer } from './lib.mjs';

export { BIN, freePort };
export const ROOT = REPO;
export const UNDER_ASAN = BIN.includes('/asan/');

export function tmpdir(prefix = 'bs-dist-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// Runs the binary to completion; returns { code, stdout, stderr }.
export function run(args, opts = {}) {
  return new Promise((resolve) => {
    const p = spawn(BIN, args, { cwd: ROOT, env: { ...process.env, ...(opts.env || {}) } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// Writes an INI file; sections is { name: { key: value } }.
export function writeConfig(file, sections) {
  let text = '';
  for (const [name, keys] of Object.entries(sections)) {
    text += `[${name}]\n`;
    for (const [k, v] of Object.entries(keys)) text += `${k} = ${v}\n`;
  }
  fs.writeFileSync(file, text);
  return file;
}

// Starts `broadsheet serve` with the database and the configuration
// sections given ({ feeds: { items: 2 } }) and waits until it serves.
// Returns { url, port, stop(), log() }.
export async function startServer({ db, sections = {}, demo = false } = {}) {
  const port = await freePort();
  const config = writeConfig(`${db}.${port}.ini`, {
    ...sections,
    // the access log goes nowhere: standard error may be a socket here
    server: { access_log: 'off', ...(sections.server || {}) },
  });
  const args = ['--db', db, '--listen', `127.0.0.1:${port}`, '--threads', '2',
    '--web', path.join(ROOT, 'web'), '--config', config];
  if (!demo) args.push('--no-demo');
  const srv = await launchServer(args, { port, cwd: ROOT });
  return {
    url: srv.url,
    port,
    log: srv.output,
    // SIGTERM, then asserts exit status 0 and no sanitizer report
    stop: srv.stop,
  };
}

// Rows of a query on the database, as objects (sqlite3 -json).
export function sql(db, query) {
  const out = execFileSync('sqlite3', ['-json', db, query], { encoding: 'utf8' });
  return out.trim() ? JSON.parse(out) : [];
}

export async function waitFor(check, { timeout = 15000, step = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, step));
  }
}

// --- WordPress exports ---

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const cdata = (s) => `<![CDATA[${String(s).replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
const pad = (n) => String(n).padStart(2, '0');
export const wpDate = (t) => {
  const d = new Date(t);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};

export function wxrHead({ site = 'https://old.example', authors = [], categories = [] } = {}) {
  let x = '<?xml version="1.0" encoding="UTF-8" ?>\n' +
    '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" ' +
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" ' +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n' +
    `<channel>\n<title>Test export</title>\n<link>${esc(site)}</link>\n` +
    `<wp:wxr_version>1.2</wp:wxr_version>\n<wp:base_site_url>${esc(site)}</wp:base_site_url>\n`;
  for (const a of authors) {
    x += `<wp:author><wp:author_login>${cdata(a.login)}</wp:author_login>` +
      `<wp:author_email>${cdata(a.email || '')}</wp:author_email>` +
      `<wp:author_display_name>${cdata(a.name)}</wp:author_display_name></wp:author>\n`;
  }
  for (const c of categories) {
    x += `<wp:category><wp:category_nicename>${cdata(c.slug)}</wp:category_nicename>` +
      `<wp:category_parent>${cdata(c.parent || '')}</wp:category_parent>` +
      `<wp:cat_name>${cdata(c.name)}</wp:cat_name></wp:category>\n`;
  }
  return x;
}

export const wxrTail = () => '</channel>\n</rss>\n';

// One <item>: { id, title, html, excerpt, author, time (ms), status, type,
// slug, category, tags: [], comments: [{ id, parent, author, email, text, time }] }
export function wxrItem(p) {
  const site = 'https://old.example';
  let x = `<item>\n<title>${esc(p.title)}</title>\n` +
    `<link>${site}/${p.slug || `?p=${p.id}`}/</link>\n` +
    `<dc:creator>${cdata(p.author || '')}</dc:creator>\n` +
    `<guid isPermaLink="false">${site}/?p=${p.id}</guid>\n` +
    `<content:encoded>${cdata(p.html || '')}</content:encoded>\n` +
    `<excerpt:encoded>${cdata(p.excerpt || '')}</excerpt:encoded>\n` +
    `<wp:post_id>${p.id}</wp:post_id>\n` +
    `<wp:post_date_gmt>${cdata(p.time ? wpDate(p.time) : '0000-00-00 00:00:00')}</wp:post_date_gmt>\n` +
    `<wp:post_name>${cdata(p.slug || '')}</wp:post_name>\n` +
    `<wp:status>${cdata(p.status || 'publish')}</wp:status>\n` +
    `<wp:post_type>${cdata(p.type || 'post')}</wp:post_type>\n`;
  if (p.category) {
    x += `<category domain="category" nicename="${esc(p.category)}">${cdata(p.category)}</category>\n`;
  }
  for (const t of p.tags || []) {
    x += `<category domain="post_tag" nicename="${esc(t.toLowerCase())}">${cdata(t)}</category>\n`;
  }
  for (const c of p.comments || []) {
    x += `<wp:comment><wp:comment_id>${c.id}</wp:comment_id>` +
      `<wp:comment_author>${cdata(c.author)}</wp:comment_author>` +
      `<wp:comment_author_email>${cdata(c.email || '')}</wp:comment_author_email>` +
      `<wp:comment_date_gmt>${cdata(wpDate(c.time))}</wp:comment_date_gmt>` +
      `<wp:comment_content>${cdata(c.text)}</wp:comment_content>` +
      `<wp:comment_approved>${cdata('1')}</wp:comment_approved>` +
      `<wp:comment_type>${cdata('comment')}</wp:comment_type>` +
      `<wp:comment_parent>${c.parent || 0}</wp:comment_parent></wp:comment>\n`;
  }
  return x + '</item>\n';
}

export function writeWxr(file, head, items) {
  fs.writeFileSync(file, wxrHead(head) + items.map(wxrItem).join('') + wxrTail());
  return file;
}

// Imports a generated export into a new database; returns the CLI's output.
export async function importWxr(db, file) {
  const r = await run(['import', 'wordpress', file, '--db', db]);
  if (r.code !== 0) throw new Error(`import failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r;
}
