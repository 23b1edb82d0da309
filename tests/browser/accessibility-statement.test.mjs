// The accessibility statement (deklaracja dostępności) in the browser: on the a11y-site
// fixture (a complete [accessibility] table of an invented body) every id required by
// "Warunki techniczne publikacji oraz struktura dokumentu elektronicznego deklaracji
// dostępności" v2.0 is there once, with the table's value as its content; the conditional ids
// are there because the fixture gives them; the footer of every page links to it, reached
// with the keyboard; axe finds nothing. On the example site, whose sources give none of the
// facts, the page shows each missing field as "nie uzupełniono" and says what is missing.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  REPO_ROOT,
  TEST_TIMEOUT_MS,
  assertClean,
  formatAxe,
  launchBrowser,
  runAxe,
  screenshot,
  serveSite,
  setUpSuite,
  visit,
} from './harness.mjs';

// Required by version 2.0 (src/config/accessibility.rs cites the document).
const REQUIRED = [
  'a11y-wstep',
  'a11y-podmiot',
  'a11y-zakres',
  'a11y-url',
  'a11y-data-publikacja',
  'a11y-data-aktualizacja',
  'a11y-status',
  'a11y-data-sporzadzenie',
  'a11y-kontakt',
  'a11y-email',
  'a11y-telefon',
  'a11y-procedura',
  'a11y-architektura',
  'a11y-komunikacja',
];
// Required when they apply; the fixture gives each.
const CONDITIONAL = ['a11y-ocena', 'a11y-data-przeglad', 'a11y-aplikacje', 'a11y-architektura-url'];

/** Every HTML page of a built site, relative to its folder. */
function htmlPages(dir, rel = '') {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = path.join(rel, e.name);
    if (e.isDirectory()) return e.name === 'search' ? [] : htmlPages(dir, p);
    return e.name.endsWith('.html') ? [p] : [];
  });
}

