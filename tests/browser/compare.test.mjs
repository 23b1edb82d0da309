// The comparison page of two versions (issue #25) in Chromium, served with the CSP from
// netlify.toml: the theme's compare.html rendered from the statute fixture of
// tests/fixtures/compare/ (by examples/compare_page.rs, which shares its page with
// tests/integration/compare_page.rs; a site build makes such pages for a document's versions:
// tests/browser/versions.test.mjs). Checked: no console
// errors or CSP violations, no axe findings; the accessibility tree reads deletions and
// insertions with their labels ("usunięto:", "dodano:"), headings keep their anchors, the
// jump list is a landmark whose links reach their changes; the marks stay readable without
// colour (struck through, underlined, also in forced colours) and in print.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  BUILD_TIMEOUT_MS,
  REPO_ROOT,
  TEST_TIMEOUT_MS,
  assertClean,
  formatAxe,
  launchBrowser,
  netlifyHeaders,
  runAxe,
  screenshot,
  setUpSuite,
  startServer,
  visit,
} from './harness.mjs';

/** Renders the fixture's comparison page into `dir` with `examples/compare_page.rs`. */
function writePage(dir) {
  const args = ['run', '--quiet', '--example', 'compare_page', '--', dir];
  return new Promise((resolve, reject) => {
    const child = spawn('cargo', args, {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), BUILD_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`cargo ${args.join(' ')} failed (exit ${code}):\n${out}`));
    });
  });
}

import { noFavicon } from './harness.mjs';

describe('comparison page (compare.html, statute fixture)', () => {
  let server;
  let browser;
  const ready = setUpSuite(async (keep) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'jawnik-compare-'));
    keep({ cleanup: () => rm(dir, { recursive: true, force: true }) });
    await writePage(dir);
    server = keep(await startServer({ root: dir, headers: netlifyHeaders() }));
    browser = keep(await launchBrowser());
  });

  test('clean, accessible, and read with its labels', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const { page, problems } = await visit(browser.context, server.url, { allowStatus: noFavicon });
    try {
      await screenshot(page, 'compare-page');
      assertClean('comparison page', problems);
      const violations = await runAxe(page);
      assert.equal(violations.length, 0, formatAxe('comparison page', violations));

      // The accessibility tree: headings with their marks, deletions and insertions labelled.
      const tree = await page.locator('main').ariaSnapshot();
      assert.match(tree, /heading "dodano: Art\. 6a\." \[level=4\]/, tree);
      assert.match(tree, /heading "usunięto: Art\. 11\." \[level=4\]/, tree);
      assert.match(tree, /heading "Rozdział 1\. Przepisy ogólne" \[level=3\]/, tree);
      assert.match(
        tree,
        /text: Zmieniono 1\) zatwierdzanie [^\n]* zgodnie z art\.\n\s*- deletion: "usunięto: 15"\n\s*- insertion: "dodano: 14"\n\s*- text: ust\.\n\s*- deletion: "usunięto: 2"\n\s*- insertion: "dodano: 3"\n/,
        tree,
      );
      assert.match(tree, /text: Zmieniono 3\) jednostki samorządu terytorialnego\n\s*- insertion: "dodano: i sejmiki samorządowe"\n/, tree);
      // A whole block removed or added is announced once, by the label inside <del>/<ins>:
      // its visible label is not in the tree.
      assert.match(tree, /- paragraph:\n\s*- deletion: "usunięto: 4\) państwowe i komunalne jednostki organizacyjne/, tree);
      const text = await page.locator('.cmp-text').ariaSnapshot();
      assert.doesNotMatch(text, /Dodano|Usunięto/, text);
      assert.match(tree, /Zmiany w tekście: 11 akapitów zmienionych, 21 dodanych, 5 usuniętych\./, tree);

      // The jump list is a navigation landmark named by its heading; each link reaches its change.
      const jump = page.getByRole('navigation', { name: 'Spis zmian' });
      const links = jump.getByRole('link');
      assert.equal(await links.count(), 11);
      await links.nth(10).click();
      assert.equal(new URL(page.url()).hash, '#zmiana_11');
      const target = page.locator('#zmiana_11');
      assert.ok(await target.isVisible());
      const box = await target.boundingBox();
      const height = page.viewportSize().height;
      assert.ok(box.y >= -1 && box.y < height, `the change is scrolled into view (y=${box.y})`);

      // A fold opens and shows the unchanged paragraphs it holds.
      const fold = page.locator('details.cmp-fold').first();
      const hidden = fold.locator('p').first();
      assert.equal(await hidden.isVisible(), false);
      await fold.locator('summary').click();
      assert.ok(await hidden.isVisible());
    } finally {
      await page.close();
    }
  });

  test('readable without colour and in print', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const { page, problems } = await visit(browser.context, server.url, { allowStatus: noFavicon });
    try {
      const decoration = (sel) =>
        page.$eval(sel, (el) => {
          const s = getComputedStyle(el);
          return { line: s.textDecorationLine, background: s.backgroundColor, display: s.display };
        });
      for (const media of [{}, { forcedColors: 'active' }, { media: 'print' }]) {
        await page.emulateMedia(media);
        assert.equal((await decoration('.cmp-text del')).line, 'line-through', JSON.stringify(media));
        assert.equal((await decoration('.cmp-text ins')).line, 'underline', JSON.stringify(media));
      }
      // In print: no tint behind the marks, no in-page "back" links; the labels stay.
      await page.emulateMedia({ media: 'print' });
      assert.match((await decoration('.cmp-text del')).background, /^rgba\(\d+, \d+, \d+, 0\)$/);
      assert.equal((await decoration('.cmp-back')).display, 'none');
      assert.notEqual((await decoration('.cmp-changed .cmp-status')).display, 'none');
      const pdf = await page.pdf({ format: 'A4' });
      assert.ok(pdf.length > 10_000 && pdf.subarray(0, 5).toString() === '%PDF-', 'the page prints');
      assertClean('comparison page (print)', problems);
    } finally {
      await page.close();
    }
  });
});
