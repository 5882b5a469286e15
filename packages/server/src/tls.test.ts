import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import { loadTlsMaterial, trustInstructions } from './tls.ts';
import { resolveConfig, ConfigError } from './config.ts';

test('first start generates a certificate for localhost and 127.0.0.1 into the data directory, and reuses it', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-tls-'));
  try {
    const config = resolveConfig({ dataDir });
    const first = await loadTlsMaterial(config);
    assert.equal(first.generated, true);
    assert.equal(first.certFile, join(dataDir, 'tls', 'cert.pem'));
    const cert = new X509Certificate(readFileSync(first.certFile));
    assert.match(cert.subjectAltName ?? '', /DNS:localhost/);
    assert.match(cert.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
    assert.ok(cert.checkHost('localhost'));
    assert.ok(cert.checkIP('127.0.0.1'));
    const second = await loadTlsMaterial(config);
    assert.equal(second.generated, false);
    assert.equal(second.fingerprint256, first.fingerprint256);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a configured certificate and key are used as given; a missing file is a clear error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-tls-'));
  try {
    const generated = await loadTlsMaterial(resolveConfig({ dataDir: join(dir, 'a') }));
    writeFileSync(join(dir, 'c.pem'), generated.cert);
    writeFileSync(join(dir, 'k.pem'), generated.key);
    const given = await loadTlsMaterial(resolveConfig({ dataDir: join(dir, 'b'), tls: { certFile: join(dir, 'c.pem'), keyFile: join(dir, 'k.pem') } }));
    assert.equal(given.generated, false);
    assert.equal(given.fingerprint256, generated.fingerprint256);
    await assert.rejects(
      loadTlsMaterial(resolveConfig({ dataDir: join(dir, 'b'), tls: { certFile: join(dir, 'nope.pem'), keyFile: join(dir, 'k.pem') } })),
      (e: unknown) => e instanceof ConfigError && /tls\.certFile/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a CA-issued certificate: clients are told to trust its CA; a key that is not the certificate\'s is refused naming both files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-tls-'));
  try {
    const ca = await selfsigned.generate([{ name: 'commonName', value: 'Example CA' }], { keySize: 2048, algorithm: 'sha256', extensions: [{ name: 'basicConstraints', cA: true }] });
    const leaf = await selfsigned.generate([{ name: 'commonName', value: 'vigil.example' }], { keySize: 2048, algorithm: 'sha256', ca: { key: ca.private, cert: ca.cert } });
    writeFileSync(join(dir, 'leaf.pem'), leaf.cert);
    writeFileSync(join(dir, 'leaf.key'), leaf.private);
    writeFileSync(join(dir, 'ca.key'), ca.private);
    const given = await loadTlsMaterial(resolveConfig({ dataDir: join(dir, 'd'), tls: { certFile: join(dir, 'leaf.pem'), keyFile: join(dir, 'leaf.key') } }));
    assert.equal(given.selfSigned, false);
    const text = trustInstructions(given);
    assert.match(text, /trust the CA that issued it/);
    assert.doesNotMatch(text, new RegExp(`NODE_EXTRA_CA_CERTS=${join(dir, 'leaf.pem')}`), 'not the leaf: Node cannot verify a chain from it');

    // The generated certificate, reused on a later start, is still to be trusted as it is.
    const config = resolveConfig({ dataDir: join(dir, 'own') });
    await loadTlsMaterial(config);
    const reused = await loadTlsMaterial(config);
    assert.equal(reused.generated, false);
    assert.match(trustInstructions(reused), new RegExp(`NODE_EXTRA_CA_CERTS=${reused.certFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));

    await assert.rejects(
      loadTlsMaterial(resolveConfig({ dataDir: join(dir, 'd'), tls: { certFile: join(dir, 'leaf.pem'), keyFile: join(dir, 'ca.key') } })),
      (e: unknown) => e instanceof ConfigError && e.message.includes(join(dir, 'ca.key')) && e.message.includes(join(dir, 'leaf.pem')) && /is not the private key/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
