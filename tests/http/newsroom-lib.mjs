// Helpers for the newsroom's HTTP tests: a real server on a free loopback
// port with a fresh database and staff accounts made by `broadsheet user add`,
// and a small client with a cookie jar that reads forms' CSRF tokens the way
// a browser would. The server is started and stopped by lib.mjs's
// launchServer, like every other test's.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { freePort, launchServer } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '../..');
export const bin = process.env.BROADSHEET_BIN || join(root, 'build/broadsheet');

export const STAFF = {
  admin: { login: 'ada', password: 'admin-password-1', role: 'admin', name: 'Ada Admin' },
  editor: { login: 'eddie', password: 'editor-password-1', role: 'editor', name: 'Eddie Editor' },
  reporter: { login: 'rita', password: 'reporter-password-1', role: 'reporter', name: 'Rita Reporter' },
  moderator: { login: 'mo', password: 'moderator-password-1', role: 'moderator', name: 'Mo Moderator' },
};

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function ini(sections) {
  let out = '';
  for (const [name, keys] of Object.entries(sections)) {
    out += `[${name}]\n`;
    for (const [k, v] of Object.entries(keys)) out += `${k} = ${v}\n`;
  }
  return out;
}

export class Server {
  constructor(opts = {}) {
    this.opts = opts;
    this.dir = mkdtempSync(join(tmpdir(), 'bs-newsroom-'));
    this.media = join(this.dir, 'media');
    this.db = join(this.dir, 'broadsheet.db');
    this.config = join(this.dir, 'broadsheet.ini');
    this.proc = null;
    this.server = null;
  }

  async writeConfig() {
    this.port = this.port || (await freePort());
    this.base = `http://127.0.0.1:${this.port}`;
    const o = this.opts;
    writeFileSync(this.config, ini({
      server: { listen: `127.0.0.1:${this.port}`, threads: 2, access_log: 'off',
        ...(o.server || {}) },
      site: { web: join(root, 'web'), media: this.media },
      database: { path: this.db },
      newsroom: { ...(o.newsroom || {}) },
      ...(o.sections || {}), // more sections: { 'signin.x': {...} }
    }));
  }

  cli(args, input) {
    return execFileSync(bin, [...args, '--config', this.config], {
      input: input ?? '', encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'],
    });
  }

  async start() {
    await this.writeConfig();
    if (!existsSync(this.db)) {
      this.cli(['init', '--demo']);
      for (const u of Object.values(this.opts.staff || STAFF)) addStaff(this, u);
    }
    this.server = await launchServer(['--config', this.config], { port: this.port });
    this.proc = this.server.proc;
    return this;
  }

  /** Everything the server wrote to standard output and error. */
  get log() {
    return this.server ? this.server.output() : '';
  }

  // SIGTERM; asserts exit status 0 and no sanitizer report.
  async stop() {
    if (!this.server) return;
    const s = this.server;
    this.server = null;
    this.proc = null;
    await s.stop();
  }

  async restart() {
    await this.stop();
    await this.start();
  }

  mediaFiles() {
    return existsSync(this.media) ? readdirSync(this.media) : [];
  }

  sql(query) {
    return execFileSync('sqlite3', [this.db, query], { encoding: 'utf8' }).trim();
  }

