// jawnik: full-text search in the page, run by the WebAssembly engine (search/jawnik.wasm)
// over the static index in search/ (docs/browser-search.md is the contract).
//
// Two parts: `Engine` (loads the module and meta.json, runs requests, fetches the chunks an
// answer asks for) and the UI of /szukaj/ (results as you type, filters, the state in the URL).
// The filters are a disclosure, closed by default: their counts need the facet table (a file
// that grows with the site), so it is fetched only once someone opens them, or when the URL
// already filters, sorts by date or has a date range (the engine needs the table for those).
// No dependencies, no inline scripts (the site runs under script-src 'self'), and every piece
// of result markup is built with DOM APIs: titles and snippets are untrusted text.
// No interface text either: the page carries the messages of the site's language (the theme's
// locale file, `search.*` and `date.*` keys) as JSON in `<script type="application/json"
// id="jawnik-messages">`, and plural forms are chosen by the browser's CLDR rules
// (`Intl.PluralRules` for `<html lang>`).

export const FACETS = ['kind', 'sector', 'district', 'status', 'year'];
export const PAGE_SIZE = 10;
const MAX_ROUNDS = 16;
const DEBOUNCE_MS = 120;
/** Shortest query searched while typing (Enter searches any). */
const MIN_TYPED_CHARS = 2;

const KIND_ORDER = ['strategia', 'program', 'raport', 'postulat', 'konkurs', 'organizacja', 'kontakt', 'sekcja'];

/** The messages of the page's language (key → text, list, or {one, few, many, other}). */
let messages = {};
/** The page's language, for plural rules and sorting. */
let language = 'pl';

/** Use these messages (`search.*`, `date.*` keys of a locale file) in this language. */
export function setMessages(m, lang) {
  messages = m && typeof m === 'object' ? m : {};
  if (lang) language = lang;
}

/** The text of a message key (the key itself when the page has none: a theme's bug, visible). */
export function msg(key) {
  const v = messages[key];
  return typeof v === 'string' ? v : key;
}

/** `{name}` in a message replaced by its value. */
export function fill(text, values = {}) {
  return text.replace(/\{(\w+)\}/g, (all, name) => (name in values ? String(values[name]) : all));
}

/** A message with `{name}` replaced by DOM nodes or strings: the pieces, for `append`. */
export function fillNodes(text, values) {
  return text.split(/(\{\w+\})/).filter((p) => p !== '').map((p) => {
    const m = /^\{(\w+)\}$/.exec(p);
    return m && m[1] in values ? values[m[1]] : p;
  });
}

/** The plural message `key` for `n` (the CLDR category of `n` in the page's language). */
export function plural(key, n, values = {}) {
  const forms = messages[key];
  if (!forms || typeof forms !== 'object') return fill(msg(key), { count: n, ...values });
  const category = new Intl.PluralRules(language).select(n);
  return fill(forms[category] ?? forms.other ?? key, { count: n, ...values });
}

// ---------------------------------------------------------------------------------------
// Pure helpers (exported for tests)

/** The live-region sentence for a result count ("Znaleziono 3 wyniki."); with `exact`
 * false, for an estimate ("Znaleziono około 46 000 wyników."): the engine ranked the first
 * page without counting every match (`"exact": false` in its answer). */
export function countSentence(n, exact = true) {
  if (n === 0) return msg('search.none');
  if (!exact) return pluralAbout('search.count_about', n);
  return plural('search.count', n);
}

/** The plural message `key` for an estimated count `n`, rounded and formatted. */
export function pluralAbout(key, n, values = {}) {
  const about = roughly(n);
  return plural(key, about, { ...values, count: formatCount(about) });
}

/** An estimated count to two significant digits (46 073 → 46 000): no more is known. */
export function roughly(n) {
  if (n < 100) return n;
  const unit = 10 ** (Math.floor(Math.log10(n)) - 1);
  return Math.round(n / unit) * unit;
}

/** A count as the page's language writes it ("46 000"). */
export function formatCount(n) {
  return new Intl.NumberFormat(language).format(n);
}

/** '2018-06-07' → '7 czerwca 2018' (as the site prints dates: `date.format`). */
export function formatDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  if (!m) return iso || '';
  const month = Number(m[2]);
  const months = messages['date.months_genitive'];
  if (month < 1 || month > 12 || !Array.isArray(months)) return iso;
  return fill(msg('date.format'), { day: Number(m[3]), month: months[month - 1], year: m[1] });
}

/**
 * The query as typed, for a search while typing: the last word is also searched as a prefix
 * (`word OR word*`: the prefix alone would lose the word's other inflected forms, which the
 * engine finds for whole words only) unless the input ends with a space, the word is inside
 * quotes, already has a `*`, is an exclusion (`-word`) or `OR`, or has fewer than three
 * letters (a two-letter prefix such as "po" would fetch the terms of a large part of the
 * language for results nobody wants). A phrase still being typed (its quotation mark not
 * closed yet) is searched as its words: the phrase itself once it is closed, so that each
 * keystroke does not fetch the positions of half-typed words. The engine does not correct a
 * word searched with its own prefix while the prefix matches (it is unfinished, not mistyped).
 */
