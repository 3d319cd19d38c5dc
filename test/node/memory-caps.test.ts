import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../src/config/index.js';
import { mallocMmapThresholdBytes, relaunchForMemoryLimits } from '../../src/node/memory-limits.js';
import { parseLogLines, startNodeProcess } from '../helpers/node-process.js';

const mebibyte = 2 ** 20;

test('a process without the caps is relaunched with them; one that has them is not', () => {
  const memory = { ...loadConfig({ profile: 'dev', env: {} }).memory, threadOldGenerationMb: 96, threadYoungGenerationMb: 6, mallocArenas: 2 };
  const relaunch = relaunchForMemoryLimits(memory, { execArgv: ['--enable-source-maps'], env: { PATH: '/bin' } });
  assert.ok(relaunch !== undefined);
  assert.deepEqual(relaunch.execArgv, ['--enable-source-maps', '--max-old-space-size=96', '--max-semi-space-size=2']);
  assert.equal(relaunch.env['MALLOC_ARENA_MAX'], '2');
  assert.equal(relaunch.env['MALLOC_MMAP_THRESHOLD_'], String(128 * 1024), 'glibc keeps large blocks out of its arenas');
  assert.equal(relaunch.env['PATH'], '/bin');
  assert.equal(relaunchForMemoryLimits(memory, relaunch), undefined, 'the relaunched process does not relaunch again');
  // A user's own flag earlier on the command line is overridden, because V8 takes the last one.
  const overridden = relaunchForMemoryLimits(memory, { execArgv: ['--max_old_space_size=4096', '--max-semi-space-size=2'], env: { MALLOC_ARENA_MAX: '2' } });
  assert.deepEqual(overridden?.execArgv.slice(-2), ['--max-old-space-size=96', '--max-semi-space-size=2']);
  // mallocArenas 0 leaves the environment as it is.
  const untouched = relaunchForMemoryLimits({ ...memory, mallocArenas: 0 }, { execArgv: [], env: { MALLOC_ARENA_MAX: '7' } });
  assert.equal(untouched?.env['MALLOC_ARENA_MAX'], '7');
  // An operator's own mmap threshold is kept, and is no reason to relaunch.
  const ownThreshold = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '65536' };
  assert.equal(relaunchForMemoryLimits(memory, { execArgv: relaunch.execArgv, env: ownThreshold }), undefined);
  assert.equal(relaunchForMemoryLimits(memory, { execArgv: [], env: ownThreshold })?.env['MALLOC_MMAP_THRESHOLD_'], '65536');
  // Only the threshold missing is enough to relaunch.
  assert.equal(relaunchForMemoryLimits(memory, { execArgv: relaunch.execArgv, env: { MALLOC_ARENA_MAX: '2' } })?.env['MALLOC_MMAP_THRESHOLD_'], String(mallocMmapThresholdBytes));
});

test('a started node caps every thread as configured, on the same pid, and reports it in its runtime log line', async () => {
  const caps = { oldGeneration: 96, youngGeneration: 6 };
  const node = await startNodeProcess({
    args: [
      '--set', `memory.threadOldGenerationMb=${caps.oldGeneration}`,
      '--set', `memory.threadYoungGenerationMb=${caps.youngGeneration}`,
      '--set', 'memory.mallocArenas=2',
      '--set', 'log.runtimeReportIntervalMs=100',
    ],
  });
  try {
    // The process the test spawned is the one that runs the node: it re-executed itself in place.
    const commandLine = readFileSync(`/proc/${node.child.pid}/cmdline`, 'utf8').split('\0');
    assert.ok(commandLine.includes(`--max-old-space-size=${caps.oldGeneration}`), commandLine.join(' '));
    assert.ok(commandLine.includes(`--max-semi-space-size=${caps.youngGeneration / 3}`), commandLine.join(' '));
    const environment = readFileSync(`/proc/${node.child.pid}/environ`, 'utf8').split('\0');
    assert.ok(environment.includes('MALLOC_ARENA_MAX=2'));
    const threshold = process.env['MALLOC_MMAP_THRESHOLD_'] ?? String(mallocMmapThresholdBytes);
    assert.ok(environment.includes(`MALLOC_MMAP_THRESHOLD_=${threshold}`), 'the node runs with a fixed glibc mmap threshold');

    const deadline = Date.now() + 10_000;
    let report: Record<string, unknown> | undefined;
    while (report === undefined && Date.now() < deadline) {
      report = parseLogLines(node.logLines).find((entry) => entry['msg'] === 'runtime');
      if (report === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(report !== undefined, 'the node logs a runtime line');
    assert.ok((report['rssBytes'] as number) >= (report['rssAnonBytes'] as number) + (report['rssFileBytes'] as number));
    const limits = Object.fromEntries((report['threads'] as Array<{ thread: string; limitBytes: number }>).map((heap) => [heap.thread, heap.limitBytes / mebibyte]));
    // V8's heap limit is the old generation plus the young generation, the same on every thread.
    const perThread = caps.oldGeneration + caps.youngGeneration;
    assert.deepEqual(limits, { main: perThread, acceptor: perThread, raft: perThread, 'shard-worker-0': perThread, 'shard-worker-1': perThread });
  } finally {
    assert.equal(await node.stop('SIGTERM'), 0);
    node.cleanup();
  }
});
