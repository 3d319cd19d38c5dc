import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom } from '../../src/loadgen/transactions/seeded-random.js';
import { ZipfSampler } from '../../src/loadgen/transactions/zipf-sampler.js';

test('Zipf exponent 1 over 1,000 accounts: the hottest gets about 1/H(1000) of the draws, the coldest almost none', () => {
  const sampler = new ZipfSampler(1000, 1);
  const harmonic = Array.from({ length: 1000 }, (_, rank) => 1 / (rank + 1)).reduce((sum, value) => sum + value, 0);
  assert.ok(Math.abs(sampler.probabilityOf(0) - 1 / harmonic) < 1e-12);
  const random = new SeededRandom(7);
  const counts = new Array<number>(1000).fill(0);
  const draws = 200_000;
  for (let draw = 0; draw < draws; draw++) counts[sampler.sample(random)]! += 1;
  const hottestShare = counts[0]! / draws;
  assert.ok(Math.abs(hottestShare - 1 / harmonic) < 0.01, `hottest share ${hottestShare}, expected about ${1 / harmonic}`);
  assert.ok(counts[0]! > counts[9]! && counts[9]! > counts[99]! && counts[99]! > counts[999]!, 'hotter ranks are drawn more often');
});

test('exponent 0 is uniform, and the same seed draws the same sequence', () => {
  const uniform = new ZipfSampler(4, 0);
  for (let rank = 0; rank < 4; rank++) assert.ok(Math.abs(uniform.probabilityOf(rank) - 0.25) < 1e-12);
  const draw = (seed: number) => {
    const random = SeededRandom.forCoordinates(seed, 3, 9);
    return Array.from({ length: 20 }, () => uniform.sample(random));
  };
  assert.deepEqual(draw(1), draw(1));
  assert.notDeepEqual(draw(1), draw(2));
  assert.throws(() => new ZipfSampler(0, 1), /count/);
  assert.throws(() => new ZipfSampler(10, -1), /exponent/);
});
