import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alternatingArms, gainOf } from '../../scripts/tune/gain.js';

test('the repeats alternate, defaults first: A B A B', () => {
  assert.deepEqual(alternatingArms(2), ['defaults', 'best', 'defaults', 'best']);
  assert.deepEqual(alternatingArms(1), ['defaults', 'best']);
  assert.throws(() => alternatingArms(0), /at least one repeat/);
});

test('the gain is the mean of the best runs over the mean of the defaults runs, with each pair\'s ratio', () => {
  const gain = gainOf([40_000, 60_000], [66_000, 54_000]);
  assert.ok(gain !== null);
  assert.equal(gain.defaultsMeanPerSecond, 50_000);
  assert.equal(gain.bestMeanPerSecond, 60_000);
  assert.equal(gain.ratio, 1.2);
  assert.deepEqual(gain.pairRatios, [66_000 / 40_000, 54_000 / 60_000]);
  assert.equal(gain.pairsLeftOut, 0);
});

test('a pair with a failed run is left out; no ratio exists without a measured pair or when the defaults committed nothing', () => {
  const gain = gainOf([null, 50_000], [60_000, 55_000]);
  assert.equal(gain?.ratio, 1.1);
  assert.equal(gain?.pairsLeftOut, 1);
  assert.deepEqual(gain?.defaultsPerSecond, [50_000]);
  assert.equal(gainOf([null], [60_000]), null);
  assert.equal(gainOf([50_000, 70_000], [null, null]), null);
  assert.equal(gainOf([0, 0], [60_000, 60_000]), null);
  assert.equal(gainOf([50_000], [0])?.ratio, 0, 'a best run that committed nothing counts as 0');
  assert.throws(() => gainOf([1], [1, 2]), /as many runs/);
  assert.throws(() => gainOf([Number.NaN], [1]), /finite/);
});
