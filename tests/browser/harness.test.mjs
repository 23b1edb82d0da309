// Tests of the harness itself on a tiny hand-written site, so that a green browser test
// means something: the server answers like a host would, and the browser checks do catch
// console errors, failed requests, CSP violations and accessibility violations.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  TEST_TIMEOUT_MS,
  describeProblems,
  firstDocumentLink,
  launchBrowser,
  netlifyHeaders,
  netlifyPathHeaders,
  netlifyPattern,
  runAxe,
  sameOriginRefs,
  startServer,
  visit,
} from './harness.mjs';

const PAGE = (title, body, head = '') =>
  `<!doctype html><html lang="pl"><head><meta charset="utf-8"><title>${title}</title>` +
  `<link rel="icon" href="data:,">${head}</head><body><main><h1>${title}</h1>${body}</main></body></html>`;

async function fixture() {
  const dir = await mkdtemp(path.join(tmpdir(), 'jawnik-harness-'));
  const w = (rel, text) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };
  w('index.html', PAGE('Strona główna', '<p><a href="raporty/">Raporty</a></p>', '<link rel="stylesheet" href="style.css">'));
  w('style.css', 'body { font-family: sans-serif; }');
  w('app.js', 'document.body.dataset.ok = "1";');
  w('mod.wasm', Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
  w('atom.xml', '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>');
  w('data.json', '{}');
  w('404.html', PAGE('Nie znaleziono', '<p>Nie ma takiej strony.</p>', '<link rel="stylesheet" href="/style.css">'));
  w(
    'raporty/index.html',
    PAGE('Raporty', '<ul><li><a href="strona/2/">dalej</a></li><li><a href="raport-2024/">Raport 2024</a></li></ul>'),
  );
  w('raporty/raport-2024/index.html', PAGE('Raport 2024', '<p>Treść.</p>'));
  w('broken.html', PAGE('Zepsuta', '<p>x</p><script>console.error("boom"); null.x;</script>', '<link rel="stylesheet" href="missing.css">'));
  w('inline.html', PAGE('Inline', '<p>x</p><script>document.title = "zmieniony";</script><script src="app.js"></script>'));
  w('noalt.html', PAGE('Obrazek', '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'));
  return dir;
}