  async close() {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  client() {
    return new Client(this.base);
  }
}

/**
 * Adds a staff account the way an operator does: `broadsheet user add LOGIN
 * --role ROLE --name NAME` with the password on standard input.
 *   target: a Server (its config), or { db } for a database path
 *   who:    { login, role, name, password }
 */
export function addStaff(target, who) {
  const where = target.config ? ['--config', target.config] : ['--db', target.db];
  return execFileSync(bin, ['user', 'add', who.login, '--role', who.role, '--name', who.name || who.login,
    ...where], { input: `${who.password}\n`, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Signs in on /newsroom/login with a cookie jar of its own: a Client. */
export async function staffClient(base, who) {
  const c = new Client(base);
  await c.login(who);
  return c;
}

export class Client {
  constructor(base) {
    this.base = base;
    this.jar = new Map();
  }

  cookieHeader() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  take(res) {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (gone) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  async request(method, path, { body, headers = {} } = {}) {
    const h = { ...headers };
    const cookie = this.cookieHeader();
    if (cookie) h.cookie = cookie;
    const res = await fetch(this.base + path, { method, body, headers: h, redirect: 'manual' });
    this.take(res);
    res.text_ = await res.text();
    return res;
  }

  get(path, opts) {
    return this.request('GET', path, opts);
  }

  // The CSRF token as a page hands it to its forms.
  // (behind TLS the cookie is named __Host-bs_csrf)
  async token(path = '/newsroom/login') {
    const held = () => this.jar.get('bs_csrf') ?? this.jar.get('__Host-bs_csrf');
    if (!held()) await this.get(path);
    return held();
  }

  async post(path, fields = {}, { files, csrf = true, headers, multipart = false } = {}) {
    const data = { ...fields };
    if (csrf === true) data.csrf = await this.token();
    else if (typeof csrf === 'string') data.csrf = csrf;
    let body;
    if (files || multipart) {
      body = new FormData();
      for (const [k, v] of Object.entries(data))
        for (const one of Array.isArray(v) ? v : [v]) body.append(k, String(one));
      for (const [k, f] of Object.entries(files || {}))
        body.append(k, new Blob([f.data], { type: f.type || 'application/octet-stream' }), f.name);
    } else {
      body = new URLSearchParams();
      for (const [k, v] of Object.entries(data))
        for (const one of Array.isArray(v) ? v : [v]) body.append(k, String(one));
    }
    return this.request('POST', path, { body, headers });
  }

  async login(who) {
    const res = await this.post('/newsroom/login', { login: who.login, password: who.password });
    if (res.status !== 303) throw new Error(`login of ${who.login} failed: ${res.status}`);
    return res;
  }
}

// The editor form's fields for an article as the server shows them.
export function editorFields(html) {
  const fields = {};
  const val = (name) => {
    const m = html.match(new RegExp(`name="${name}"[^>]*value="([^"]*)"`));
    return m ? decode(m[1]) : '';
  };
  const area = (name) => {
    const m = html.match(new RegExp(`name="${name}"[^>]*>([\\s\\S]*?)</textarea>`));
    return m ? decode(m[1]) : '';
  };
  fields.version = val('version');
  fields.headline = area('headline');
  fields.summary = area('summary');
  fields.body = area('body');
  fields.slug = val('slug');
  fields.tags = val('tags');
  const sec = html.match(/<select id="f-section" name="section">[\s\S]*?<option value="(\d+)" selected/);
  fields.section = sec ? sec[1] : '';
  fields.authors = [...html.matchAll(/name="authors" value="(\d+)" checked/g)].map((m) => m[1]);
  // the photos already on the article, as the browser sends them back
  fields.photos = [...html.matchAll(/<input type="hidden" name="photos" value="(\d+)">/g)].map((m) => m[1]);
  for (const id of fields.photos) {
    for (const k of ['caption', 'credit', 'alt', 'position']) fields[`photo_${k}_${id}`] = val(`photo_${k}_${id}`);
    if (new RegExp(`name="photo_remove_${id}" value="1" checked`).test(html)) fields[`photo_remove_${id}`] = '1';
  }
  return fields;
}

export function decode(s) {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'").replace(/&#x27;/g, "'").replace(/&amp;/g, '&');
}

// --- images made here, byte by byte (no files from elsewhere) ---

const crcTable = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

// An RGB PNG of a gradient; rows limits the pixel data actually written
// (a header can then claim more than the file holds).
export function png(width, height, { rows = height } = {}) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc((width * 3 + 1) * rows);
  for (let y = 0; y < rows; y++) {
    const o = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) {
      raw[o + 1 + x * 3] = (x * 255) / Math.max(1, width - 1);
      raw[o + 2 + x * 3] = (y * 255) / Math.max(1, height - 1);
      raw[o + 3 + x * 3] = 140;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
