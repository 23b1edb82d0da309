// deploy/nginx/ tested with Debian's nginx: a configuration of its own (prefix, pid, logs and
// temporary folders in a temporary folder; nginx a child of the test, not a daemon) whose
// location for the sub-path includes the shipped jawnik.conf, and brotli.conf when Debian's
// brotli module is installed (CI installs it). The checks: tests/browser/hosts.mjs.
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './harness.mjs';
import { MOUNT, describeHost, findBinary, startProcess } from './hosts.mjs';

const NGINX = findBinary(process.env.NGINX || '/usr/sbin/nginx');
const BROTLI_MODULE = '/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so';
const brotli = existsSync(BROTLI_MODULE) || Boolean(process.env.CI);

describeHost('nginx', {
  binary: NGINX,
  install: 'apt-get install nginx libnginx-mod-http-brotli-filter',
  brotli,
  async start({ dir, port, tmp }) {
    // jawnik.conf includes mime.types relative to the configuration's folder, as in /etc/nginx.
    copyFileSync('/etc/nginx/mime.types', path.join(tmp, 'mime.types'));
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${tmp}/${t};`);
    const conf = `
${brotli ? `load_module ${BROTLI_MODULE};` : ''}
daemon off;
worker_processes 1;
pid ${tmp}/nginx.pid;
error_log ${tmp}/error.log warn;
events { worker_connections 64; }
http {
  access_log ${tmp}/access.log;
  ${temp.join('\n  ')}
  server {
    listen 127.0.0.1:${port};
    location ${MOUNT} {
      alias ${dir}/;
      set $jawnik_base ${MOUNT};
      include ${REPO_ROOT}/deploy/nginx/jawnik.conf;
      ${brotli ? `include ${REPO_ROOT}/deploy/nginx/brotli.conf;` : ''}
    }
  }
}
`;
    writeFileSync(path.join(tmp, 'nginx.conf'), conf);
    return startProcess(NGINX, ['-p', tmp, '-c', path.join(tmp, 'nginx.conf'), '-e', path.join(tmp, 'error.log')], {
      port,
      log: path.join(tmp, 'nginx.log'),
    });
  },
});
