// WCAG 2.1 AA beyond axe, as a person meets it, on the pages people use most: the home page,
// a long report (the consultation's final report, 160 Tab stops), the NGO directory, the
// calls calendar and the postulates tracker (calls-site fixture: calls and every kind of
// answer), the search page with results and its filters open, and the accessibility
// statement. Keyboard only (the skip link, Tab order = document order, visible focus on every
// stop with a 3:1 ring, no trap, Shift+Tab back), reflow at 320 CSS px and at 200 % zoom
// (a 640 px wide window: 1280 px at zoom 2) with no horizontal scrolling outside the tables'
// own scroll boxes, contrast of every text, the search highlight, text boxes and the focus
// ring computed from the computed styles, prefers-reduced-motion, the text spacing of SC
// 1.4.12, and the language of passages (a11y-site fixture). The checks are in
// wcag-checks.mjs; the last test shows each of them catching a fault planted in a page.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  REPO_ROOT,
  TEST_TIMEOUT_MS,
  assertClean,
  formatAxe,
  launchBrowser,
  openFilters,
  runAxe,
  screenshot,
  serveSite,
  setUpSuite,
  visit,
} from './harness.mjs';
import {
  contrastFindings,
  keyboardFindings,
  languageFindings,
  motionFindings,
  reflowFindings,
  skipLinkFindings,
  textSpacingFindings,
} from './wcag-checks.mjs';

const REPORT = 'raporty/raport-koncowy-konsultacje-wpw-2019-2022/';
const DESKTOP = { width: 1280, height: 900 };

