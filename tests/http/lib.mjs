// Helpers for the HTTP tests: start the real binary on a free port with a
// fresh database, speak HTTP to it (fetch, or exact bytes over a socket),
// run its subcommands, and pick apart the HTML it serves.
//
// Nothing here waits for a fixed time: start-up waits for the server's own
// "serving on" line, and every wait has only a generous guard against a
// hang (the suite also runs under AddressSanitizer, which is slow).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = process.env.BROADSHEET_BIN || path.join(REPO, 'build/broadsheet');
export const WEB = path.join(REPO, 'web');

const HANG_GUARD_MS = 120_000;

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'broadsheet-test-') {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A copy of web/ that a test may break (templates, static files). */
export function copyWeb(dir) {
  const dst = path.join(dir, 'web');
  cpSync(WEB, dst, { recursive: true });
  return dst;
}

/** A port nobody listens on right now (the kernel's choice). */
export async function freePort() {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address();
  srv.close();
  await once(srv, 'close');
  return port;
}

/** Text a sanitizer prints when it finds something; none may appear. */
export function assertNoSanitizerReport(stderr, what = 'the server') {
  for (const needle of ['ERROR: AddressSanitizer', 'ERROR: LeakSanitizer', 'runtime error:',
                        'SUMMARY: UndefinedBehaviorSanitizer']) {
    assert.ok(!stderr.includes(needle),
      `${what} reported "${needle}":\n${stderr.slice(-6000)}`);
  }
}

function withGuard(promise, what) {
  let timer;
  const guard = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer after ${HANG_GUARD_MS} ms`)),
                       HANG_GUARD_MS);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

/**
 * Runs `broadsheet args...` to completion.
 * Resolves {code, signal, stdout, stderr}; never rejects on a non-zero exit.
 */
export async function run(args, { cwd, env } = {}) {
  const proc = spawn(BIN, args, { cwd, env: { ...process.env, ...env },
                                  stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
  proc.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
  const [code, signal] = await withGuard(once(proc, 'close'), `broadsheet ${args.join(' ')}`);
  return { code, signal, stdout, stderr };
}

/**
 * The one way the tests start `broadsheet serve` (lib.mjs, newsroom-lib.mjs,
 * comments-lib.mjs and distribution-lib.mjs all come through here, so every
 * server is started, awaited and stopped alike).
 *   args:  the arguments after `serve` (--listen or a config with the port)
 *   port:  the port the server will listen on (for the URL)
 *   cwd, env: for the process
 * Resolves once the server has printed its "serving on" line and answers
 * GET /healthz, with
 *   url, port, proc, exited (resolves [code, signal]),
 *   stderr(), stdout(), output() (both, interleaved as they came),
 *   terminate()     SIGTERM, once,
 *   kill9()         SIGKILL, for crash tests (stop() then only waits),
 *   waitForStderr(text),
 *   stop()          SIGTERM, then asserts exit status 0, no signal and no
 *                   sanitizer report; idempotent.
 */
export async function launchServer(args, { port, cwd, env } = {}) {
  const proc = spawn(BIN, ['serve', ...args],
                     { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  let both = '';
  proc.stdout.setEncoding('utf8').on('data', (d) => { out += d; both += d; });
  const exited = once(proc, 'close');
  const waiters = [];
  const ready = new Promise((resolve, reject) => {
    proc.stderr.setEncoding('utf8').on('data', (d) => {
      err += d;
      both += d;
      if (err.includes('serving on ')) resolve();
      for (const w of waiters.splice(0)) {
        if (err.includes(w.text)) w.resolve(); else waiters.push(w);
      }
    });
    exited.then(([code, signal]) =>
      reject(new Error(`server exited before serving (code ${code}, signal ${signal}):\n${both}`)));
  });
  try {
    await withGuard(ready, 'server start-up');
  } catch (e) {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    throw e;
  }
  const url = `http://127.0.0.1:${port}`;
  const health = await fetch(`${url}/healthz`);
  assert.equal(health.status, 200, 'GET /healthz after start-up');
  assert.equal(await health.text(), 'ok\n');

  let stopped = null;
  let signalled = false;
  let killed = false;
  const server = {
    url, port, proc, exited,
    stderr: () => err,
    stdout: () => out,
    output: () => both,
    terminate() {
      if (!signalled && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      signalled = true;
    },
    kill9() {
      killed = true;
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    },
    waitForStderr(text) {
      if (err.includes(text)) return Promise.resolve();
      return withGuard(new Promise((resolve) => waiters.push({ text, resolve })),
                       `waiting for "${text}"`);
    },
    stop() {
      if (!stopped) {
        stopped = (async () => {
          if (!killed) server.terminate();
          const [code, signal] = await withGuard(exited, 'server shutdown');
          assertNoSanitizerReport(err);
          if (killed) return;
          assert.equal(signal, null, `server killed by ${signal}:\n${both.slice(-4000)}`);
          assert.equal(code, 0, `server exit status after SIGTERM:\n${both.slice(-4000)}`);
        })();
      }
      return stopped;
    },
  };
  return server;
}

/**
 * Starts `broadsheet serve` on 127.0.0.1 and a free port.
 *   dir:   working folder (default: a new temporary one; data/media lands there)
 *   db:    database path (default: <dir>/t.db, created with the demo paper)
 *   web:   the web folder (default: the repository's web/)
 *   args:  extra arguments
 * Resolves what launchServer() does, plus dir and db; stop() also removes
 * the folder it made (unless keepDir).
 */
export async function startServer({ dir, db, web = WEB, args = [], env } = {}) {
  const ownDir = !dir;
  dir = dir || tempDir();
  db = db || path.join(dir, 't.db');
  const port = await freePort();
  const server = await launchServer(['--db', db, '--listen', `127.0.0.1:${port}`, '--web', web,
                                     ...args], { port, cwd: dir, env });
  const stop = server.stop;
  return Object.assign(server, {
    dir, db,
    async stop({ keepDir = false } = {}) {
      await stop();
      if (ownDir && !keepDir) rmSync(dir, { recursive: true, force: true });
    },
  });
}

/**
 * Sends exact bytes on a new connection and reads the reply until the
 * server closes the connection or `until(text)` says the reply is complete.
 * Resolves {status, head, body, raw, closed}; status is the number in the
 * status line, or 0 if none arrived.
 * chunks: a Buffer/string, or an array of them written in order.
 */
export async function rawRequest(port, chunks, { until } = {}) {
  const sock = net.connect(port, '127.0.0.1');
  await once(sock, 'connect');
  const parts = [];
  let closed = false;
  const done = new Promise((resolve) => {
    const finish = () => resolve();
    sock.on('data', (d) => {
      parts.push(d);
      if (until && until(Buffer.concat(parts).toString('latin1'))) finish();
    });
    sock.on('end', () => { closed = true; finish(); });
    sock.on('close', () => { closed = true; finish(); });
    // a reset after the reply (the server closed with our bytes unread) is fine
    sock.on('error', finish);
  });
  for (const c of Array.isArray(chunks) ? chunks : [chunks]) {
    if (sock.destroyed) break;
    const ok = sock.write(c);
    if (!ok && !sock.destroyed) await Promise.race([once(sock, 'drain'), done]);
  }
  await withGuard(done, 'raw request');
  sock.destroy();
  return parseReply(Buffer.concat(parts), closed);
}

function parseReply(buf, closed) {
  const raw = buf.toString('latin1');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(raw);
  const end = raw.indexOf('\r\n\r\n');
  return {
    status: m ? Number(m[1]) : 0,
    head: end >= 0 ? raw.slice(0, end) : raw,
    body: end >= 0 ? buf.subarray(Buffer.byteLength(raw.slice(0, end + 4), 'latin1')) : Buffer.alloc(0),
    raw,
    closed,
  };
}

/** Resolves once nothing accepts connections on port any more. */
export async function waitUntilRefused(port) {
  const attempt = () => new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => { s.destroy(); resolve(false); });
    s.on('error', (e) => resolve(e.code === 'ECONNREFUSED'));
  });
  await withGuard((async () => {
    while (!(await attempt())) await new Promise((r) => setTimeout(r, 20));
  })(), 'waiting for the listener to close');
}

