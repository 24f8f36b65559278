// The article page's anatomy as a reader, a search engine and a link
// preview see it, and the print view.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { articleLinks, get, jsonLd, meta, request, startServer, tags, textOf } from './lib.mjs';

let srv;
let path;      // a story in National > Politics
let html;
let print;
let withPhoto; // {path, html} of a story with a photo, if the paper has one

before(async () => {
  srv = await startServer();
  const politics = await (await get(`${srv.url}/national/politics/`)).text();
  path = articleLinks(politics)[0];
  assert.ok(path, 'Politics lists a story');
  html = await (await get(`${srv.url}${path}`)).text();
  print = await (await get(`${srv.url}${path}/print`)).text();
  // look for a story with a photo among those the front page and sections link
  const seen = new Set();
  for (const list of ['/', '/national/', '/business/', '/culture/', '/sports/', '/opinion/']) {
    for (const a of articleLinks(await (await get(`${srv.url}${list}`)).text())) {
      if (seen.has(a) || withPhoto) continue;
      seen.add(a);
      const page = await (await get(`${srv.url}${a}`)).text();
      if (/<figure class="article-photo">/.test(page)) withPhoto = { path: a, html: page };
    }
  }
});

after(() => srv?.stop());

const abs = (p) => `${srv.url}${p}`;