describe('WCAG 2.1 AA as a person meets it', () => {
  let example;
  let calls;
  let fixture;
  let browser;
  const ready = setUpSuite(async (keep) => {
    example = keep(await serveSite());
    calls = keep(await serveSite({ root: path.join(REPO_ROOT, 'tests/fixtures/calls-site') }));
    fixture = keep(await serveSite({ root: path.join(REPO_ROOT, 'tests/fixtures/a11y-site') }));
    browser = keep(await launchBrowser({ viewport: DESKTOP }));
  });

  /** The pages under test: [name, url, prepare(page)]. */
  const pages = () => [
    ['home', example.url],
    ['long report', new URL(REPORT, example.url).href],
    ['NGO directory', new URL('organizacje/', example.url).href],
    ['calendar', new URL('konkursy/', calls.url).href],
    ['postulates', new URL('postulaty/', calls.url).href],
    [
      'search with results and filters open',
      new URL('szukaj/?q=konsultacje', example.url).href,
      async (page) => {
        await page.waitForSelector('#jawnik-search-results[data-state="done"] .search-result');
        await openFilters(page);
      },
    ],
    ['accessibility statement', new URL('deklaracja-dostepnosci/', fixture.url).href],
  ];

  /** Visit every page (prepared), run `check(page, name)`, and fail with every finding. */
  async function onEveryPage(check) {
    const failures = [];
    for (const [name, url, prepare] of pages()) {
      const { page, problems } = await visit(browser.context, url);
      try {
        await page.setViewportSize(DESKTOP);
        if (prepare) await prepare(page);
        assertClean(url, problems);
        const findings = await check(page, name);
        if (findings.length) failures.push(`${name} (${url}):\n    - ${findings.join('\n    - ')}`);
      } finally {
        await page.close();
      }
    }
    assert.equal(failures.length, 0, failures.join('\n'));
  }

  test('keyboard only: skip link, Tab order, visible focus with a 3:1 ring, no trap', { timeout: 2 * TEST_TIMEOUT_MS }, async () => {
    ready();
    const stops = {};
    await onEveryPage(async (page, name) => {
      const skip = await skipLinkFindings(page);
      const keys = await keyboardFindings(page);
      stops[name] = keys.stops;
      return [...skip, ...keys.findings];
    });
    // Every page was walked to its end (the search page with its filters' controls).
    assert.ok(stops['long report'] > 100, JSON.stringify(stops));
    assert.ok(stops['search with results and filters open'] > 30, JSON.stringify(stops));
  });

  test('reflow: no horizontal scrolling at 320 CSS px and at 200 % zoom', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    await onEveryPage(async (page, name) => {
      const findings = [];
      for (const width of [320, 640]) {
        await page.setViewportSize({ width, height: width === 320 ? 640 : 450 });
        findings.push(...(await reflowFindings(page)).map((f) => `${width} px: ${f}`));
        if (width === 320) await screenshot(page, `wcag-320-${name}`);
      }
      return findings;
    });
  });

  test('contrast of every text, the search highlight, text boxes (computed)', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const counted = {};
    await onEveryPage(async (page, name) => {
      const { findings, checked, marks } = await contrastFindings(page);
      counted[name] = { checked, marks };
      return findings;
    });
    assert.ok(Object.values(counted).every((c) => c.checked > 20), JSON.stringify(counted));
    assert.ok(counted['search with results and filters open'].marks > 0, 'no search highlight was checked');
  });

  test('prefers-reduced-motion: nothing is animated or smoothly scrolled', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    await onEveryPage(async (page) => {
      await page.emulateMedia({ reducedMotion: 'reduce' });
      const findings = await motionFindings(page);
      // Focus and hover states are where transitions usually hide.
      await page.keyboard.press('Tab');
      await page.mouse.move(200, 40);
      findings.push(...(await motionFindings(page)));
      return findings;
    });
  });

  test('text spacing (SC 1.4.12): nothing is cut off or overlaps', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    await onEveryPage(async (page) => {
      const findings = await textSpacingFindings(page);
      await page.setViewportSize({ width: 320, height: 640 });
      findings.push(...(await reflowFindings(page)).map((f) => `320 px with the spacing: ${f}`));
      return findings;
    });
  });

  test('language: the pages are Polish, a passage in English says so', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    await onEveryPage(async (page) => (await languageFindings(page)).findings);
    const url = new URL('raporty/raport-z-cytatem/', fixture.url).href;
    const { page, problems } = await visit(browser.context, url);
    try {
      assertClean(url, problems);
      const { findings, passages } = await languageFindings(page);
      assert.deepEqual(findings, []);
      assert.deepEqual(
        passages.map((p) => p.lang),
        ['en', 'en'],
        `the Markdown's lang="en" passages did not survive: ${JSON.stringify(passages)}`,
      );
      assert.match(passages[0].text, /Nothing about us without us/);
      const violations = await runAxe(page);
      assert.equal(violations.length, 0, formatAxe(url, violations));
    } finally {
      await page.close();
    }
  });

  test('axe-core stays clean on the same pages (filters open)', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    await onEveryPage(async (page, name) => {
      const violations = await runAxe(page);
      return violations.length ? [formatAxe(name, violations)] : [];
    });
  });

  test('the checks find the faults they look for', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const { page } = await visit(browser.context, example.url);
    try {
      await page.evaluate(() => {
        const main = document.querySelector('main');
        main.insertAdjacentHTML(
          'afterbegin',
          `<style>#plant-link:focus-visible { outline: none !important; box-shadow: none !important; }
             #plant-move { transition: opacity 2s !important; }</style>
           <p id="plant-grey" style="color:#999">Szary tekst na białym tle.</p>
           <a id="plant-link" href="#x">Link bez widocznego fokusu</a>
           <div id="plant-wide" style="width:500px">Szeroki blok.</div>
           <p id="plant-move">Ruch.</p>
           <div id="plant-clip" style="height:1.7em;overflow:hidden;width:8rem">Tekst w pudełku o stałej wysokości i szerokości</div>
           <span id="plant-lang" lang="en_GB!">x</span>`,
        );
      });
      const contrast = await contrastFindings(page);
      assert.ok(contrast.findings.some((f) => f.startsWith('p#plant-grey') && /2\.85:1, needs 4\.5:1/.test(f)), contrast.findings.join('\n'));
      const keys = await keyboardFindings(page);
      assert.ok(keys.findings.some((f) => f.startsWith('a#plant-link') && /no visible focus/.test(f)), keys.findings.join('\n'));
      await page.setViewportSize({ width: 320, height: 640 });
      const reflow = await reflowFindings(page);
      assert.ok(reflow.some((f) => /scrolls horizontally/.test(f)) && reflow.some((f) => f.startsWith('div#plant-wide')), reflow.join('\n'));
      await page.setViewportSize(DESKTOP);
      await page.emulateMedia({ reducedMotion: 'reduce' });
      const motion = await motionFindings(page);
      assert.ok(motion.some((f) => f.startsWith('p#plant-move: transition 2000 ms')), motion.join('\n'));
      const lang = await languageFindings(page);
      assert.ok(lang.findings.some((f) => /invalid lang "en_GB!"/.test(f)), lang.findings.join('\n'));
      const spacing = await textSpacingFindings(page);
      assert.ok(spacing.some((f) => f.startsWith('div#plant-clip') && /cut off/.test(f)), spacing.join('\n'));
    } finally {
      await page.close();
    }
  });
});
