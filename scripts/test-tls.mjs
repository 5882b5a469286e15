// One self-signed certificate for localhost/127.0.0.1 shared by tests and benchmarks, made once
// into .tmp/test-tls/. Processes trust it through NODE_EXTRA_CA_CERTS, as users' SDK scripts do.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import selfsigned from 'selfsigned';

export async function ensureTestCertificate(root) {
  const dir = join(root, '.tmp', 'test-tls');
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    mkdirSync(dir, { recursive: true });
    const notAfter = new Date();
    notAfter.setFullYear(notAfter.getFullYear() + 1);
    const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
      keySize: 2048, algorithm: 'sha256', notAfterDate: notAfter,
      extensions: [
        { name: 'basicConstraints', cA: true },
        { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
      ],
    });
    writeFileSync(keyFile, pems.private, { mode: 0o600 });
    writeFileSync(certFile, pems.cert);
  }
  return { certFile, keyFile, env: { NODE_EXTRA_CA_CERTS: certFile, VIGIL_TEST_TLS_CERT: certFile, VIGIL_TEST_TLS_KEY: keyFile } };
}
