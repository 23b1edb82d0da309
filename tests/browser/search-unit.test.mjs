// The pure parts of the in-page search (themes/default/src/search.js, as shipped: minified), run in node:
// plural forms by the browser's CLDR rules, messages filled in, the query typed as a prefix, the
// request text, the state in the URL. The messages here are a fixture shaped like a locale
// file's `search.*`/`date.*` keys (the real ones are checked in the built pages:
// search.test.mjs, locales.test.mjs).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  activeFilterCount,
  buildRequest,
  countSentence,
  emptyState,
  fill,
  fillNodes,
  formatDate,
  hasFilters,
  labelFromSlug,
  setMessages,
  searchFromState,
  stateFromSearch,
  typingQuery,
} from '../../themes/default/static/js/search.js';

describe('search.js helpers', () => {
  const count = {
    pl: { one: 'Znaleziono {count} wynik.', few: 'Znaleziono {count} wyniki.', many: 'Znaleziono {count} wyników.', other: 'Znaleziono {count} wyniku.' },
    uk: { one: 'Знайдено {count} результат.', few: 'Знайдено {count} результати.', many: 'Знайдено {count} результатів.', other: 'Знайдено {count} результату.' },
    en: { one: '{count} result found.', other: '{count} results found.' },
  };
  const use = (lang) => setMessages({
    'search.none': 'none', 'search.count': count[lang],
    'date.format': '{day} {month} {year}',
    'date.months_genitive': ['stycznia', 'lutego', 'marca', 'kwietnia', 'maja', 'czerwca', 'lipca', 'sierpnia', 'września', 'października', 'listopada', 'grudnia'],
  }, lang);

  test('plural forms by the CLDR rules of the page language', () => {
    use('pl');
    const pl = { 1: 'wynik.', 2: 'wyniki.', 4: 'wyniki.', 5: 'wyników.', 12: 'wyników.', 13: 'wyników.', 21: 'wyników.', 22: 'wyniki.', 25: 'wyników.', 102: 'wyniki.', 112: 'wyników.' };
    for (const [n, end] of Object.entries(pl)) assert.equal(countSentence(Number(n)), `Znaleziono ${n} ${end}`, `pl n=${n}`);
    assert.equal(countSentence(3), 'Znaleziono 3 wyniki.');
    assert.equal(countSentence(1), 'Znaleziono 1 wynik.');
    assert.equal(countSentence(13), 'Znaleziono 13 wyników.');
    assert.equal(countSentence(0), 'none');
    use('uk');
    const uk = { 1: 'результат.', 2: 'результати.', 5: 'результатів.', 11: 'результатів.', 21: 'результат.', 22: 'результати.', 25: 'результатів.' };
    for (const [n, end] of Object.entries(uk)) assert.equal(countSentence(Number(n)), `Знайдено ${n} ${end}`, `uk n=${n}`);
    use('en');
    assert.equal(countSentence(1), '1 result found.');
    assert.equal(countSentence(2), '2 results found.');
    assert.equal(countSentence(21), '21 results found.');
  });

  test('messages filled in, as text or around DOM nodes', () => {
    assert.equal(fill('Pokazano {shown} z {count}.', { shown: 10, count: 25 }), 'Pokazano 10 z 25.');
    assert.equal(fill('{unknown} stays', {}), '{unknown} stays');
    const node = { node: true };
    assert.deepEqual(fillNodes('Brak wyników dla {query}. Sprawdź.', { query: node }), ['Brak wyników dla ', node, '. Sprawdź.']);
  });

  test('the last word is a prefix while typing', () => {
    const cases = [
      ['konsult', 'konsult OR konsult*'],
      ['nowa hut', 'nowa hut OR hut*'],
      ['nowa hu', 'nowa hu'], // two letters: a prefix from three
      ['nowa huta ', 'nowa huta '],
      ['k', 'k'], // one letter
      ['2018', '2018'], // no letters
      ['źró', 'źró OR źró*'],
      ['źr', 'źr'],
      ['kultura OR spo', 'kultura OR spo OR spo*'],
      // A phrase whose quotation mark is not closed yet: its words, the last one a prefix.
      ['"nowa hut', ' nowa hut OR hut*'],
      ['"nowa hu', ' nowa hu'],
      ['"', ''],
      ['"nowa huta" "rada mi', '"nowa huta"  rada mi'],
      ['"nowa huta"', '"nowa huta"'],
      ['kultura -sztu', 'kultura -sztu'],
      ['kultura OR', 'kultura OR'],
      ['sport*', 'sport*'],
      ['kultura,', 'kultura,'],
      ['', ''],
    ];
    for (const [typed, sent] of cases) assert.equal(typingQuery(typed), sent, JSON.stringify(typed));
  });

  test('request text', () => {
    use('pl');
    const s = emptyState();
    s.q = 'konsultacje';
    s.filters.kind = ['raport'];
    s.filters.sector = ['kultura', 'seniorzy'];
    s.from = '2018-01-01';
    s.sort = 'date';
    assert.equal(
      buildRequest(s, { offset: 10 }),
      'q=konsultacje\nfilter=kind:raport\nfilter=sector:kultura\nfilter=sector:seniorzy\nfrom=2018-01-01\nsort=date\noffset=10\nlimit=10',
    );
    s.q = 'a\nb';
    assert.match(buildRequest(s), /^q=a b\n/);
    // A page in another language asks for its language first (a Polish page: no line).
    use('uk');
    assert.equal(buildRequest(emptyState()), 'q=\nsort=relevance\noffset=0\nlimit=10\nlang=uk');
    use('en');
    assert.match(buildRequest(emptyState()), /\nlang=en$/);
    use('pl');
  });

  test('versions: the latest only on a site with versions, unless archival ones are asked for', () => {
    use('pl');
    const s = emptyState();
    s.q = 'program';
    // A site without versions (no checkbox): no version filter, no facet table to fetch.
    assert.equal(buildRequest(s), 'q=program\nsort=relevance\noffset=0\nlimit=10');
    assert.equal(buildRequest(s, { versioned: true }), 'q=program\nfilter=version:latest\nsort=relevance\noffset=0\nlimit=10');
    s.archival = true;
    assert.equal(buildRequest(s, { versioned: true }), 'q=program\nsort=relevance\noffset=0\nlimit=10');
    assert.equal(searchFromState(s), '?q=program&archiwalne=1');
    assert.deepEqual(stateFromSearch('?q=program&archiwalne=1'), s);
    assert.equal(stateFromSearch('?q=program&archiwalne=0').archival, false);
    // Not a filter of the panel: it does not open it.
    assert.equal(hasFilters(s), false);
  });

  test('state in the URL round-trips', () => {
    const s = stateFromSearch('?q=lodz&kind=raport&kind=program&sector=kultura&from=2018-01-01&to=bad&sort=date');
    assert.equal(s.q, 'lodz');
    assert.deepEqual(s.filters.kind, ['raport', 'program']);
    assert.deepEqual(s.filters.sector, ['kultura']);
    assert.equal(s.from, '2018-01-01');
    assert.equal(s.to, '');
    assert.equal(s.sort, 'date');
    assert.equal(searchFromState(s), '?q=lodz&kind=raport&kind=program&sector=kultura&from=2018-01-01&sort=date');
    assert.deepEqual(stateFromSearch(searchFromState(s)), s);
    assert.equal(searchFromState(emptyState()), '');
    assert.equal(stateFromSearch('?q=%C5%BAr%C3%B3d%C5%82a+finansowania').q, 'źródła finansowania');
  });

  test('which URLs open the filters at once, and how many filters are in use', () => {
    // Only a query (and sort by relevance, the default) keeps them closed: no facet table.
    for (const q of ['', '?q=lodz', '?q=lodz&sort=relevance', '?q=lodz&from=bad&kind=']) {
      assert.equal(hasFilters(stateFromSearch(q)), false, q);
      assert.equal(activeFilterCount(stateFromSearch(q)), 0, q);
    }
    const cases = { '?q=x&kind=raport': 1, '?sort=date': 1, '?from=2018-01-01': 1, '?to=2018-12-31': 1, '?q=x&kind=raport&kind=program&sector=kultura&from=2018-01-01&to=2019-01-01&sort=date': 6, '?year=2018': 1 };
    for (const [q, n] of Object.entries(cases)) {
      assert.equal(hasFilters(stateFromSearch(q)), true, q);
      assert.equal(activeFilterCount(stateFromSearch(q)), n, q);
    }
  });

  test('dates and labels', () => {
    use('pl');
    assert.equal(formatDate('2018-06-07'), '7 czerwca 2018');
    assert.equal(formatDate('2019-12-31'), '31 grudnia 2019');
    assert.equal(formatDate(null), '');
    assert.equal(labelFromSlug('mlodziez-i-edukacja'), 'Mlodziez i edukacja');
  });
});
