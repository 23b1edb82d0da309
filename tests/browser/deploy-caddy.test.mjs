// deploy/caddy/Caddyfile tested with Debian's Caddy, used as it is: a Caddyfile of the test's
// own holds the global options (no admin endpoint, no automatic HTTPS) and imports the shipped
// one, whose JAWNIK_SITE, JAWNIK_BASE and JAWNIK_PUBLIC come from the environment; Caddy's
// data and config folders are in a temporary folder. Caddy has no brotli encoder (zstd and
// gzip). The checks: tests/browser/hosts.mjs.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './harness.mjs';
import { MOUNT, describeHost, findBinary, startProcess } from './hosts.mjs';

const CADDY = findBinary(process.env.CADDY || '/usr/bin/caddy');

describeHost('caddy', {
  binary: CADDY,
  install: 'apt-get install caddy',
  brotli: false,
  async start({ dir, port, tmp }) {
    const conf = path.join(tmp, 'Caddyfile');
    writeFileSync(conf, `{\n\tadmin off\n\tauto_https off\n}\nimport ${REPO_ROOT}/deploy/caddy/Caddyfile\n`);
    const env = {
      JAWNIK_SITE: `http://127.0.0.1:${port}`,
      JAWNIK_BASE: MOUNT,
      JAWNIK_PUBLIC: dir,
      XDG_DATA_HOME: path.join(tmp, 'data'),
      XDG_CONFIG_HOME: path.join(tmp, 'config'),
    };
    return startProcess(CADDY, ['run', '--config', conf, '--adapter', 'caddyfile'], { port, env, log: path.join(tmp, 'caddy.log') });
  },
});