describe('harness', () => {
  let dir;
  let browser;
  const servers = [];

  before(
    async () => {
      dir = await fixture();
      browser = await launchBrowser();
    },
    { timeout: TEST_TIMEOUT_MS },
  );

  after(async () => {
    for (const s of servers) await s.close();
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function serve(opts) {
    const s = await startServer({ root: dir, ...opts });
    servers.push(s);
    return s;
  }

  test('server: content types, directory index, redirects, 404.html', { timeout: TEST_TIMEOUT_MS }, async () => {
    const s = await serve();
    const get = (p) => fetch(s.origin + p, { redirect: 'manual' });
    const expectType = async (p, type) => {
      const r = await get(p);
      assert.equal(r.status, 200, p);
      assert.equal(r.headers.get('content-type'), type, p);
      await r.arrayBuffer();
    };
    await expectType('/', 'text/html; charset=utf-8');
    await expectType('/style.css', 'text/css; charset=utf-8');
    await expectType('/app.js', 'text/javascript; charset=utf-8');
    await expectType('/mod.wasm', 'application/wasm');
    await expectType('/atom.xml', 'application/xml; charset=utf-8');
    await expectType('/data.json', 'application/json; charset=utf-8');
    await expectType('/raporty/', 'text/html; charset=utf-8');
    const redirect = await get('/raporty');
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.get('location'), '/raporty/');
    const missing = await get('/nie/ma/');
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /Nie znaleziono/);
    const escape = await get('/..%2f..%2fetc/passwd');
    assert.equal(escape.status, 404);
  });

  test('server: sub-path mount and extra headers', { timeout: TEST_TIMEOUT_MS }, async () => {
    const s = await serve({ mount: '/ngo/', headers: { 'X-Test': 'tak' } });
    assert.equal(s.url, `${s.origin}/ngo/`);
    const home = await fetch(s.url);
    assert.equal(home.status, 200);
    assert.equal(home.headers.get('x-test'), 'tak');
    assert.equal((await fetch(`${s.origin}/index.html`)).status, 404);
    assert.equal((await fetch(`${s.origin}/ngo`, { redirect: 'manual' })).status, 301);
    assert.equal((await fetch(`${s.url}raporty/raport-2024/`)).status, 200);
  });

  test('browser: a clean page has no problems; links are found', { timeout: TEST_TIMEOUT_MS }, async () => {
    const s = await serve();
    const { page, response, problems } = await visit(browser.context, s.url + 'raporty/');
    assert.equal(response.status(), 200);
    assert.equal(describeProblems('raporty', problems), '');
    assert.equal(await firstDocumentLink(page, s.url, 'raporty'), `${s.url}raporty/raport-2024/`);
    assert.ok((await sameOriginRefs(page)).every((u) => u.startsWith(s.url)));
    assert.deepEqual(await runAxe(page), []);
    await page.close();
  });

  test('browser: console errors, page errors and failed requests are caught', { timeout: TEST_TIMEOUT_MS }, async () => {
    const s = await serve();
    const { page, problems } = await visit(browser.context, s.url + 'broken.html');
    await page.close();
    assert.ok(problems.console.some((m) => m.includes('boom')), describeProblems('broken', problems));
    assert.equal(problems.pageErrors.length, 1, describeProblems('broken', problems));
    assert.ok(problems.failedRequests.some((m) => m.includes('missing.css') && m.includes('404')));
  });

  test('browser: CSP violations are caught', { timeout: TEST_TIMEOUT_MS }, async () => {
    const s = await serve({ headers: { 'Content-Security-Policy': "default-src 'self'; script-src 'self'" } });
    const { page, problems } = await visit(browser.context, s.url + 'inline.html');
    assert.equal(await page.evaluate(() => document.body.dataset.ok), '1', 'external script must run');
    await page.close();
    assert.ok(problems.csp.length >= 1, describeProblems('inline', problems));
    assert.ok(problems.csp.some((v) => /script-src/.test(v) && v.includes('inline')), describeProblems('inline', problems));
  });

  test('axe: an image without alt text is a violation', { timeout: TEST_TIMEOUT_MS }, async () => {
    const s = await serve();
    const { page } = await visit(browser.context, s.url + 'noalt.html');
    const violations = await runAxe(page);
    await page.close();
    assert.ok(violations.some((v) => v.id === 'image-alt'), JSON.stringify(violations.map((v) => v.id)));
  });

  test('netlify.toml: headers for "/*" are parsed', async () => {
    const file = path.join(dir, 'netlify.toml');
    writeFileSync(
      file,
      [
        '[build]',
        'command = "jawnik build"',
        'publish = "public"',
        '',
        '[[headers]]',
        '  for = "/pliki/*"',
        '  [headers.values]',
        '    X-Robots-Tag = "noindex"',
        '',
        '[[headers]]',
        '  for = "/*"  # everything',
        '  [headers.values]',
        '    X-Content-Type-Options = \'nosniff\'',
        '    Content-Security-Policy = """',
        "      default-src 'self'; \\",
        "      script-src 'self' 'wasm-unsafe-eval'; \\",
        "      style-src 'self'"
        + '"""',
        '',
        '[[redirects]]',
        '  from = "/stare/*"',
        '  to = "/nowe/:splat"',
        '  status = 301',
      ].join('\n'),
    );
    assert.deepEqual(netlifyHeaders(file), {
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'",
    });
    assert.deepEqual(netlifyHeaders(file, '/pliki/*'), { 'X-Robots-Tag': 'noindex' });
    // Per path, as Netlify applies them: every matching block, a later one winning a header.
    const perPath = netlifyPathHeaders(file);
    assert.deepEqual(Object.keys(perPath('/pliki/a/B.PDF')).sort(), ['Content-Security-Policy', 'X-Content-Type-Options', 'X-Robots-Tag']);
    assert.deepEqual(Object.keys(perPath('/raporty/')).sort(), ['Content-Security-Policy', 'X-Content-Type-Options']);
    assert.ok(netlifyPattern('/pliki/*.svg').test('/pliki/a/b.SVG') && !netlifyPattern('/pliki/*.svg').test('/pliki/a.svg.pdf'));
    assert.ok(netlifyPattern('/:section/atom.xml').test('/raporty/atom.xml') && !netlifyPattern('/:section/atom.xml').test('/a/b/atom.xml'));
    writeFileSync(file, '[[headers]]\nfor = "/*"\nvalues = { Content-Security-Policy = "default-src \'none\'" }\n');
    assert.deepEqual(netlifyHeaders(file), { 'Content-Security-Policy': "default-src 'none'" });
  });
});
