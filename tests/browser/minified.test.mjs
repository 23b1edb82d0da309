// The shipped in-page search (themes/default/static/js/search.js) is the minified source
// (themes/default/src/search.js) as scripts/minify-js.mjs makes it: an edit of the source
// without `node scripts/minify-js.mjs` fails here, so the browser tests never test stale code.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { SHIPPED, SOURCE, minified } from '../../scripts/minify-js.mjs';

test('the shipped search.js is the minified source', async () => {
  const expected = await minified(await readFile(SOURCE, 'utf8'));
  const shipped = await readFile(SHIPPED, 'utf8');
  assert.ok(shipped === expected, 'themes/default/static/js/search.js is stale: run `node scripts/minify-js.mjs`');
  // And it is smaller, not the source copied.
  assert.ok(shipped.length < (await readFile(SOURCE, 'utf8')).length * 0.7);
});
