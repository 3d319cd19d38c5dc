import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/loader.js';
import { expectConfigError, makeConfigDir, shown } from './config-fixtures.js';

function messageFor(t: Parameters<typeof makeConfigDir>[0], yaml: string): { message: string; folder: string } {
  const folder = makeConfigDir(t, { 'keys.yaml': yaml });
  return { message: expectConfigError(() => loadConfig({ configDir: folder, profile: 'keys', env: {} })).message, folder };
}

test('a misspelt key is named with the closest known key', (t) => {
  const { message, folder } = messageFor(t, 'shards:\n  ringRecord: 1024\n');
  assert.equal(message, `${shown(folder, 'keys.yaml')}: shards.ringRecord is not a known key; did you mean shards.ringRecords?`);
});

test('a snake_case key suggests its camelCase name', (t) => {
  const { message } = messageFor(t, 'batching:\n  max_batch_bytes: 1048576\n');
  assert.match(message, /batching\.max_batch_bytes is not a known key; did you mean batching\.maxBatchBytes\?/);
});

test('a misspelt section is named with the closest section', (t) => {
  const { message } = messageFor(t, 'grcp:\n  port: 9100\n');
  assert.match(message, /grcp is not a known key; did you mean grpc\?/);
});

test('a setting in the wrong section suggests where it lives', (t) => {
  const { message } = messageFor(t, 'grpc:\n  count: 4\n');
  assert.match(message, /grpc\.count is not a known key; did you mean shards\.count\?/);
});

test('a key close to nothing lists the keys that section holds', (t) => {
  const { message } = messageFor(t, 'log:\n  destination: stdout\n');
  assert.match(message, /log\.destination is not a known key; the keys under log are: level/);
});

test('profiles is the loader\'s to write, not a file\'s', (t) => {
  const { message } = messageFor(t, 'profiles: [dev]\n');
  assert.match(message, /profiles is not a key a file may set/);
});

test('an unknown variable in a settings section of the environment is rejected with a suggestion', (t) => {
  const folder = makeConfigDir(t, {});
  const error = expectConfigError(() => loadConfig({ configDir: folder, env: { AURIGRAPH_SHARDS_CONT: '4' } }));
  assert.equal(
    error.message,
    'environment variable AURIGRAPH_SHARDS_CONT: AURIGRAPH_SHARDS_CONT is not a known setting; did you mean AURIGRAPH_SHARDS_COUNT?',
  );
});

test('AURIGRAPH_* variables outside the settings sections are left alone', (t) => {
  const folder = makeConfigDir(t, {});
  const config = loadConfig({
    configDir: folder,
    env: { AURIGRAPH_KEYSTORE_SECRET: 'hunter2', AURIGRAPH_BENCH_DURATION: '10', PATH: '/usr/bin' },
  });
  assert.equal(config.grpc.port, 9004);
});

test('the variable named by crypto.keystore.secretEnv is exempt even inside a settings section', (t) => {
  const folder = makeConfigDir(t, {});
  const config = loadConfig({
    configDir: folder,
    env: { AURIGRAPH_CRYPTO_KEYSTORE_SECRET_ENV: 'AURIGRAPH_CRYPTO_SECRET', AURIGRAPH_CRYPTO_SECRET: 'hunter2' },
  });
  assert.equal(config.crypto.keystore.secretEnv, 'AURIGRAPH_CRYPTO_SECRET');
});

test('an unknown command-line setting is rejected with a suggestion', (t) => {
  const folder = makeConfigDir(t, {});
  const error = expectConfigError(() => loadConfig({ configDir: folder, env: {}, overrides: { 'grpc.prot': '9100' } }));
  assert.equal(error.message, 'command-line flag --grpc.prot: grpc.prot is not a known setting; did you mean grpc.port?');
});

test('a command-line section instead of a setting names the settings in it', (t) => {
  const folder = makeConfigDir(t, {});
  const error = expectConfigError(() => loadConfig({ configDir: folder, env: {}, overrides: { log: 'debug' } }));
  assert.equal(error.message, 'command-line flag --log: log is a section, not a setting; set one of: log.level, log.runtimeReportIntervalMs');
});
