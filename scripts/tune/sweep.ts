/**
 * The coordinate sweep, free of I/O: it is given a `measure` function and decides what to
 * measure next and what to keep. A full grid of five knobs is hundreds of points, hours on two
 * cores; a coordinate sweep measures one knob's values at a time with the others held at the
 * best so far, keeps the best, and moves on, so a pass costs the sum of the knobs' values, not
 * their product. A second pass revisits every knob from the new best (knobs interact: more
 * shards want more threads), and the sweep stops when a pass moves nothing.
 *
 * The objective: most committed transactions per second among the points whose node memory
 * stayed within the bound. A point over the bound is rejected; while no point is within it, the
 * sweep prefers less memory (it looks for the bound before it looks for speed). A knob moves
 * only when its best value beats the current one by `moveThresholdRatio`, so a difference the
 * size of the machine's noise does not move it.
 */
import { assert } from '../../src/errors.js';
import { describeSettings, type Knob, type KnobName, type TuneSettings, withKnob } from './knobs.js';

/** Which of /proc/<pid>/status's figures the bound applies to. */
export type MemoryMeasure = 'rss-anon' | 'vm-rss';

export interface MemoryBound {
  readonly bytesMax: number;
  readonly measure: MemoryMeasure;
}

export interface HalfPeakMeasurement {
  /** The open loop's target: half the point's peak. */
  readonly targetPerSecond: number;
  readonly committedPerSecond: number;
  /** Batch receipt latency from each batch's intended start (coordinated omission corrected). */
  readonly latencyP50Us: number;
  readonly latencyP99Us: number;
}

/** What one point measured, on fresh nodes. */
export interface PointMeasurement {
  readonly settings: TuneSettings;
  /** Closed loop over the measured window: COMMITTED receipts per second; 0 when it failed. */
  readonly committedPerSecond: number;
  readonly halfPeak: HalfPeakMeasurement | null;
  /** Peaks over every memory sample of the node (closed and open loop); null when none was taken. */
  readonly memoryPeakRssBytes: number | null;
  readonly memoryPeakRssAnonBytes: number | null;
  readonly memorySampleCount: number;
  /** Notes a reader of the table needs: rejected receipts, the client falling behind, ... */
  readonly notes: readonly string[];
  /** Why the point has no figures (invalid configuration, the node did not start, ...). */
  readonly failure: string | null;
}

export type PointRole = 'start' | 'sweep' | 'repeat-defaults' | 'repeat-best';

export interface SweepPoint {
  /** 1, 2, 3, ... in the order measured. */
  readonly id: number;
  readonly role: PointRole;
  /** 0 for the start point and the repeats. */
  readonly pass: number;
  /** The knob this point varied (null for the start point and the repeats). */
  readonly knob: KnobName | null;
  readonly measurement: PointMeasurement;
}

export type Verdict = 'within' | 'over' | 'unmeasured' | 'failed';

export function boundedMemoryOf(measurement: PointMeasurement, measure: MemoryMeasure): number | null {
  return measure === 'rss-anon' ? measurement.memoryPeakRssAnonBytes : measurement.memoryPeakRssBytes;
}

export function verdictOf(measurement: PointMeasurement, bound: MemoryBound): Verdict {
  if (measurement.failure !== null) return 'failed';
  const memory = boundedMemoryOf(measurement, bound.measure);
  if (memory === null) return 'unmeasured';
  return memory <= bound.bytesMax ? 'within' : 'over';
}

const verdictRank: Record<Verdict, number> = { within: 0, over: 1, unmeasured: 2, failed: 3 };

/**
 * Negative when `left` is the better point: within the bound before over it (a point whose
 * memory was not measured cannot be shown within it), failures last; within the bound, more
 * committed tx/s; over it, less memory.
 */
export function comparePoints(left: PointMeasurement, right: PointMeasurement, bound: MemoryBound): number {
  const leftVerdict = verdictOf(left, bound);
  const rightVerdict = verdictOf(right, bound);
  if (leftVerdict !== rightVerdict) return verdictRank[leftVerdict] - verdictRank[rightVerdict];
  if (leftVerdict === 'within' || leftVerdict === 'unmeasured') return right.committedPerSecond - left.committedPerSecond;
  if (leftVerdict === 'over') return boundedMemoryOf(left, bound.measure)! - boundedMemoryOf(right, bound.measure)!;
  return 0;
}

/** The best of `points` (the first of equals), or undefined when there are none. */
export function bestPoint<T extends { readonly measurement: PointMeasurement }>(points: readonly T[], bound: MemoryBound): T | undefined {
  let best: T | undefined;
  for (const point of points) if (best === undefined || comparePoints(point.measurement, best.measurement, bound) < 0) best = point;
  return best;
}

