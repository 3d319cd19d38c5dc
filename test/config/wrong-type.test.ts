import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/loader.js';
import { expectConfigError, lineAbout, makeConfigDir, shown } from './config-fixtures.js';

test('a string where an integer belongs names the file, the field and the expected type', (t) => {
  const folder = makeConfigDir(t, { 'typed.yaml': 'grpc:\n  port: "9100"\n' });
  const error = expectConfigError(() => loadConfig({ configDir: folder, profile: 'typed', env: {} }));
  assert.equal(error.issues.length, 1);
  assert.equal(error.field, 'grpc.port');
  assert.equal(error.file, `${folder}/typed.yaml`);
  assert.equal(error.kind, 'invalid_argument');
  assert.equal(
    error.message,
    `${shown(folder, 'typed.yaml')}: grpc.port = "9100" has the wrong type: expected an integer, got a string; ` +
      'must be an integer between 0 and 65535',
  );
});

test('a fraction where an integer belongs is a wrong type', (t) => {
  const folder = makeConfigDir(t, { 'typed.yaml': 'shards:\n  count: 2.5\n' });
  const line = lineAbout(expectConfigError(() => loadConfig({ configDir: folder, profile: 'typed', env: {} })), 'shards.count');
  assert.match(line, /shards\.count = 2\.5 has the wrong type: expected an integer, got a non-integer number/);
});

test('a string where a boolean belongs names the expected type', (t) => {
  const folder = makeConfigDir(t, { 'typed.yaml': 'grpc:\n  keepalivePermitWithoutCalls: "yes"\n' });
  const line = lineAbout(
    expectConfigError(() => loadConfig({ configDir: folder, profile: 'typed', env: {} })),
    'grpc.keepalivePermitWithoutCalls',
  );
  assert.ok(line.startsWith(`${shown(folder, 'typed.yaml')}: `));
  assert.match(line, /expected a boolean, got a string; must be true or false/);
});

test('a scalar where a section belongs names the keys the section holds', (t) => {
  const folder = makeConfigDir(t, { 'typed.yaml': 'shards: 4\n' });
  const line = lineAbout(expectConfigError(() => loadConfig({ configDir: folder, profile: 'typed', env: {} })), 'shards');
  assert.match(line, /shards = 4 has the wrong type: expected a mapping of count, ringRecords, ringRecordBytes, got an integer/);
});

test('a mapping where the peer list belongs is a wrong type', (t) => {
  const folder = makeConfigDir(t, { 'typed.yaml': 'raft:\n  peers:\n    node-1: 127.0.0.1:9101\n' });
  const line = lineAbout(expectConfigError(() => loadConfig({ configDir: folder, profile: 'typed', env: {} })), 'raft.peers');
  assert.match(line, /expected a list, got a mapping/);
});
