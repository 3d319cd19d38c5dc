import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/loader.js';
import { expectConfigError, makeConfigDir } from './config-fixtures.js';

test('command-line overrides win over the environment and the profile', (t) => {
  const folder = makeConfigDir(t, { 'base.yaml': 'grpc:\n  port: 9100\n  host: 10.0.0.5\n' });
  const config = loadConfig({
    configDir: folder,
    profile: 'base',
    env: { AURIGRAPH_GRPC_PORT: '9200', AURIGRAPH_SHARDS_COUNT: '3' },
    overrides: { 'grpc.port': '9300' },
  });
  assert.equal(config.grpc.port, 9300);
  assert.equal(config.shards.count, 3, 'the environment still applies where no flag is given');
  assert.equal(config.grpc.host, '10.0.0.5', 'the profile still applies where nothing overrides it');
});

test('a leading -- on an override path is accepted', (t) => {
  const folder = makeConfigDir(t, {});
  const config = loadConfig({ configDir: folder, env: {}, overrides: { '--raft.tickMs': '25' } });
  assert.equal(config.raft.tickMs, 25);
});

test('a bad command-line value names the flag, the field, the value and what is allowed', (t) => {
  const folder = makeConfigDir(t, {});
  const error = expectConfigError(() =>
    loadConfig({ configDir: folder, env: { AURIGRAPH_GRPC_PORT: '9200' }, overrides: { 'grpc.port': '65536' } }),
  );
  assert.deepEqual(error.issues[0]!.source, { kind: 'flag', flag: 'grpc.port' });
  assert.equal(error.message, 'command-line flag --grpc.port: grpc.port = 65536 is not allowed: must be an integer between 0 and 65535');
});

test('an unparsable command-line value names the expected type', (t) => {
  const folder = makeConfigDir(t, {});
  const error = expectConfigError(() => loadConfig({ configDir: folder, env: {}, overrides: { 'shards.count': '4x' } }));
  assert.equal(
    error.message,
    'command-line flag --shards.count: shards.count = "4x" has the wrong type: expected an integer; must be an integer between 1 and 64',
  );
});
