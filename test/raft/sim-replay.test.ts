import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { distDir, repoRoot } from '../../src/paths.js';
import { runSimulation } from './sim/simulator.js';

test('the same seed replays the same trace; another seed does not', () => {
  for (const nodeCount of [3, 5]) {
    const first = runSimulation({ seed: 20_240, nodeCount });
    const second = runSimulation({ seed: 20_240, nodeCount });
    assert.equal(first.traceHash, second.traceHash);
    assert.equal(first.traceEvents, second.traceEvents);
    assert.deepEqual(first, second);
    const other = runSimulation({ seed: 20_241, nodeCount });
    assert.notEqual(other.traceHash, first.traceHash);
  }
});

test('a violating seed replays to the same violation and trace', () => {
  let found = null;
  for (let seed = 1; seed <= 1250 && found === null; seed++) {
    const result = runSimulation({ seed, nodeCount: 3, unsafeCommitPreviousTermEntries: true });
    if (result.violations.length > 0) found = result;
  }
  assert.ok(found !== null);
  const replay = runSimulation({ seed: found.seed, nodeCount: 3, unsafeCommitPreviousTermEntries: true });
  assert.deepEqual(replay.violations, found.violations);
  assert.equal(replay.traceHash, found.traceHash);
});

test('the printed replay command reproduces the run from the command line', () => {
  const expected = runSimulation({ seed: 77, nodeCount: 5 });
  assert.equal(expected.replayCommand, 'node dist/scripts/raft-sim.js --seed 77 --nodes 5');
  const output = execFileSync(process.execPath, [path.join(distDir, 'scripts', 'raft-sim.js'), '--seed', '77', '--nodes', '5', '--quiet'], { cwd: repoRoot, encoding: 'utf8' });
  assert.match(output, new RegExp(`seed 77 nodes 5 .*: ok, .*trace ${expected.traceHash}`));
});
