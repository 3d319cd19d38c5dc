/**
 * The gain over defaults, from repeats rather than from the sweep's own points: each point ran
 * once, on a fresh node, minutes apart from the others, on a machine others share, so a single
 * pair of figures carries that noise. At the end the defaults (A) and the best (B) run again in
 * alternation, A B A B ..., so slow drift of the machine's load falls on both alike, and the
 * gain is the mean of B's figures over the mean of A's; each pair's own ratio shows the spread.
 */
import { assert } from '../../src/errors.js';

export type RepeatArm = 'defaults' | 'best';

/** A B A B ...: `repeats` runs of each, the defaults first. */
export function alternatingArms(repeats: number): RepeatArm[] {
  assert(Number.isSafeInteger(repeats) && repeats >= 1, `at least one repeat of each, got ${repeats}`);
  return Array.from({ length: repeats * 2 }, (_, index) => (index % 2 === 0 ? 'defaults' : 'best'));
}

export interface Gain {
  /** Committed tx/s of each pair used (both runs measured), in the order run. */
  readonly defaultsPerSecond: readonly number[];
  readonly bestPerSecond: readonly number[];
  readonly defaultsMeanPerSecond: number;
  readonly bestMeanPerSecond: number;
  /** bestMean / defaultsMean. */
  readonly ratio: number;
  /** best[i] / defaults[i] for each pair run back to back. */
  readonly pairRatios: readonly number[];
  /** Pairs left out because one of their runs failed (no figure). */
  readonly pairsLeftOut: number;
}

const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * The gain from paired runs; null marks a run that failed (it has no figure, so its pair is
 * left out). Null when no pair is left, or the defaults' runs committed nothing (no ratio).
 */
export function gainOf(defaultsPerSecond: readonly (number | null)[], bestPerSecond: readonly (number | null)[]): Gain | null {
  assert(defaultsPerSecond.length === bestPerSecond.length && defaultsPerSecond.length > 0, 'as many runs of the best as of the defaults, at least one');
  for (const value of [...defaultsPerSecond, ...bestPerSecond]) assert(value === null || (Number.isFinite(value) && value >= 0), `a rate is finite and >= 0, got ${value}`);
  const defaults: number[] = [];
  const best: number[] = [];
  defaultsPerSecond.forEach((value, index) => {
    const paired = bestPerSecond[index]!;
    if (value === null || paired === null) return;
    defaults.push(value);
    best.push(paired);
  });
  if (defaults.length === 0) return null;
  const defaultsMeanPerSecond = mean(defaults);
  if (defaultsMeanPerSecond === 0) return null;
  const bestMeanPerSecond = mean(best);
  return {
    defaultsPerSecond: defaults,
    bestPerSecond: best,
    defaultsMeanPerSecond,
    bestMeanPerSecond,
    ratio: bestMeanPerSecond / defaultsMeanPerSecond,
    pairRatios: best.map((value, index) => (defaults[index]! === 0 ? Number.POSITIVE_INFINITY : value / defaults[index]!)),
    pairsLeftOut: defaultsPerSecond.length - defaults.length,
  };
}
