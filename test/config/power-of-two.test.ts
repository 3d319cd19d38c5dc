import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/loader.js';
import { expectConfigError, lineAbout, makeConfigDir, shown } from './config-fixtures.js';

test('a ring size that is not a power of two is rejected with the rule and the range', (t) => {
  const folder = makeConfigDir(t, { 'bench.yaml': 'shards:\n  ringRecords: 1000\n' });
  const error = expectConfigError(() => loadConfig({ configDir: folder, profile: 'bench', env: {} }));
  assert.equal(
    error.message,
    `${shown(folder, 'bench.yaml')}: shards.ringRecords = 1000 is not allowed: must be a power of two between 64 and 16777216`,
  );
});

test('a power of two above the range is still rejected', (t) => {
  const folder = makeConfigDir(t, { 'big.yaml': 'shards:\n  ringRecords: 33554432\n' });
  const error = expectConfigError(() => loadConfig({ configDir: folder, profile: 'big', env: {} }));
  assert.match(lineAbout(error, 'shards.ringRecords'), /33554432 is not allowed: must be a power of two between 64 and 16777216/);
});

test('a scrypt cost that is not a power of two is rejected', (t) => {
  const folder = makeConfigDir(t, { 'scrypt.yaml': 'crypto:\n  keystore:\n    scryptN: 30000\n' });
  const error = expectConfigError(() => loadConfig({ configDir: folder, profile: 'scrypt', env: {} }));
  assert.match(
    lineAbout(error, 'crypto.keystore.scryptN'),
    /crypto\.keystore\.scryptN = 30000 is not allowed: must be a power of two between 1024 and 1048576/,
  );
});

test('a record size that is not a multiple of 8 is rejected', (t) => {
  const folder = makeConfigDir(t, { 'record.yaml': 'shards:\n  ringRecordBytes: 100\n' });
  const error = expectConfigError(() => loadConfig({ configDir: folder, profile: 'record', env: {} }));
  assert.match(
    lineAbout(error, 'shards.ringRecordBytes'),
    /shards\.ringRecordBytes = 100 is not allowed: must be a multiple of 8 between 136 and 65536 \(bytes\)/,
  );
});

test('a record smaller than one transaction record is rejected', (t) => {
  const folder = makeConfigDir(t, { 'record.yaml': 'shards:\n  ringRecordBytes: 128\n' });
  const error = expectConfigError(() => loadConfig({ configDir: folder, profile: 'record', env: {} }));
  assert.match(lineAbout(error, 'shards.ringRecordBytes'), /= 128 is not allowed: must be a multiple of 8 between 136 and 65536/);
});
