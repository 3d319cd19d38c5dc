import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/loader.js';
import { expectConfigError, makeConfigDir } from './config-fixtures.js';

test('environment variables override the profile', (t) => {
  const folder = makeConfigDir(t, { 'base.yaml': 'grpc:\n  port: 9100\nshards:\n  count: 3\n' });
  const config = loadConfig({
    configDir: folder,
    profile: 'base',
    env: { AURIGRAPH_GRPC_PORT: '9200', AURIGRAPH_NODE_DATA_DIR: '/srv/aurigraph', AURIGRAPH_LOG_LEVEL: 'warn' },
  });
  assert.equal(config.grpc.port, 9200);
  assert.equal(config.shards.count, 3, 'what the environment does not set stays as the profile set it');
  assert.equal(config.node.dataDir, '/srv/aurigraph');
  assert.equal(config.log.level, 'warn');
});

test('environment text is parsed by the field type: booleans, integers and peer lists', (t) => {
  const folder = makeConfigDir(t, {});
  const config = loadConfig({
    configDir: folder,
    env: {
      AURIGRAPH_GRPC_KEEPALIVE_PERMIT_WITHOUT_CALLS: 'false',
      AURIGRAPH_SHARDS_RING_RECORDS: '1024',
      AURIGRAPH_NODE_ID: 'b',
      AURIGRAPH_RAFT_PEERS: 'a=10.0.0.1:9004, b=10.0.0.2:9004,c=[::1]:9004',
    },
  });
  assert.equal(config.grpc.keepalivePermitWithoutCalls, false);
  assert.equal(config.shards.ringRecords, 1024);
  assert.deepEqual(config.raft.peers, [
    { id: 'a', address: '10.0.0.1:9004' },
    { id: 'b', address: '10.0.0.2:9004' },
    { id: 'c', address: '[::1]:9004' },
  ]);
});

test('an empty peer variable means a single node, overriding a cluster profile', () => {
  const config = loadConfig({ profile: 'cluster-3/node-2', env: { AURIGRAPH_RAFT_PEERS: '' } });
  assert.deepEqual(config.raft.peers, []);
});

test('a relative dataDir from the environment resolves against the working directory', (t) => {
  const folder = makeConfigDir(t, {});
  const config = loadConfig({ configDir: folder, env: { AURIGRAPH_NODE_DATA_DIR: 'here/there' } });
  assert.equal(config.node.dataDir, path.resolve('here/there'));
});

test('an unparsable environment value names the variable, the field and the expected type', (t) => {
  const folder = makeConfigDir(t, {});
  const error = expectConfigError(() => loadConfig({ configDir: folder, env: { AURIGRAPH_GRPC_PORT: 'ninety' } }));
  assert.equal(error.file, undefined);
  assert.deepEqual(error.issues[0]!.source, { kind: 'environment', variable: 'AURIGRAPH_GRPC_PORT' });
  assert.equal(
    error.message,
    'environment variable AURIGRAPH_GRPC_PORT: grpc.port = "ninety" has the wrong type: expected an integer; ' +
      'must be an integer between 0 and 65535',
  );
});

test('an out-of-range environment value names the variable and the range', (t) => {
  const folder = makeConfigDir(t, {});
  const error = expectConfigError(() => loadConfig({ configDir: folder, env: { AURIGRAPH_WORKERS_PISCINA_THREADS: '0' } }));
  assert.equal(
    error.message,
    'environment variable AURIGRAPH_WORKERS_PISCINA_THREADS: workers.piscinaThreads = 0 is not allowed: must be an integer between 1 and 256',
  );
});

test('a malformed peer list names the expected form', (t) => {
  const folder = makeConfigDir(t, {});
  const error = expectConfigError(() => loadConfig({ configDir: folder, env: { AURIGRAPH_RAFT_PEERS: '10.0.0.1:9004' } }));
  assert.match(
    error.message,
    /^environment variable AURIGRAPH_RAFT_PEERS: raft\.peers = "10\.0\.0\.1:9004" has the wrong type: expected a list "id=host:port,id=host:port"/,
  );
});

test('a boolean variable accepts only true or false', (t) => {
  const folder = makeConfigDir(t, {});
  const error = expectConfigError(() =>
    loadConfig({ configDir: folder, env: { AURIGRAPH_GRPC_KEEPALIVE_PERMIT_WITHOUT_CALLS: 'yes' } }),
  );
  assert.match(error.message, /grpc\.keepalivePermitWithoutCalls = "yes" has the wrong type: expected true or false/);
});

test('AURIGRAPH_PROFILE picks the profile when none is passed, and an explicit profile wins', () => {
  assert.deepEqual(loadConfig({ env: { AURIGRAPH_PROFILE: 'bench' } }).profiles, ['bench']);
  assert.deepEqual(loadConfig({ profile: 'soak', env: { AURIGRAPH_PROFILE: 'bench' } }).profiles, ['soak']);
  const error = expectConfigError(() => loadConfig({ env: { AURIGRAPH_PROFILE: 'benhc' } }));
  assert.match(error.message, /^environment variable AURIGRAPH_PROFILE: profile "benhc" not found: there is no .*benhc\.yaml; profiles in .*: bench, /);
});
