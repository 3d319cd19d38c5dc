import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/loader.js';
import { expectConfigError, makeConfigDir, shown } from './config-fixtures.js';

test('every problem across files, environment and flags is reported in one error', (t) => {
  const folder = makeConfigDir(t, {
    'broken.yaml': ['grpc:', '  port: "x"', '  hots: 0.0.0.0', 'shards:', '  ringRecords: 1000', 'log:', '  level: loud', ''].join('\n'),
  });
  const error = expectConfigError(() =>
    loadConfig({
      configDir: folder,
      profile: 'broken',
      env: { AURIGRAPH_SHARDS_COUNT: 'many' },
      overrides: { 'raft.tickMs': '0' },
    }),
  );
  const file = shown(folder, 'broken.yaml');
  assert.deepEqual(
    error.issues.map((issue) => issue.field),
    ['grpc.port', 'grpc.hots', 'shards.ringRecords', 'log.level', 'shards.count', 'raft.tickMs'],
  );
  const lines = error.message.split('\n');
  assert.equal(lines[0], '6 configuration errors:');
  assert.equal(lines.length, 7);
  assert.ok(lines[1]!.startsWith(`  - ${file}: grpc.port = "x" has the wrong type`));
  assert.ok(lines[2]!.startsWith(`  - ${file}: grpc.hots is not a known key; did you mean grpc.host?`));
  assert.ok(lines[3]!.startsWith(`  - ${file}: shards.ringRecords = 1000 is not allowed`));
  assert.ok(lines[4]!.startsWith(`  - ${file}: log.level = "loud" is not allowed`));
  assert.ok(lines[5]!.startsWith('  - environment variable AURIGRAPH_SHARDS_COUNT: shards.count = "many" has the wrong type'));
  assert.ok(lines[6]!.startsWith('  - command-line flag --raft.tickMs: raft.tickMs = 0 is not allowed'));
  assert.equal(error.field, 'grpc.port', 'field and file describe the first issue');
  assert.ok(error.file?.endsWith('broken.yaml'));
});

test('a bad value in a file is reported even when a later layer overrides it', (t) => {
  const folder = makeConfigDir(t, { 'broken.yaml': 'grpc:\n  port: -5\n' });
  const error = expectConfigError(() =>
    loadConfig({ configDir: folder, profile: 'broken', env: {}, overrides: { 'grpc.port': '9100' } }),
  );
  assert.equal(error.issues.length, 1);
  assert.match(error.message, /broken\.yaml: grpc\.port = -5 is not allowed/);
});
