import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeSettings, type KnobName, knobs, type TuneSettings } from '../../scripts/tune/knobs.js';
import { explainStep, movesSummary } from '../../scripts/tune/explain.js';
import { coordinateSweep, type MemoryBound } from '../../scripts/tune/sweep.js';
import { landscape, mebibyte, startSettings } from './fixtures/landscape.js';

const bound: MemoryBound = { bytesMax: 256 * mebibyte, measure: 'rss-anon' };

function recordingMeasure(): { measure: (settings: TuneSettings) => Promise<ReturnType<typeof landscape>>; measured: string[] } {
  const measured: string[] = [];
  return {
    measured,
    measure: (settings) => {
      measured.push(describeSettings(settings));
      return Promise.resolve(landscape(settings));
    },
  };
}

test('the sweep finds the landscape\'s best point within the bound, one knob at a time', async () => {
  const { measure, measured } = recordingMeasure();
  const result = await coordinateSweep({
    knobs,
    valuesOf: (knob) => knob.values,
    start: startSettings,
    passesMax: 3,
    bound,
    moveThresholdRatio: 0.05,
    measure,
    mayMeasureMore: () => true,
  });
  const best = result.best.measurement.settings;
  assert.equal(best.batchTransactions, 8192, 'throughput stops growing at 8,192, so 16,384 is not 5% better');
  assert.equal(best.piscinaThreads, 3);
  assert.notEqual(best.shardCount, 4);
  assert.ok(best.ringRecords * best.shardCount * 4096 <= 150 * mebibyte, 'the rings that would break the bound were rejected');
  assert.equal(result.start.id, 1);
  assert.equal(result.ending, 'converged', 'the second pass moved nothing');
  assert.equal(result.passesRun, 2);
  assert.equal(new Set(measured).size, measured.length, 'no settings measured twice: earlier points are reused');
  const perPass = knobs.reduce((sum, knob) => sum + knob.values.length - 1, 0);
  assert.ok(measured.length <= 1 + 2 * perPass, `a coordinate sweep, not a grid: ${measured.length} points`);
  assert.deepEqual(
    result.steps.map((step) => step.knob),
    [...knobs, ...knobs].map((knob) => knob.name),
    'every knob in order, every pass',
  );
  const secondPass = result.steps.filter((step) => step.pass === 2);
  assert.ok(secondPass.some((step) => step.reusedIds.length > 0), 'the second pass reuses what the first measured');
  assert.ok(secondPass.every((step) => !step.moved));
});

test('the reasons name each knob that moved and by how much', async () => {
  const { measure } = recordingMeasure();
  const result = await coordinateSweep({ knobs, valuesOf: (knob) => knob.values, start: startSettings, passesMax: 1, bound, moveThresholdRatio: 0.05, measure, mayMeasureMore: () => true });
  const batchStep = result.steps.find((step) => step.knob === 'batchTransactions')!;
  assert.equal(batchStep.moved, true);
  const text = explainStep(batchStep, bound, 0.05);
  assert.match(text, /^pass 1, batch \(batching\.maxBatchTransactions \(and the client batch size\)\): 4,096 \(current, #1\) 33,333 tx\/s; 1,024 \(#2\) 8,333 tx\/s \(0\.25×\); /);
  assert.match(text, /moved to 8,192: committed tx\/s 33,333 → 66,666 \(2\.00×\)\.$/);
  const ringStep = result.steps.find((step) => step.knob === 'ringRecords')!;
  assert.match(explainStep(ringStep, bound, 0.05), /32,768 \(#\d+\) [0-9,]+ tx\/s \(1\.00×\), rejected: RssAnon peak 364 MiB over 256 MiB/);
  const summary = movesSummary(result, bound);
  assert.match(summary[0]!, /^batch 4,096 → 8,192 \(pass 1: committed tx\/s 33,333 → 66,666, 2\.00×\)$/, 'the largest effect first');
  assert.ok(summary.some((line) => line.startsWith('threads 2 → 3')));
});

test('later passes stop starting points once the budget says so; the first pass always completes', async () => {
  const { measure, measured } = recordingMeasure();
  let asked = 0;
  const result = await coordinateSweep({
    knobs,
    valuesOf: (knob) => knob.values,
    start: startSettings,
    passesMax: 5,
    bound,
    moveThresholdRatio: 0.05,
    measure,
    mayMeasureMore: () => {
      asked += 1;
      return false;
    },
  });
  const perPass = knobs.reduce((sum, knob) => sum + knob.values.length - 1, 0);
  assert.equal(measured.length, 1 + perPass, 'the start and the whole first pass');
  assert.ok(asked >= 1, 'the second pass asked before its first new point');
  assert.ok(result.ending === 'budget' || result.ending === 'converged');
});

test('a failed point never becomes the best, and a failed start is left behind', async () => {
  const failing = new Set<KnobName>(['shardCount']);
  const result = await coordinateSweep({
    knobs,
    valuesOf: (knob) => knob.quickValues,
    start: startSettings,
    passesMax: 1,
    bound,
    moveThresholdRatio: 0.05,
    measure: (settings, context) =>
      Promise.resolve(
        context.knob === null || (context.knob !== null && failing.has(context.knob))
          ? { ...landscape(settings), committedPerSecond: 0, failure: 'the node did not start' }
          : landscape(settings),
      ),
    mayMeasureMore: () => true,
  });
  assert.equal(result.start.measurement.failure, 'the node did not start');
  assert.equal(result.best.measurement.failure, null);
  assert.equal(result.steps[0]!.moved, true, 'the first knob moves away from the failed start');
});
