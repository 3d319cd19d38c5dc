import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/loader.js';
import { expectConfigError, makeConfigDir, shown } from './config-fixtures.js';

test('a log level outside the enum lists the allowed levels', (t) => {
  const folder = makeConfigDir(t, { 'levels.yaml': 'log:\n  level: verbose\n' });
  const error = expectConfigError(() => loadConfig({ configDir: folder, profile: 'levels', env: {} }));
  assert.equal(
    error.message,
    `${shown(folder, 'levels.yaml')}: log.level = "verbose" is not allowed: must be one of: debug, info, warn, error`,
  );
});

test('a crypto backend outside the enum lists the allowed backends', (t) => {
  const folder = makeConfigDir(t, {});
  const error = expectConfigError(() => loadConfig({ configDir: folder, env: { AURIGRAPH_CRYPTO_BACKEND: 'openssl' } }));
  assert.equal(
    error.message,
    'environment variable AURIGRAPH_CRYPTO_BACKEND: crypto.backend = "openssl" is not allowed: must be one of: auto, native, noble',
  );
});

test('enum values are case-sensitive', (t) => {
  const folder = makeConfigDir(t, {});
  const error = expectConfigError(() => loadConfig({ configDir: folder, env: {}, overrides: { 'log.level': 'DEBUG' } }));
  assert.match(error.message, /command-line flag --log\.level: log\.level = "DEBUG" is not allowed/);
});
