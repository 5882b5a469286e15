// HTTPS material: a given certificate and key, or a self-signed pair generated once into the
// data directory. Microsoft's SDKs refuse bearer tokens over plain http, so there is no http mode.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import selfsigned from 'selfsigned';
import type { VigilConfig } from './config.ts';
import { ConfigError } from './config.ts';

export interface TlsMaterial {
  cert: string;
  key: string;
  certFile: string;
  /** True when this start generated the certificate. */
  generated: boolean;
  /** Whether the certificate is its own issuer (Vigil's, or an operator's self-signed one): clients trust it directly, else its CA. */
  selfSigned: boolean;
  fingerprint256: string;
}

export async function loadTlsMaterial(config: VigilConfig): Promise<TlsMaterial> {
  if (config.tls.certFile !== undefined && config.tls.keyFile !== undefined) {
    const cert = readRequired(config.tls.certFile, 'tls.certFile (VIGIL_TLS_CERT)');
    const key = readRequired(config.tls.keyFile, 'tls.keyFile (VIGIL_TLS_KEY)');
    checkPair(cert, key, config.tls.certFile, config.tls.keyFile);
    return { cert, key, certFile: config.tls.certFile, generated: false, selfSigned: isSelfSigned(cert), fingerprint256: fingerprint(cert) };
  }
  const dir = join(config.dataDir, 'tls');
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = readFileSync(certFile, 'utf8');
    return { cert, key: readFileSync(keyFile, 'utf8'), certFile, generated: false, selfSigned: true, fingerprint256: fingerprint(cert) };
  }
  const { cert, key } = await generateSelfSigned();
  mkdirSync(dir, { recursive: true });
  writeFileSync(keyFile, key, { mode: 0o600 });
  writeFileSync(certFile, cert, { mode: 0o644 });
  return { cert, key, certFile, generated: true, selfSigned: true, fingerprint256: fingerprint(cert) };
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

/** The key must be the certificate's: otherwise TLS fails at start with OpenSSL's bare "key values mismatch". */
function checkPair(certPem: string, keyPem: string, certFile: string, keyFile: string): void {
  let matches: boolean;
  try {
    matches = new X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem));
  } catch (error) {
    throw new ConfigError(`Cannot read the TLS certificate ${certFile} or key ${keyFile} as PEM: ${(error as Error).message}.`);
  }
  if (!matches) {
    throw new ConfigError(`The TLS key ${keyFile} (tls.keyFile, VIGIL_TLS_KEY) is not the private key of the certificate ${certFile} (tls.certFile, VIGIL_TLS_CERT). Give the key the certificate was issued for.`);
  }
}

function isSelfSigned(certPem: string): boolean {
  const x = new X509Certificate(certPem);
  return x.issuer === x.subject && x.verify(x.publicKey);
}

function fingerprint(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

export function trustInstructions(material: TlsMaterial): string {
  if (!material.selfSigned) {
    // A certificate given by the operator and issued by a CA: clients trust the CA, not the leaf
    // (Node verifies the chain up to a trusted root; NODE_EXTRA_CA_CERTS=<leaf> fails with
    // "unable to verify the first certificate").
    return [
      `TLS certificate: ${material.certFile} (SHA-256 ${material.fingerprint256})`,
      'Clients must trust the CA that issued it: Node.js clients (Azure SDKs): export NODE_EXTRA_CA_CERTS=<that CA certificate>,',
      '  unless it is already in the system store; curl: curl --cacert <that CA certificate> ...',
    ].join('\n');
  }
  return [
    `TLS certificate: ${material.certFile} (SHA-256 ${material.fingerprint256})`,
    material.generated ? 'A self-signed certificate was generated for localhost / 127.0.0.1.' : 'The certificate is self-signed.',
    'To trust it: Node.js clients (Azure SDKs):  export NODE_EXTRA_CA_CERTS=' + material.certFile,
    `             curl:                        curl --cacert ${material.certFile} ...`,
    `             Debian system store:         cp ${material.certFile} /usr/local/share/ca-certificates/vigil.crt && update-ca-certificates`,
  ].join('\n');
}