describe('the accessibility statement', () => {
  let fixture;
  let example;
  let browser;
  const ready = setUpSuite(async (keep) => {
    fixture = keep(await serveSite({ root: path.join(REPO_ROOT, 'tests/fixtures/a11y-site') }));
    example = keep(await serveSite());
    browser = keep(await launchBrowser());
  });

  test('every required id is there once, with the value from jawnik.toml', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const url = new URL('deklaracja-dostepnosci/', fixture.url).href;
    const { page, problems } = await visit(browser.context, url);
    try {
      await screenshot(page, 'deklaracja-dostepnosci');
      assertClean(url, problems);
      const ids = await page.evaluate((all) => {
        const out = {};
        for (const id of all) {
          const els = document.querySelectorAll(`[id="${id}"]`);
          const el = els[0];
          out[id] = {
            count: els.length,
            text: el ? el.textContent.replace(/\s+/g, ' ').trim() : '',
            datetime: el?.getAttribute('datetime') ?? null,
            href: el?.getAttribute('href') ?? null,
            tag: el?.tagName.toLowerCase(),
          };
        }
        return out;
      }, [...REQUIRED, ...CONDITIONAL]);
      for (const id of [...REQUIRED, ...CONDITIONAL]) {
        assert.equal(ids[id].count, 1, `#${id} appears ${ids[id].count} times`);
        assert.ok(ids[id].text.length > 0, `#${id} is empty`);
        assert.doesNotMatch(ids[id].text, /nie uzupełniono/, `#${id} is not filled in`);
      }
      assert.equal(ids['a11y-podmiot'].text, 'Urząd Fikstury Testowej');
      assert.equal(ids['a11y-zakres'].text, 'strony internetowej');
      assert.match(ids['a11y-wstep'].text, /^Urząd Fikstury Testowej zobowiązuje się zapewnić dostępność swojej strony internetowej zgodnie z przepisami ustawy z dnia 4 kwietnia 2019 r\./);
      assert.equal(ids['a11y-url'].href, fixture.url);
      assert.equal(ids['a11y-url'].text, 'Strona fikstury testowej');
      const dates = {
        'a11y-data-publikacja': ['2025-01-15', '15 stycznia 2025 r.'],
        'a11y-data-aktualizacja': ['2025-03-01', '1 marca 2025 r.'],
        'a11y-data-sporzadzenie': ['2025-03-20', '20 marca 2025 r.'],
        'a11y-data-przeglad': ['2026-03-18', '18 marca 2026 r.'],
      };
      for (const [id, [iso, text]] of Object.entries(dates)) {
        assert.deepEqual([ids[id].tag, ids[id].datetime, ids[id].text], ['time', iso, text], id);
      }
      assert.match(ids['a11y-status'].text, /^Strona internetowa jest częściowo zgodna z załącznikiem do ustawy .* z powodu niezgodności lub wyłączeń wymienionych poniżej\.$/);
      assert.equal(ids['a11y-kontakt'].text, 'Zespół ds. dostępności (fikstura)');
      assert.deepEqual([ids['a11y-email'].text, ids['a11y-email'].href], ['dostepnosc@example.org', 'mailto:dostepnosc@example.org']);
      assert.deepEqual([ids['a11y-telefon'].text, ids['a11y-telefon'].href], ['+48 12 000 00 00', 'tel:+48120000000']);
      assert.match(ids['a11y-procedura'].text, /Kierownik Urzędu Fikstury Testowej, ul\. Testowa 1/);
      assert.match(ids['a11y-procedura'].text, /Rzecznika Praw Obywatelskich/);
      assert.match(ids['a11y-architektura'].text, /winda do wszystkich pięter\. Toaleta dostosowana/);
      assert.equal(ids['a11y-architektura-url'].href, 'https://example.org/siedziba/');
      assert.match(ids['a11y-komunikacja'].text, /^Tłumacz polskiego języka migowego online/);
      assert.match(ids['a11y-ocena'].text, /Interaktywna mapa inwestycji/);
      assert.match(ids['a11y-aplikacje'].text, /Fikstura Mobilna/);
      // The statement's sections, in the order of the document.
      const headings = await page.$$eval('main h1, main h2, main h3', (hs) => hs.map((h) => `${h.tagName}:${h.textContent.trim()}`));
      assert.deepEqual(headings, [
        'H1:Deklaracja dostępności',
        'H2:Stan dostępności cyfrowej',
        'H2:Niedostępne treści',
        'H3:Niezgodność z załącznikiem',
        'H3:Treści nieobjęte przepisami',
        'H3:Nadmierne koszty',
        'H2:Przygotowanie deklaracji dostępności i jej aktualizacja',
        'H2:Informacje zwrotne i dane kontaktowe',
        'H2:Obsługa wniosków i skarg związanych z dostępnością',
        'H2:Pozostałe informacje',
        'H3:Aplikacje mobilne',
        'H3:Dostępność architektoniczna',
        'H3:Dostępność komunikacyjno-informacyjna',
      ]);
      assert.equal(await page.locator('.statement-incomplete').count(), 0, 'a complete statement says it is incomplete');
      const violations = await runAxe(page);
      assert.equal(violations.length, 0, formatAxe(url, violations));
    } finally {
      await page.close();
    }
  });

  test('every page links to it in the footer (with the meta tag), reached with the keyboard', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const statement = new URL('deklaracja-dostepnosci/', fixture.url).href;
    const pages = htmlPages(fixture.dir);
    assert.ok(pages.length >= 8, pages.join(' '));
    for (const rel of pages) {
      const url = new URL(rel.replace(/index\.html$/, ''), fixture.url).href;
      const { page, response } = await visit(browser.context, url, { allowStatus: (u, s) => s === 404 && rel === '404.html' });
      try {
        assert.ok(response, url);
        const link = page.locator('footer').getByRole('link', { name: 'Deklaracja dostępności', exact: true });
        assert.equal(await link.count(), 1, `${rel}: no footer link`);
        assert.equal(new URL(await link.getAttribute('href'), url).href, statement, rel);
        const meta = await page.getAttribute('meta[name="deklaracja-dostępności"]', 'content');
        assert.equal(meta, statement, `${rel}: meta`);
      } finally {
        await page.close();
      }
    }
    // From the home page, Tab by Tab to the link, then Enter.
    const { page } = await visit(browser.context, fixture.url);
    try {
      let found = false;
      for (let i = 0; i < 60 && !found; i++) {
        await page.keyboard.press('Tab');
        found = await page.evaluate(() => document.activeElement?.textContent === 'Deklaracja dostępności');
      }
      assert.ok(found, 'the footer link is not reached by Tab');
      await page.keyboard.press('Enter');
      await page.waitForURL(statement);
      assert.equal(await page.getAttribute('footer a[href$="/deklaracja-dostepnosci/"]', 'aria-current'), 'page');
    } finally {
      await page.close();
    }
  });

  test('the example site shows what its sources do not give as not filled in', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const url = new URL('deklaracja-dostepnosci/', example.url).href;
    const { page, problems } = await visit(browser.context, url);
    try {
      await screenshot(page, 'deklaracja-dostepnosci-przyklad');
      assertClean(url, problems);
      for (const id of ['a11y-podmiot', 'a11y-data-publikacja', 'a11y-data-aktualizacja', 'a11y-status', 'a11y-data-sporzadzenie', 'a11y-kontakt', 'a11y-email', 'a11y-telefon', 'a11y-architektura', 'a11y-komunikacja']) {
        assert.match(await page.textContent(`#${id}`), /nie uzupełniono/, `#${id}`);
      }
      for (const id of REQUIRED) assert.equal(await page.locator(`#${id}`).count(), 1, `#${id}`);
      const notice = await page.textContent('.statement-incomplete');
      assert.match(notice, /Deklaracja nie jest kompletna/);
      assert.match(notice, /accessibility\.body/);
      assert.match(notice, /accessibility\.phone/);
      const violations = await runAxe(page);
      assert.equal(violations.length, 0, formatAxe(url, violations));
    } finally {
      await page.close();
    }
  });
});
