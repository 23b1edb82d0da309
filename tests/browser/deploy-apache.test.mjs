// deploy/apache/.htaccess tested with Debian's Apache httpd: a server configuration of its own
// (modules loaded by path, pid, logs and runtime files in a temporary folder; httpd a child of
// the test in the foreground) that serves the built folder under the sub-path with an Alias
// and `AllowOverride All`, the shipped .htaccess copied into it as the README says. The
// checks: tests/browser/hosts.mjs.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './harness.mjs';
import { MOUNT, describeHost, findBinary, startProcess } from './hosts.mjs';

const APACHE = findBinary(process.env.APACHE || '/usr/sbin/apache2');
const MODULES = '/usr/lib/apache2/modules';

describeHost('apache', {
  binary: APACHE,
  install: 'apt-get install apache2',
  brotli: true,
  async start({ dir, port, tmp }) {
    copyFileSync(path.join(REPO_ROOT, 'deploy/apache/.htaccess'), path.join(dir, '.htaccess'));
    const modules = ['mpm_event', 'authz_core', 'mime', 'dir', 'alias', 'headers', 'rewrite', 'filter', 'deflate', 'brotli'];
    mkdirSync(path.join(tmp, 'empty'));
    const root = process.getuid?.() === 0;
    const conf = `
${modules.map((m) => `LoadModule ${m}_module ${MODULES}/mod_${m}.so`).join('\n')}
ServerName 127.0.0.1
Listen 127.0.0.1:${port}
PidFile ${tmp}/httpd.pid
ErrorLog ${tmp}/error.log
DefaultRuntimeDir ${tmp}
TypesConfig /etc/mime.types
${root ? 'User www-data\nGroup www-data' : ''}
DocumentRoot ${tmp}/empty
Alias ${MOUNT} ${dir}/
<Directory ${dir}/>
    AllowOverride All
    Require all granted
</Directory>
`;
    writeFileSync(path.join(tmp, 'httpd.conf'), conf);
    return startProcess(APACHE, ['-d', tmp, '-f', path.join(tmp, 'httpd.conf'), '-D', 'FOREGROUND'], {
      port,
      log: path.join(tmp, 'httpd.log'),
    });
  },
});
