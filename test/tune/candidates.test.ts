import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/index.js';
import { configurationAt, defaultSettings, knobs, nodeOverridesOf, ringMemoryBytes, settingsOf, withKnob } from '../../scripts/tune/knobs.js';
import { workloadShapeFor } from '../../scripts/tune/point-runner.js';
import { candidateSettings } from '../../scripts/tune/sweep.js';
import { startSettings } from './fixtures/landscape.js';

test('a step varies one knob over its other values and holds the rest', () => {
  const candidates = candidateSettings(startSettings, 'piscinaThreads', [1, 2, 3, 3, 4]);
  assert.deepEqual(
    candidates.map((settings) => settings.piscinaThreads),
    [1, 3, 4],
    'the current value and repeats are not measured again',
  );
  for (const settings of candidates) assert.deepEqual({ ...settings, piscinaThreads: startSettings.piscinaThreads }, startSettings);
  assert.deepEqual(candidateSettings(startSettings, 'shardCount', [2]), [], 'a knob with only its current value has nothing to try');
});

test('the sweep starts from defaults.yaml, and each point becomes --set overrides the loader reads back', () => {
  const defaults = defaultSettings();
  const config = loadConfig({ env: {} });
  assert.equal(defaults.batchTransactions, config.batching.maxBatchTransactions);
  assert.equal(defaults.ringRecords, config.shards.ringRecords);
  const point = withKnob(withKnob(defaults, 'shardCount', 4), 'groupCommitWindowMs', 5);
  const loaded = loadConfig({ profile: 'bench', env: {}, overrides: nodeOverridesOf(point) });
  assert.deepEqual(settingsOf(loaded), point, 'the node runs exactly the point, whatever the profile says');
});

test('every value of every knob is a configuration the node accepts under the bench profile, on its own', () => {
  const defaults = defaultSettings();
  for (const knob of knobs) {
    assert.ok(knob.quickValues.every((value) => knob.values.includes(value)), `${knob.name}: the quick values are among the full ones`);
    for (const value of [...knob.values, ...knob.quickValues]) {
      const outcome = configurationAt('bench', withKnob(defaults, knob.name, value));
      assert.ok('config' in outcome, `${knob.name} = ${value}: ${'invalid' in outcome ? outcome.invalid : ''}`);
    }
  }
});

test('an invalid combination is reported with the loader\'s field name, not started', () => {
  const tooLarge = { ...defaultSettings(), batchTransactions: 65536, shardCount: 64, ringRecords: 16_777_216 };
  const outcome = configurationAt('bench', tooLarge);
  assert.ok('invalid' in outcome);
  assert.match(outcome.invalid, /shards\.|batching\./);
  const within = configurationAt('bench', defaultSettings());
  assert.ok('config' in within);
  assert.equal(ringMemoryBytes(within.config), within.config.shards.count * within.config.shards.ringRecords * within.config.shards.ringRecordBytes);
});

test('the client offers about the same transactions in flight at every batch size', () => {
  for (const batch of [1024, 4096, 8192, 16384]) {
    const shape = workloadShapeFor(batch);
    assert.equal(shape.batchSize, batch);
    assert.equal(shape.signatureMode, 'batch-signed');
    assert.equal(shape.id, `tune-batch-signed-${batch}`, 'one prepared pool per batch size');
    const inFlight = shape.streams * shape.inFlightPerStream * batch;
    assert.ok(inFlight >= 32_768 && inFlight <= 65_536, `${batch}: ${inFlight} in flight`);
  }
  assert.equal(workloadShapeFor(64).inFlightPerStream, 8, 'small batches are capped at 8 in flight per stream');
});
