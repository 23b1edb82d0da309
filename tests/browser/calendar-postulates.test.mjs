// Calls, coordinators and postulates in the browser, with the CSP from netlify.toml: the
// calendar, archive, directory and call pages are clean (no console errors, CSP violations or
// axe findings) and the upcoming calls are on the home page; the tracker's chart is an inline
// SVG with a title and a text alternative that renders (screenshot in target/screenshots/),
// the report's table narrows by answer and sector with the external script (and is whole
// without it), and typing a postulate's words into the search box finds it at its anchor.
// The example site (seed report, all "bez odpowiedzi") and the calls-site fixture (one
// postulate per answer) are both served.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  REPO_ROOT,
  SCREENSHOT_DIR,
  TEST_TIMEOUT_MS,
  assertClean,
  formatAxe,
  launchBrowser,
  netlifyHeaders,
  runAxe,
  screenshot,
  searchResults,
  searchSeq,
  serveSite,
  visit,
  waitForSearch,
  setUpSuite,
} from './harness.mjs';
import { typingQuery } from '../../themes/default/static/js/search.js';

import { noFavicon } from './harness.mjs';
const REPORT = 'raporty/raport-koncowy-konsultacje-wpw-2019-2022/';

describe('calls, coordinators and postulates (with the CSP from netlify.toml)', () => {
  let example;
  let fixture;
  let browser;
  const ready = setUpSuite(async (keep) => {
    example = keep(await serveSite({ headers: netlifyHeaders() }));
    fixture = keep(await serveSite({ headers: netlifyHeaders(), root: path.join(REPO_ROOT, 'tests/fixtures/calls-site') }));
    browser = keep(await launchBrowser());
  });

  test('calendar, archive, directory and call pages are clean and accessible', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    for (const [rel, name] of [
      ['', 'home'],
      ['konkursy/', 'calendar'],
      ['konkursy/archiwum/', 'archive'],
      ['konkursy/kultura-2027/', 'call'],
      ['kontakty/', 'contacts'],
      ['programy/program-kultury/', 'coordinator-on-document'],
    ]) {
      const { page, problems } = await visit(browser.context, new URL(rel, fixture.url).href, { allowStatus: noFavicon });
      try {
        if (name === 'home') {
          // The calls whose deadline has not passed (the build is not pinned here: count them).
          const open = await page.$$eval('#terminy + ul .call', (li) => li.length);
          const links = await page.$$eval('a[href$=".ics"]', (as) => as.map((a) => a.getAttribute('href')));
          assert.ok(links.includes('/konkursy/kalendarz.ics'), links.join(' '));
          assert.ok(open <= 3);
        }
        if (name === 'call') {
          const ics = await page.getAttribute('a[href$="konkurs.ics"]', 'href');
          const res = await page.request.get(new URL(ics, fixture.url).href);
          assert.equal(res.status(), 200);
          assert.match(res.headers()['content-type'] ?? '', /text\/calendar/);
          assert.match(await res.text(), /^BEGIN:VCALENDAR\r\n/);
        }
        await screenshot(page, `calls-${name}`);
        assertClean(`${name} page`, problems);
        const violations = await runAxe(page);
        assert.equal(violations.length, 0, formatAxe(rel || '/', violations));
      } finally {
        await page.close();
      }
    }
  });

  test('the tracker chart has a title and a text alternative and renders', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    for (const [site, name] of [[example, 'example'], [fixture, 'fixture']]) {
      const { page, problems } = await visit(browser.context, new URL('postulaty/', site.url).href, { allowStatus: noFavicon });
      try {
        const chart = page.locator('svg.chart');
        assert.equal(await chart.getAttribute('role'), 'img');
        const title = (await page.textContent('svg.chart > title')).trim();
        assert.match(title, /^Postulaty według odpowiedzi miasta \(razem \d+\)$/);
        const total = Number(title.match(/razem (\d+)/)[1]);
        assert.ok(total > 0);
        const desc = (await page.textContent('svg.chart > desc')).trim();
        assert.match(desc, /bez odpowiedzi: \d+/);
        // The accessible name the browser computes comes from the title and description.
        const snapshot = await page.locator('svg.chart').evaluate((svg) => {
          const ids = svg.getAttribute('aria-labelledby').split(' ');
          return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
        });
        assert.ok(snapshot.includes(title) && snapshot.includes(desc));
        // Rendered: the chart has a size and its bars have the widths of their counts.
        const box = await chart.boundingBox();
        assert.ok(box && box.width > 300 && box.height > 100, `chart box ${JSON.stringify(box)}`);
        const bars = await page.$$eval('svg.chart g rect', (rs) => rs.map((r) => r.getBoundingClientRect().width));
        assert.equal(bars.length, 4);
        const rows = await page.$$eval('#liczby tbody tr td', (tds) => tds.map((td) => Number(td.textContent)));
        assert.equal(rows.reduce((a, b) => a + b, 0), total, 'the count table is the text alternative');
        const max = Math.max(...rows);
        rows.forEach((n, i) => assert.ok(Math.abs(bars[i] - (n / max) * bars[rows.indexOf(max)]) < 2, `bar ${i}: ${bars[i]} for ${n}`));
        await chart.screenshot({ path: path.join(SCREENSHOT_DIR, `postulates-chart-${name}.png`) });
        await screenshot(page, `postulates-${name}`);
        assertClean(`postulaty (${name})`, problems);
        // (axe is injected after the check: the CSP blocks its script tag, as it should.)
        const violations = await runAxe(page);
        assert.equal(violations.length, 0, formatAxe(`postulaty (${name})`, violations));
      } finally {
        await page.close();
      }
    }
  });

  test('the report table narrows by answer and sector; each postulate has its anchor', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const url = new URL('raporty/konsultacje-fikstura/', fixture.url).href;
    const { page, problems } = await visit(browser.context, url, { allowStatus: noFavicon });
    try {
      const visibleRows = () => page.$$eval('table.postulates tbody tr', (trs) => trs.filter((tr) => !tr.hidden).map((tr) => tr.id));
      assert.ok(await page.isVisible('#postulate-filter'), 'the script shows the filter form');
      assert.deepEqual(await visibleRows(), ['postulat-1', 'postulat-2', 'postulat-3', 'postulat-4']);
      await page.selectOption('#filtr-odpowiedz', 'odrzucony');
      assert.deepEqual(await visibleRows(), ['postulat-2']);
      assert.match(await page.textContent('#postulate-filter-status'), /Pokazano 1 z 4 postulatów/);
      await page.selectOption('#filtr-odpowiedz', '');
      await page.selectOption('#filtr-postulat-branza', 'kultura');
      assert.deepEqual(await visibleRows(), ['postulat-1']);
      await screenshot(page, 'postulates-report-filtered');
      assertClean('report with postulates', problems);
    } finally {
      await page.close();
    }
    // Without the script: no form, every row, and the anchor still targets its row.
    const bare = await browser.context.newPage();
    try {
      await bare.route('**/js/postulate-filter.js*', (route) => route.abort());
      await bare.goto(`${url}#postulat-3`);
      assert.equal(await bare.isVisible('#postulate-filter'), false);
      assert.equal(await bare.$$eval('table.postulates tbody tr:not([hidden])', (trs) => trs.length), 4);
      assert.equal(await bare.evaluate(() => document.querySelector(':target')?.id), 'postulat-3');
    } finally {
      await bare.close();
    }
  });

  test('typing a postulate\'s words into the search box finds it at its anchor', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const { page, problems } = await visit(browser.context, new URL('szukaj/', example.url).href, { allowStatus: noFavicon });
    try {
      const text = 'harmonogram konkursów';
      const seq = await searchSeq(page);
      await page.locator('#q').pressSequentially(text, { delay: 35 });
      assert.equal(await waitForSearch(page, { query: typingQuery(text), afterSeq: seq }), 'done');
      const results = await searchResults(page);
      const hit = results.find((r) => r.href.startsWith(`/${REPORT}#postulat-`));
      assert.ok(hit, `no postulate in\n${results.map((r) => `${r.kind} ${r.href} ${r.title}`).join('\n')}`);
      assert.equal(hit.title, 'stworzenie harmonogramu konkursów otwartych');
      assert.equal(hit.kind.trim(), 'Postulat z konsultacji');
      await screenshot(page, 'postulates-search');
      // Following the result lands on the postulate's row.
      await page.click(`a[data-result-link][href$="${hit.href.split('#')[1]}"]`);
      await page.waitForURL((u) => u.hash === `#${hit.href.split('#')[1]}`);
      assert.equal(await page.evaluate(() => document.querySelector(':target')?.tagName), 'TR');
      assertClean('search for a postulate', problems);
    } finally {
      await page.close();
    }
  });
});
