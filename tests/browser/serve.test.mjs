// `jawnik serve` in a real browser: the binary serves a temporary copy of the site-ok fixture
// on a free port; an open tab reloads by itself after an edit, shows the build errors in an
// overlay over the last good page when a file is broken, and drops the overlay once fixed.
// Documents are served to the browser with the production Content-Security-Policy
// (netlify.toml) to show that the live-reload script needs no inline code. The served site
// searches as on a real host: typed into the page, records come by byte range (206), also
// from the search folder patched in memory after an edit.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  BUILD_TIMEOUT_MS,
  HOOK_TIMEOUT_MS,
  REPO_ROOT,
  TEST_TIMEOUT_MS,
  copySiteRoot,
  launchBrowser,
  netlifyCsp,
  screenshot,
  searchResults,
  searchSeq,
  waitForSearch,
} from './harness.mjs';
import { typingQuery } from '../../themes/default/static/js/search.js';

const FIXTURE = path.join(REPO_ROOT, 'tests', 'fixtures', 'site-ok');
const PAGE = 'programy/program-ekologiczny/';
const FILE = path.join('content', 'programy', 'program-ekologiczny.md');
const CHANGE_TIMEOUT_MS = 30_000;

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), BUILD_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code}):\n${err}`));
    });
  });
}

/** The jawnik binary: $JAWNIK_BIN, or target/debug/jawnik (built if needed). */
async function jawnikBinary() {
  if (process.env.JAWNIK_BIN) return process.env.JAWNIK_BIN;
  await run('cargo', ['build', '--quiet', '--bin', 'jawnik']);
  const target = process.env.CARGO_TARGET_DIR || path.join(REPO_ROOT, 'target');
  return path.resolve(REPO_ROOT, target, 'debug', 'jawnik');
}

/** Start `jawnik serve --port 0` and wait for the URL it prints. */
async function startServe(bin, root) {
  const child = spawn(bin, ['serve', '--root', root, '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`jawnik serve did not start:\n${log}`)), 120_000);
    child.stderr.on('data', (d) => {
      log += d;
      const m = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('error', (e) => reject(new Error(`could not start ${bin}: ${e.message}`)));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`jawnik serve exited (${code}):\n${log}`));
    });
  });
  return {
    url,
    log: () => log,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Poll a function in the page (across reloads) until it returns true. */
async function waitInPage(page, what, fn, arg) {
  const start = Date.now();
  let last;
  while (Date.now() - start < CHANGE_TIMEOUT_MS) {
    try {
      if (await page.evaluate(fn, arg)) return;
    } catch (e) {
      last = e; // the page is navigating
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not within ${CHANGE_TIMEOUT_MS} ms${last ? ` (${last.message})` : ''}`);
}

