import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/loader.js';
import { expectConfigError, makeConfigDir, shown } from './config-fixtures.js';

test('an in-flight bound below one full batch is rejected, naming the batch size it must admit', (t) => {
  const folder = makeConfigDir(t, { 'tight.yaml': 'batching:\n  maxInflightTransactions: 1000\n' });
  const error = expectConfigError(() => loadConfig({ configDir: folder, profile: 'tight', env: {} }));
  assert.equal(
    error.message,
    `${shown(folder, 'tight.yaml')}: batching.maxInflightTransactions = 1000 is not allowed: must be at least ` +
      `batching.maxBatchTransactions = 4096 (from ${shown(folder, 'defaults.yaml')})`,
  );
});

test('raising the batch size past the in-flight bound blames the batch size', (t) => {
  const folder = makeConfigDir(t, {});
  const error = expectConfigError(() =>
    loadConfig({ configDir: folder, env: { AURIGRAPH_BATCHING_MAX_INFLIGHT_TRANSACTIONS: '2048' }, overrides: { 'batching.maxBatchTransactions': '4096' } }),
  );
  assert.match(
    error.message,
    /^command-line flag --batching\.maxBatchTransactions: batching\.maxBatchTransactions = 4096 is not allowed: must be at most batching\.maxInflightTransactions = 2048/,
  );
});

test('an in-flight bound equal to the batch size is allowed', (t) => {
  const folder = makeConfigDir(t, {});
  const config = loadConfig({ configDir: folder, env: { AURIGRAPH_BATCHING_MAX_INFLIGHT_TRANSACTIONS: '4096' } });
  assert.equal(config.batching.maxInflightTransactions, config.batching.maxBatchTransactions);
});
