import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/loader.js';
import { configDir } from '../../src/paths.js';
import { makeConfigDir } from './config-fixtures.js';

test('the default genesis file is the development genesis in the repository config folder', () => {
  const config = loadConfig({ env: {} });
  assert.equal(config.ledger.genesisFile, path.join(configDir, 'genesis', 'dev.yaml'));
});

test('a relative genesis file resolves against the config folder, not the working directory', (t) => {
  const folder = makeConfigDir(t, { 'chain.yaml': 'ledger:\n  genesisFile: chains/main.yaml\n' });
  const config = loadConfig({ configDir: folder, profile: 'chain', env: {} });
  assert.equal(config.ledger.genesisFile, path.join(folder, 'chains', 'main.yaml'));
});

test('an absolute genesis file from the environment is kept as given', (t) => {
  const folder = makeConfigDir(t, {});
  const config = loadConfig({ configDir: folder, env: { AURIGRAPH_LEDGER_GENESIS_FILE: '/srv/genesis.yaml' } });
  assert.equal(config.ledger.genesisFile, '/srv/genesis.yaml');
});
