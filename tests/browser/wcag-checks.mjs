// WCAG 2.1 AA checks run in the page as a person meets it (tests/browser/wcag.test.mjs uses
// them): the order and visibility of keyboard focus, reflow without horizontal scrolling,
// colour contrast computed from the computed styles, motion under prefers-reduced-motion,
// text spacing (SC 1.4.12) and the language of passages. Each function returns a list of
// readable findings (empty: the page passes).

// ---------------------------------------------------------------------------------------
// Colour (runs in the page: passed to page.evaluate as source)

/** In-page helpers: parse CSS colours, composite, WCAG relative luminance and contrast. */
export const COLOUR_HELPERS = String.raw`
  const parse = (c) => {
    const m = /rgba?\(([^)]+)\)/.exec(c || '');
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (fg, bg) => ({
    r: fg.r * fg.a + bg.r * (1 - fg.a),
    g: fg.g * fg.a + bg.g * (1 - fg.a),
    b: fg.b * fg.a + bg.b * (1 - fg.a),
    a: 1,
  });
  const lum = (c) => {
    const f = (v) => {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const contrast = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const hex = (c) => '#' + [c.r, c.g, c.b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
  // The colour behind an element: its ancestors' background colours composited over white.
  // Returns null where a background image (whose colours are unknown) is in the way.
  const backdrop = (el) => {
    const layers = [];
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.backgroundImage && s.backgroundImage !== 'none') return null;
      const c = parse(s.backgroundColor);
      if (c && c.a > 0) {
        layers.push(c);
        if (c.a === 1) break;
      }
    }
    let bg = { r: 255, g: 255, b: 255, a: 1 };
    for (const c of layers.reverse()) bg = over(c, bg);
    return bg;
  };
  const opacity = (el) => {
    let o = 1;
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
    return o;
  };
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    else if (el.classList.length) s += '.' + [...el.classList].join('.');
    const text = (el.textContent || el.value || el.getAttribute('aria-label') || '').replace(/\s+/g, ' ').trim().slice(0, 40);
    return text ? s + ' "' + text + '"' : s;
  };
  // What shows focus on an element: outline, shadow, background, colour, underline, border.
  const focusLook = (el) => {
    const s = getComputedStyle(el);
    return {
      outline: s.outlineStyle === 'none' ? 'none' : s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor,
      boxShadow: s.boxShadow,
      background: s.backgroundColor,
      color: s.color,
      decoration: s.textDecorationLine + ' ' + s.textDecorationThickness,
      border: s.borderTopColor + ' ' + s.borderTopWidth,
    };
  };
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none' && s.clipPath !== 'inset(50%)';
  };
`;

/**
 * Contrast of every visible text against what is behind it (4.5:1, 3:1 for large text:
 * 24 px, or 18.66 px bold), the placeholder of every text box, and the borders of text boxes
 * and select menus (3:1, SC 1.4.11). Returns { findings, checked, marks } (marks: search
 * highlights among the texts checked).
 */
export async function contrastFindings(page) {
  return page.evaluate(`(() => {
    ${COLOUR_HELPERS}
    const findings = [];
    let checked = 0;
    let marks = 0;
    const seen = new Set();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || seen.has(el) || !n.textContent.trim()) continue;
      if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'OPTION', 'TITLE'].includes(el.tagName) || el.closest('svg')) continue;
      seen.add(el);
      if (!shown(el) || el.closest('.visually-hidden, [hidden]')) continue;
      const s = getComputedStyle(el);
      const bg = backdrop(el);
      if (!bg) continue;
      const fg = parse(s.color);
      const o = opacity(el);
      const text = over({ ...fg, a: fg.a * o }, bg);
      const ratio = contrast(text, bg);
      const size = parseFloat(s.fontSize);
      const bold = Number(s.fontWeight) >= 700;
      const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
      checked++;
      if (el.tagName === 'MARK') marks++;
      if (ratio < need) findings.push(describe(el) + ': text ' + hex(text) + ' on ' + hex(bg) + ' is ' + ratio.toFixed(2) + ':1, needs ' + need + ':1');
    }
    for (const el of document.querySelectorAll('input:not([type=checkbox]):not([type=radio]):not([type=hidden]), select, textarea')) {
      if (!shown(el)) continue;
      const bg = backdrop(el.parentElement);
      const s = getComputedStyle(el);
      const border = parse(s.borderTopColor);
      if (bg && border && parseFloat(s.borderTopWidth) > 0) {
        checked++;
        const ratio = contrast(over(border, bg), bg);
        if (ratio < 3) findings.push(describe(el) + ': border ' + hex(border) + ' on ' + hex(bg) + ' is ' + ratio.toFixed(2) + ':1, needs 3:1');
      }
      if (el.placeholder) {
        const ph = parse(getComputedStyle(el, '::placeholder').color);
        const box = backdrop(el);
        checked++;
        const ratio = contrast(over(ph, box), box);
        if (ratio < 4.5) findings.push(describe(el) + ': placeholder ' + hex(ph) + ' on ' + hex(box) + ' is ' + ratio.toFixed(2) + ':1, needs 4.5:1');
      }
    }
    return { findings, checked, marks };
  })()`);
}

