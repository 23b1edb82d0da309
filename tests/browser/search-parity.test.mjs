// The browser's search (search.js + jawnik.wasm over the static search/ folder) ranks exactly
// as `jawnik search` over the same build's index: for every query, the first ten result paths
// agree, in order, and so do the words each result lacks ("Brak: …"), the words found nowhere
// ("Nie znaleziono: …") and the count. Queries: tests/integration/relevance.rs, the relevance set
// tests/relevance/judged.tsv (on its two sites: the example site and the statutes of
// tests/relevance/ustawy/) and a few more. Each site root is copied so that this file's build
// has its own index.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
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
import { noFavicon } from './harness.mjs';

/** The queries of tests/integration/relevance.rs (read from the file: they stay in step). */
function relevanceQueries() {
  const src = readFileSync(path.join(REPO_ROOT, 'tests', 'integration', 'relevance.rs'), 'utf8');
  const table = src.slice(src.indexOf('&['), src.indexOf('fn copy_dir'));
  // Each judged query is the first string of a `("query", &[...])` tuple.
  return [...table.matchAll(/\(\s*"((?:[^"\\]|\\.)*)"\s*,\s*&\[/g)].map((m) => JSON.parse(`"${m[1]}"`));
}

/** The queries of the relevance set tests/relevance/judged.tsv for one of its sites. */
function judgedQueries(site) {
  const text = readFileSync(path.join(REPO_ROOT, 'tests', 'relevance', 'judged.tsv'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => l.split('\t'))
    .filter((f) => f[1] === site)
    .map((f) => f[0]);
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
  'kultura "nowa huta" rewitalizacja',
  'sport seniorzy -kultura',
];

/**
 * Asks `jawnik search --json` and the page of `site` every query; returns the differences.
 * `root` is the site root the CLI reads the index of.
 */
async function compare(browser, site, root, queries) {
  const mismatches = [];
  let withResults = 0;
  let withMissing = 0;
  const { page, problems } = await visit(browser.context, new URL('szukaj/', site.url).href, { allowStatus: noFavicon });
  try {
    for (const q of queries) {
      const cli = JSON.parse(await jawnikCli(['search', '--json', '--limit', '10', '--root', root, q]));
      const expected = cli.results.map((r) => site.mount + r.path);
      if (expected.length) withResults++;
      if (cli.results.some((r) => r.missing.length)) withMissing++;
      await page.goto(new URL(`szukaj/?q=${encodeURIComponent(q)}`, site.url).href);
      const state = await waitForSearch(page, { query: q, afterSeq: 0 });
      const shown = state === 'done' ? await searchResults(page) : [];
      const got = state === 'done' ? shown.map((r) => r.href) : [`(${state})`];
      if (JSON.stringify(got) !== JSON.stringify(expected)) {
        mismatches.push(`${JSON.stringify(q)}:\n    cli:     ${expected.join(' ')}\n    browser: ${got.join(' ')}`);
        continue;
      }
      const cliMissing = cli.results.map((r) => r.missing);
      const pageMissing = shown.map((r) => r.missing);
      if (JSON.stringify(cliMissing) !== JSON.stringify(pageMissing)) {
        mismatches.push(`${JSON.stringify(q)}: missing words ${JSON.stringify(cliMissing)} (cli), ${JSON.stringify(pageMissing)} (browser)`);
      }
      // The count and the notes agree too.
      const status = await page.textContent('#jawnik-search-status');
      if (state === 'done' && cli.total > 0 && !status.includes(`${cli.total} wynik`)) {
        mismatches.push(`${JSON.stringify(q)}: total ${cli.total} (cli), status says ${JSON.stringify(status)}`);
      }
      for (const word of cli.not_found) {
        if (!status.includes(`Nie znaleziono: `) || !status.includes(`„${word}”`)) {
          mismatches.push(`${JSON.stringify(q)}: ${JSON.stringify(word)} not found (cli), status says ${JSON.stringify(status)}`);
        }
      }
    }
    assertClean('parity run', problems);
  } finally {
    await page.close();
  }
  return { mismatches, withResults, withMissing };
}

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
    const queries = [...new Set([...relevanceQueries(), ...judgedQueries('example'), ...EXTRA])];
    assert.ok(relevanceQueries().length >= 30, `only ${relevanceQueries().length} queries read from tests/integration/relevance.rs`);
    assert.ok(judgedQueries('example').length >= 20, `only ${judgedQueries('example').length} example-site queries in judged.tsv`);
    const { mismatches, withResults, withMissing } = await compare(browser, site, copy.root, queries);
    assert.ok(withResults >= 50, `only ${withResults} queries have results: the comparison says little`);
    assert.ok(withMissing >= 20, `only ${withMissing} queries have partial matches in their first ten`);
    assert.deepEqual(mismatches, [], `${mismatches.length} of ${queries.length} queries differ:\n  ${mismatches.join('\n  ')}`);
  });
});

describe('browser search = jawnik search on the statutes of the relevance set', () => {
  let site;
  let browser;
  let copy;
  const ready = setUpSuite(async (keep) => {
    copy = keep(await copySiteRoot(path.join(REPO_ROOT, 'tests', 'relevance', 'ustawy')));
    site = keep(await serveSite({ root: copy.root }));
    browser = keep(await launchBrowser());
  });

  test('the same first ten results and missing words for every judged query', { timeout: 20 * 60 * 1000 }, async () => {
    ready();
    const queries = judgedQueries('ustawy');
    assert.ok(queries.length >= 40, `only ${queries.length} statute queries in judged.tsv`);
    const { mismatches, withResults, withMissing } = await compare(browser, site, copy.root, queries);
    assert.ok(withResults >= 40, `only ${withResults} queries have results`);
    assert.ok(withMissing >= 20, `only ${withMissing} queries have partial matches in their first ten`);
    assert.deepEqual(mismatches, [], `${mismatches.length} of ${queries.length} queries differ:\n  ${mismatches.join('\n  ')}`);
  });
});
