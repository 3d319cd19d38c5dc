import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/loader.js';
import { expectConfigError, lineAbout, makeConfigDir, shown } from './config-fixtures.js';

const cases = [
  { yaml: 'grpc:\n  port: 70000\n', field: 'grpc.port', expected: 'grpc.port = 70000 is not allowed: must be an integer between 0 and 65535' },
  {
    yaml: 'grpc:\n  maxConcurrentStreams: 50\n',
    field: 'grpc.maxConcurrentStreams',
    expected: 'grpc.maxConcurrentStreams = 50 is not allowed: must be an integer between 100 and 1000000',
  },
  {
    yaml: 'raft:\n  tickMs: 0\n',
    field: 'raft.tickMs',
    expected: 'raft.tickMs = 0 is not allowed: must be an integer between 1 and 10000 (ms)',
  },
  {
    yaml: 'shards:\n  count: -1\n',
    field: 'shards.count',
    expected: 'shards.count = -1 is not allowed: must be an integer between 1 and 64',
  },
  {
    yaml: 'node:\n  id: "node 1"\n',
    field: 'node.id',
    expected: `node.id = "node 1" is not allowed: must be 1 to 64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit`,
  },
  {
    yaml: 'raft:\n  peers:\n    - { id: node-1, address: "127.0.0.1:70000" }\n',
    field: 'raft.peers[0].address',
    expected: 'raft.peers[0].address = "127.0.0.1:70000" is not allowed: must be "host:port" with a port between 1 and 65535',
  },
];

for (const { yaml, field, expected } of cases) {
  test(`${field} out of range is rejected, naming the file and the allowed range`, (t) => {
    const folder = makeConfigDir(t, { 'range.yaml': yaml });
    const error = expectConfigError(() => loadConfig({ configDir: folder, profile: 'range', env: {} }));
    assert.equal(lineAbout(error, field), `${shown(folder, 'range.yaml')}: ${expected}`);
  });
}

test('the boundaries themselves are allowed', (t) => {
  const folder = makeConfigDir(t, { 'edges.yaml': 'grpc:\n  port: 0\n  maxConcurrentStreams: 100\nshards:\n  count: 64\n  ringRecords: 64\n' });
  const config = loadConfig({ configDir: folder, profile: 'edges', env: {} });
  assert.equal(config.grpc.port, 0);
  assert.equal(config.grpc.maxConcurrentStreams, 100);
  assert.equal(config.shards.count, 64);
  assert.equal(config.shards.ringRecords, 64);
});