// ---------------------------------------------------------------------------------------
// Keyboard

/** The elements a Tab reaches, in document order (what the browser should follow). */
export async function tabbables(page) {
  return page.evaluate(`(() => {
    ${COLOUR_HELPERS}
    const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]';
    const out = [];
    document.querySelectorAll(sel).forEach((el, i) => {
      if (el.disabled || el.tabIndex < 0 || el.closest('[inert]')) return;
      const s = getComputedStyle(el);
      if (s.visibility === 'hidden' || el.closest('[hidden]')) return;
      if (!el.getClientRects().length && !el.classList.contains('skip-link')) return;
      const details = el.closest('details:not([open])');
      if (details && el.tagName !== 'SUMMARY' && details.querySelector('summary') !== el) return;
      el.dataset.tabOrder = String(out.length);
      out.push(describe(el));
    });
    return out;
  })()`);
}

/**
 * Put the keyboard at the top of the page, as after loading it: nothing focused, and the
 * next Tab goes to the first element (focusing and removing an element at the start of
 * <body> moves the browser's starting point of sequential navigation there).
 */
export async function fromTheTop(page) {
  await page.evaluate(() => {
    const start = document.createElement('span');
    start.tabIndex = -1;
    document.body.prepend(start);
    start.focus();
    start.remove();
    window.scrollTo(0, 0);
  });
}

/** The style of the focused element that shows focus, and what surrounds it. */
const FOCUS_STYLE = `(() => {
  ${COLOUR_HELPERS}
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const style = focusLook(el);
  // The rings of the indicator: the outline and every box-shadow's colour with a spread.
  const rings = [];
  if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1) rings.push(parse(s.outlineColor));
  for (const m of s.boxShadow.matchAll(/(rgba?\\([^)]+\\))\\s+(-?[\\d.]+)px\\s+(-?[\\d.]+)px\\s+(-?[\\d.]+)px\\s+([\\d.]+)px/g)) {
    if (Number(m[5]) >= 1) rings.push(parse(m[1]));
  }
  const around = backdrop(el.parentElement) || { r: 255, g: 255, b: 255, a: 1 };
  const best = rings.length ? Math.max(...rings.map((c) => contrast(over(c, around), around))) : 0;
  const r = el.getBoundingClientRect();
  return {
    order: el.dataset.tabOrder ?? null,
    name: describe(el),
    style,
    ringContrast: best,
    around: hex(around),
    inView: r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth && r.width > 1 && r.height > 1,
  };
})()`;

/**
 * Tab through the whole page from the top, as a person does: each stop must be the next
 * tabbable element in document order, show focus (its outline, box-shadow, background,
 * colour, underline or border differs from the same element without focus; the indicator's
 * outline or shadow has 3:1 against the surroundings, or it changes the background), be in
 * view, and the Tab after the last stop leaves the page (no trap). Shift+Tab walks back.
 * Returns { findings, stops }.
 */
