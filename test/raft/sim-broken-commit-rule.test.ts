import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSimulation } from './sim/simulator.js';

test('the simulator catches the broken commit rule (Figure 8) within the seeds the safety test runs', () => {
  const caught: { seed: number; nodeCount: number; violations: readonly string[]; replayCommand: string }[] = [];
  let runs = 0;
  for (let seed = 1; seed <= 1250 && caught.length < 3; seed++) {
    for (const nodeCount of [3, 5]) {
      const result = runSimulation({ seed, nodeCount, unsafeCommitPreviousTermEntries: true });
      runs += 1;
      if (result.violations.length > 0) caught.push({ seed, nodeCount, violations: result.violations, replayCommand: result.replayCommand });
    }
  }
  console.log(`broken commit rule: ${caught.length} violating runs in the first ${runs} runs; first: ${caught[0]?.replayCommand}`);
  assert.ok(caught.length >= 1, 'no violation found: the fault schedule no longer produces Figure 8');
  for (const finding of caught) {
    assert.match(finding.violations[0]!, /leader completeness|state machine safety/);
    assert.match(finding.replayCommand, /^node dist\/scripts\/raft-sim\.js --seed \d+ --nodes [35] --unsafe-commit-previous-term-entries$/);
    // The same seeds with the correct rule are clean: the violation is the switch's doing.
    assert.deepEqual(runSimulation({ seed: finding.seed, nodeCount: finding.nodeCount }).violations, []);
  }
});
