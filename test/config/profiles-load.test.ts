import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/loader.js';
import { listProfiles } from '../../src/config/profile-chain.js';
import { configFields } from '../../src/config/schema.js';
import { configDir } from '../../src/paths.js';
import type { NodeConfig } from '../../src/config/types.js';

const noEnvironment = {};

function valueAt(config: unknown, dottedPath: string): unknown {
  return dottedPath
    .split('.')
    .reduce((section: unknown, key) => (section as Record<string, unknown> | undefined)?.[key], config);
}

test('the profiles shipped in config/ are the ones documented', () => {
  assert.deepEqual(listProfiles(configDir), [
    'bench',
    'cluster-3/node-1',
    'cluster-3/node-2',
    'cluster-3/node-3',
    'dev',
    'prod',
    'soak',
  ]);
});

test('defaults.yaml alone loads as a single loopback node', () => {
  const config = loadConfig({ env: noEnvironment });
  assert.deepEqual(config.profiles, []);
  assert.equal(config.node.id, 'node-1');
  assert.equal(config.grpc.host, '127.0.0.1');
  assert.equal(config.grpc.port, 9004);
  assert.deepEqual(config.raft.peers, []);
  assert.equal(config.crypto.keystore.scryptN, 2 ** 17);
  assert.equal(config.node.dataDir, path.resolve('data/node-1'), 'a relative dataDir resolves against the working directory');
  for (const field of configFields) assert.notEqual(valueAt(config, field.path), undefined, field.path);
});

for (const profile of listProfiles(configDir)) {
  test(`profile ${profile} loads, validates and sets only what differs from its base`, () => {
    const config = loadConfig({ profile, env: noEnvironment });
    assert.equal(config.profiles.at(-1), profile);
    assert.ok(path.isAbsolute(config.node.dataDir));

    const mapping = parse(readFileSync(path.join(configDir, `${profile}.yaml`), 'utf8')) as Record<string, unknown>;
    const base: NodeConfig = loadConfig({ profile: (mapping['extends'] as string | undefined) ?? 'defaults', env: noEnvironment });
    for (const field of configFields) {
      const written = valueAt(mapping, field.path);
      // A cluster node states its identity even where it matches the default.
      if (written === undefined || field.path === 'node.id') continue;
      assert.notDeepEqual(written, valueAt(base, field.path), `${profile}.yaml repeats its base's ${field.path}`);
    }
  });
}

for (const nodeNumber of [1, 2, 3]) {
  test(`cluster-3/node-${nodeNumber} is node ${nodeNumber} of a 3-node loopback cluster on top of dev`, () => {
    const config = loadConfig({ profile: `cluster-3/node-${nodeNumber}`, env: noEnvironment });
    assert.deepEqual(config.profiles, ['dev', `cluster-3/node-${nodeNumber}`]);
    assert.equal(config.node.id, `node-${nodeNumber}`);
    assert.equal(config.grpc.port, 9100 + nodeNumber);
    assert.equal(config.node.dataDir, path.resolve(`data/cluster-3/node-${nodeNumber}`));
    assert.deepEqual(config.raft.peers, [
      { id: 'node-1', address: '127.0.0.1:9101' },
      { id: 'node-2', address: '127.0.0.1:9102' },
      { id: 'node-3', address: '127.0.0.1:9103' },
    ]);
    assert.equal(config.log.level, 'debug', 'inherited from dev');
    assert.equal(config.crypto.keystore.scryptN, 2 ** 14, 'inherited from dev');
  });
}

test('prod exposes the node and keeps the production keystore strength', () => {
  const config = loadConfig({ profile: 'prod', env: noEnvironment });
  assert.equal(config.grpc.host, '0.0.0.0');
  assert.equal(config.crypto.keystore.scryptN, 2 ** 17);
});

test('two loads return independent objects', () => {
  const first = loadConfig({ profile: 'cluster-3/node-1', env: noEnvironment });
  first.raft.peers[0]!.address = '10.0.0.1:1';
  first.grpc.port = 1;
  const second = loadConfig({ profile: 'cluster-3/node-1', env: noEnvironment });
  assert.equal(second.raft.peers[0]!.address, '127.0.0.1:9101');
  assert.equal(second.grpc.port, 9101);
});
