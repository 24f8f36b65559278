// Broadsheet comments: the live counter (n/250자), the signed-in state on
// cached article pages (from /api/me), replies, likes, the author's edit
// and delete links. Everything works without this file: the server
// renders the comments, and "Write a comment" leads to a private page.
'use strict';

(() => {
  const segmenter = typeof Intl !== 'undefined' && Intl.Segmenter
    ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;

  // The server's rule: NFC, trimmed, then user-perceived characters.
  function countChars(text) {
    const t = text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ')
      .replace(/^[ \n]+|[ \n]+$/g, '').normalize('NFC');
    if (segmenter) {
      let n = 0;
      for (const _ of segmenter.segment(t)) n++; // eslint-disable-line no-unused-vars
      return n;
    }
    return Array.from(t).length;
  }

  function setupCounter(form, max) {
    const body = form.querySelector('[data-body]');
    const counter = form.querySelector('[data-counter]');
    const error = form.querySelector('[data-error]');
    if (!body || !counter) return;
    const update = () => {
      const n = countChars(body.value);
      counter.textContent = `(${n}/${max}자)`;
      counter.classList.toggle('over', n > max);
      if (n <= max && error && error.dataset.kind === 'length') {
        error.hidden = true;
        error.textContent = '';
      }
      return n;
    };
    body.addEventListener('input', update);
    update();
    form.addEventListener('submit', (ev) => {
      const n = update();
      let message = '';
      if (n === 0) message = 'The comment is empty. Write something before sending it.';
      else if (n > max) message = `The comment has ${n} characters; at most ${max} are allowed. Shorten it and send it again.`;
      if (message && error) {
        ev.preventDefault();
        error.textContent = message;
        error.dataset.kind = 'length';
        error.hidden = false;
        body.focus();
      }
    });
  }

  async function post(url, csrf, fields) {
    const body = new URLSearchParams(fields || {});
    const res = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-CSRF-Token': csrf, Accept: 'application/json' },
      body,
    });
    let data = {};
    try { data = await res.json(); } catch (e) { data = {}; }
    return { status: res.status, data };
  }

  function showSignedIn(section, me) {
    for (const el of section.querySelectorAll('[data-signed-out]')) el.hidden = true;
    for (const el of section.querySelectorAll('[data-signed-in]')) el.hidden = false;
    for (const el of section.querySelectorAll('[data-reader-name]')) el.textContent = me.name;
    const form = section.querySelector('[data-comment-form]');
    if (!form) return;
    form.classList.add('is-open');
    const lock = form.querySelector('[data-lock]');
    if (lock) lock.hidden = true;
    const link = form.querySelector('[data-write-link]');
    if (link) link.hidden = true;
    form.querySelector('[data-csrf]').value = me.csrf;
    form.querySelector('[data-idem]').value = me.idem;
    const body = form.querySelector('[data-body]');
    body.disabled = false;
    form.querySelector('[data-submit]').disabled = false;
  }

  function ownLinks(section, me) {
    const now = Date.now() / 1000;
    for (const li of section.querySelectorAll('[data-comment]')) {
      if (String(me.id) !== li.dataset.author) continue;
      const actions = li.querySelector(':scope > .comment-actions');
      if (!actions) continue;
      // one's own comment: no like or report, but edit and delete
      for (const a of actions.querySelectorAll('[data-like], [data-report]')) a.hidden = true;
      const id = li.dataset.comment;
      if (now - Number(li.dataset.created) <= (me.edit_window || 0)) {
        const edit = document.createElement('a');
        edit.href = `/comment/${id}/edit`;
        edit.textContent = 'Edit';
        actions.append(' ', edit);
      }
      const del = document.createElement('button');
      del.type = 'button';
      del.className = 'link-button';
      del.textContent = 'Delete';
      del.dataset.delete = id;
      actions.append(' ', del);
    }
  }

  function setupReplies(section, form) {
    const parent = form.querySelector('[data-parent]');
    const replying = form.querySelector('[data-replying]');
    const name = form.querySelector('[data-replying-name]');
    const body = form.querySelector('[data-body]');
    section.addEventListener('click', (ev) => {
      const link = ev.target.closest('[data-reply]');
      if (!link) return;
      ev.preventDefault();
      const li = link.closest('[data-comment]');
      parent.value = li.dataset.comment;
      name.textContent = li.querySelector('.comment-author').textContent;
      replying.hidden = false;
      body.focus();
      form.scrollIntoView({ block: 'center' });
    });
    form.querySelector('[data-cancel-reply]').addEventListener('click', () => {
      parent.value = '';
      replying.hidden = true;
    });
  }

  function setupActions(section, me) {
    section.addEventListener('click', async (ev) => {
      const like = ev.target.closest('[data-like]');
      const del = ev.target.closest('[data-delete]');
      if (like) {
        ev.preventDefault();
        const li = like.closest('[data-comment]');
        const on = like.getAttribute('aria-pressed') !== 'true';
        const r = await post(`/comment/${li.dataset.comment}/like`, me.csrf, { on: on ? '1' : '0' });
        if (r.data.ok) {
          like.querySelector('[data-likes]').textContent = r.data.likes;
          like.setAttribute('aria-pressed', on ? 'true' : 'false');
        } else {
          like.title = r.data.message || 'That did not work.';
        }
      } else if (del) {
        ev.preventDefault();
        const r = await post(`/comment/${del.dataset.delete}/delete`, me.csrf);
        if (r.data.ok) window.location.reload();
      }
    });
    const signout = section.querySelector('[data-signout]');
    if (signout) {
      signout.addEventListener('click', async () => {
        await post('/signout', me.csrf);
        window.location.reload();
      });
    }
  }

  async function enhance(section) {
    const max = Number(section.dataset.maxChars) || 250;
    const form = section.querySelector('[data-comment-form]');
    if (form) setupCounter(form, max);
    if (!form || form.hasAttribute('data-standalone')) return;
    let me;
    try {
      const res = await fetch('/api/me', { credentials: 'same-origin', cache: 'no-store' });
      me = await res.json();
    } catch (e) {
      return;
    }
    if (!me.signed_in) return;
    showSignedIn(section, me);
    ownLinks(section, me);
    setupReplies(section, form);
    setupActions(section, me);
  }

  document.addEventListener('DOMContentLoaded', () => {
    for (const section of document.querySelectorAll('[data-comments]')) enhance(section);
  });
})();
