import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFigure, formatMegabytesPerSecond, formatMicroseconds, formatRatio, ratioToLimit, truncate } from '../../bench/common/format.js';

test('figures are truncated, never rounded up', () => {
  assert.equal(truncate(1.999, 2), 1.99);
  assert.equal(truncate(4.1, 2), 4.1, 'a product just under a whole number is that number');
  assert.equal(formatMicroseconds(4_100), '4.10 ms');
  assert.equal(formatFigure(1_049_999.9), '1,049,999');
  assert.equal(formatFigure(99.99), '99.9');
  assert.equal(formatFigure(9.999), '9.99');
  assert.equal(formatMicroseconds(999.99), '999.9 µs');
  assert.equal(formatMicroseconds(18_319), '18.31 ms');
  assert.equal(formatMegabytesPerSecond(112_999_999), '112 MB/s');
});

test('a ratio to a limit says how many times the limit and what share of it', () => {
  assert.equal(ratioToLimit(250, 1000), 0.25);
  assert.equal(formatRatio(423_999, 1_000_000), '0.42× (42.3%)');
  assert.equal(formatRatio(2_000, 1_000), '2.00× (200.0%)');
  assert.throws(() => ratioToLimit(1, 0), /a limit is finite and > 0/);
});