describe('article page', () => {
  test('breadcrumb Home > National > Politics, the last one current', () => {
    const [, nav = ''] = /<nav class="breadcrumb" aria-label="Breadcrumb">([\s\S]*?)<\/nav>/.exec(html) ?? [];
    const crumbs = tags(nav, 'a').map((t) => t.attrs.href);
    assert.deepEqual(crumbs, ['/', '/national/', '/national/politics/']);
    assert.deepEqual([...nav.matchAll(/<a [^>]*>([^<]*)<\/a>/g)].map((m) => m[1]),
      ['Home', 'National', 'Politics']);
    assert.match(nav, /<a href="\/national\/politics\/" aria-current="[a-z]+">Politics<\/a>/);
    assert.match(nav, /^\s*<ol>/, 'an ordered list');
  });

  test('breadcrumb as schema.org BreadcrumbList', () => {
    const list = jsonLd(html).find((o) => o['@type'] === 'BreadcrumbList');
    assert.ok(list, 'a BreadcrumbList');
    assert.equal(list['@context'], 'https://schema.org');
    assert.deepEqual(list.itemListElement.map((i) => [i['@type'], i.position, i.name, i.item]), [
      ['ListItem', 1, 'Home', abs('/')],
      ['ListItem', 2, 'National', abs('/national/')],
      ['ListItem', 3, 'Politics', abs('/national/politics/')],
    ]);
  });

  test('one h1: the headline, also in the title', () => {
    const h1s = [...html.matchAll(/<h1[\s>]/g)];
    assert.equal(h1s.length, 1, 'exactly one h1');
    const headline = textOf(html, '<h1 class="headline">', 'h1');
    assert.ok(headline && headline.length > 10, 'a headline');
    assert.equal(textOf(html, '<title>', 'title'), `${headline} | The Broadsheet`);
    assert.ok(textOf(html, '<p class="standfirst">', 'p')?.length > 20, 'a summary under it');
  });

  test('byline with the author\'s page and e-mail', () => {
    const [, byline = ''] = /<p class="byline-names">([\s\S]*?)<\/p>/.exec(html) ?? [];
    assert.match(byline, /^By /);
    const links = tags(byline, 'a');
    const author = links.find((t) => t.attrs.rel === 'author');
    assert.match(author?.attrs.href ?? '', /^\/author\/[a-z0-9-]+$/);
    const mail = links.find((t) => (t.attrs.href ?? '').startsWith('mailto:'));
    assert.ok(mail, 'a mailto: link');
    assert.match(mail.attrs.href, /^mailto:[^@\s]+@[^@\s]+\.[a-z]+$/);
  });

  test('published time as <time datetime>', () => {
    const [, dates = ''] = /<p class="dates">([\s\S]*?)<\/p>/.exec(html) ?? [];
    const times = tags(dates, 'time');
    assert.ok(times.length >= 1, 'a <time>');
    for (const t of times) {
      assert.match(t.attrs.datetime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/);
      assert.ok(!Number.isNaN(Date.parse(t.attrs.datetime)));
    }
    assert.match(dates, /Published <time/);
  });

  test('rel=canonical is the absolute article URL', () => {
    const canon = tags(html, 'link').filter((t) => t.attrs.rel === 'canonical');
    assert.equal(canon.length, 1);
    assert.equal(canon[0].attrs.href, abs(path));
    assert.equal(meta(html, 'og:url'), abs(path));
  });

  test('Open Graph and Twitter card', () => {
    const headline = textOf(html, '<h1 class="headline">', 'h1');
    assert.equal(meta(html, 'og:title'), headline);
    assert.equal(meta(html, 'og:type'), 'article');
    assert.equal(meta(html, 'og:site_name'), 'The Broadsheet');
    assert.equal(meta(html, 'og:description'), textOf(html, '<p class="standfirst">', 'p'));
    assert.match(meta(html, 'twitter:card') ?? '', /^summary(_large_image)?$/);
    assert.equal(meta(html, 'twitter:title'), headline);
    if (!/<figure class="article-photo">/.test(html)) {
      assert.equal(meta(html, 'og:image'), undefined, 'no og:image without a photo');
      assert.equal(meta(html, 'twitter:card'), 'summary');
    }
  });

  test('JSON-LD NewsArticle with every author', async () => {
    const na = jsonLd(html).find((o) => o['@type'] === 'NewsArticle');
    assert.ok(na, 'a NewsArticle');
    assert.equal(na['@context'], 'https://schema.org');
    assert.equal(na.headline, textOf(html, '<h1 class="headline">', 'h1'));
    const times = tags(html, 'time').map((t) => t.attrs.datetime);
    assert.ok(times.includes(na.datePublished), 'datePublished is the published time shown');
    assert.ok(!Number.isNaN(Date.parse(na.dateModified)), 'dateModified');
    assert.ok(Date.parse(na.dateModified) >= Date.parse(na.datePublished));
    const names = [...html.matchAll(/<a href="\/author\/[^"]+" rel="author">([^<]+)<\/a>/g)].map((m) => m[1]);
    const authors = Array.isArray(na.author) ? na.author : [na.author];
    assert.deepEqual(authors.map((a) => a.name), names, 'every author of the byline');
    for (const a of authors) {
      assert.equal(a['@type'], 'Person');
      if (a.url) assert.equal((await get(a.url)).status, 200, `${a.url} exists`);
    }
    assert.ok('image' in na, 'an image property');
    assert.equal(na.publisher?.name, 'The Broadsheet');
    assert.match(na.publisher?.['@type'] ?? '', /Organization$/);
    assert.equal(na.mainEntityOfPage, abs(path));
  });

  test('the publisher logo in JSON-LD exists', async () => {
    const na = jsonLd(html).find((o) => o['@type'] === 'NewsArticle');
    const logo = na.publisher?.logo?.url;
    assert.ok(logo, 'a logo URL');
    const res = await request(logo);
    assert.equal(res.status, 200, `${logo}`);
    assert.match(res.headers['content-type'], /^image\/(png|jpeg|webp|gif)$/, 'a raster image, as search engines ask');
  });

  test('the body is rendered Markdown', () => {
    const [, body = ''] = /<div class="article-body">([\s\S]*?)<\/div>/.exec(html) ?? [];
    assert.ok((body.match(/<p>/g) ?? []).length >= 2, 'paragraphs');
    assert.ok(!/\*\*|^#+ /m.test(body), 'no raw Markdown left');
  });

  test('tags, print link and share links', () => {
    assert.ok(tags(html, 'a').some((t) => t.attrs.rel === 'tag' && /^\/tag\/[^/]+$/.test(t.attrs.href)));
    const printLink = tags(html, 'a').find((t) => /\btool-print\b/.test(t.attrs.class ?? ''));
    assert.equal(printLink?.attrs.href, `${path}/print`);
    const share = (cls) => tags(html, 'a').find((t) => t.attrs.class === cls)?.attrs.href ?? '';
    const enc = encodeURIComponent(abs(path));
    assert.ok(share('share-x').startsWith('https://twitter.com/intent/tweet?url=') && share('share-x').includes(enc), 'X');
    assert.ok(share('share-facebook').startsWith('https://www.facebook.com/sharer/') && share('share-facebook').includes(enc), 'Facebook');
    assert.ok(share('share-kakao').includes('kakao') && share('share-kakao').includes(enc), 'KakaoTalk');
  });

  test('a story with a photo has og:image, a large Twitter card and a JSON-LD image', async (t) => {
    if (!withPhoto) {
      t.skip('the demo paper has no story with a photo yet');
      return;
    }
    const page = withPhoto.html;
    const image = meta(page, 'og:image');
    assert.match(image ?? '', /^http:\/\/127\.0\.0\.1:\d+\/media\//);
    assert.equal(meta(page, 'twitter:card'), 'summary_large_image');
    const na = jsonLd(page).find((o) => o['@type'] === 'NewsArticle');
    const images = [na.image].flat().map((i) => (typeof i === 'string' ? i : i?.url));
    assert.ok(images.length >= 1 && images.every(Boolean), 'JSON-LD image');
    for (const u of [image, ...images]) {
      const res = await request(u);
      assert.equal(res.status, 200, `${u} exists`);
      assert.match(res.headers['content-type'], /^image\//);
    }
    assert.match(page, /<figcaption>[^<]+/, 'a caption');
  });
});

describe('print view', () => {
  test('has the article: headline, byline, dates, body', () => {
    assert.equal(textOf(print, '<h1>', 'h1'), textOf(html, '<h1 class="headline">', 'h1'));
    assert.match(print, /<p class="byline">By [^<]+/);
    assert.ok(tags(print, 'time').length >= 1);
    const [, body = ''] = /<div class="article-body">([\s\S]*?)<\/div>/.exec(print) ?? [];
    const [, full = ''] = /<div class="article-body">([\s\S]*?)<\/div>/.exec(html) ?? [];
    assert.equal(body.trim(), full.trim(), 'the whole body');
  });

  test('prints the source URL', () => {
    assert.equal(textOf(print, '<span class="print-url">', 'span'), abs(path));
  });

  test('has no navigation, share links or related stories', () => {
    assert.ok(!/<nav[\s>]/.test(print), 'no <nav>');
    assert.ok(!/class="masthead"/.test(print), 'no masthead');
    assert.ok(!/class="share"|share-x/.test(print), 'no share links');
    assert.ok(!/class="related"/.test(print), 'no related stories');
    assert.ok(!/class="site-footer"/.test(print), 'no site footer');
  });

  test('uses the print stylesheet, points to the article, and is not indexed', () => {
    const sheets = tags(print, 'link').filter((t) => t.attrs.rel === 'stylesheet').map((t) => t.attrs.href);
    assert.ok(sheets.some((h) => h.startsWith('/static/css/print.css')));
    assert.equal(meta(print, 'robots'), 'noindex');
    const canon = tags(print, 'link').find((t) => t.attrs.rel === 'canonical');
    assert.equal(canon?.attrs.href, abs(path), 'canonical is the article');
    assert.ok(tags(print, 'a').some((t) => t.attrs.href === path), 'a link back to the article');
  });
});
