// The one Chromium setup of the browser tests and the benchmarks: Debian's /usr/bin/chromium
// (or $CHROMIUM_PATH), driven by playwright-core, with these flags (headless, no sandbox, no
// GPU, nothing fetched or synced in the background). tests/browser/harness.mjs and
// bench/browser-search.mjs both launch it so.

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