describe('jawnik serve', () => {
  let site;
  let server;
  let browser;

  before(
    async () => {
      const bin = await jawnikBinary();
      site = await copySiteRoot(FIXTURE);
      server = await startServe(bin, site.root);
      browser = await launchBrowser();
    },
    { timeout: HOOK_TIMEOUT_MS },
  );

  after(async () => {
    await browser?.close();
    await server?.stop();
    await site?.cleanup();
  });

  test('reloads the tab on edits, shows build errors over the last good page', { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await browser.context.newPage();
    const problems = { csp: [], pageErrors: [] };
    page.on('pageerror', (e) => problems.pageErrors.push(String(e)));
    await page.exposeFunction('__jawnikTestCsp', (v) => problems.csp.push(v));
    await page.addInitScript(() => {
      document.addEventListener(
        'securitypolicyviolation',
        (e) => window.__jawnikTestCsp(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`),
        true,
      );
    });
    const csp = netlifyCsp();
    await page.route(
      (u) => u.origin === new URL(server.url).origin && (u.pathname.endsWith('/') || u.pathname.endsWith('.html')),
      async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': csp } });
      },
    );

    const file = path.join(site.root, FILE);
    const original = readFileSync(file, 'utf8');
    const logOnFailure = (e) => {
      e.message += `\n--- jawnik serve ---\n${server.log()}`;
      throw e;
    };

    const response = await page.goto(server.url + PAGE, { waitUntil: 'load' });
    assert.equal(response.headers()['content-security-policy'], csp, 'the page is served with the production CSP');
    assert.match(await page.locator('main').innerText(), /Krótki program\./);
    assert.equal(await page.locator('script[src^="/__jawnik/live.js"]').count(), 1);

    // An edit: the tab reloads by itself (the mark set on this document is gone) with the new text.
    await page.evaluate(() => (window.__jawnikMark = 1));
    writeFileSync(file, original.replace('Krótki program.', 'Zmieniony program: nowa treść.'));
    await waitInPage(
      page,
      'the tab reloads with the edited text',
      () => !window.__jawnikMark && document.querySelector('main')?.innerText.includes('Zmieniony program: nowa treść.'),
    ).catch(logOnFailure);

    // Broken front matter (invalid TOML): the overlay lists the error, the page is not reloaded
    // and still shows the last good text.
    await page.evaluate(() => (window.__jawnikMark = 2));
    writeFileSync(
      file,
      original.replace('title = "Program', 'title = "Program\nzepsuty').replace('Krótki program.', 'Tego nie widać.'),
    );
    const overlay = page.locator('#jawnik-live-error');
    await overlay.waitFor({ state: 'visible', timeout: CHANGE_TIMEOUT_MS }).catch(logOnFailure);
    const overlayText = await overlay.innerText();
    assert.match(overlayText, /content\/programy\/program-ekologiczny\.md:\d+:/);
    assert.equal(await overlay.getAttribute('role'), 'alert');
    assert.equal(await page.evaluate(() => window.__jawnikMark), 2, 'the page was not reloaded');
    const main = await page.locator('main').innerText();
    assert.match(main, /Zmieniony program: nowa treść\./);
    assert.doesNotMatch(main, /Tego nie widać/);
    await screenshot(page, 'serve-error-overlay');

    // Fixed: the tab reloads, the overlay is gone.
    writeFileSync(file, original.replace('Krótki program.', 'Naprawiony program.'));
    await waitInPage(
      page,
      'the tab reloads without the overlay',
      () =>
        window.__jawnikMark === undefined &&
        document.readyState === 'complete' &&
        !document.getElementById('jawnik-live-error') &&
        document.querySelector('main')?.innerText.includes('Naprawiony program.'),
    ).catch(logOnFailure);

    assert.deepEqual(problems.csp, [], 'no CSP violations');
    assert.deepEqual(problems.pageErrors, [], 'no page errors');
    await page.close();
  });

  test('searches by byte range, also in the search patched after an edit', { timeout: TEST_TIMEOUT_MS }, async () => {
    const file = path.join(site.root, FILE);
    const updates = () => (server.log().match(/^updated /gm) || []).length;
    const updatesBefore = updates();
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nNowy kompostownik przy Plantach.\n`);
    const start = Date.now();
    while (!(await fetch(server.url + PAGE).then((r) => r.text())).includes('kompostownik')) {
      if (Date.now() - start > CHANGE_TIMEOUT_MS) throw new Error(`the edit is not served:\n${server.log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(updates() > updatesBefore, `not an incremental update:\n${server.log()}`);

    const page = await browser.context.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    const records = [];
    page.on('response', (r) => {
      if (r.url().includes('/search/d/')) records.push({ url: r.url(), status: r.status(), range: r.request().headers().range });
    });
    await page.goto(`${server.url}szukaj/`, { waitUntil: 'load' });
    const seq = await searchSeq(page);
    await page.locator('#q').pressSequentially('kompostownik', { delay: 35 });
    assert.equal(await waitForSearch(page, { query: typingQuery('kompostownik'), afterSeq: seq }), 'done');
    const results = await searchResults(page);
    assert.deepEqual(
      results.map((r) => r.href),
      [`/${PAGE}`],
      `results: ${JSON.stringify(results)}`,
    );
    assert.ok(records.length > 0, 'no record file fetched');
    assert.ok(
      records.every((r) => r.status === 206 && r.range && !r.range.startsWith('bytes=0-')),
      `record files fetched whole: ${JSON.stringify(records)}`,
    );
    assert.deepEqual(pageErrors, [], 'no page errors');
    await page.close();
  });
});
