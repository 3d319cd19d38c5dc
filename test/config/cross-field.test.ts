import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/loader.js';
import { expectConfigError, makeConfigDir, shown } from './config-fixtures.js';

test('heartbeat ticks at or above the election minimum are rejected, naming both fields', (t) => {
  const folder = makeConfigDir(t, { 'raft.yaml': 'raft:\n  heartbeatTicks: 10\n' });
  const error = expectConfigError(() => loadConfig({ configDir: folder, profile: 'raft', env: {} }));
  assert.equal(
    error.message,
    `${shown(folder, 'raft.yaml')}: raft.heartbeatTicks = 10 is not allowed: must be less than ` +
      `raft.electionTicksMin = 10 (from ${shown(folder, 'defaults.yaml')})`,
  );
});

test('the field set last is blamed, so the message points at the layer the user just changed', (t) => {
  const folder = makeConfigDir(t, {});
  const error = expectConfigError(() =>
    loadConfig({ configDir: folder, env: {}, overrides: { 'raft.electionTicksMax': '8' } }),
  );
  assert.equal(
    error.message,
    'command-line flag --raft.electionTicksMax: raft.electionTicksMax = 8 is not allowed: must be greater than ' +
      `raft.electionTicksMin = 10 (from ${shown(folder, 'defaults.yaml')})`,
  );
});

test('a batch larger than a gRPC message or the in-flight window is rejected', (t) => {
  const folder = makeConfigDir(t, {});
  const error = expectConfigError(() =>
    loadConfig({ configDir: folder, env: { AURIGRAPH_BATCHING_MAX_BATCH_BYTES: '33554432' } }),
  );
  assert.equal(error.issues.length, 1);
  assert.match(
    error.message,
    /AURIGRAPH_BATCHING_MAX_BATCH_BYTES: batching\.maxBatchBytes = 33554432 is not allowed: must be at most grpc\.maxReceiveMessageBytes = 16777216/,
  );
  const inflight = expectConfigError(() =>
    loadConfig({ configDir: folder, env: { AURIGRAPH_RAFT_MAX_INFLIGHT_BYTES: '1048576' } }),
  );
  assert.match(inflight.message, /raft\.maxInflightBytes = 1048576 is not allowed: must be at least batching\.maxBatchBytes = 4194304/);
});

test('a peer list without this node is rejected', (t) => {
  const folder = makeConfigDir(t, {});
  const error = expectConfigError(() =>
    loadConfig({ configDir: folder, env: { AURIGRAPH_RAFT_PEERS: 'node-2=127.0.0.1:9102,node-3=127.0.0.1:9103' } }),
  );
  assert.match(
    error.message,
    /^environment variable AURIGRAPH_RAFT_PEERS: raft\.peers = .* is not allowed: a non-empty peer list \(ids "node-2", "node-3"\) must include this node, node\.id = "node-1"/,
  );
});

test('a node id missing from the cluster profile\'s peers blames the id', () => {
  const error = expectConfigError(() => loadConfig({ profile: 'cluster-3/node-1', env: { AURIGRAPH_NODE_ID: 'node-9' } }));
  assert.match(
    error.message,
    /^environment variable AURIGRAPH_NODE_ID: node\.id = "node-9" is not allowed: must be one of the raft\.peers ids \("node-1", "node-2", "node-3", from (.*\/)?config\/cluster-3\/node-1\.yaml\)/,
  );
});

test('duplicate peer ids and addresses are rejected', (t) => {
  const folder = makeConfigDir(t, {
    'peers.yaml': [
      'raft:',
      '  peers:',
      '    - { id: node-1, address: "127.0.0.1:9101" }',
      '    - { id: node-1, address: "127.0.0.1:9102" }',
      '    - { id: node-3, address: "127.0.0.1:9101" }',
      '',
    ].join('\n'),
  });
  const error = expectConfigError(() => loadConfig({ configDir: folder, profile: 'peers', env: {} }));
  assert.deepEqual(
    error.issues.map((issue) => issue.message),
    [
      'raft.peers[1].id = "node-1" is not allowed: must be unique, but raft.peers[0] has the same id',
      'raft.peers[2].address = "127.0.0.1:9101" is not allowed: must be unique, but raft.peers[0] has the same address',
    ],
  );
});

test('ring memory and scrypt memory are bounded', (t) => {
  const folder = makeConfigDir(t, {});
  const error = expectConfigError(() =>
    loadConfig({
      configDir: folder,
      env: { AURIGRAPH_SHARDS_COUNT: '64', AURIGRAPH_SHARDS_RING_RECORDS: '8192', AURIGRAPH_CRYPTO_KEYSTORE_SCRYPT_N: '1048576' },
      overrides: { 'crypto.keystore.scryptR': '16' },
    }),
  );
  assert.deepEqual(
    error.issues.map((issue) => issue.message),
    [
      'shards.ringRecords = 8192 is not allowed: ring memory shards.count × shards.ringRecords × shards.ringRecordBytes = ' +
        '4294967296 bytes must be at most 2147483648 bytes (2 GiB), with shards.count = 64 (from environment variable ' +
        `AURIGRAPH_SHARDS_COUNT) and shards.ringRecordBytes = 8192 (from ${shown(folder, 'defaults.yaml')})`,
      'crypto.keystore.scryptR = 16 is not allowed: scrypt memory 128 × N × r = 2147483648 bytes must be at most ' +
        '1073741824 bytes (1 GiB), with crypto.keystore.scryptN = 1048576 (from environment variable AURIGRAPH_CRYPTO_KEYSTORE_SCRYPT_N)',
    ],
  );
});

test('the largest ring memory and scrypt memory allowed pass', (t) => {
  const folder = makeConfigDir(t, {});
  const config = loadConfig({
    configDir: folder,
    env: { AURIGRAPH_SHARDS_COUNT: '64', AURIGRAPH_SHARDS_RING_RECORDS: '4096', AURIGRAPH_CRYPTO_KEYSTORE_SCRYPT_N: '1048576' },
  });
  assert.equal(config.shards.count * config.shards.ringRecords * config.shards.ringRecordBytes, 2 ** 31);
  assert.equal(128 * config.crypto.keystore.scryptN * config.crypto.keystore.scryptR, 2 ** 30);
});
