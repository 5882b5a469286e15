import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { configFromEnvironment, configFromFile, resolveConfig, ConfigError, DEFAULT_PORT } from './config.ts';

test('defaults, then file, then environment, then flags: later sources win', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-config-'));
  try {
    const file = join(dir, 'vigil.yaml');
    writeFileSync(file, 'port: 9000\nlogLevel: warn\ntls:\n  certFile: /x/c.pem\n  keyFile: /x/k.pem\n');
    const config = resolveConfig(configFromFile(file), configFromEnvironment({ VIGIL_PORT: '9100', VIGIL_DATA_DIR: 'here' }), { host: '0.0.0.0' });
    assert.equal(config.port, 9100);
    assert.equal(config.logLevel, 'warn');
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.dataDir, resolve('here'));
    assert.deepEqual(config.tls, { certFile: '/x/c.pem', keyFile: '/x/k.pem' });
    assert.equal(resolveConfig().port, DEFAULT_PORT);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad settings are refused, naming the setting', () => {
  assert.throws(() => configFromEnvironment({ VIGIL_PORT: 'eighty' }), (e: unknown) => e instanceof ConfigError && /VIGIL_PORT/.test(e.message));
  assert.throws(() => resolveConfig({ port: 70000 }), (e: unknown) => e instanceof ConfigError && /port/.test(e.message));
  assert.throws(() => resolveConfig({ tls: { certFile: '/only/cert.pem' } }), (e: unknown) => e instanceof ConfigError && /together/.test(e.message));
  assert.throws(() => resolveConfig({ colour: 'blue' } as never), (e: unknown) => e instanceof ConfigError && /colour|Unrecognized/i.test(e.message));
  const dir = mkdtempSync(join(tmpdir(), 'vigil-config-'));
  try {
    writeFileSync(join(dir, 'bad.json'), '{ "port": ');
    assert.throws(() => configFromFile(join(dir, 'bad.json')), (e: unknown) => e instanceof ConfigError && /not valid JSON/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('query limits: defaults as Log Analytics, settable by variable, the default time limit within the maximum', () => {
  const config = resolveConfig();
  assert.deepEqual([config.queryMaxRows, config.queryMaxBytes, config.queryTimeoutSeconds, config.queryMaxTimeoutSeconds], [500_000, 64 * 1024 * 1024, 180, 600]);
  const env = configFromEnvironment({ VIGIL_QUERY_MAX_ROWS: '1000', VIGIL_QUERY_MAX_BYTES: '2048', VIGIL_QUERY_TIMEOUT_SECONDS: '30', VIGIL_QUERY_MAX_TIMEOUT_SECONDS: '60' });
  assert.deepEqual(env, { queryMaxRows: 1000, queryMaxBytes: 2048, queryTimeoutSeconds: 30, queryMaxTimeoutSeconds: 60 });
  assert.throws(() => resolveConfig({ queryTimeoutSeconds: 900 }), (e: unknown) => e instanceof ConfigError && /queryTimeoutSeconds \(900\) is above queryMaxTimeoutSeconds \(600\)/.test(e.message));
  assert.throws(() => resolveConfig({ queryMaxRows: 0 }), (e: unknown) => e instanceof ConfigError && /queryMaxRows/.test(e.message));
});
