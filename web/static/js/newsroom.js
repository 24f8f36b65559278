// Broadsheet newsroom: enhancements only; every page works without this file.
// Live character counters (the same rule as the server: user-perceived
// characters after NFC), autosave that never overwrites someone else's save
// (it sends the version it edits), a live preview, confirmations, and
// reordering on the front page.
'use strict';

(() => {
  const segmenter = typeof Intl !== 'undefined' && Intl.Segmenter ? new Intl.Segmenter() : null;

  // The one count of the product: grapheme clusters after NFC.
  function textLength(s) {
    const t = s.normalize('NFC');
    if (!segmenter) return Array.from(t).length;
    let n = 0;
    for (const _ of segmenter.segment(t)) n++;
    return n;
  }

  function counters() {
    for (const counter of document.querySelectorAll('[data-counter]')) {
      const field = document.getElementById(counter.dataset.counter);
      const limit = Number(counter.dataset.limit);
      if (!field || !limit) continue;
      const update = () => {
        // the server trims and folds line breaks in one-line fields
        const n = textLength(field.value.replace(/[\r\n\t]+/g, ' ').trim());
        counter.textContent = `${n}/${limit}`;
        counter.classList.toggle('over', n > limit);
        field.setAttribute('aria-invalid', n > limit ? 'true' : 'false');
      };
      field.addEventListener('input', update);
      update();
    }
  }

  function confirmations() {
    for (const form of document.querySelectorAll('form[data-confirm]')) {
      form.addEventListener('submit', (e) => {
        if (!window.confirm(form.dataset.confirm)) e.preventDefault();
      });
    }
  }

  // --- the editor ---

  function editorForm() {
    return document.getElementById('editor');
  }

  function formData(form) {
    const data = new FormData(form);
    data.delete('photo_file'); // photos are added with Save
    return data;
  }

  function csrf(form) {
    const field = form.querySelector('input[name=csrf]');
    return field ? field.value : '';
  }

  function setVersion(version) {
    for (const field of document.querySelectorAll('input[name=version]')) field.value = String(version);
  }

  function autosave(form) {
    const url = form.dataset.autosave;
    const status = document.querySelector('[data-autosave-status]');
    let dirty = false;
    let timer = null;
    let inflight = null;
    let stopped = !url;
    let submitting = false;

    const say = (text, error) => {
      if (!status) return;
      status.textContent = text;
      status.classList.toggle('error', Boolean(error));
    };

    const save = async () => {
      timer = null;
      if (stopped || !dirty || inflight) return;
      dirty = false;
      say('Saving…');
      inflight = fetch(url, {
        method: 'POST',
        body: formData(form),
        headers: { 'X-CSRF-Token': csrf(form), Accept: 'application/json' },
        credentials: 'same-origin',
      }).then(async (res) => {
        if (res.redirected && res.url.includes('/newsroom/login')) {
          stopped = true;
          say('Your session has ended: sign in again in another tab, then press Save. Your text is still here.', true);
          return;
        }
        let body = {};
        try { body = await res.json(); } catch (_) { body = { message: 'Autosave failed.' }; }
        if (res.ok && body.ok) {
          setVersion(body.version);
          say(body.message || 'Saved');
        } else {
          if (res.status === 409) stopped = true; // someone else saved: Save shows both
          dirty = res.status !== 409;
          say(body.message || 'Autosave failed; your text is still here.', true);
        }
      }).catch(() => {
        dirty = true;
        say('Autosave could not reach the server; your text is still here.', true);
      }).finally(() => { inflight = null; });
      await inflight;
    };

    const changed = () => {
      dirty = true;
      if (stopped) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, 4000);
    };

    form.addEventListener('input', (e) => {
      if (e.target && e.target.type === 'file') return;
      changed();
    });
    form.addEventListener('change', (e) => {
      if (e.target && e.target.type === 'file') return;
      changed();
    });

    // Save waits for an autosave on its way, so it sends the newest version.
    form.addEventListener('submit', (e) => {
      if (e.submitter && e.submitter.formTarget === '_blank') return; // the preview tab
      submitting = true;
      if (timer) { clearTimeout(timer); timer = null; }
      if (inflight) {
        e.preventDefault();
        const submitter = e.submitter;
        inflight.then(() => form.requestSubmit(submitter));
      }
    });

    window.addEventListener('beforeunload', (e) => {
      if (dirty && !submitting) {
        e.preventDefault();
        e.returnValue = '';
      }
    });
  }

  function preview(form) {
    const tabs = form.querySelector('[data-tabs]');
    const pane = form.querySelector('[data-preview-pane]');
    const body = document.getElementById('f-body');
    if (!tabs || !pane || !body || !form.dataset.preview) return;
    tabs.hidden = false;
    const show = async (which) => {
      for (const t of tabs.querySelectorAll('[data-tab]')) t.setAttribute('aria-pressed', String(t.dataset.tab === which));
      if (which === 'write') {
        pane.hidden = true;
        body.hidden = false;
        body.focus();
        return;
      }
      pane.textContent = 'Loading the preview…';
      pane.hidden = false;
      body.hidden = true;
      try {
        const res = await fetch(form.dataset.preview, {
          method: 'POST',
          body: formData(form),
          headers: { 'X-CSRF-Token': csrf(form), Accept: 'application/json' },
          credentials: 'same-origin',
        });
        const data = await res.json();
        pane.textContent = '';
        const h = document.createElement('h1');
        h.textContent = data.headline || '';
        pane.append(h);
        if (data.summary) {
          const p = document.createElement('p');
          p.className = 'standfirst';
          p.textContent = data.summary;
          pane.append(p);
        }
        const div = document.createElement('div');
        // body_html is made by the server's Markdown renderer in its safe
        // mode (no raw HTML, no unsafe links), the same as the public page
        div.innerHTML = data.body_html || '';
        pane.append(div);
      } catch (_) {
        pane.textContent = 'The preview could not be loaded. Use “Preview in a new tab”.';
      }
    };
    for (const t of tabs.querySelectorAll('[data-tab]')) t.addEventListener('click', () => show(t.dataset.tab));
  }

  // --- the front page: move stories up and down ---

  function frontSlots() {
    const list = document.querySelector('[data-slots]');
    if (!list) return;
    const lead = list.querySelector('.badge-lead');
    const renumber = () => {
      // the "Lead" badge goes with the first story
      const first = list.querySelector('[data-slot] .slot-text');
      if (lead && first && first.firstElementChild !== lead) first.prepend(lead);
      let i = 1;
      for (const slot of list.querySelectorAll('[data-slot]')) {
        slot.querySelector('[data-position]').value = String(i);
        slot.classList.toggle('slot-lead', i === 1);
        i++;
      }
    };
    for (const slot of list.querySelectorAll('[data-slot]')) {
      const moves = slot.querySelector('[data-moves]');
      if (!moves) continue;
      moves.hidden = false;
      moves.querySelector('[data-up]').addEventListener('click', () => {
        if (slot.previousElementSibling) list.insertBefore(slot, slot.previousElementSibling);
        renumber();
      });
      moves.querySelector('[data-down]').addEventListener('click', () => {
        if (slot.nextElementSibling) list.insertBefore(slot.nextElementSibling, slot);
        renumber();
      });
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    counters();
    confirmations();
    const form = editorForm();
    if (form) {
      autosave(form);
      preview(form);
    }
    frontSlots();
  });
})();
