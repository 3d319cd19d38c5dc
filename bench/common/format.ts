/**
 * Number formatting for benchmark tables. Figures are truncated, never rounded up: a table may
 * understate what was measured by less than its last digit, never overstate it.
 */
import { assert } from '../../src/errors.js';

/** `value` truncated to `digits` decimals (toward zero). */
export function truncate(value: number, digits = 0): number {
  assert(Number.isFinite(value), `a figure to format is finite, got ${value}`);
  const scale = 10 ** digits;
  const scaled = value * scale;
  const nearest = Math.round(scaled);
  // A product can land a hair under the whole number it equals (4.1 × 100 = 409.99999999999994);
  // truncating that would understate the figure by a whole last digit.
  const whole = Math.abs(scaled - nearest) <= 1e-9 * Math.max(1, Math.abs(scaled)) ? nearest : Math.trunc(scaled);
  return whole / scale;
}

/** A count or rate with thousands separators: whole numbers from 100 up, else 3 significant digits. */
export function formatFigure(value: number): string {
  if (Math.abs(value) >= 100) return truncate(value).toLocaleString('en-US');
  if (Math.abs(value) >= 10) return truncate(value, 1).toFixed(1);
  return truncate(value, 2).toFixed(2);
}

/** Microseconds as µs below 1 ms, ms with two decimals above. */
export function formatMicroseconds(valueUs: number): string {
  if (valueUs >= 1000) return `${truncate(valueUs / 1000, 2).toFixed(2)} ms`;
  return `${truncate(valueUs, 1).toFixed(1)} µs`;
}

/** Bytes per second as MB/s (10^6), truncated. */
export function formatMegabytesPerSecond(bytesPerSecond: number): string {
  return `${formatFigure(bytesPerSecond / 1e6)} MB/s`;
}

/** `measured / limit`: how much of the limit a measured figure reaches. */
export function ratioToLimit(measured: number, limit: number): number {
  assert(Number.isFinite(measured) && measured >= 0, `a measured figure is finite and >= 0, got ${measured}`);
  assert(Number.isFinite(limit) && limit > 0, `a limit is finite and > 0, got ${limit}`);
  return measured / limit;
}

/**
 * A ratio against a limit, as "0.42× (42.3%)", truncated: "×" for how many times the limit,
 * the percentage for how much of it is used.
 */
export function formatRatio(measured: number, limit: number): string {
  const value = ratioToLimit(measured, limit);
  return `${truncate(value, 2).toFixed(2)}× (${truncate(value * 100, 1).toFixed(1)}%)`;
}
