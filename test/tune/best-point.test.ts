import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withKnob } from '../../scripts/tune/knobs.js';
import { bestPoint, type MemoryBound, shouldMove, verdictOf } from '../../scripts/tune/sweep.js';
import { mebibyte, measurementOf, startSettings } from './fixtures/landscape.js';

const bound: MemoryBound = { bytesMax: 256 * mebibyte, measure: 'rss-anon' };
const at = (threads: number) => withKnob(startSettings, 'piscinaThreads', threads);

test('a point is within the bound, over it, unmeasured or failed', () => {
  assert.equal(verdictOf(measurementOf(at(1), 10_000, 256), bound), 'within', 'the bound itself is allowed');
  assert.equal(verdictOf(measurementOf(at(1), 10_000, 257), bound), 'over');
  assert.equal(verdictOf(measurementOf(at(1), 10_000, null), bound), 'unmeasured');
  assert.equal(verdictOf(measurementOf(at(1), 0, 100, 'the node did not start'), bound), 'failed');
  // VmRSS is 200 MiB above RssAnon in the fixture: the measure chosen decides.
  assert.equal(verdictOf(measurementOf(at(1), 10_000, 50), { ...bound, measure: 'vm-rss' }), 'within');
  assert.equal(verdictOf(measurementOf(at(1), 10_000, 100), { ...bound, bytesMax: 299 * mebibyte, measure: 'vm-rss' }), 'over');
});

test('the best point is the fastest within the bound, however fast the points over it were', () => {
  const points = [
    { measurement: measurementOf(at(1), 40_000, 200) },
    { measurement: measurementOf(at(2), 90_000, 300) },
    { measurement: measurementOf(at(3), 50_000, 250) },
    { measurement: measurementOf(at(4), 95_000, null) },
    { measurement: measurementOf(at(5), 0, null, 'failed to start') },
  ];
  assert.equal(bestPoint(points, bound)?.measurement.settings.piscinaThreads, 3);
  assert.equal(bestPoint([], bound), undefined);
});

test('while no point is within the bound, the one with the least memory is preferred', () => {
  const points = [
    { measurement: measurementOf(at(1), 90_000, 400) },
    { measurement: measurementOf(at(2), 10_000, 300) },
    { measurement: measurementOf(at(3), 0, null, 'failed') },
  ];
  assert.equal(bestPoint(points, bound)?.measurement.settings.piscinaThreads, 2);
});

test('a knob moves only for a gain above the threshold, or into the bound', () => {
  const current = measurementOf(at(2), 50_000, 200);
  assert.equal(shouldMove(measurementOf(at(3), 52_000, 200), current, bound, 0.05), false, '4% is noise');
  assert.equal(shouldMove(measurementOf(at(3), 53_000, 200), current, bound, 0.05), true, '6% moves it');
  assert.equal(shouldMove(measurementOf(at(3), 53_000, 200), current, bound, 0.1), false);
  assert.equal(shouldMove(measurementOf(at(3), 200_000, 300), current, bound, 0.05), false, 'never out of the bound');
  assert.equal(shouldMove(measurementOf(at(3), 1_000, 200), measurementOf(at(2), 50_000, 300), bound, 0.05), true, 'into the bound whatever the speed');
  assert.equal(shouldMove(measurementOf(at(3), 1_000, 280), measurementOf(at(2), 50_000, 300), bound, 0.05), true, 'both over: 7% less memory');
  assert.equal(shouldMove(measurementOf(at(3), 1_000, 290), measurementOf(at(2), 50_000, 300), bound, 0.05), false, 'both over: 3% less memory is noise');
  assert.equal(shouldMove(measurementOf(at(3), 0, null, 'failed'), current, bound, 0), false);
  assert.equal(shouldMove(current, measurementOf(at(3), 0, null, 'failed'), bound, 0.05), true, 'away from a failed point');
});
