import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeMachine } from '../../bench/common/machine.js';
import { writeSection } from '../../bench/crypto/markdown-section.js';
import { parseTuneArguments } from '../../scripts/tune/arguments.js';
import { gainOf } from '../../scripts/tune/gain.js';
import { type KnobName, knobs } from '../../scripts/tune/knobs.js';
import { defaultClientShape } from '../../scripts/tune/point-runner.js';
import { formatTuneSection, profileSnippets, tuneMarkers, type TuneReport } from '../../scripts/tune/section.js';
import { coordinateSweep, type MemoryBound, type SweepPoint } from '../../scripts/tune/sweep.js';
import { landscape, mebibyte, measurementOf, startSettings } from './fixtures/landscape.js';

const bound: MemoryBound = { bytesMax: 256 * mebibyte, measure: 'rss-anon' };

async function reportOf(defaultsRates: number[], bestRates: number[]): Promise<TuneReport> {
  const sweep = await coordinateSweep({ knobs, valuesOf: (knob) => knob.quickValues, start: startSettings, passesMax: 1, bound, moveThresholdRatio: 0.05, measure: (settings) => Promise.resolve(landscape(settings)), mayMeasureMore: () => true });
  const repeats: SweepPoint[] = defaultsRates.flatMap((rate, index) => [
    { id: sweep.points.length + 2 * index + 1, role: 'repeat-defaults' as const, pass: 0, knob: null, measurement: measurementOf(startSettings, rate, 150) },
    { id: sweep.points.length + 2 * index + 2, role: 'repeat-best' as const, pass: 0, knob: null, measurement: measurementOf(sweep.best.measurement.settings, bestRates[index]!, 120) },
  ]);
  const machine = describeMachine();
  return {
    command: 'npm run tune',
    profile: 'bench',
    quick: false,
    machineAtStart: machine,
    machineAtEnd: machine,
    elapsedSec: 754.9,
    accountCount: 1024,
    timing: { warmupMs: 3000, durationMs: 6000, latencyWarmupMs: 1000, latencyDurationMs: 4000, memorySampleIntervalMs: 500 },
    client: defaultClientShape,
    bound,
    moveThresholdRatio: 0.05,
    passesMax: 1,
    knobValues: Object.fromEntries(knobs.map((knob) => [knob.name, knob.quickValues])) as Record<KnobName, readonly number[]>,
    fixedOverrides: {},
    defaults: startSettings,
    sweep,
    repeats,
    gain: gainOf(defaultsRates, bestRates),
  };
}

