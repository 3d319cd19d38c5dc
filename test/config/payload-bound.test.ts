import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/loader.js';
import { expectConfigError, lineAbout, makeConfigDir } from './config-fixtures.js';

test('a payload bound beyond the 16-bit length a log entry stores is rejected', (t) => {
  const folder = makeConfigDir(t, {});
  const error = expectConfigError(() => loadConfig({ configDir: folder, env: { AURIGRAPH_BATCHING_MAX_PAYLOAD_BYTES: '65536' } }));
  assert.match(
    lineAbout(error, 'batching.maxPayloadBytes'),
    /batching\.maxPayloadBytes = 65536 is not allowed: must be an integer between 0 and 65535 \(bytes\)/,
  );
});

test('the payload bound accepts both ends of its range', (t) => {
  const folder = makeConfigDir(t, {});
  assert.equal(loadConfig({ configDir: folder, env: { AURIGRAPH_BATCHING_MAX_PAYLOAD_BYTES: '0' } }).batching.maxPayloadBytes, 0);
  assert.equal(loadConfig({ configDir: folder, env: {} }).batching.maxPayloadBytes, 65535);
});