/** Whether a knob moves from `current` to `candidate`: better by more than the threshold. */
export function shouldMove(candidate: PointMeasurement, current: PointMeasurement, bound: MemoryBound, moveThresholdRatio: number): boolean {
  const candidateVerdict = verdictOf(candidate, bound);
  const currentVerdict = verdictOf(current, bound);
  if (candidateVerdict !== currentVerdict) return verdictRank[candidateVerdict] < verdictRank[currentVerdict];
  switch (candidateVerdict) {
    case 'within':
    case 'unmeasured':
      return candidate.committedPerSecond > current.committedPerSecond * (1 + moveThresholdRatio);
    case 'over':
      return boundedMemoryOf(candidate, bound.measure)! < boundedMemoryOf(current, bound.measure)! * (1 - moveThresholdRatio);
    case 'failed':
      return false;
  }
}

/** The settings a step measures: `knob` at each of `values` except the current one, the rest as `current`. */
export function candidateSettings(current: TuneSettings, knob: KnobName, values: readonly number[]): TuneSettings[] {
  const seen = new Set<number>([current[knob]]);
  const candidates: TuneSettings[] = [];
  for (const value of values) {
    assert(Number.isSafeInteger(value) && value >= 0, `a value of ${knob} is a whole number, got ${value}`);
    if (seen.has(value)) continue;
    seen.add(value);
    candidates.push(withKnob(current, knob, value));
  }
  return candidates;
}

/** One knob of one pass: where it stood, what was tried, what was kept. */
export interface KnobStep {
  readonly pass: number;
  readonly knob: KnobName;
  /** The best point when the step began (the knob's current value). */
  readonly from: SweepPoint;
  /** Every other value's point, in value order; measured in this step or reused from before. */
  readonly tried: readonly SweepPoint[];
  /** Points of `tried` not measured in this step: the same settings were measured earlier. */
  readonly reusedIds: readonly number[];
  /** The best point when the step ended (`from` when the knob did not move). */
  readonly to: SweepPoint;
  readonly moved: boolean;
}

export interface SweepOptions {
  readonly knobs: readonly Knob[];
  readonly valuesOf: (knob: Knob) => readonly number[];
  readonly start: TuneSettings;
  readonly passesMax: number;
  readonly bound: MemoryBound;
  readonly moveThresholdRatio: number;
  readonly measure: (settings: TuneSettings, context: { pass: number; knob: KnobName | null }) => Promise<PointMeasurement>;
  /**
   * Asked before each new point of the second and later passes: false stops the sweep there
   * (the time budget is spent). The first pass always completes.
   */
  readonly mayMeasureMore: () => boolean;
  readonly onPoint?: (point: SweepPoint) => void;
}

export interface SweepResult {
  readonly points: readonly SweepPoint[];
  readonly steps: readonly KnobStep[];
  readonly start: SweepPoint;
  readonly best: SweepPoint;
  readonly passesRun: number;
  /** Why the sweep ended: converged (a pass moved nothing), passes used up, or the budget. */
  readonly ending: 'converged' | 'passes' | 'budget';
}

export async function coordinateSweep(options: SweepOptions): Promise<SweepResult> {
  assert(Number.isSafeInteger(options.passesMax) && options.passesMax >= 1, `at least one pass, got ${options.passesMax}`);
  assert(options.moveThresholdRatio >= 0 && options.moveThresholdRatio < 1, `the move threshold is a ratio in [0, 1), got ${options.moveThresholdRatio}`);
  const points: SweepPoint[] = [];
  const byKey = new Map<string, SweepPoint>();
  const record = async (settings: TuneSettings, role: PointRole, pass: number, knob: KnobName | null): Promise<SweepPoint> => {
    const measurement = await options.measure(settings, { pass, knob });
    const point: SweepPoint = { id: points.length + 1, role, pass, knob, measurement };
    points.push(point);
    byKey.set(describeSettings(settings), point);
    options.onPoint?.(point);
    return point;
  };

  const start = await record(options.start, 'start', 0, null);
  let best = start;
  const steps: KnobStep[] = [];
  let ending: SweepResult['ending'] = 'passes';
  let passesRun = 0;
  sweep: for (let pass = 1; pass <= options.passesMax; pass++) {
    passesRun = pass;
    let movedInPass = false;
    for (const knob of options.knobs) {
      const from = best;
      const tried: SweepPoint[] = [];
      const reusedIds: number[] = [];
      for (const settings of candidateSettings(from.measurement.settings, knob.name, options.valuesOf(knob))) {
        const earlier = byKey.get(describeSettings(settings));
        if (earlier !== undefined) {
          tried.push(earlier);
          reusedIds.push(earlier.id);
          continue;
        }
        if (pass > 1 && !options.mayMeasureMore()) {
          ending = 'budget';
          break sweep;
        }
        tried.push(await record(settings, 'sweep', pass, knob.name));
      }
      const challenger = bestPoint(tried, options.bound);
      const moved = challenger !== undefined && shouldMove(challenger.measurement, from.measurement, options.bound, options.moveThresholdRatio);
      if (moved) {
        best = challenger;
        movedInPass = true;
      }
      steps.push({ pass, knob: knob.name, from, tried, reusedIds, to: best, moved });
    }
    if (!movedInPass) {
      ending = 'converged';
      break;
    }
  }
  return { points, steps, start, best, passesRun, ending };
}
