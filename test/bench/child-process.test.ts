import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInChildProcess, startChildProcess } from '../../bench/common/child-process.js';
import type { ScriptedChildInput } from './fixtures/scripted-child.js';

const fixture = new URL('./fixtures/scripted-child.js', import.meta.url);

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('a child process gets its input and returns its result (bigints cross the channel)', async () => {
  const result = await runInChildProcess<ScriptedChildInput, { echoed: bigint; pid: number }>({
    module: fixture,
    label: 'echo child',
    input: { behaviour: 'echo', value: 21n },
    timeoutMs: 20_000,
  });
  assert.equal(result.echoed, 42n);
  assert.notEqual(result.pid, process.pid, 'the task ran in another process');
});

test("a child's failure rejects with its message and the child's label", async () => {
  await assert.rejects(
    runInChildProcess({ module: fixture, label: 'failing child', input: { behaviour: 'fail' } satisfies ScriptedChildInput, timeoutMs: 20_000 }),
    /failing child failed: Error: the scripted child failed on purpose/,
  );
});

test('a child that reports nothing in time is killed and the run fails', async () => {
  const running = startChildProcess<ScriptedChildInput, never, unknown>({ module: fixture, label: 'hanging child', input: { behaviour: 'hang' }, timeoutMs: 1500 });
  await assert.rejects(running.result, /hanging child \(pid \d+\) reported no result within 1500 ms; killed it/);
  for (let attempt = 0; attempt < 50 && isRunning(running.pid); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(isRunning(running.pid), false, 'the hanging child is gone');
});

test('a serving child reports ready, then finishes when asked to stop', async () => {
  const running = startChildProcess<ScriptedChildInput, { pid: number }, { stoppedCleanly: boolean }>({ module: fixture, label: 'serving child', input: { behaviour: 'serve' }, timeoutMs: 20_000 });
  const ready = await running.ready;
  assert.equal(ready.pid, running.pid);
  running.stop();
  assert.deepEqual(await running.result, { stoppedCleanly: true });
});
