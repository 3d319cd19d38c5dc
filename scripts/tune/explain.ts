/**
 * The sweep's reasons in words: for each step, every value's figure beside the current one and
 * what was kept; for the result, which knobs moved the figure and by how much. Figures are
 * truncated, never rounded up.
 */
import { formatFigure, truncate } from '../../bench/common/format.js';
import { knobNamed } from './knobs.js';
import { boundedMemoryOf, type KnobStep, type MemoryBound, type PointMeasurement, type SweepResult, verdictOf } from './sweep.js';

const count = (value: number): string => value.toLocaleString('en-US');
export const mebibytes = (bytes: number): string => `${formatFigure(bytes / 2 ** 20)} MiB`;
/** "1.15×", truncated. */
export const times = (ratio: number): string => `${truncate(ratio, 2).toFixed(2)}×`;
export const measureName = (bound: MemoryBound): string => (bound.measure === 'rss-anon' ? 'RssAnon' : 'VmRSS');

/** One point's figure as the explanation quotes it. */
export function describeOutcome(measurement: PointMeasurement, bound: MemoryBound, reference?: PointMeasurement): string {
  const verdict = verdictOf(measurement, bound);
  if (verdict === 'failed') return `failed (${measurement.failure})`;
  const rate = `${formatFigure(measurement.committedPerSecond)} tx/s`;
  const relative = reference !== undefined && reference.failure === null && reference.committedPerSecond > 0 ? ` (${times(measurement.committedPerSecond / reference.committedPerSecond)})` : '';
  if (verdict === 'over') return `${rate}${relative}, rejected: ${measureName(bound)} peak ${mebibytes(boundedMemoryOf(measurement, bound.measure)!)} over ${mebibytes(bound.bytesMax)}`;
  if (verdict === 'unmeasured') return `${rate}${relative}, memory not sampled`;
  return `${rate}${relative}`;
}

/** "batch: 4,096 (current) 45,000 tx/s; 8,192 52,000 tx/s (1.15×) → moved to 8,192 ..." */
export function explainStep(step: KnobStep, bound: MemoryBound, moveThresholdRatio: number): string {
  const knob = knobNamed(step.knob);
  const current = step.from.measurement;
  const currentValue = current.settings[step.knob];
  const values = [
    `${count(currentValue)} (current, #${step.from.id}) ${describeOutcome(current, bound)}`,
    ...step.tried.map((point) => `${count(point.measurement.settings[step.knob])} (#${point.id}${step.reusedIds.includes(point.id) ? ', measured earlier' : ''}) ${describeOutcome(point.measurement, bound, current)}`),
  ];
  let conclusion: string;
  if (step.moved) {
    const chosen = step.to.measurement;
    const newValue = count(chosen.settings[step.knob]);
    if (verdictOf(current, bound) === 'within' && verdictOf(chosen, bound) === 'within') {
      conclusion = `moved to ${newValue}: committed tx/s ${formatFigure(current.committedPerSecond)} → ${formatFigure(chosen.committedPerSecond)} (${times(chosen.committedPerSecond / current.committedPerSecond)})`;
    } else if (verdictOf(chosen, bound) === 'within') {
      conclusion = `moved to ${newValue}: the first value within the memory bound (${measureName(bound)} peak ${mebibytes(boundedMemoryOf(chosen, bound.measure)!)})`;
    } else if (verdictOf(current, bound) === 'failed') {
      conclusion = `moved to ${newValue}: the current point had failed`;
    } else {
      conclusion = `moved to ${newValue}: no point within the bound yet, and it lowered ${measureName(bound)} peak from ${mebibytes(boundedMemoryOf(current, bound.measure) ?? 0)} to ${mebibytes(boundedMemoryOf(chosen, bound.measure) ?? 0)}`;
    }
  } else {
    const threshold = `${truncate(moveThresholdRatio * 100, 1)}%`;
    const verdict = verdictOf(current, bound);
    const reason =
      verdict === 'within' || verdict === 'unmeasured'
        ? `no other value within the bound was more than ${threshold} faster`
        : verdict === 'over'
          ? `no other value came within the bound or took ${threshold} less memory`
          : 'every other value failed too';
    conclusion = `kept ${count(currentValue)}: ${reason}`;
  }
  return `pass ${step.pass}, ${knob.label} (${knob.configPath}): ${values.join('; ')} → ${conclusion}.`;
}

/** The knobs that moved, largest effect first, as "batch 4,096 → 8,192 (1.15×)". */
export function movesSummary(sweep: SweepResult, bound: MemoryBound): string[] {
  const moves = sweep.steps.filter((step) => step.moved);
  const effect = (step: KnobStep): number => {
    const from = step.from.measurement;
    const to = step.to.measurement;
    return from.committedPerSecond > 0 ? to.committedPerSecond / from.committedPerSecond : Number.POSITIVE_INFINITY;
  };
  return [...moves]
    .sort((left, right) => effect(right) - effect(left))
    .map((step) => {
      const knob = knobNamed(step.knob);
      const from = step.from.measurement;
      const to = step.to.measurement;
      const figure =
        verdictOf(from, bound) === 'within' && verdictOf(to, bound) === 'within'
          ? `committed tx/s ${formatFigure(from.committedPerSecond)} → ${formatFigure(to.committedPerSecond)}, ${times(effect(step))}`
          : `${measureName(bound)} ${from.failure === null ? mebibytes(boundedMemoryOf(from, bound.measure) ?? 0) : 'failed'} → ${mebibytes(boundedMemoryOf(to, bound.measure) ?? 0)}`;
      return `${knob.label} ${count(from.settings[step.knob])} → ${count(to.settings[step.knob])} (pass ${step.pass}: ${figure})`;
    });
}
