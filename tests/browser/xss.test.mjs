// The XSS test site (tests/fixtures/xss/: a payload in every field of every kind, in
// jawnik.toml's title, description, sector and district names, in attachment titles, NGO names,
// summaries shown as search snippets, headings, raw HTML, SVG and template syntax) built and
// opened page by page in headless Chromium WITHOUT a Content-Security-Policy, so that any
// payload that became markup would run. Every payload sets window.__xss or opens a dialog; the
// test fails if one does, if an event-handler attribute, a javascript:/data: URL or a
// dangerous element is live in the DOM, or if a template expression was evaluated. The search
// page is driven with queries that hit the payload-bearing documents. Finally the SVG
// attachment (which carries a script; its type is listed in the fixture's jawnik.toml) is
// opened directly under netlify.toml's headers, applied per path as Netlify does.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  REPO_ROOT,
  TEST_TIMEOUT_MS,
  launchBrowser,
  netlifyPathHeaders,
  openFilters,
  searchResults,
  searchSeq,
  serveSite,
  startServer,
  visit,
  waitForSearch,
  setUpSuite,
} from './harness.mjs';

const XSS_ROOT = path.join(REPO_ROOT, 'tests', 'fixtures', 'xss');

// Runs before any page script: the flag payloads set, and dialogs recorded instead of shown.
const TRAP = () => {
  window.__xss = 0;
  for (const f of ['alert', 'confirm', 'prompt', 'print']) {
    window[f] = (m) => {
      window.__xss = `${f}(${m})`;
    };
  }
};

// Everything in the DOM that would be live markup from content (the theme has none of it).
const AUDIT = () => {
  const bad = [];
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'srcdoc', 'background', 'poster'];
  for (const e of document.querySelectorAll('*')) {
    const tag = e.tagName.toLowerCase();
    for (const a of e.getAttributeNames()) {
      const v = (e.getAttribute(a) || '').replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
      if (a.startsWith('on')) bad.push(`<${tag} ${a}>`);
      if (a === 'srcdoc') bad.push(`<${tag} srcdoc>`);
      if (urlAttrs.includes(a) && (v.startsWith('javascript:') || v.startsWith('data:text/html') || v.startsWith('vbscript:'))) {
        bad.push(`<${tag} ${a}="${v.slice(0, 40)}">`);
      }
      if (a === 'style' && v.includes('javascript:')) bad.push(`<${tag} style>`);
    }
    // (The theme's own forms and inputs are fine; their URLs and handlers are checked above.)
    if (['iframe', 'frame', 'object', 'embed', 'base', 'foreignobject', 'math', 'applet'].includes(tag)) bad.push(`<${tag}>`);
    if (tag === 'meta' && e.getAttribute('http-equiv')) bad.push(`<meta http-equiv>`);
    if (tag === 'style' && e.closest('body')) bad.push('<style> in body');
    if (tag === 'svg' && e.closest('main')) bad.push('<svg> from content');
    if (tag === 'script') {
      const src = e.getAttribute('src');
      const type = e.getAttribute('type');
      const ok = (src && new URL(src, location.href).origin === location.origin && !e.textContent.trim()) || type === 'application/ld+json' || (type === 'application/json' && e.id === 'jawnik-messages');
      if (!ok) bad.push(`<script${src ? ` src=${src}` : ''}>${e.textContent.slice(0, 40)}`);
    }
  }
  return { bad, text: document.body.innerText, title: document.title, xss: window.__xss };
};

function htmlPages(dir, rel = '') {
  const out = [];
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.posix.join(rel, e.name);
    if (e.isDirectory()) out.push(...htmlPages(dir, r));
    else if (e.name.endsWith('.html')) out.push(r);
  }
  return out.sort();
}

