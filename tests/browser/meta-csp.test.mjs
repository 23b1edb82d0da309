// `meta_csp = true` (jawnik.toml), for hosts that cannot send headers (GitHub Pages, GitLab
// Pages): served with no header at all, every page carries netlify.toml's policy in a
// <meta http-equiv> (without frame-ancestors, which a meta policy cannot carry), the search
// typed into the page works under it with no violation, and an injected inline script does
// not run.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  TEST_TIMEOUT_MS,
  assertClean,
  injectedInlineScriptRuns,
  copySiteRoot,
  launchBrowser,
  netlifyCsp,
  searchResults,
  searchSeq,
  serveSite,
  setUpSuite,
  visit,
  waitForSearch,
} from './harness.mjs';
import { typingQuery } from '../../themes/default/static/js/search.js';

import { noFavicon } from './harness.mjs';
const directives = (policy) =>
  Object.fromEntries(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name, values]),
  );

describe('meta_csp = true: the policy in the page, no server headers', () => {
  let site;
  let browser;
  const ready = setUpSuite(async (keep) => {
    const root = keep(await copySiteRoot());
    const config = path.join(root.root, 'jawnik.toml');
    writeFileSync(config, `meta_csp = true\n${readFileSync(config, 'utf8')}`);
    site = keep(await serveSite({ root: root.root, mount: '/ngo/' }));
    browser = keep(await launchBrowser());
  });

  test("every page's meta policy is netlify.toml's without frame-ancestors", { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const expected = directives(netlifyCsp());
    delete expected['frame-ancestors'];
    for (const page of ['', 'szukaj/', 'raporty/', 'konkursy/', '404.html']) {
      const html = readFileSync(path.join(site.dir, page.endsWith('.html') ? page : `${page}index.html`), 'utf8');
      const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/g)];
      assert.equal(metas.length, 1, `${page || 'home'}: ${metas.length} meta policies`);
      assert.deepEqual(directives(metas[0][1].replaceAll('&#x27;', "'").replaceAll('&#39;', "'")), expected, page);
      // Before anything it governs: right after the charset.
      assert.ok(html.indexOf(metas[0][0]) < html.indexOf('<link'), `${page}: the meta comes after a link`);
    }
  });

  test('typed queries work under it with no violation, and an injected inline script does not run', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const { page, response, problems } = await visit(browser.context, `${site.url}szukaj/`, { allowStatus: noFavicon });
    try {
      assert.equal(response.headers()['content-security-policy'], undefined, 'served with a CSP header');
      const text = 'konsultacje spoleczne ';
      const seq = await searchSeq(page);
      await page.locator('#q').pressSequentially(text, { delay: 30 });
      assert.equal(await waitForSearch(page, { query: typingQuery(text), afterSeq: seq }), 'done');
      assert.ok((await searchResults(page)).length > 0, 'no results under the meta policy');
      assertClean('meta_csp search page', problems);
      assert.equal(await injectedInlineScriptRuns(page), false, 'an injected inline script ran');
      assert.ok(problems.csp.some((v) => v.includes('script-src')), 'the browser reported no violation for it');
    } finally {
      await page.close();
    }
  });
});
