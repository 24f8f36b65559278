// Broadsheet: the reader's dictionary on the article page.
//
// The "Dictionary" button turns dictionary mode on and off (aria-pressed).
// The first time it is turned on, the article's glossary (every word of
// the article reduced to its dictionary form, with short meanings) is
// fetched once; after that a double-click, a selection or a tap on a word
// shows a small pop-up next to it with no further request. Other words go
// to /dict/lookup. The "Look up a word" form does the same from the
// keyboard (without this script it goes to the entry page). Esc or a
// click outside closes the pop-up and gives focus back.
'use strict';

(() => {
  const article = document.querySelector('.article');
  const toggle = document.querySelector('.tool-dict');
  const form = document.querySelector('.dict-lookup');
  if (!article || !toggle) return;

  let on = false;
  let glossary = null;
  let loading = null;
  let pop = null;
  let returnTo = null;
  let shown = { key: '', at: 0 };
  let seq = 0;

  let names = null;
  try {
    names = new Intl.DisplayNames(['en'], { type: 'language' });
  } catch (e) {
    names = null;
  }
  const langName = (code) => {
    try {
      return (names && names.of(code)) || code;
    } catch (e) {
      return code;
    }
  };

  // The same key the server gives a word of the text: lower case, curly
  // apostrophes straightened, no possessive 's, no stray punctuation.
  const keyOf = (text) => {
    let s = text.normalize('NFC').trim().replace(/[\u2018\u2019]/g, "'").toLowerCase();
    s = s.replace(/\s+/g, ' ');
    s = s.replace(/^[^\p{L}\p{M}]+|[^\p{L}\p{M}]+$/gu, '');
    s = s.replace(/'s$/, '');
    return s;
  };
  const wordLike = (s) => s.length > 0 && s.length <= 64 && /^[\p{L}\p{M}'’\- ]+$/u.test(s) &&
    s.split(' ').length <= 3;

  const status = document.createElement('p');
  status.className = 'dict-status visually-hidden';
  status.setAttribute('role', 'status');
  toggle.after(status);

  function loadGlossary() {
    if (!loading) {
      loading = fetch(toggle.dataset.glossary, { credentials: 'same-origin' })
        .then((r) => (r.ok ? r.json() : null))
        .catch(() => null)
        .then((g) => {
          glossary = g;
          return g;
        });
    }
    return loading;
  }

  async function lookup(word) {
    const key = keyOf(word);
    const own = (o, k) => o && Object.prototype.hasOwnProperty.call(o, k);
    if (glossary && own(glossary.words, key)) {
      // a phrasal verb of the text ("cozying up") first, then the word's own forms
      const lemmas = (own(glossary.phrases, key) ? glossary.phrases[key] : []).concat(glossary.words[key]);
      const entries = lemmas.filter((l) => own(glossary.entries, l)).map((l) => glossary.entries[l]);
      return { query: word, entries };
    }
    try {
      const r = await fetch('/dict/lookup?q=' + encodeURIComponent(word), { credentials: 'same-origin' });
      if (r.status === 429) return { query: word, entries: [], error: 'Too many lookups. Please wait a moment and try again.' };
      const j = await r.json();
      return { query: word, entries: j.entries || [], error: r.status === 400 ? j.error : null };
    } catch (e) {
      return { query: word, entries: [], error: 'The dictionary could not be reached.' };
    }
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function entryNode(e) {
    const sec = el('section', 'dict-pop-entry');
    const head = el('p', 'dict-pop-word');
    const w = el('strong', null, e.lemma);
    w.lang = 'en';
    head.append(w);
    if (e.pos && e.pos.length) head.append(' ', el('span', 'dict-pop-pos', e.pos.join(', ')));
    sec.append(head);
    for (const m of e.meanings || []) {
      const p = el('p', 'dict-pop-meaning');
      p.append(el('span', 'dict-pop-lang', langName(m.lang)), ' ');
      const t = el('span', null, m.text);
      t.lang = m.lang;
      p.append(t);
      sec.append(p);
    }
    if (e.senses && e.senses.length) {
      const ol = el('ol', 'dict-pop-senses');
      ol.lang = 'en';
      for (const s of e.senses) {
        const li = el('li');
        li.append(el('span', 'dict-pop-sense-pos', s.pos), ' ', s.def);
        ol.append(li);
      }
      sec.append(ol);
    }
    const more = el('a', 'dict-pop-more', e.more ? `Full entry (${e.more} more senses)` : 'Full entry');
    more.href = '/dict/' + encodeURIComponent(e.lemma);
    more.setAttribute('aria-label', `Full entry for ${e.lemma}`);
    sec.append(more);
    return sec;
  }

  function build(result) {
    const box = el('div', 'dict-pop');
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-labelledby', 'dict-pop-title');
    box.tabIndex = -1;
    const bar = el('div', 'dict-pop-bar');
    const title = el('h2', 'dict-pop-title', result.query);
    title.id = 'dict-pop-title';
    title.lang = 'en';
    const close = el('button', 'dict-pop-close', '\u00d7');
    close.type = 'button';
    close.setAttribute('aria-label', 'Close the dictionary');
    close.addEventListener('click', () => hide(true));
    bar.append(title, close);
    box.append(bar);
    const body = el('div', 'dict-pop-body');
    if (result.error) {
      body.append(el('p', 'dict-pop-none', result.error));
    } else if (!result.entries.length) {
      body.append(el('p', 'dict-pop-none', `No entry for \u201c${result.query}\u201d.`));
    }
    for (const e of result.entries.slice(0, 3)) body.append(entryNode(e));
    box.append(body);
    return box;
  }

  function place(box, rect) {
    const margin = 8;
    const width = Math.min(352, document.documentElement.clientWidth - 2 * margin);
    box.style.width = width + 'px';
    let left = rect.left + window.scrollX;
    left = Math.max(window.scrollX + margin,
      Math.min(left, window.scrollX + document.documentElement.clientWidth - width - margin));
    box.style.left = left + 'px';
    box.style.top = (rect.bottom + window.scrollY + margin) + 'px';
    const h = box.offsetHeight;
    if (rect.bottom + margin + h > window.innerHeight && rect.top - margin - h > 0) {
      box.style.top = (rect.top + window.scrollY - margin - h) + 'px';
    }
  }

  function hide(giveFocus) {
    if (!pop) return;
    pop.remove();
    pop = null;
    const back = returnTo;
    returnTo = null;
    if (giveFocus && back && document.contains(back)) back.focus({ preventScroll: true });
  }

  async function show(word, rect, opener) {
    const key = keyOf(word);
    if (!key || !wordLike(key)) return;
    const now = Date.now();
    if (pop && shown.key === key && now - shown.at < 800) return;
    shown = { key, at: now };
    const mine = ++seq;
    if (on) await loadGlossary();
    const result = await lookup(word.trim());
    if (mine !== seq) return; // a newer lookup won
    hide(false);
    returnTo = opener || (document.activeElement !== document.body ? document.activeElement : toggle);
    pop = build(result);
    document.body.append(pop);
    place(pop, rect);
    pop.focus({ preventScroll: true });
  }

  // The word under a point (a tap), from the caret position there.
  function wordAt(x, y) {
    let node = null;
    let offset = 0;
    if (document.caretPositionFromPoint) {
      const p = document.caretPositionFromPoint(x, y);
      if (p) { node = p.offsetNode; offset = p.offset; }
    } else if (document.caretRangeFromPoint) {
      const r = document.caretRangeFromPoint(x, y);
      if (r) { node = r.startContainer; offset = r.startOffset; }
    }
    if (!node || node.nodeType !== Node.TEXT_NODE || !article.contains(node)) return null;
    const text = node.data;
    const isWord = (c) => /[\p{L}\p{M}'’-]/u.test(c);
    let s = offset;
    let e = offset;
    while (s > 0 && isWord(text[s - 1])) s--;
    while (e < text.length && isWord(text[e])) e++;
    if (s === e) return null;
    const range = document.createRange();
    range.setStart(node, s);
    range.setEnd(node, e);
    return { word: text.slice(s, e), rect: range.getBoundingClientRect() };
  }

  function fromSelection() {
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) return null;
    const range = sel.getRangeAt(0);
    if (!article.contains(range.commonAncestorContainer)) return null;
    const word = sel.toString().trim();
    if (!wordLike(word)) return null;
    return { word, rect: range.getBoundingClientRect() };
  }

  function setMode(value) {
    on = value;
    toggle.setAttribute('aria-pressed', String(on));
    article.classList.toggle('dict-on', on);
    status.textContent = on
      ? 'Dictionary on: double-click, select or tap a word to see its meaning.'
      : 'Dictionary off.';
    if (on) loadGlossary();
    else hide(false);
  }

  toggle.hidden = false;
  toggle.addEventListener('click', () => setMode(!on));

  const inArticleText = (t) => article.contains(t) && !t.closest('a, button, input, .article-tools, .dict-lookup');

  article.addEventListener('dblclick', (ev) => {
    if (!on || !inArticleText(ev.target)) return;
    const hit = fromSelection();
    if (hit) show(hit.word, hit.rect, null);
  });
  article.addEventListener('mouseup', (ev) => {
    if (!on || ev.button !== 0 || !inArticleText(ev.target)) return;
    setTimeout(() => {
      const hit = fromSelection();
      if (hit) show(hit.word, hit.rect, null);
    }, 0);
  });
  article.addEventListener('click', (ev) => {
    if (!on || ev.pointerType !== 'touch' || !inArticleText(ev.target)) return;
    const hit = fromSelection() || wordAt(ev.clientX, ev.clientY);
    if (hit) show(hit.word, hit.rect, null);
  });

  document.addEventListener('pointerdown', (ev) => {
    if (pop && !pop.contains(ev.target)) hide(false);
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && pop) {
      ev.preventDefault();
      hide(true);
    }
  });

  if (form) {
    form.addEventListener('submit', (ev) => {
      const input = form.querySelector('input[name="q"]');
      const word = input.value.trim();
      if (!word) return;
      ev.preventDefault();
      show(word, input.getBoundingClientRect(), input);
    });
  }
})();
