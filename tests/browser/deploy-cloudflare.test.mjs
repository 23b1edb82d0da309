// deploy/cloudflare/_headers cannot be served here (Cloudflare Pages reads it): its values are
// checked against netlify.toml's, pattern by pattern, and the /pliki/ rules against the
// attachment policy the tested recipes serve (tests/browser/hosts.mjs).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, netlifyHeaders } from './harness.mjs';
import { ATTACHMENT_HEADERS } from './hosts.mjs';

/** { pattern: { lower-case name: value } } and { pattern: [detached names] }. */
function parse(text) {
  const rules = {};
  const detached = {};
  let pattern = null;
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      pattern = line.trim();
      assert.equal(rules[pattern], undefined, `${pattern} twice`);
      rules[pattern] = {};
      detached[pattern] = [];
    } else if (line.trim().startsWith('!')) {
      detached[pattern].push(line.trim().slice(1).trim().toLowerCase());
    } else {
      const [, name, value] = /^\s+([^:]+):\s*(.*)$/.exec(line);
      rules[pattern][name.toLowerCase()] = value;
    }
  }
  return { rules, detached };
}

const lower = (headers) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

test('_headers sets what netlify.toml sets, for each of its patterns', () => {
  const { rules } = parse(readFileSync(path.join(REPO_ROOT, 'deploy/cloudflare/_headers'), 'utf8'));
  const patterns = ['/*', '/css/*', '/js/*', '/search/t/*', '/search/p/*', '/search/l/*', '/search/d/*', '/*.xml', '/*.ics'];
  for (const pattern of patterns) assert.deepEqual(rules[pattern], lower(netlifyHeaders(undefined, pattern)), pattern);
  assert.ok(Object.keys(rules).length <= 100, 'Cloudflare Pages takes at most 100 rules');
});

test('_headers: attachments sandboxed, active types downloaded, what /* sets detached first', () => {
  const { rules, detached } = parse(readFileSync(path.join(REPO_ROOT, 'deploy/cloudflare/_headers'), 'utf8'));
  const { 'x-content-type-options': nosniff, ...own } = ATTACHMENT_HEADERS;
  assert.deepEqual(rules['/pliki/*'], own);
  assert.equal(rules['/*']['x-content-type-options'], nosniff);
  assert.deepEqual(detached['/pliki/*'].sort(), Object.keys(own).sort());
  for (const ext of ['html', 'htm', 'xhtml', 'xht', 'svg', 'svgz', 'xml', 'js', 'mjs']) {
    for (const e of [ext, ext.toUpperCase()]) assert.deepEqual(rules[`/pliki/*.${e}`], { 'content-disposition': 'attachment' }, e);
  }
});
