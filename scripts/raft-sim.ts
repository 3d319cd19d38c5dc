/**
 * Runs the deterministic Raft simulator on demand.
 *   node dist/scripts/raft-sim.js --seeds 100000 --nodes 3,5 --start 1   many seeds, report violations
 *   node dist/scripts/raft-sim.js --seed 42 --nodes 5                    replay one seed with its trace
 * Options: --steps N, --liveness-steps N, --unsafe-commit-previous-term-entries (the broken
 * commit rule, to watch the simulator catch it), --quiet (no trace when replaying).
 */

import { parseArgs } from 'node:util';
import { runSimulation, type SimResult } from '../test/raft/sim/simulator.js';

function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) {
    process.stderr.write(`--${name}: expected a non-negative integer, got "${text}"\n`);
    process.exit(2);
  }
  return value;
}

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    seeds: { type: 'string' },
    start: { type: 'string', default: '1' },
    nodes: { type: 'string', default: '3,5' },
    steps: { type: 'string' },
    'liveness-steps': { type: 'string' },
    'unsafe-commit-previous-term-entries': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
});

const nodeCounts = values.nodes.split(',').map((text) => positiveInteger('nodes', text));
if (nodeCounts.some((count) => count < 1 || count > 9)) {
  process.stderr.write('--nodes: each node count must be between 1 and 9\n');
  process.exit(2);
}
const steps = values.steps === undefined ? undefined : positiveInteger('steps', values.steps);
const livenessSteps = values['liveness-steps'] === undefined ? undefined : positiveInteger('liveness-steps', values['liveness-steps']);
const unsafeCommitPreviousTermEntries = values['unsafe-commit-previous-term-entries'];

function runOne(seed: number, nodeCount: number, printer?: (line: string) => void): SimResult {
  return runSimulation({ seed, nodeCount, steps, livenessSteps, unsafeCommitPreviousTermEntries }, printer);
}

function report(result: SimResult): void {
  process.stdout.write(`VIOLATION seed ${result.seed} nodes ${result.nodeCount} (${result.profile}):\n`);
  for (const violation of result.violations) process.stdout.write(`  ${violation}\n`);
  process.stdout.write(`  replay: ${result.replayCommand}\n`);
}

if (values.seed !== undefined) {
  const seed = positiveInteger('seed', values.seed);
  let exitCode = 0;
  for (const nodeCount of nodeCounts) {
    const printer = values.quiet ? undefined : (line: string) => process.stdout.write(`${line}\n`);
    const result = runOne(seed, nodeCount, printer);
    process.stdout.write(
      `seed ${seed} nodes ${nodeCount} (${result.profile}): ${result.violations.length === 0 ? 'ok' : 'VIOLATED'}, ` +
        `${result.committedEntries} committed, ${result.acknowledgedEntries} acknowledged, ${result.leaderTerms} leader terms, ` +
        `${result.crashes} crashes, ${result.snapshotsInstalled} snapshots installed, trace ${result.traceHash} (${result.traceEvents} events)\n`,
    );
    if (result.violations.length > 0) {
      report(result);
      exitCode = 1;
    }
  }
  process.exit(exitCode);
}

const seedCount = positiveInteger('seeds', values.seeds ?? '1000');
const start = positiveInteger('start', values.start);
let runs = 0;
let failures = 0;
let committed = 0;
let acknowledged = 0;
const startedAt = process.hrtime.bigint();
for (let seed = start; seed < start + seedCount; seed++) {
  for (const nodeCount of nodeCounts) {
    const result = runOne(seed, nodeCount);
    runs += 1;
    committed += result.committedEntries;
    acknowledged += result.acknowledgedEntries;
    if (result.violations.length > 0) {
      failures += 1;
      report(result);
    }
  }
  if ((seed - start + 1) % 1000 === 0) process.stderr.write(`  ${seed - start + 1} seeds, ${failures} failing\n`);
}
const elapsedMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
process.stdout.write(`${runs} runs (seeds ${start}..${start + seedCount - 1}, nodes ${nodeCounts.join(',')}): ${failures} with violations, ${committed} entries committed, ${acknowledged} acknowledged, ${(elapsedMs / 1000).toFixed(1)} s\n`);
process.exit(failures === 0 ? 0 : 1);
