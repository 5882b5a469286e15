// HTTPS material: a given certificate and key, or a self-signed pair generated once into the
// data directory. Microsoft's SDKs refuse bearer tokens over plain http, so there is no http mode.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import selfsigned from 'selfsigned';
import type { VigilConfig } from './config.ts';
import { ConfigError } from './config.ts';

export interface TlsMaterial {
  cert: string;
  key: string;
  certFile: string;
  /** True when this start generated the certificate. */
  generated: boolean;
  fingerprint256: string;
}

export async function loadTlsMaterial(config: VigilConfig): Promise<TlsMaterial> {
  if (config.tls.certFile !== undefined && config.tls.keyFile !== undefined) {
    const cert = readRequired(config.tls.certFile, 'tls.certFile (VIGIL_TLS_CERT)');
    const key = readRequired(config.tls.keyFile, 'tls.keyFile (VIGIL_TLS_KEY)');
    return { cert, key, certFile: config.tls.certFile, generated: false, fingerprint256: fingerprint(cert) };
  }
  const dir = join(config.dataDir, 'tls');
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = readFileSync(certFile, 'utf8');
    return { cert, key: readFileSync(keyFile, 'utf8'), certFile, generated: false, fingerprint256: fingerprint(cert) };
  }
  const { cert, key } = await generateSelfSigned();
  mkdirSync(dir, { recursive: true });
  writeFileSync(keyFile, key, { mode: 0o600 });
  writeFileSync(certFile, cert, { mode: 0o644 });
  return { cert, key, certFile, generated: true, fingerprint256: fingerprint(cert) };
}

/** A self-signed certificate for localhost: SANs DNS:localhost, IP:127.0.0.1 and IP:::1. */
export async function generateSelfSigned(): Promise<{ cert: string; key: string }> {
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore);
  notAfter.setFullYear(notAfter.getFullYear() + 2);
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }, { name: 'organizationName', value: 'Vigil (self-signed)' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    extensions: [
      // The certificate is its own CA so that clients can trust it directly (NODE_EXTRA_CA_CERTS).
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

function readRequired(path: string, setting: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read ${setting} at ${path}: ${(error as Error).message}. Point the setting at a PEM file, or leave both tls settings unset to use a generated self-signed certificate.`);
  }
}

function fingerprint(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

export function trustInstructions(material: TlsMaterial): string {
  return [
    `TLS certificate: ${material.certFile} (SHA-256 ${material.fingerprint256})`,
    material.generated ? 'A self-signed certificate was generated for localhost / 127.0.0.1.' : '',
    'To trust it: Node.js clients (Azure SDKs):  export NODE_EXTRA_CA_CERTS=' + material.certFile,
    `             curl:                        curl --cacert ${material.certFile} ...`,
    `             Debian system store:         cp ${material.certFile} /usr/local/share/ca-certificates/vigil.crt && update-ca-certificates`,
  ].filter(Boolean).join('\n');
}
