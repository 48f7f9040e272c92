// A throw-away certificate authority, server and client certificates for TLS tests (EC P-256: fast).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

function openssl(args, cwd) {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function key(dir, name) {
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', `${name}.key`], dir);
}

function signed(dir, name, subject, ca, extensions) {
  key(dir, name);
  openssl(['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`], dir);
  writeFileSync(path.join(dir, `${name}.ext`), extensions);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial',
    '-days', '2', '-sha256', '-extfile', `${name}.ext`, '-out', `${name}.crt`], dir);
}

// Makes ca.crt, server.crt/key (CN and SAN localhost, 127.0.0.1), client.crt/key (CN `clientName`), and a
// second, untrusted CA's client certificate (rogue.crt/key). Returns absolute paths.
export function makeCertificates(dir, clientName = 'device-7') {
  key(dir, 'ca');
  openssl(['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=Postcard Test CA', '-days', '2', '-out', 'ca.crt'], dir);
  signed(dir, 'server', '/CN=localhost', 'ca',
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  signed(dir, 'client', `/CN=${clientName}`, 'ca', 'extendedKeyUsage=clientAuth\n');
  key(dir, 'rogue-ca');
  openssl(['req', '-x509', '-new', '-key', 'rogue-ca.key', '-subj', '/CN=Rogue CA', '-days', '2', '-out', 'rogue-ca.crt'], dir);
  signed(dir, 'rogue', `/CN=${clientName}`, 'rogue-ca', 'extendedKeyUsage=clientAuth\n');
  const p = (f) => path.join(dir, f);
  return {
    ca: p('ca.crt'), serverCert: p('server.crt'), serverKey: p('server.key'),
    clientCert: p('client.crt'), clientKey: p('client.key'), rogueCert: p('rogue.crt'), rogueKey: p('rogue.key'),
  };
}
