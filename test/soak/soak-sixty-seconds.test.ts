import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseIntervalLog } from '../../src/report/index.js';
import { cliPath } from '../helpers/node-process.js';

function runCli(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`aurigraph ${args[0]} did not finish within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test('a 60-second soak against a real node it starts: PASS, with snapshots, interval log, report and verdict on disk', { timeout: 240_000 }, async () => {
  const outDir = mkdtempSync(path.join(tmpdir(), 'aurigraph-soak-test-'));
  try {
    const { code, stdout, stderr } = await runCli(
      ['soak', '--duration', '60s', '--rate', '500', '--interval', '5s', '--accounts', '64', '--streams', '4', '--batch-size', '50', '--out', outDir],
      200_000,
    );
    assert.equal(code, 0, `exit code 0 (PASS):\n${stdout}\n${stderr}`);
    assert.match(stdout, /^PASS: /m);
    assert.match(stdout, /elapsed 00:00:\d\d, remaining/, 'progress lines while it ran');

    const lines = readFileSync(path.join(outDir, 'soak-snapshots.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(lines[0]!['type'], 'start');
    assert.equal(lines.at(-1)!['type'], 'verdict');
    assert.equal(lines.at(-1)!['verdict'], 'PASS');
    const intervals = lines.filter((line) => line['type'] === 'interval');
    assert.ok(intervals.length >= 11, `a snapshot every 5 s of 60 s, got ${intervals.length}`);
    const checkpoints = lines.filter((line) => line['type'] === 'checkpoint');
    assert.ok(checkpoints.length >= 3, `a checkpoint before, during and after, got ${checkpoints.length}`);
    for (const checkpoint of checkpoints) assert.equal(checkpoint['consistent'], true, `balances conserved at ${JSON.stringify(checkpoint)}`);
    const committed = intervals.reduce((sum, line) => sum + (line['committedInInterval'] as number), 0);
    assert.ok(committed >= 500 * 50, `about 500 tx/s for 60 s were committed, got ${committed}`);

    const result = JSON.parse(readFileSync(path.join(outDir, 'soak-result.json'), 'utf8')) as {
      verdict: string;
      audit: { transactionsSent: number; committed: number; missingReceipts: number; duplicateReceipts: number };
      memory: { status: string } | null;
      nodeEventLoop: Array<{ thread: string; delayP99MsPeak: number | null }> | string;
    };
    assert.equal(result.verdict, 'PASS');
    assert.equal(result.audit.committed, result.audit.transactionsSent, 'every transaction sent committed, with one receipt');
    assert.equal(result.audit.missingReceipts, 0);
    assert.equal(result.audit.duplicateReceipts, 0);
    assert.ok(result.memory !== null && result.memory.status !== 'inconclusive', 'the node ran here, so its memory was judged');
    assert.ok(Array.isArray(result.nodeEventLoop), `the node ran here, so its event loops were observed: ${JSON.stringify(result.nodeEventLoop)}`);
    assert.deepEqual(result.nodeEventLoop.filter((thread) => thread.delayP99MsPeak !== null).map((thread) => thread.thread), ['main', 'acceptor', 'raft']);
    const summary = JSON.parse(readFileSync(path.join(outDir, 'soak.json'), 'utf8')) as { resourceSamples: Array<{ eventLoopDelayP99Ms: number | null }> };
    const plotted = summary.resourceSamples.filter((sample) => sample.eventLoopDelayP99Ms !== null).length;
    // Samples before the node's first report, or in a period whose report came late on a busy
    // machine, have no delay to pair with; the rest must.
    assert.ok(plotted >= Math.floor(summary.resourceSamples.length * 0.9), `nearly every RSS sample has the node's delay beside it: ${plotted} of ${summary.resourceSamples.length}`);
    const log = parseIntervalLog(readFileSync(path.join(outDir, 'soak.hlog'), 'utf8'), 'soak.hlog');
    assert.ok(log.intervals.length >= 11);
    assert.ok(existsSync(path.join(outDir, 'soak.html')));
    assert.ok(existsSync(path.join(outDir, 'soak.json')));
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});
