import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Prng } from '../../src/raft/index.js';

test('the same seed gives the same sequence; different seeds differ', () => {
  const draw = (seed: number): number[] => {
    const prng = new Prng(seed);
    return Array.from({ length: 16 }, () => prng.nextUint32());
  };
  assert.deepEqual(draw(42), draw(42));
  assert.notDeepEqual(draw(42), draw(43));
  assert.notDeepEqual(draw(0), draw(2 ** 32));
  for (const value of draw(0)) assert.ok(Number.isInteger(value) && value >= 0 && value < 2 ** 32);
});

test('nextIntInRange stays in [min, max) and reaches every value about equally often', () => {
  const prng = new Prng(7);
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < 20_000; i++) {
    const value = prng.nextIntInRange(10, 20);
    assert.ok(value >= 10 && value < 20);
    counts[value - 10]! += 1;
  }
  for (const count of counts) assert.ok(count > 1700 && count < 2300, `bucket count ${count}`);
});

test('bad seeds and empty ranges are refused', () => {
  assert.throws(() => new Prng(-1), /seed/);
  assert.throws(() => new Prng(1.5), /seed/);
  assert.throws(() => new Prng(1).nextIntInRange(5, 5), /must not be empty/);
});
