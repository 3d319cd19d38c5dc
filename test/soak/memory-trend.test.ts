import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_MEMORY_ALLOWANCE_BYTES, fitLine, judgeMemoryTrend, MEMORY_WINDOW_SEC_MAX } from '../../src/soak/memory-trend.js';

const mebibyte = 2 ** 20;

test('least squares recovers an exact line', () => {
  const fit = fitLine(Array.from({ length: 11 }, (_, t) => ({ t, bytes: 5 + 3 * t })));
  assert.ok(fit !== null);
  assert.ok(Math.abs(fit.slope - 3) < 1e-9);
  assert.ok(Math.abs(fit.intercept - 5) < 1e-9);
  assert.equal(fitLine([{ t: 1, bytes: 1 }]), null);
});

test('a short run is judged on its second half: warm-up growth in the first half does not count', () => {
  // Grows 200 MiB in the first 30 s, then stays level.
  const points = Array.from({ length: 61 }, (_, t) => ({ t, bytes: (100 + Math.min(t, 30) * (200 / 30)) * mebibyte }));
  const trend = judgeMemoryTrend(points, 60);
  assert.equal(trend.status, 'bounded');
  assert.equal(trend.windowStartSec, 30);
});

test('a 24-hour run is judged on its last 4 hours, where a slow leak shows', () => {
  const durationSec = 24 * 3600;
  // 80 MiB per hour from 400 MiB, sampled every 5 minutes: over the bound of 64 MiB + 10% of the
  // window-start level (2,000 MiB) per 4 hours, 66 MiB/hour.
  const points = Array.from({ length: durationSec / 300 + 1 }, (_, step) => ({ t: step * 300, bytes: 400 * mebibyte + ((step * 300) / 3600) * 80 * mebibyte }));
  const trend = judgeMemoryTrend(points, durationSec);
  assert.equal(trend.windowStartSec, durationSec - MEMORY_WINDOW_SEC_MAX);
  assert.equal(trend.status, 'growing');
  const startLevel = 400 * mebibyte + 20 * 80 * mebibyte;
  assert.ok(Math.abs(trend.allowanceBytes - (DEFAULT_MEMORY_ALLOWANCE_BYTES + 0.1 * startLevel)) < 1024, `allowance ${trend.allowanceBytes}`);
  assert.ok(trend.slopeBytesPerHour! > trend.slopeBoundBytesPerHour);
  const level = judgeMemoryTrend(points.map((point) => ({ t: point.t, bytes: 400 * mebibyte + (point.t % 600) * 1000 })), durationSec);
  assert.equal(level.status, 'bounded');
});

test('too few samples in the window: inconclusive, not passed', () => {
  const trend = judgeMemoryTrend([{ t: 40, bytes: 1 }, { t: 50, bytes: 2 }], 60);
  assert.equal(trend.status, 'inconclusive');
  assert.equal(trend.slopeBytesPerHour, null);
});
