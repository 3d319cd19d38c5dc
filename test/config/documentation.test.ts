import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { configFields } from '../../src/config/schema.js';
import { configDir } from '../../src/paths.js';

test('config/README.md lists every environment variable', () => {
  const readme = readFileSync(path.join(configDir, 'README.md'), 'utf8');
  const missing = configFields.filter((field) => !readme.includes(`\`${field.environmentVariable}\``));
  assert.deepEqual(missing.map((field) => field.environmentVariable), []);
});

test('environment variable names follow AURIGRAPH_<PATH> in upper snake case', () => {
  const byPath = new Map(configFields.map((field) => [field.path, field.environmentVariable]));
  assert.equal(byPath.get('grpc.port'), 'AURIGRAPH_GRPC_PORT');
  assert.equal(byPath.get('node.dataDir'), 'AURIGRAPH_NODE_DATA_DIR');
  assert.equal(byPath.get('shards.count'), 'AURIGRAPH_SHARDS_COUNT');
  assert.equal(byPath.get('crypto.keystore.scryptN'), 'AURIGRAPH_CRYPTO_KEYSTORE_SCRYPT_N');
  assert.equal(byPath.get('grpc.keepalivePermitWithoutCalls'), 'AURIGRAPH_GRPC_KEEPALIVE_PERMIT_WITHOUT_CALLS');
});

test('every setting in defaults.yaml has a comment right above it', () => {
  const lines = readFileSync(path.join(configDir, 'defaults.yaml'), 'utf8').split('\n');
  const leafNames = new Set(configFields.map((field) => field.path.split('.').pop()!));
  const undocumented: string[] = [];
  lines.forEach((line, index) => {
    const key = /^\s*([A-Za-z]+):\s*\S/.exec(line)?.[1];
    if (key === undefined || !leafNames.has(key)) return;
    if (!lines[index - 1]!.trim().startsWith('#')) undocumented.push(key);
  });
  assert.deepEqual(undocumented, []);
});