test('the section gives the command, the machine, every point, the best and the gain as a truncated ratio', async () => {
  const report = await reportOf([50_000, 50_000], [61_999, 61_999]);
  const section = formatTuneSection(report);
  assert.match(section, /^## Tuning the profile knobs \(`scripts\/tune\.ts`\)/);
  assert.match(section, /Command: `npm run tune` · Node\.js v\d+.* cores, .* · run \d{4}-\d\d-\d\d, 754 s · at start: 1-minute load average/);
  const rows = section.split('\n').filter((line) => /^\| \d+ \|/.test(line));
  assert.equal(rows.length, report.sweep.points.length + report.repeats.length, 'one row per point, repeats included');
  assert.match(section, /\| 1 \| start \(defaults\) \| 4,096 \| 2 \| 2 \| 8,192 \| 2 \| 33,333 \| 12\.34 ms \| 45\.67 ms \| 368 MiB \| 168 MiB \| within \|/);
  assert.match(section, /\*\*\(best\)\*\*/);
  assert.match(section, /\| repeat: defaults \|/);
  assert.match(section, /\*\*Gain over defaults: 1\.23×\*\* committed tx\/s/, '61,999 / 50,000 = 1.23998 is truncated');
  assert.match(section, /\| batch \| `batching\.maxBatchTransactions \(and the client batch size\)` \| 4,096 \| 8,192 \|/);
  assert.match(section, /What moved the figure, largest first: batch 4,096 → 8,192/);
  assert.match(section, /- pass 1, threads \(workers\.piscinaThreads\): /);
  assert.doesNotMatch(section, /NaN|undefined|Infinity/);
});

test('points over the bound are shown rejected, and a run without any point within it says so', async () => {
  const report = await reportOf([50_000], [60_000]);
  const tight: TuneReport = { ...report, bound: { bytesMax: 100 * mebibyte, measure: 'rss-anon' } };
  const section = formatTuneSection(tight);
  assert.match(section, /\*\*rejected\*\*: over 100 MiB/);
  assert.match(section, /\*\*No point kept the node within 100 MiB of RssAnon\*\*/);
  // The repeats: defaults at 150 MiB, best at 120 MiB: a 140 MiB bound separates them.
  const between = formatTuneSection({ ...report, bound: { bytesMax: 140 * mebibyte, measure: 'rss-anon' } });
  assert.match(between, /Memory in the repeats: 1 of 1 defaults runs and 0 of 1 best runs were not within the bound/);
  assert.match(between, /The defaults break the bound, .*: the bound cost no throughput here\./);
});

test('the section replaces only the text between the tune markers', async () => {
  const section = formatTuneSection(await reportOf([50_000], [55_000]));
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'tune-section-'));
  try {
    const file = path.join(directory, 'BENCHMARKS.md');
    const other = '<!-- bench:ingest:start -->\ningest figures\n<!-- bench:ingest:end -->';
    fs.writeFileSync(file, `# Benchmarks\n\n${other}\n\n${tuneMarkers.start}\nold tuning\n${tuneMarkers.end}\n`);
    writeSection(file, tuneMarkers, section);
    const written = fs.readFileSync(file, 'utf8');
    assert.ok(written.includes(other));
    assert.ok(!written.includes('old tuning'));
    assert.ok(written.includes(`${tuneMarkers.start}\n## Tuning the profile knobs`));
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
});

test('the profiles\' YAML carries the best settings; soak keeps its rings small', () => {
  const snippets = profileSnippets({ batchTransactions: 8192, shardCount: 1, piscinaThreads: 3, ringRecords: 16384, groupCommitWindowMs: 1 });
  assert.match(snippets.bench, /shards:\n {2}count: 1\n {2}ringRecords: 16384\nbatching:\n {2}maxBatchTransactions: 8192\n {2}groupCommitWindowMs: 1\nworkers:\n {2}piscinaThreads: 3/);
  assert.match(snippets.soak, /ringRecords: 4096/);
  assert.match(profileSnippets({ batchTransactions: 8192, shardCount: 1, piscinaThreads: 3, ringRecords: 2048, groupCommitWindowMs: 1 }).soak, /ringRecords: 2048/);
});

test('the command line: quick defaults, the flags, and errors that name the flag', () => {
  const quick = parseTuneArguments(['--quick'], '/work');
  assert.equal(quick.writeBenchmarks, false, 'a quick run leaves BENCHMARKS.md alone');
  assert.equal(quick.passesMax, 1);
  assert.equal(quick.resultsDir, '/work/data/tune');
  const full = parseTuneArguments(['--measure-ms', '8000', '--passes', '3', '--memory-bound-mib', '300', '--memory-measure', 'vm-rss', '--move-threshold', '2.5', '--set', 'memory.shardWorkerHeapMb=48', '--results', 'out'], '/work');
  assert.equal(full.durationMs, 8000);
  assert.equal(full.passesMax, 3);
  assert.equal(full.memoryBoundBytes, 300 * mebibyte);
  assert.equal(full.memoryMeasure, 'vm-rss');
  assert.equal(full.moveThresholdRatio, 0.025);
  assert.deepEqual(full.fixedOverrides, { 'memory.shardWorkerHeapMb': '48' });
  assert.equal(full.resultsDir, '/work/out');
  assert.equal(full.writeBenchmarks, true);
  assert.throws(() => parseTuneArguments(['--passes', '0']), /--passes/);
  assert.throws(() => parseTuneArguments(['--memory-measure', 'pss']), /rss-anon or vm-rss/);
  assert.throws(() => parseTuneArguments(['--frobnicate']), /unknown option --frobnicate/);
});