describe('XSS test site: no payload runs or becomes markup', () => {
  let site;
  let browser;
  const dialogs = [];
  const ready = setUpSuite(async (keep) => {
    // No CSP on purpose: escaping and sanitising alone must hold.
    site = keep(await serveSite({ root: XSS_ROOT }));
    browser = keep(await launchBrowser());
    await browser.context.addInitScript(TRAP);
    browser.context.on('page', (p) => p.on('dialog', (d) => { dialogs.push(`${p.url()}: ${d.type()} ${d.message()}`); d.dismiss().catch(() => {}); }));
  });

  const notFound = (url, status) => status === 404 && (url.endsWith('/favicon.ico') || url.endsWith('/404.html'));

  async function audit(page, label) {
    // Hover and focus everything, so handlers bound to those events would fire too.
    await page.evaluate(() => {
      for (const e of document.querySelectorAll('body *')) {
        for (const type of ['mouseover', 'focus', 'click', 'toggle', 'load', 'error']) {
          if (type === 'click' && e.closest('a, button, form, summary')) continue;
          e.dispatchEvent(new Event(type));
        }
      }
    });
    const r = await page.evaluate(AUDIT);
    assert.deepEqual(r.bad, [], `${label}: live markup from content`);
    assert.equal(r.xss, 0, `${label}: a payload ran`);
    assert.ok(!r.text.includes('1337') && !r.title.includes('1337'), `${label}: a template expression {{ 7*191 }} was evaluated`);
    return r;
  }

  test('every built page', { timeout: TEST_TIMEOUT_MS * 3 }, async () => {
    ready();
    const pages = htmlPages(site.dir);
    assert.ok(pages.length >= 20, `pages: ${pages.length}`);
    let payloadPages = 0;
    for (const rel of pages) {
      const url = new URL(rel.replace(/index\.html$/, ''), site.url).href;
      const { page, problems } = await visit(browser.context, url, { allowStatus: notFound });
      try {
        const r = await audit(page, rel);
        // Nothing the payloads point at (src=x, javascript:) was requested, and no page error.
        assert.deepEqual(problems.pageErrors, [], `${rel}: page errors`);
        // (`<img src=x onerror=…>` is sanitised to a harmless `<img src="x">`: its 404 is expected.)
        assert.deepEqual(problems.failedRequests.filter((f) => !/favicon|\/x: HTTP 404$/.test(f)), [], `${rel}: failed requests`);
        if (r.text.includes("<script>window.__xss='title'</script>")) payloadPages++;
        if (rel === 'deklaracja-dostepnosci/index.html') {
          for (const shown of ["Urząd <script>window.__xss='a11y-body'</script>", "Mapa <script>window.__xss='a11y-what'</script>"]) {
            assert.ok(r.text.includes(shown), `${rel} shows ${shown}`);
          }
        }
        if (rel === 'raporty/ladunek-raport/index.html') {
          // The payloads are shown as the text that was written.
          for (const shown of [
            "Ładunek raport <script>window.__xss='title'</script>",
            "Wydawca <script>window.__xss='issuer'</script>",
            `Załącznik <svg onload="window.__xss='attachment-title'"> ładunek`,
            '{{ 7*191 }}',
            'Kultura <img src=x onerror="window.__xss=\'sector\'">',
          ]) {
            assert.ok(r.text.includes(shown), `${rel} shows ${shown}`);
          }
        }
      } finally {
        await page.close();
      }
    }
    assert.ok(payloadPages >= 4, `document titles shown as text on ${payloadPages} pages`);
    assert.deepEqual(dialogs, []);
  });

  test('the search page with queries that hit the payload documents', { timeout: TEST_TIMEOUT_MS * 2 }, async () => {
    ready();
    const { page, problems } = await visit(browser.context, new URL('szukaj/', site.url).href, { allowStatus: notFound });
    try {
      // (The last two put markup in the words named "Nie znaleziono: …" and "Brak: …".)
      for (const q of ['ładunek', 'ładunek raport', 'fundacja', 'rozdział', 'wydawca', 'załącznik', 'kultura', 'script', 'onerror', 'ładunek <img src=x onerror=alert(1)>', 'ładunek qqq"<b>"zzz']) {
        const s = await searchSeq(page);
        await page.fill('#q', q);
        await page.press('#q', 'Enter');
        const state = await waitForSearch(page, { afterSeq: s });
        assert.equal(state, 'done', `${q}: ${state}`);
        await audit(page, `search ${q}`);
        if (q === 'ładunek') {
          const results = await searchResults(page);
          assert.ok(results.length >= 4, `${q}: ${results.length} results`);
          assert.ok(results.some((r) => r.title.includes("<script>window.__xss='title'</script>")), 'titles shown as text');
          assert.ok(results.some((r) => r.text.includes("</span></mark><script>alert('snippet')")), `snippets shown as text: ${JSON.stringify(results.map((r) => r.text))}`);
          assert.ok(results.some((r) => r.marks.some((m) => /ładunek/i.test(m))), 'matches still marked');
        }
      }
      // Facet filters carry the sector names (opened as a person does: they start closed).
      await openFilters(page);
      const facetText = await page.evaluate(() => document.body.innerText);
      assert.ok(facetText.includes('Kultura <img src=x onerror="window.__xss=\'sector\'">'), 'sector name shown as text in the filters');
      assert.deepEqual(problems.pageErrors, []);
      assert.deepEqual(dialogs, []);
    } finally {
      await page.close();
    }
  });

  test('the SVG attachment with a script does not run under the netlify.toml headers', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    // The headers per path, as Netlify sends them; without Content-Disposition the file is
    // shown inline, where the /pliki/* sandbox alone must keep its script from running.
    const netlify = netlifyPathHeaders();
    const server = await startServer({ root: site.dir, headers: netlify });
    const page = await browser.context.newPage();
    try {
      const url = new URL('pliki/raporty/pliki/obraz.svg', server.url).href;
      const res = await page.request.get(url);
      assert.equal(res.status(), 200);
      assert.match(res.headers()['content-security-policy'], /sandbox/);
      assert.equal(res.headers()['content-disposition'], 'attachment');
      server.setHeaders((p) => {
        const { 'Content-Disposition': _, ...rest } = netlify(p);
        return rest;
      });
      const shown = await page.goto(url, { waitUntil: 'load' });
      assert.equal(shown.status(), 200);
      await page.waitForTimeout(200);
      // (The page's init script cannot run in the sandbox either: 0 or undefined.)
      assert.ok(!(await page.evaluate(() => window.__xss)));
    } finally {
      await page.close();
      await server.close();
    }
  });
});