export async function keyboardFindings(page) {
  const expected = await tabbables(page);
  const findings = [];
  await fromTheTop(page);
  await page.mouse.move(0, 0);
  const stops = [];
  // A date box is one element with a Tab stop per part (day, month, year, picker): counted once.
  for (let i = 0; stops.length <= expected.length && i < 4 * expected.length + 8; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(FOCUS_STYLE);
    if (!f) break; // focus left the document: the end of the page
    if (stops.length && stops.at(-1).order === f.order && f.order !== null) continue;
    stops.push(f);
  }
  const order = stops.map((s) => s.order);
  const want = expected.map((_, i) => String(i));
  if (order.join(',') !== want.join(',')) {
    findings.push(
      `Tab order differs from document order:\n      expected ${expected.length} stops: ${expected.join(' | ')}\n` +
        `      got ${stops.length}: ${stops.map((s) => `${s.order}:${s.name}`).join(' | ')}`,
    );
  }
  if (stops.length > expected.length) findings.push(`focus did not leave the page after the last element (a trap at ${stops.at(-1).name})`);
  // The same elements without focus.
  await page.evaluate(() => document.activeElement?.blur());
  const unfocused = await page.evaluate(`(() => {
    ${COLOUR_HELPERS}
    const out = {};
    for (const el of document.querySelectorAll('[data-tab-order]')) out[el.dataset.tabOrder] = focusLook(el);
    return out;
  })()`);
  for (const s of stops) {
    const before = unfocused[s.order];
    if (!before) continue;
    const changed = Object.keys(s.style).filter((k) => s.style[k] !== before[k]);
    if (!changed.length) findings.push(`${s.name}: no visible focus (its style is the same with and without focus)`);
    else if (!changed.includes('background') && s.ringContrast < 3) {
      findings.push(`${s.name}: focus ring contrast ${s.ringContrast.toFixed(2)}:1 against ${s.around}, needs 3:1`);
    }
    if (!s.inView) findings.push(`${s.name}: focused but not in view`);
  }
  // Back: Shift+Tab from the last stop reaches the first.
  if (stops.length > 1) {
    await page.evaluate((n) => document.querySelector(`[data-tab-order="${n}"]`)?.focus(), stops.at(-1).order);
    const back = [];
    for (let i = 0; back.length < stops.length - 1 && i < 4 * stops.length; i++) {
      await page.keyboard.press('Shift+Tab');
      const order = await page.evaluate(() => document.activeElement?.dataset.tabOrder ?? null);
      if (order !== back.at(-1) && order !== stops.at(-1).order) back.push(order);
    }
    const wantBack = stops.slice(0, -1).map((s) => s.order).reverse();
    if (back.join(',') !== wantBack.join(',')) findings.push(`Shift+Tab does not walk back through the same stops: ${back.join(',')}`);
  }
  return { findings, stops: stops.length };
}

/**
 * The skip link: the first Tab stop, visible when focused, and Enter on it moves focus into
 * the main content (the next Tab reaches the first control inside <main>).
 */
export async function skipLinkFindings(page) {
  const findings = [];
  await fromTheTop(page);
  await page.keyboard.press('Tab');
  const first = await page.evaluate(`(() => {
    const el = document.activeElement;
    const r = el.getBoundingClientRect();
    return { cls: el.className, href: el.getAttribute('href'), text: el.textContent.trim(), visible: r.top >= 0 && r.bottom <= innerHeight && r.width > 1 };
  })()`);
  if (!/skip-link/.test(first.cls)) return [`the first Tab stop is not the skip link: ${first.text}`];
  if (!first.visible) findings.push('the skip link is not visible when focused');
  await page.keyboard.press('Enter');
  const target = first.href.slice(1);
  const active = await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);
  if (active !== target) findings.push(`Enter on the skip link focused ${active}, not #${target}`);
  await page.keyboard.press('Tab');
  const inside = await page.evaluate((id) => !!document.activeElement?.closest('#' + id), target);
  if (!inside) findings.push(`the Tab after the skip link is not inside #${target}`);
  return findings;
}

// ---------------------------------------------------------------------------------------
// Reflow, motion, text spacing, language

/**
 * No horizontal scrolling of the page, and nothing cut off at the right edge except inside
 * a container that scrolls horizontally itself (data tables, the chart: SC 1.4.10 lets
 * content needing two dimensions scroll in its own box).
 */
export async function reflowFindings(page) {
  return page.evaluate(`(() => {
    ${COLOUR_HELPERS}
    const findings = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) findings.push('the page scrolls horizontally: scrollWidth ' + root.scrollWidth + ' > ' + root.clientWidth);
    for (const el of document.body.querySelectorAll('*')) {
      if (!shown(el) || el.closest('.visually-hidden')) continue;
      const r = el.getBoundingClientRect();
      if (r.right <= root.clientWidth + 1 && r.left >= -1) continue;
      let scroller = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if ((o === 'auto' || o === 'scroll') && p.getBoundingClientRect().right <= root.clientWidth + 1) { scroller = true; break; }
      }
      if (!scroller) findings.push(describe(el) + ' reaches x=' + Math.round(r.right) + ' of ' + root.clientWidth + ' px');
    }
    return findings.slice(0, 20);
  })()`);
}

