// The browser's search (search.js + jawnik.wasm over the static search/ folder) ranks exactly
// as `jawnik search` over the same build's index: for every query, the first ten result paths
// agree, in order. The site root is copied so that this file's build has its own index.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  REPO_ROOT,
  assertClean,
  copySiteRoot,
  jawnikCli,
  launchBrowser,
  searchResults,
  serveSite,
  visit,
  waitForSearch,
  setUpSuite,
} from './harness.mjs';

// The theme has no favicon: chromium's own request for /favicon.ico is not the search's doing.
const noFavicon = (url, status) => status === 404 && new URL(url).pathname.endsWith('/favicon.ico');

/** The queries of tests/relevance.rs (read from the file: they stay in step). */
function relevanceQueries() {
  const src = readFileSync(path.join(REPO_ROOT, 'tests', 'relevance.rs'), 'utf8');
  const table = src.slice(src.indexOf('&['), src.indexOf('fn copy_dir'));
  // Each judged query is the first string of a `("query", &[...])` tuple.
  return [...table.matchAll(/\(\s*"((?:[^"\\]|\\.)*)"\s*,\s*&\[/g)].map((m) => JSON.parse(`"${m[1]}"`));
}

const EXTRA = [
  'konsultacjach',
  'konsultacji',
  'konsultacje',
  'mieszkancow',
  'mieszkańców',
  'zrodla',
  'źródła finansowania',
  'zrodlach finansowania',
  'łódź',
  'rewitalizacjq',
  'organizacji pozarzadowych',
  'organizacje pozarządowe',
  'dzielnicy',
  'nowej huty',
  'kulturalnych',
  'seniorow',
  'niepelnosprawnosci',
  'wspolpracy',
  'krakowa',
  'dotacje',
  '"nowa huta"',
  'kultura -sztuka',
  'sport OR seniorzy',
  'konsult*',
  'siemacha qqqqzzzz',
  'strategii rozwoju',
  'budżet obywatelski',
  'mlodziez',
  'edukacja',
  '2018',
];

describe('browser search = jawnik search (top 10)', () => {
  let site;
  let browser;
  let copy;
  const ready = setUpSuite(async (keep) => {
    copy = keep(await copySiteRoot());
    site = keep(await serveSite({ root: copy.root }));
    browser = keep(await launchBrowser());
  });

  test('the same first ten results, in the same order, for every query', { timeout: 20 * 60 * 1000 }, async () => {
    ready();
    const queries = [...new Set([...relevanceQueries(), ...EXTRA])];
    assert.ok(relevanceQueries().length >= 30, `only ${relevanceQueries().length} queries read from tests/relevance.rs`);
    const mismatches = [];
    let withResults = 0;
    const { page, problems } = await visit(browser.context, new URL('szukaj/', site.url).href, { allowStatus: noFavicon });
    try {
      for (const q of queries) {
        const cli = JSON.parse(await jawnikCli(['search', '--json', '--limit', '10', '--root', copy.root, q]));
        const expected = cli.results.map((r) => site.mount + r.path);
        if (expected.length) withResults++;
        await page.goto(new URL(`szukaj/?q=${encodeURIComponent(q)}`, site.url).href);
        const state = await waitForSearch(page, { query: q, afterSeq: 0 });
        const got = state === 'done' ? (await searchResults(page)).map((r) => r.href) : [`(${state})`];
        if (JSON.stringify(got) !== JSON.stringify(expected)) {
          mismatches.push(`${JSON.stringify(q)}:\n    cli:     ${expected.join(' ')}\n    browser: ${got.join(' ')}`);
        }
        // The count and the notes agree too.
        const status = await page.textContent('#jawnik-search-status');
        if (state === 'done' && cli.total > 0 && !status.includes(`${cli.total} wynik`)) {
          mismatches.push(`${JSON.stringify(q)}: total ${cli.total} (cli), status says ${JSON.stringify(status)}`);
        }
      }
      assertClean('parity run', problems);
    } finally {
      await page.close();
    }
    assert.ok(withResults >= 30, `only ${withResults} queries have results: the comparison says little`);
    assert.deepEqual(mismatches, [], `${mismatches.length} of ${queries.length} queries differ:\n  ${mismatches.join('\n  ')}`);
  });
});