/** True once a whole response with Content-Length has arrived. */
export function replyComplete(text) {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const m = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end));
  return m ? text.length - end - 4 >= Number(m[1]) : false;
}

/**
 * One request with node:http on its own connection (closed afterwards):
 * the body exactly as sent, never decompressed.
 * Resolves {status, headers, body: Buffer}.
 */
export function request(url, { method = 'GET', headers = {}, body } = {}) {
  return withGuard(new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { connection: 'close', ...headers }, agent: false },
      (res) => {
        const parts = [];
        res.on('data', (d) => parts.push(d));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
                                      body: Buffer.concat(parts) }));
        res.on('error', reject);
      });
    req.on('error', reject);
    req.end(body);
  }), `${method} ${url}`);
}

/** GET without following redirects. */
export function get(url, headers = {}, method = 'GET') {
  return fetch(url, { method, headers, redirect: 'manual' });
}

// --- HTML, our own pages: small, predictable, parsed with care ---

const decodeEntities = (s) => s
  .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
  .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(parseInt(n, 16)))
  .replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
  .replace(/&nbsp;/g, '\u00a0').replace(/&rsaquo;/g, '\u203a').replace(/&amp;/g, '&');

/** Every start tag <name ...> as {attrs} with attribute values decoded. */
export function tags(html, name) {
  const out = [];
  const re = new RegExp(`<${name}(\\s[^>]*)?>`, 'gi');
  for (const m of html.matchAll(re)) {
    const attrs = {};
    for (const a of (m[1] || '').matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
      attrs[a[1].toLowerCase()] = decodeEntities(a[2] ?? a[3] ?? a[4] ?? '');
    }
    out.push({ attrs, index: m.index });
  }
  return out;
}

/** The content of <meta property=p> or <meta name=p>, or undefined. */
export function meta(html, key) {
  const t = tags(html, 'meta').find((m) => m.attrs.property === key || m.attrs.name === key);
  return t?.attrs.content;
}

/** The inner text of the first element matching an opening-tag regex source. */
export function textOf(html, openRe, tag) {
  const m = new RegExp(`${openRe}([\\s\\S]*?)</${tag}>`, 'i').exec(html);
  return m ? decodeEntities(m[1].replace(/<[^>]+>/g, '')).replace(/\s+/g, ' ').trim() : undefined;
}

/** Every JSON-LD object on the page (arrays flattened). */
export function jsonLd(html) {
  const out = [];
  for (const m of html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)) {
    const v = JSON.parse(m[1]);
    out.push(...(Array.isArray(v) ? v : [v]));
  }
  return out;
}

/** Article links on a page, in order, without duplicates. */
export function articleLinks(html) {
  const seen = new Set();
  for (const t of tags(html, 'a')) {
    const h = t.attrs.href || '';
    if (/^\/article\/\d+\/[^/]+$/.test(h)) seen.add(h);
  }
  return [...seen];
}

/** The headlines of the front page's lead, top list and section blocks. */
export function headlines(html) {
  return [...html.matchAll(/<h[23] class="(?:lead|card)-headline"><a href="[^"]*">([^<]*)<\/a>/g)]
    .map((m) => decodeEntities(m[1]));
}