/** With reduced motion asked for: no transition or animation runs, no smooth scrolling. */
export async function motionFindings(page) {
  return page.evaluate(`(() => {
    const findings = [];
    const ms = (v) => Math.max(...v.split(',').map((t) => parseFloat(t) * (t.trim().endsWith('ms') ? 1 : 1000)));
    for (const el of [document.documentElement, ...document.querySelectorAll('body, body *')]) {
      for (const pseudo of [null, '::before', '::after']) {
        const s = getComputedStyle(el, pseudo);
        const t = ms(s.transitionDuration) + ms(s.transitionDelay);
        const a = s.animationName !== 'none' ? ms(s.animationDuration) * (s.animationIterationCount === 'infinite' ? Infinity : Number(s.animationIterationCount)) : 0;
        const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : el.className ? '.' + String(el.className).replace(/\\s+/g, '.') : '');
        if (t > 1 || a > 1) findings.push(name + (pseudo || '') + ': transition ' + t + ' ms, animation ' + a + ' ms');
        if (!pseudo && s.scrollBehavior === 'smooth') findings.push(name + ': scroll-behavior: smooth');
      }
    }
    return findings.slice(0, 20);
  })()`);
}

/** The styles of WCAG's text-spacing bookmarklet (SC 1.4.12's four values). */
export const TEXT_SPACING_CSS =
  '* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }' +
  ' p { margin-bottom: 2em !important; }';

/**
 * After the text-spacing styles: no text is cut off (an element that hides its overflow
 * but whose content is larger than its box), and no text box overflows its own fixed
 * height onto what follows.
 */
export async function textSpacingFindings(page) {
  await page.addStyleTag({ content: TEXT_SPACING_CSS });
  await page.waitForTimeout(100);
  return page.evaluate(`(() => {
    ${COLOUR_HELPERS}
    const findings = [];
    for (const el of document.body.querySelectorAll('*')) {
      if (!shown(el) || el.closest('.visually-hidden') || el.closest('svg')) continue;
      if (!el.textContent.trim()) continue;
      const s = getComputedStyle(el);
      if (s.display === 'inline') continue;
      const clipsY = ['hidden', 'clip'].includes(s.overflowY);
      const clipsX = ['hidden', 'clip'].includes(s.overflowX);
      const overY = el.scrollHeight > el.clientHeight + 1;
      const overX = el.scrollWidth > el.clientWidth + 1;
      if ((clipsY && overY) || (clipsX && overX)) findings.push(describe(el) + ': text cut off (' + el.scrollWidth + 'x' + el.scrollHeight + ' in ' + el.clientWidth + 'x' + el.clientHeight + ', overflow hidden)');
      else if (overY && s.overflowY === 'visible' && s.height !== 'auto' && el.style.height === '' && /px$/.test(s.maxHeight)) findings.push(describe(el) + ': text overflows its box');
    }
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) findings.push('the page scrolls horizontally with the spacing: ' + root.scrollWidth + ' > ' + root.clientWidth);
    return findings.slice(0, 20);
  })()`);
}

/**
 * Language: the page's lang is the site's, every lang attribute is a valid language tag,
 * and returns the passages marked as another language ({lang, text}).
 */
export async function languageFindings(page, siteLang = 'pl') {
  return page.evaluate(`(() => {
    const findings = [];
    const lang = document.documentElement.lang;
    if (lang !== ${JSON.stringify(siteLang)}) findings.push('html lang is ' + JSON.stringify(lang));
    const passages = [];
    for (const el of document.querySelectorAll('body [lang]')) {
      const l = el.getAttribute('lang');
      try {
        if (!l || Intl.getCanonicalLocales(l).length !== 1) throw new Error();
      } catch {
        findings.push(el.tagName.toLowerCase() + ' has an invalid lang ' + JSON.stringify(l));
      }
      passages.push({ lang: l, text: el.textContent.trim() });
    }
    return { findings, passages };
  })()`);
}
