import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSimulation } from './sim/simulator.js';

const SEEDS = 1250;
const NODE_COUNTS = [3, 5];

test(`simulated clusters of 3 and 5 nodes keep every safety property and recover after healing (${SEEDS} seeds each)`, (context) => {
  let runs = 0;
  let committed = 0;
  let acknowledged = 0;
  let leaderTerms = 0;
  let crashes = 0;
  let snapshots = 0;
  const failures: string[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) {
    for (const nodeCount of NODE_COUNTS) {
      const result = runSimulation({ seed, nodeCount });
      runs += 1;
      committed += result.committedEntries;
      acknowledged += result.acknowledgedEntries;
      leaderTerms += result.leaderTerms;
      crashes += result.crashes;
      snapshots += result.snapshotsInstalled;
      if (result.violations.length > 0 || !result.livenessReached) {
        failures.push(`seed ${seed} nodes ${nodeCount}: ${result.violations.join('; ')}\n  replay: ${result.replayCommand}`);
      }
    }
  }
  const summary = `${SEEDS} seeds x ${NODE_COUNTS.length} cluster sizes = ${runs} clusters, ${committed} entries committed, ${acknowledged} acknowledged, ${leaderTerms} leader terms, ${crashes} crashes, ${snapshots} snapshots installed`;
  context.diagnostic(summary);
  console.log(`raft simulator: ${summary}`);
  assert.deepEqual(failures, []);
  // The runs must actually exercise the protocol, not idle.
  assert.ok(committed > runs * 20, `only ${committed} entries committed`);
  assert.ok(snapshots > runs / 20, `only ${snapshots} snapshots installed`);
  assert.ok(crashes > runs, `only ${crashes} crashes`);
});
