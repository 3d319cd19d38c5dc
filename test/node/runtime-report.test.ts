/**
 * A real node's periodic `runtime` log line: RSS parts, and per thread its heap, event-loop
 * utilization and (main, acceptor, Raft) event-loop delay; read back with the parser the load
 * and soak runners use, so the two sides of the format are checked against each other.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRuntimeLine } from '../../src/loadgen/transactions/runtime-line.js';
import { startNodeProcess } from '../helpers/node-process.js';

test('a started node logs each thread’s event-loop delay and utilization in its runtime line', async () => {
  const node = await startNodeProcess({ args: ['--set', 'log.runtimeReportIntervalMs=200'] });
  try {
    const deadline = Date.now() + 15_000;
    let lines: string[] = [];
    // The second line covers a whole period since the first.
    while (lines.length < 2 && Date.now() < deadline) {
      lines = node.logLines.filter((line) => line.includes('"msg":"runtime"'));
      if (lines.length < 2) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(lines.length >= 2, `two runtime lines within 15 s, got ${lines.length}`);
    const raw = JSON.parse(lines[1]!) as Record<string, unknown>;
    assert.equal(raw['level'], 'info');
    assert.equal(raw['component'], 'runtime');
    assert.ok((raw['rssBytes'] as number) > 0);

    const report = parseRuntimeLine(lines[1]!);
    assert.ok(report !== undefined, `the runners' parser accepts the node's line: ${lines[1]}`);
    assert.ok(report.periodMs > 0);
    const byName = new Map(report.threads.map((thread) => [thread.thread, thread]));
    assert.deepEqual([...byName.keys()], ['main', 'acceptor', 'raft', 'shard-worker-0', 'shard-worker-1']);
    for (const name of ['main', 'acceptor', 'raft']) {
      const thread = byName.get(name)!;
      assert.ok(thread.eventLoopDelayP99Ms !== null && thread.eventLoopDelayMaxMs !== null, `${name} measures its own loop: ${JSON.stringify(thread)}`);
      assert.ok(thread.eventLoopDelayP99Ms >= 0 && thread.eventLoopDelayMaxMs >= thread.eventLoopDelayP99Ms, `${name}: ${JSON.stringify(thread)}`);
    }
    for (const name of ['shard-worker-0', 'shard-worker-1']) {
      // Task-driven threads: their utilization is reported, a delay is not.
      assert.equal(byName.get(name)!.eventLoopDelayP99Ms, null);
      assert.equal(byName.get(name)!.eventLoopDelayMaxMs, null);
    }
    for (const thread of report.threads) {
      assert.ok(thread.eventLoopUtilization >= 0 && thread.eventLoopUtilization <= 1, `${thread.thread} utilization ${thread.eventLoopUtilization}`);
      assert.ok(thread.usedBytes > 0 && thread.limitBytes >= thread.usedBytes);
    }
  } finally {
    assert.equal(await node.stop('SIGTERM'), 0, 'the node stops cleanly with its threads measuring');
    node.cleanup();
  }
});
