// The security headers netlify.toml sets for "/*" are present, strict, and do what they say in
// Chromium: no inline script runs, the site cannot be framed by another origin, a file is
// not sniffed into another type, and the search (WebAssembly) still works under them.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  TEST_TIMEOUT_MS,
  injectedInlineScriptRuns,
  launchBrowser,
  netlifyHeaders,
  netlifyPathHeaders,
  searchResults,
  serveSite,
  startServer,
  visit,
  waitForSearch,
  setUpSuite,
} from './harness.mjs';

describe('netlify.toml headers', () => {
  let site;
  let browser;
  const ready = setUpSuite(async (keep) => {
    site = keep(await serveSite({ headers: netlifyPathHeaders() }));
    browser = keep(await launchBrowser());
  });

  test('every header is set and strict', () => {
    ready();
    const h = Object.fromEntries(Object.entries(netlifyHeaders()).map(([k, v]) => [k.toLowerCase(), v]));
    assert.equal(h['x-content-type-options'], 'nosniff');
    assert.equal(h['x-frame-options'], 'DENY');
    assert.equal(h['referrer-policy'], 'strict-origin-when-cross-origin');
    for (const feature of ['camera=()', 'microphone=()', 'geolocation=()', 'payment=()', 'usb=()']) {
      assert.ok(h['permissions-policy'].includes(feature), `Permissions-Policy lacks ${feature}`);
    }
    const csp = Object.fromEntries(
      h['content-security-policy'].split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([k, ...v]) => [k, v]),
    );
    assert.deepEqual(csp['default-src'], ["'self'"]);
    assert.deepEqual(csp['script-src'], ["'self'", "'wasm-unsafe-eval'"]);
    assert.deepEqual(csp['object-src'], ["'none'"]);
    assert.deepEqual(csp['frame-ancestors'], ["'none'"]);
    assert.deepEqual(csp['base-uri'], ["'self'"]);
    assert.deepEqual(csp['form-action'], ["'self'"]);
    assert.ok(!h['content-security-policy'].includes('unsafe-inline'), 'no unsafe-inline');
    assert.ok(!/unsafe-eval'/.test(h['content-security-policy'].replace("'wasm-unsafe-eval'", '')), 'no unsafe-eval');
  });

  test('served with them, inline script is blocked and the search still works', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    const { page, response, problems } = await visit(browser.context, new URL('szukaj/?q=kultura', site.url).href);
    try {
      const headers = response.headers();
      for (const name of ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy', 'permissions-policy']) {
        assert.ok(headers[name], `${name} missing from the response`);
      }
      assert.equal(await waitForSearch(page), 'done');
      assert.ok((await searchResults(page)).length > 0, 'the WebAssembly search runs under the CSP');
      assert.deepEqual(problems.csp, [], 'the site itself violates nothing');
      // An injected inline script (what an XSS would be) does not run.
      assert.equal(await injectedInlineScriptRuns(page), false, 'an injected inline script ran');
    } finally {
      await page.close();
    }
  });

  test('another origin cannot frame the site', { timeout: TEST_TIMEOUT_MS }, async () => {
    ready();
    // A page on another port (another origin) that frames the site's home page.
    const target = site.url;
    const dir = await mkdtemp(path.join(tmpdir(), 'jawnik-framer-'));
    writeFileSync(path.join(dir, 'index.html'), `<!doctype html><title>framer</title><iframe id="f" src="${target}"></iframe>`);
    const framer = await startServer({ root: dir });
    const page = await browser.context.newPage();
    try {
      await page.goto(framer.url, { waitUntil: 'load' });
      await page.waitForTimeout(500);
      const frame = page.frames().find((f) => f !== page.mainFrame());
      const framedTitle = frame ? await frame.title().catch(() => '') : '';
      const siteTitle = await (async () => {
        const p = await browser.context.newPage();
        try {
          await p.goto(target);
          return await p.title();
        } finally {
          await p.close();
        }
      })();
      assert.ok(siteTitle.length > 0);
      assert.notEqual(framedTitle, siteTitle, 'the site rendered inside a frame of another origin');
    } finally {
      await page.close();
      await framer.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
