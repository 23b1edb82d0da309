// jawnik serve: live reload. Added to pages only by `jawnik serve` (never to built files).
// Listens to /__jawnik/events: `reload` reloads the page, `error` shows the build errors over
// the last good version of the page. Built with the DOM (text only, no innerHTML) and no
// inline script or style attribute, so a strict Content-Security-Policy allows it.
(() => {
  'use strict';
  const OVERLAY_ID = 'jawnik-live-error';
  const script = document.currentScript;
  const since = script ? new URL(script.src, location.href).searchParams.get('v') : null;
  const url = '/__jawnik/events' + (since ? '?since=' + encodeURIComponent(since) : '');

  const removeOverlay = () => {
    const old = document.getElementById(OVERLAY_ID);
    if (old) old.remove();
  };

  const showOverlay = (errors) => {
    removeOverlay();
    const box = document.createElement('div');
    box.id = OVERLAY_ID;
    box.setAttribute('role', 'alert');
    Object.assign(box.style, {
      position: 'fixed',
      left: '1rem',
      right: '1rem',
      bottom: '1rem',
      maxHeight: '60vh',
      overflow: 'auto',
      zIndex: '2147483647',
      padding: '1rem',
      background: '#fff4f4',
      color: '#5c0000',
      border: '3px solid #b00020',
      borderRadius: '6px',
      boxShadow: '0 4px 24px rgba(0,0,0,.3)',
      font: '14px/1.4 system-ui, sans-serif',
    });
    const title = document.createElement('p');
    title.textContent = 'jawnik serve: strona nie zbudowała się. Widać ostatnią poprawną wersję; popraw błędy, a strona odświeży się sama.';
    Object.assign(title.style, { margin: '0 0 .5rem', fontWeight: 'bold' });
    const list = document.createElement('pre');
    list.textContent = errors.join('\n');
    Object.assign(list.style, { margin: '0 0 .5rem', whiteSpace: 'pre-wrap', font: '13px/1.4 ui-monospace, monospace' });
    const close = document.createElement('button');
    close.type = 'button';
    close.textContent = 'Zamknij';
    close.addEventListener('click', removeOverlay);
    box.append(title, list, close);
    document.body.appendChild(box);
  };

  const source = new EventSource(url);
  source.addEventListener('reload', () => {
    removeOverlay();
    source.close();
    location.reload();
  });
  // Connection errors are plain events named `error` too: only messages carry data.
  source.addEventListener('error', (e) => {
    if (typeof e.data !== 'string') return;
    let errors;
    try {
      errors = JSON.parse(e.data).errors;
    } catch (_) {
      errors = [e.data];
    }
    showOverlay(Array.isArray(errors) ? errors.map(String) : [String(errors)]);
  });
  // Closed when the page is left (so that it can enter the back/forward cache); a page
  // restored from that cache may be out of date: load it again.
  window.addEventListener('pagehide', () => source.close());
  window.addEventListener('pageshow', (e) => {
    if (e.persisted) location.reload();
  });
})();