export function typingQuery(q) {
  let text = q.replace(/[\r\n]+/g, ' ');
  if (!text.trim()) return text;
  const quotes = (text.match(/"/g) || []).length;
  if (quotes % 2 === 1) {
    const open = text.lastIndexOf('"');
    text = `${text.slice(0, open)} ${text.slice(open + 1)}`;
    if (!text.trim()) return '';
  }
  if (/\s$/.test(text)) return text;
  const word = /(\S+)$/.exec(text)[1];
  if (word.includes('"') || word.includes('*') || word.startsWith('-') || word === 'OR') return text;
  if (!/[\p{L}\p{N}]$/u.test(word)) return text;
  if ((word.match(/\p{L}/gu) || []).length < 3) return text;
  return `${text} OR ${word}*`;
}

/**
 * The request text (docs/browser-search.md) for a search state. `versioned`: the site has
 * earlier versions of documents, shown only when the state asks for them (`archival`; else
 * the `version` facet's `latest`, as `jawnik search --versions latest`).
 */
export function buildRequest(state, { query, offset = 0, limit = PAGE_SIZE, versioned = false } = {}) {
  const clean = (s) => String(s).replace(/[\r\n]+/g, ' ');
  const lines = [`q=${clean(query ?? state.q)}`];
  for (const facet of FACETS) {
    for (const v of state.filters[facet] || []) lines.push(`filter=${facet}:${clean(v)}`);
  }
  if (versioned && !state.archival) lines.push('filter=version:latest');
  if (isDate(state.from)) lines.push(`from=${state.from}`);
  if (isDate(state.to)) lines.push(`to=${state.to}`);
  lines.push(`sort=${state.sort === 'date' ? 'date' : 'relevance'}`);
  lines.push(`offset=${offset}`);
  lines.push(`limit=${limit}`);
  // The page's language is searched first (a Polish page: the default, no line).
  if (language !== 'pl') lines.push(`lang=${clean(language)}`);
  return lines.join('\n');
}

function isDate(s) {
  return typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s);
}

/** Whether a state narrows or orders the results by facets or dates (then the filters start open). */
export function hasFilters(s) {
  return activeFilterCount(s) > 0;
}

/** How many filter settings differ from the defaults: facet values, each date bound, sort by date. */
export function activeFilterCount(s) {
  let n = 0;
  for (const f of FACETS) n += (s.filters[f] || []).length;
  if (s.from) n++;
  if (s.to) n++;
  if (s.sort === 'date') n++;
  return n;
}

export function emptyState() {
  return {
    q: '',
    filters: Object.fromEntries(FACETS.map((f) => [f, []])),
    from: '',
    to: '',
    sort: 'relevance',
    archival: false,
  };
}

/** Search state from a query string (`?q=…&kind=raport&sector=kultura&from=…&sort=date`). */
export function stateFromSearch(search) {
  const p = new URLSearchParams(search);
  const s = emptyState();
  s.q = p.get('q') || '';
  for (const f of FACETS) s.filters[f] = [...new Set(p.getAll(f).filter((v) => v !== ''))];
  s.from = isDate(p.get('from')) ? p.get('from') : '';
  s.to = isDate(p.get('to')) ? p.get('to') : '';
  s.sort = p.get('sort') === 'date' ? 'date' : 'relevance';
  s.archival = p.get('archiwalne') === '1';
  return s;
}

/** The query string for a state ('' or '?…'). */
export function searchFromState(s) {
  const p = new URLSearchParams();
  if (s.q) p.set('q', s.q);
  for (const f of FACETS) for (const v of s.filters[f]) p.append(f, v);
  if (s.from) p.set('from', s.from);
  if (s.to) p.set('to', s.to);
  if (s.sort === 'date') p.set('sort', 'date');
  if (s.archival) p.set('archiwalne', '1');
  const str = p.toString();
  return str ? `?${str}` : '';
}

/** 'mlodziez-i-edukacja' → 'Mlodziez i edukacja' (when meta.json has no names). */
export function labelFromSlug(slug) {
  const s = String(slug).replace(/[-_]+/g, ' ').trim();
  return s ? s[0].toLocaleUpperCase('pl') + s.slice(1) : String(slug);
}

// ---------------------------------------------------------------------------------------
// The engine runtime

export class StaleIndexError extends Error {
  constructor(detail) {
    super(msg('search.stale') + (detail ? ` (${detail})` : ''));
    this.name = 'StaleIndexError';
  }
}
export class SupersededError extends Error {
  constructor() {
    super('superseded by a newer search');
    this.name = 'SupersededError';
  }
}
export class QueryError extends Error {
  constructor(message) {
    super(message);
    this.name = 'QueryError';
  }
}
export class NetworkError extends Error {
  constructor(message) {
    super(message);
    this.name = 'NetworkError';
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Fetches a raw-DEFLATE file and inflates it with the browser's DecompressionStream. */
async function fetchInflated(url) {
  const packed = await fetchBytes(url);
  const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Base64 text → bytes; null when it is not a string of base64. */
function fromBase64(text) {
  if (typeof text !== 'string') return null;
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

async function fetchBytes(url, init) {
  const res = await fetchResponse(url, init);
  return new Uint8Array(await res.arrayBuffer());
}

/** fetch(), with a network failure as NetworkError and an HTTP error status as Error. */
async function fetchResponse(url, init) {
  let res;
  try {
    res = await fetch(url, init);
  } catch (e) {
    throw new NetworkError(`${url}: ${e.message}`);
  }
  if (!res.ok) {
    const err = new Error(`${url}: HTTP ${res.status}`);
    err.status = res.status;
    throw err;
  }
  return res;
}

export class Engine {
  /** @param {string} indexUrl the URL of the search/ folder, ending with '/' */
  constructor(indexUrl) {
    this.indexUrl = indexUrl.endsWith('/') ? indexUrl : `${indexUrl}/`;
    this.meta = null;
    this.exports = null;
    this.ready = null;
    this.broken = null; // a StaleIndexError once the index changed under the page
    this.loaded = new Set();
    this.inflight = new Map();
    // Whether the host answers Range requests: assumed until a ranged fetch gets the whole
    // file (then whole files are asked for); `rangesSeen` once one got its range.
    this.ranges = true;
    this.rangesSeen = false;
    // Until the host is seen to answer ranges, a second range of a file waits for the first
    // ranged answer (of any file): a range, then it goes; else it waits for its file's first
    // fetch, which loads the whole file (a host without ranges would send it once per range).
    this.firstRange = new Map(); // per file, its first ranged fetch
    this.rangeAnswered = new Promise((resolve) => { this.onRangeAnswer = resolve; });
    this.queue = Promise.resolve();
    this.generation = 0;
  }

  /** Load the module and meta.json (once). */
  start() {
    if (!this.ready) this.ready = this._init();
    return this.ready;
  }

  async _init() {
    // meta.json names everything else, so it is never taken from the HTTP cache.
    const metaJson = await fetchBytes(`${this.indexUrl}meta.json`, { cache: 'no-cache' });
    try {
      this.meta = JSON.parse(decoder.decode(metaJson));
    } catch {
      this.meta = null;
    }
    const named = (key) => (this.meta && typeof this.meta[key] === 'string' && /^[\w./-]+$/.test(this.meta[key]) ? this.meta[key] : null);
    // docs/browser-search.md: meta.json names the module (`wasm`) and the meta file that
    // jw_init takes (`meta`).
    const wasmName = named('wasm');
    const initName = named('meta');
    if (!wasmName || !initName) throw new Error('meta.json names no module or no meta file');
    // The same module compressed (raw DEFLATE), inflated by the browser where it can: a third
    // of the transfer, on hosts that do not compress.
    const packedName = typeof DecompressionStream === 'function' ? named('wasm_deflate') : null;
    // meta.json carries the meta file's bytes too (base64): no second round trip for them.
    const inline = fromBase64(this.meta.meta_inline);
    const [wasm, initBytes] = await Promise.all([
      // Bytes, not instantiateStreaming: hosts that serve .wasm with another MIME type work too.
      packedName ? fetchInflated(this.indexUrl + packedName) : fetchBytes(this.indexUrl + wasmName),
      inline || fetchBytes(this.indexUrl + initName),
    ]);
    const module = await WebAssembly.compile(wasm);
    // No wasm-bindgen: the module should import nothing; should it import functions, give
    // it stubs that say what was called rather than failing to instantiate.
    const imports = {};
    for (const imp of WebAssembly.Module.imports(module)) {
      if (imp.kind !== 'function') continue;
      imports[imp.module] ||= {};
      imports[imp.module][imp.name] = () => {
        throw new Error(`jawnik.wasm called the missing import ${imp.module}.${imp.name}`);
      };
    }
    const instance = await WebAssembly.instantiate(module, imports);
    this.exports = instance.exports;
    for (const name of ['memory', 'jw_alloc', 'jw_free', 'jw_init', 'jw_load', 'jw_search', 'jw_answer_ptr', 'jw_answer_len']) {
      if (!(name in this.exports)) throw new Error(`jawnik.wasm does not export ${name}`);
    }
    const status = this._withBytes(initBytes, (p, n) => this.exports.jw_init(p, n));
    if (status !== 0) {
      let detail = '';
      try {
        detail = `: ${this._answer().message}`;
      } catch {}
      throw new Error(`jw_init returned ${status}${detail}`);
    }
  }

  /** Copy bytes into the module's memory, call fn(ptr, len), free them. */
  _withBytes(bytes, fn) {
    const x = this.exports;
    const len = bytes.length;
    const size = Math.max(len, 1);
    const ptr = x.jw_alloc(size) >>> 0;
    try {
      // A fresh view: the allocation may have grown (and so replaced) the memory buffer.
      new Uint8Array(x.memory.buffer, ptr, len).set(bytes);
      return fn(ptr, len) >>> 0;
    } finally {
      x.jw_free(ptr, size);
    }
  }

  _answer() {
    const x = this.exports;
    const ptr = x.jw_answer_ptr() >>> 0;
    const len = x.jw_answer_len() >>> 0;
    const text = decoder.decode(new Uint8Array(x.memory.buffer, ptr, len).slice());
    return JSON.parse(text);
  }

  /**
   * Run a request (text, see buildRequest). Searches run one at a time; a newer call
   * supersedes an older one, which then rejects with SupersededError at its next step.
   */
  search(request) {
    const gen = ++this.generation;
    const run = this.queue.then(() => this._run(request, gen));
    this.queue = run.catch(() => {});
    return run;
  }

  /** Whether a newer search was asked for after this one. */
  _check(gen) {
    if (gen !== this.generation) throw new SupersededError();
  }

  async _run(request, gen) {
    this._check(gen);
    await this.start();
    if (this.broken) throw this.broken;
    this._check(gen);
    for (let round = 0; ; round++) {
      const bytes = encoder.encode(`${request}\nranges=${this.ranges ? 1 : 0}`);
      const status = this._withBytes(bytes, (p, n) => this.exports.jw_search(p, n));
      let answer;
      try {
        answer = this._answer();
      } catch (e) {
        throw new Error(`jw_search returned ${status} and no readable answer: ${e.message}`);
      }
      if (answer.status === 'need') {
        if (round >= MAX_ROUNDS) throw new Error(`the engine still needs files after ${MAX_ROUNDS} rounds`);
        const files = Array.isArray(answer.files) ? answer.files : [];
        if (!files.length || files.every((f) => this.loaded.has(f))) {
          throw new Error(`the engine asks again for files it has: ${files.join(', ')}`);
        }
        await this._fetchAll(files);
        this._check(gen);
        continue;
      }
      if (answer.status === 'error') {
        if (answer.stale) {
          this.broken = new StaleIndexError(answer.message);
          throw this.broken;
        }
        throw new QueryError(answer.message || msg('search.query_error_unknown'));
      }
      if (answer.status === 'ok') return answer;
      throw new Error(`unexpected answer from jw_search: ${JSON.stringify(answer).slice(0, 200)}`);
    }
  }

  _fetchAll(files) {
    return Promise.all(files.map((f) => this._fetchFile(f)));
  }

  _fetchFile(name) {
    if (this.loaded.has(name)) return Promise.resolve();
    if (this.broken) return Promise.reject(this.broken);
    let p = this.inflight.get(name);
    if (p) return p;
    // `file#start-end`: bytes start..end-1 of the file (docs/browser-search.md).
    const span = /^([^#]+)#(\d+)-(\d+)$/.exec(name);
    const first = span && !this.rangesSeen ? this.firstRange.get(span[1]) : null;
    p = (async () => {
      if (first) {
        await this.rangeAnswered;
        if (!this.rangesSeen) await first.catch(() => {});
      }
      if (span && (!this.ranges || this.loaded.has(span[1]))) {
        await this._fetchFile(span[1]);
        this.loaded.add(name);
        return;
      }
      let data;
      let loadAs = name;
      try {
        if (span) {
          const [start, end] = [Number(span[2]), Number(span[3])];
          let res;
          try {
            res = await fetchResponse(this.indexUrl + span[1], { headers: { Range: `bytes=${start}-${end - 1}` } });
            data = new Uint8Array(await res.arrayBuffer());
          } finally {
            this.onRangeAnswer();
          }
          const range = /^bytes (\d+)-(\d+)\//.exec(res.headers.get('Content-Range') || '');
          const exact = res.status === 206 && range && Number(range[1]) === start && Number(range[2]) === end - 1 && data.length === end - start;
          if (exact) this.rangesSeen = true;
          else {
            // The whole file (a host without Range requests): from now on, whole files.
            this.ranges = false;
            if (res.status !== 200) data = await fetchBytes(this.indexUrl + span[1]);
            loadAs = span[1];
          }
        } else {
          data = await fetchBytes(this.indexUrl + name);
        }
      } catch (e) {
        if (e instanceof NetworkError) throw e;
        // A listed chunk that is not there: the site was rebuilt after meta.json was read.
        this.broken = new StaleIndexError(e.message);
        throw this.broken;
      }
      if (this.loaded.has(loadAs)) {
        this.loaded.add(name);
        return;
      }
      try {
        this._load(loadAs, data);
      } catch (e) {
        if (loadAs === name && span) {
          // A byte range that does not read (a proxy that mangles ranges, say): whole files
          // from now on; a whole file that does not read either is refused as usual.
          this.ranges = false;
          await this._fetchFile(span[1]);
          this.loaded.add(name);
          return;
        }
        if (e instanceof StaleIndexError) this.broken = e;
        throw e;
      }
      this.loaded.add(loadAs);
      this.loaded.add(name);
    })();
    this.inflight.set(name, p);
    if (span && !this.rangesSeen && !first) this.firstRange.set(span[1], p);
    p.then(
      () => this.inflight.delete(name),
      () => this.inflight.delete(name),
    );
    return p;
  }

  /** Hand a fetched file (or byte range) to the module; a StaleIndexError if it refuses it. */
  _load(name, data) {
    const nameBytes = encoder.encode(name);
    const x = this.exports;
    const nlen = Math.max(nameBytes.length, 1);
    const nptr = x.jw_alloc(nlen) >>> 0;
    try {
      new Uint8Array(x.memory.buffer, nptr, nameBytes.length).set(nameBytes);
      const status = this._withBytes(data, (p2, n2) => x.jw_load(nptr, nameBytes.length, p2, n2));
      if (status !== 0) throw new StaleIndexError(`jw_load(${name}) returned ${status}`);
    } finally {
      x.jw_free(nptr, nlen);
    }
  }
}

// ---------------------------------------------------------------------------------------
// The UI of /szukaj/

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('data-') || k.startsWith('aria-') || k === 'role' || k === 'for') e.setAttribute(k, v === true ? '' : String(v));
    else e[k] = v;
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c);
  }
  return e;
}

class SearchPage {
  constructor(root) {
    this.root = root;
    // The theme's own box: content never has the id `q` (src/render/ids.rs), and nothing but
    // an input is taken for it.
    const input = document.getElementById('q');
    this.input = input instanceof HTMLInputElement ? input : null;
    this.form = this.input ? this.input.form : null;
    this.status = document.getElementById('jawnik-search-status');
    this.filtersForm = document.getElementById('jawnik-search-filters');
    // The disclosure around the form: shown once there are results; the toggle opens the form.
    this.filtersPanel = document.getElementById('jawnik-filters-panel') || this.filtersForm;
    this.toggle = document.getElementById('jawnik-filters-toggle');
    this.activeNote = document.getElementById('jawnik-filters-active');
    this.facetsBox = document.getElementById('jawnik-facets');
    this.sort = document.getElementById('jawnik-sort');
    this.from = document.getElementById('jawnik-from');
    this.to = document.getElementById('jawnik-to');
    this.clear = document.getElementById('jawnik-clear');
    // Present only when the site has earlier versions of documents.
    const archival = document.getElementById('jawnik-archival');
    this.archival = archival instanceof HTMLInputElement ? archival : null;
    this.engine = new Engine(root.dataset.indexUrl || 'search/');
    this.state = emptyState();
    this.prefix = false; // the last word searched as a prefix (while typing)
    this.shown = 0;
    this.total = 0;
    // Whether `total` counts every match (else the engine's estimate).
    this.exact = true;
    this.lastAnswer = null;
    this.timer = 0;
    this.seq = 0;
    this.facetIds = new Map();
    this.baseTitle = document.title;
    this.labels = { sector: {}, district: {} };
    this.open = !this.toggle; // without a toggle (an older template) the filters are always open
    this.countsFresh = false; // the facet counts shown are those of the results shown
    this.fills = 0; // facet-count searches started (the latest one clears aria-busy)
  }

  init() {
    if (!this.input || !this.status) return;
    this.root.removeAttribute('aria-live'); // the status line is the live region
    this.root.dataset.state = 'idle';
    this.engine.start().then(
      () => this.readLabels(),
      () => {},
    );

    this.input.addEventListener('input', (e) => this.onInput(e));
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown') {
        const first = this.resultLinks()[0];
        if (first) {
          e.preventDefault();
          first.focus();
        }
      }
    });
    if (this.form) {
      this.form.addEventListener('submit', (e) => {
        e.preventDefault();
        clearTimeout(this.timer);
        this.state.q = this.input.value;
        this.prefix = false;
        this.commit('push');
      });
    }
    this.root.addEventListener('keydown', (e) => this.onResultsKey(e));
    if (this.archival) {
      this.archival.addEventListener('change', () => {
        this.state.archival = this.archival.checked;
        if (this.timer) {
          clearTimeout(this.timer);
          this.state.q = this.input.value;
        }
        this.commit('push');
      });
    }
    if (this.filtersForm) {
      this.filtersForm.addEventListener('submit', (e) => e.preventDefault());
      this.filtersForm.addEventListener('change', (e) => this.onFilterChange(e));
      this.filtersForm.addEventListener('keydown', (e) => {
        if (e.key === 'Escape' && e.target instanceof HTMLInputElement && e.target.type === 'checkbox') {
          e.preventDefault();
          this.input.focus();
        }
      });
    }
    if (this.toggle) {
      // A <button>: Enter and Space open and close it, and the focus stays on it.
      this.toggle.addEventListener('click', () => this.setOpen(!this.open, { fill: true }));
    }
    if (this.clear) {
      this.clear.addEventListener('click', () => {
        for (const f of FACETS) this.state.filters[f] = [];
        this.state.from = '';
        this.state.to = '';
        this.syncControls();
        this.commit('push');
      });
    }
    window.addEventListener('popstate', (e) => {
      clearTimeout(this.timer);
      this.state = stateFromSearch(location.search);
      this.prefix = Boolean(e.state && e.state.jawnikPrefix);
      this.input.value = this.state.q;
      this.typedLength = this.state.q.length;
      this.syncControls();
      if (hasFilters(this.state)) this.setOpen(true);
      this.run();
    });

    this.state = stateFromSearch(location.search);
    this.input.value = this.state.q;
    this.typedLength = this.state.q.length;
    this.prefix = Boolean(history.state && history.state.jawnikPrefix);
    this.syncControls();
    // A shared link or the back button with filters: show them (the engine fetches the facet
    // table for them anyway).
    this.setOpen(this.open || hasFilters(this.state));
    if (this.state.q.trim()) this.run();
  }

  /**
   * Open or close the filters. Opening with results shown asks for their facet counts (`fill`:
   * the results search itself asks for them when it ends, if it is still running).
   */
  setOpen(open, { fill = false } = {}) {
    this.open = open;
    if (this.toggle) this.toggle.setAttribute('aria-expanded', String(open));
    if (this.filtersForm && this.filtersForm !== this.filtersPanel) this.filtersForm.hidden = !open;
    this.showActive();
    if (open && fill && !this.countsFresh && this.lastAnswer && this.root.dataset.state === 'done') {
      this.fillFacets(this.request(this.engineQuery(), 0));
    }
  }

  /** The number of filters in use, on the toggle (so a closed panel still says they apply). */
  showActive() {
    if (!this.activeNote) return;
    const n = activeFilterCount(this.state);
    const text = n ? plural('search.active_filters', n) : '';
    if (this.activeNote.textContent !== text) this.activeNote.textContent = text;
  }

  readLabels() {
    // meta.json's `labels`: { facet: { value: label } } (docs/browser-search.md).
    const fl = this.engine.meta && this.engine.meta.labels;
    if (!fl || typeof fl !== 'object') return;
    for (const facet of ['sector', 'district', 'status', 'kind']) {
      const table = fl[facet];
      if (!table || typeof table !== 'object') continue;
      this.labels[facet] = {};
      for (const [k, v] of Object.entries(table)) this.labels[facet][k] = String(v);
    }
    if (this.lastAnswer && this.countsFresh) this.renderFacets(this.lastAnswer.facets || {});
  }

  facetLabel(facet, value) {
    const fromMeta = this.labels[facet] && this.labels[facet][value];
    if (fromMeta) return fromMeta;
    if (facet === 'year') return String(value);
    return labelFromSlug(value);
  }

  /**
   * Typing a character at a time searches after a pause of DEBOUNCE_MS (no download for every
   * half-typed word); text that arrives whole — pasted, autofilled, picked from the browser's
   * suggestions — is searched at once.
   */
  onInput(e) {
    clearTimeout(this.timer);
    const value = this.input.value;
    const grown = value.length - (this.typedLength ?? 0);
    this.typedLength = value.length;
    const search = () => {
      this.state.q = this.input.value;
      this.prefix = true;
      this.commit('replace');
    };
    const whole = (e && e.inputType === 'insertFromPaste') || grown > 1;
    if (whole) search();
    else this.timer = setTimeout(search, DEBOUNCE_MS);
  }

  onFilterChange(e) {
    const t = e.target;
    if (t === this.sort) this.state.sort = t.value === 'date' ? 'date' : 'relevance';
    else if (t === this.from) this.state.from = isDate(t.value) ? t.value : '';
    else if (t === this.to) this.state.to = isDate(t.value) ? t.value : '';
    else if (t.dataset && t.dataset.facet) {
      const list = this.state.filters[t.dataset.facet];
      const i = list.indexOf(t.value);
      if (t.checked && i < 0) list.push(t.value);
      if (!t.checked && i >= 0) list.splice(i, 1);
    } else return;
    // Typing may still be pending: take the input as it is now.
    if (this.timer) {
      clearTimeout(this.timer);
      this.state.q = this.input.value;
    }
    this.commit('push');
  }

  /** Put the state in the URL (push or replace) and search. */
  commit(mode) {
    this.showActive();
    const url = location.pathname + searchFromState(this.state) + location.hash;
    const state = { jawnikPrefix: this.prefix };
    if (url !== location.pathname + location.search + location.hash) {
      if (mode === 'push') history.pushState(state, '', url);
      else history.replaceState(state, '', url);
    } else {
      history.replaceState(state, '', url);
    }
    this.run();
  }

  /** Reflect the state in the filter controls (after popstate or on load). */
  syncControls() {
    this.showActive();
    if (this.sort) this.sort.value = this.state.sort;
    if (this.from) this.from.value = this.state.from;
    if (this.to) this.to.value = this.state.to;
    if (this.archival) this.archival.checked = this.state.archival;
    if (this.facetsBox) {
      for (const cb of this.facetsBox.querySelectorAll('input[type=checkbox][data-facet]')) {
        cb.checked = this.state.filters[cb.dataset.facet].includes(cb.value);
      }
    }
  }

  /** The request for the current state: `query` from `offset`, a page's worth. */
  request(query, offset) {
    return buildRequest(this.state, { query, offset, limit: PAGE_SIZE, versioned: Boolean(this.archival) });
  }

  engineQuery() {
    return this.prefix ? typingQuery(this.state.q) : this.state.q.replace(/[\r\n]+/g, ' ');
  }

  async run({ more = false } = {}) {
    const q = this.state.q.trim();
    document.title = q ? `${q} – wyszukiwanie · ${this.baseTitle}` : this.baseTitle;
    // One character being typed is not searched yet (its results would be a download of
    // their own for nothing anyone wants); Enter searches it.
    const tooShort = this.prefix && [...q].length < MIN_TYPED_CHARS;
    if (!q || tooShort) {
      // Nothing to search: a newer (empty) search supersedes any that is running.
      this.engine.generation++;
      this.lastAnswer = null;
      this.keepFocus(() => {
        this.root.replaceChildren();
        this.setStatus(q ? msg('search.min_chars') : '');
        if (this.filtersPanel) this.filtersPanel.hidden = true;
      });
      this.root.dataset.state = 'idle';
      this.root.dataset.query = '';
      this.root.removeAttribute('aria-busy');
      this.root.dataset.seq = String(++this.seq);
      return;
    }
    const query = this.engineQuery();
    const offset = more ? this.shown : 0;
    const request = this.request(query, offset);
    this.root.dataset.state = 'loading';
    this.root.setAttribute('aria-busy', 'true');
    let answer;
    try {
      // Results first (facet counts need the facet table: one more file), counts right after,
      // and only while the filters are open.
      answer = await this.engine.search(`${request}\nfacets=0`);
    } catch (e) {
      if (e instanceof SupersededError) return;
      this.root.removeAttribute('aria-busy');
      this.root.dataset.query = query;
      this.showError(e);
      this.root.dataset.seq = String(++this.seq);
      return;
    }
    this.root.removeAttribute('aria-busy');
    this.root.dataset.query = query;
    if (more) this.appendResults(answer);
    else this.render(answer, query);
    this.root.dataset.state = 'done';
    // For tests and tools: a counter of finished searches.
    this.root.dataset.seq = String(++this.seq);
    if (this.open && (!more || !this.countsFresh)) await this.fillFacets(request);
  }

  /** Asks again with facet counts (everything else is loaded by now) and shows them. */
  async fillFacets(request) {
    const seq = this.seq;
    const fill = ++this.fills;
    let full;
    if (this.facetsBox) this.facetsBox.setAttribute('aria-busy', 'true');
    const done = () => {
      if (fill === this.fills && this.facetsBox) this.facetsBox.removeAttribute('aria-busy');
    };
    try {
      full = await this.engine.search(request);
    } catch (e) {
      done();
      if (e instanceof SupersededError) return;
      // A facet table of another build: the results shown may be fine, but say so rather
      // than show a page without its filters.
      if (e instanceof StaleIndexError && seq === this.seq) return this.showError(e);
      console.warn('jawnik search: facet counts:', e);
      return;
    }
    done();
    if (seq !== this.seq || !full || !full.facets) return;
    if (this.lastAnswer) this.lastAnswer.facets = full.facets;
    this.countsFresh = true;
    this.keepFocus(() => this.renderFacets(full.facets));
    this.root.dataset.facets = String(seq);
  }

  showError(e) {
    let text;
    if (e instanceof StaleIndexError) text = msg('search.stale');
    else if (e instanceof QueryError) text = fill(msg('search.query_error'), { message: e.message });
    else if (e instanceof NetworkError) text = msg('search.network');
    else text = msg('search.unavailable');
    if (!(e instanceof QueryError)) console.warn('jawnik search:', e);
    this.lastAnswer = null;
    this.keepFocus(() => {
      this.root.replaceChildren(el('p', { class: 'notice search-error', text }));
      this.setStatus(text);
      if (this.filtersPanel && !(e instanceof QueryError)) this.filtersPanel.hidden = true;
    });
    this.root.dataset.state = e instanceof StaleIndexError ? 'stale' : 'error';
  }

  setStatus(text) {
    if (this.status.textContent !== text) this.status.textContent = text;
  }

  statusText(answer) {
    const parts = [countSentence(answer.total, answer.exact !== false)];
    // Matches in the site's other languages (their pages are not listed here).
    const others = Object.values(answer.otherLanguages || {}).reduce((sum, n) => sum + (Number(n) || 0), 0);
    if (others > 0) parts.push(plural('search.other_languages', others));
    const notFound = answer.notFound || [];
    const quote = (w) => fill(msg('search.quoted'), { word: w });
    if (notFound.length) parts.push(fill(msg('search.not_found'), { words: notFound.map(quote).join(', ') }));
    if (answer.total > 0 && answer.matchedAll === false) parts.push(msg('search.matched_any'));
    for (const pair of answer.corrections || []) {
      if (Array.isArray(pair) && pair.length >= 2) parts.push(fill(msg('search.correction'), { shown: quote(pair[1]), typed: quote(pair[0]) }));
    }
    return parts.join(' ');
  }

  render(answer, query) {
    this.lastAnswer = answer;
    this.total = answer.total || 0;
    this.exact = answer.exact !== false;
    const results = Array.isArray(answer.results) ? answer.results : [];
    this.keepFocus(() => {
      this.setStatus(this.statusText(answer));
      const children = [el('h2', { class: 'visually-hidden', text: msg('search.results') })];
      for (const pair of answer.corrections || []) {
        if (!Array.isArray(pair) || pair.length < 2) continue;
        children.push(
          el('p', { class: 'search-correction' }, ...fillNodes(msg('search.correction'), {
            shown: el('strong', { text: fill(msg('search.quoted'), { word: pair[1] }) }),
            typed: el('em', { text: fill(msg('search.quoted'), { word: pair[0] }) }),
          })),
        );
      }
      if (results.length) {
        const list = el('ol', { class: 'search-result-list' });
        for (const r of results) list.append(this.resultItem(r));
        children.push(list);
      } else {
        children.push(
          el('p', { class: 'search-empty' }, ...fillNodes(msg('search.empty'), {
            query: el('strong', { text: fill(msg('search.quoted'), { word: this.state.q.trim() }) }),
          })),
        );
      }
      this.shown = results.length;
      children.push(this.moreBlock());
      this.root.replaceChildren(...children);
      if (this.filtersPanel) this.filtersPanel.hidden = false;
      this.countsFresh = false;
      if (answer.facets && Object.keys(answer.facets).length) {
        this.countsFresh = true;
        this.renderFacets(answer.facets);
      } else if (!this.open && this.facetsBox) {
        // Closed: no counts are asked for, so none of another query stay to be shown on opening.
        this.facetsBox.replaceChildren();
      }
      // Open: the counts arrive with the second answer (fillFacets); until then the previous
      // ones stay.
    });
    void query;
  }

  appendResults(answer) {
    const results = Array.isArray(answer.results) ? answer.results : [];
    this.total = answer.total || this.total;
    if (answer.total) this.exact = answer.exact !== false;
    let list = this.root.querySelector('.search-result-list');
    const firstNew = results.length ? results[0].url : null;
    this.keepFocus(() => {
      if (!list) {
        list = el('ol', { class: 'search-result-list' });
        this.root.append(list);
      }
      for (const r of results) list.append(this.resultItem(r));
      this.shown += results.length;
      const old = this.root.querySelector('.search-more');
      const block = this.moreBlock();
      if (old) old.replaceWith(block);
      else this.root.append(block);
    });
    // The button may be gone: continue from the first new result.
    if (firstNew) {
      const link = this.resultLinks()[this.shown - results.length];
      if (link) link.focus();
    }
  }

  moreBlock() {
    const box = el('div', { class: 'search-more' });
    if (this.total > 0 && this.shown < this.total) {
      const shown = this.exact
        ? plural('search.shown', this.total, { shown: this.shown })
        : pluralAbout('search.shown_about', this.total, { shown: this.shown });
      box.append(el('p', { class: 'search-shown', text: shown }));
      const btn = el('button', { type: 'button', class: 'button-secondary', 'data-focus-key': 'more', text: msg('search.more') });
      btn.addEventListener('click', () => this.run({ more: true }));
      box.append(btn);
    }
    return box;
  }

  resultItem(r) {
    const li = el('li', { class: 'search-result' });
    const url = typeof r.url === 'string' ? r.url : '#';
    const title = el('h3', { class: 'search-result-title' }, el('a', { href: url, 'data-focus-key': `r:${url}`, 'data-result-link': true, text: r.title || url }));
    // The content's own language, where the interface's is another: the language searched
    // when the site's documents are in several (the multi-language module says which), else
    // data-content-lang.
    const searched = this.lastAnswer && this.lastAnswer.language;
    const contentLang = searched ? (searched === language.slice(0, 2) ? '' : searched) : this.root.dataset.contentLang;
    if (contentLang) title.firstChild.lang = contentLang;
    li.append(title);
    const meta = el('p', { class: 'search-result-meta' });
    if (r.kind) meta.append(el('span', { class: 'search-kind', text: this.facetLabel('kind', r.kind) }));
    if (r.date) {
      if (meta.childNodes.length) meta.append(' · ');
      meta.append(el('time', { dateTime: r.date, text: formatDate(r.date) }));
    }
    if (r.archival === true) {
      if (meta.childNodes.length) meta.append(' · ');
      meta.append(el('span', { class: 'search-archival', text: msg('search.archival') }));
    }
    if (meta.childNodes.length) li.append(meta);
    if (Array.isArray(r.snippet) && r.snippet.length) {
      const p = el('p', { class: 'search-snippet' });
      if (contentLang) p.lang = contentLang;
      for (const piece of r.snippet) {
        const [text, match] = Array.isArray(piece) ? piece : [piece && piece.text, piece && piece.match];
        if (typeof text !== 'string') continue;
        p.append(match ? el('mark', { text }) : document.createTextNode(text));
      }
      li.append(p);
    }
    if (r.heading && r.heading.text) {
      const h = el('p', { class: 'search-result-heading' }, msg('search.in_section'));
      h.append(r.heading.url ? el('a', { href: r.heading.url, text: r.heading.text }) : r.heading.text);
      li.append(h);
    }
    const missing = r.missing || [];
    if (missing.length) {
      // Words of the query this document lacks (it comes after those having every word).
      const p = el('p', { class: 'search-result-missing' }, msg('search.missing'));
      missing.forEach((w, i) => p.append(i ? ', ' : '', el('s', { text: w })));
      li.append(p);
    }
    if (r.attachment && r.attachment.title) {
      // The match is in an attachment of this document: name it, link to the file (to the
      // page of a PDF) and give the page.
      const a = el('p', { class: 'search-result-attachment' }, msg('search.in_attachment'));
      a.append(typeof r.attachment.url === 'string' && r.attachment.url
        ? el('a', { href: r.attachment.url, 'data-attachment-link': true, text: r.attachment.title })
        : r.attachment.title);
      if (Number.isInteger(r.attachment.page) && r.attachment.page > 0) a.append(fill(msg('search.attachment_page'), { page: r.attachment.page }));
      li.append(a);
    }
    return li;
  }

  facetId(facet, value) {
    const key = `${facet}\u0000${value}`;
    let id = this.facetIds.get(key);
    if (!id) {
      id = `jawnik-f-${facet}-${this.facetIds.size}`;
      this.facetIds.set(key, id);
    }
    return id;
  }

  renderFacets(facets) {
    if (!this.facetsBox) return;
    const active = document.activeElement;
    const focusKey = active && active.dataset ? active.dataset.focusKey : null;
    const boxes = [];
    for (const facet of FACETS) {
      const counts = facets[facet] && typeof facets[facet] === 'object' ? facets[facet] : {};
      const checked = this.state.filters[facet];
      const anyChecked = checked.length > 0;
      const values = new Set(Object.keys(counts));
      for (const v of checked) values.add(v);
      let list = [...values].filter(
        (v) => (counts[v] || 0) > 0 || checked.includes(v) || anyChecked || focusKey === `f:${facet}:${v}`,
      );
      if (!list.length) continue;
      if (facet === 'kind') list.sort((a, b) => rank(KIND_ORDER, a) - rank(KIND_ORDER, b));
      else if (facet === 'year') list.sort((a, b) => b.localeCompare(a));
      else list.sort((a, b) => this.facetLabel(facet, a).localeCompare(this.facetLabel(facet, b), language));
      const ul = el('ul', { class: 'search-facet-values' });
      for (const v of list) {
        const id = this.facetId(facet, v);
        const n = counts[v] || 0;
        ul.append(
          el(
            'li',
            {},
            el('input', { type: 'checkbox', id, value: v, checked: checked.includes(v), 'data-facet': facet, 'data-focus-key': `f:${facet}:${v}` }),
            el('label', { for: id }, this.facetLabel(facet, v), ' ', el('span', { class: 'count', text: `(${n})` })),
          ),
        );
      }
      boxes.push(el('fieldset', { class: 'search-facet', 'data-facet': facet }, el('legend', { text: msg(`search.facet.${facet}`) }), ul));
    }
    this.facetsBox.replaceChildren(...boxes);
    if (this.clear) {
      this.clear.hidden = !(FACETS.some((f) => this.state.filters[f].length) || this.state.from || this.state.to);
    }
  }

  /** Run a re-render without losing the focus: put it back on the same control (by key). */
  keepFocus(fn) {
    const before = document.activeElement;
    const key = before && before.dataset ? before.dataset.focusKey : null;
    const inside = before && before !== document.body && (this.root.contains(before) || (this.filtersPanel && this.filtersPanel.contains(before)));
    fn();
    const now = document.activeElement;
    // (A control hidden by fn, such as the filters' toggle for an empty query, loses the focus.)
    if (now === before && document.contains(before) && (!before.checkVisibility || before.checkVisibility())) return;
    if (!inside && !key) return;
    const esc = (s) => (window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/["\\]/g, '\\$&'));
    const again = key ? document.querySelector(`[data-focus-key="${esc(key)}"]`) : null;
    if (again) again.focus();
    // A control that is hidden now (the filters of an empty query) cannot take the focus.
    if (!again || document.activeElement !== again) this.input.focus();
  }

  resultLinks() {
    return [...this.root.querySelectorAll('a[data-result-link]')];
  }

  onResultsKey(e) {
    if (e.key === 'Escape') {
      e.preventDefault();
      this.input.focus();
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const links = this.resultLinks();
    const i = links.indexOf(e.target);
    if (i < 0) return;
    e.preventDefault();
    if (e.key === 'ArrowDown') {
      if (i + 1 < links.length) links[i + 1].focus();
      else {
        const more = this.root.querySelector('.search-more button');
        if (more) more.focus();
      }
    } else if (i > 0) links[i - 1].focus();
    else this.input.focus();
  }
}

function rank(order, v) {
  const i = order.indexOf(v);
  return i < 0 ? order.length : i;
}

if (typeof document !== 'undefined') {
  const data = document.getElementById('jawnik-messages');
  try {
    setMessages(data ? JSON.parse(data.textContent) : {}, document.documentElement.lang || 'pl');
  } catch (e) {
    console.warn('jawnik search: messages:', e);
  }
  const root = document.getElementById('jawnik-search-results');
  if (root) new SearchPage(root).init();
}
