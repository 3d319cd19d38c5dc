import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadRun } from '../../src/report/index.js';
import { cliPath } from '../helpers/node-process.js';

function runLoad(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, 'load', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`aurigraph load did not finish within 90 s:\n${output}`));
    }, 90_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

interface LoadResult {
  verdict: string;
  committedInMeasured: number;
  audit: { transactionsSent: number; receiptsReceived: number; committed: number; missingReceipts: number; duplicateReceipts: number; unexpectedReceipts: number };
  preparation: { transactionCount: number; elapsedMs: number };
  nodeEventLoop: Array<{ thread: string; delayP99MsPeak: number | null; utilizationMean: number }> | string;
}

for (const [name, args] of [
  ['closed loop, batch-signed', ['--signatures', 'batch', '--transactions', '30000', '--batch-size', '100', '--streams', '4', '--in-flight', '2']],
  ['open loop, per-transaction signatures', ['--signatures', 'per-tx', '--rate', '200', '--batch-size', '10', '--streams', '2']],
] as const) {
  test(`aurigraph load --start-node, ${name}: every transaction gets exactly one receipt, and the run's files are written`, { timeout: 120_000 }, async () => {
    const outDir = mkdtempSync(path.join(tmpdir(), 'aurigraph-load-test-'));
    try {
      const { code, output } = await runLoad(['--start-node', '--accounts', '16', '--duration', '3s', '--interval', '500ms', '--out', outDir, ...args]);
      assert.equal(code, 0, output);
      const result = JSON.parse(readFileSync(path.join(outDir, 'load-result.json'), 'utf8')) as LoadResult;
      assert.equal(result.verdict, 'PASS');
      const { audit } = result;
      assert.ok(audit.transactionsSent > 0);
      assert.equal(audit.receiptsReceived, audit.transactionsSent, 'one receipt per transaction sent');
      assert.equal(audit.committed, audit.transactionsSent, 'a valid workload commits in full');
      assert.equal(audit.missingReceipts + audit.duplicateReceipts + audit.unexpectedReceipts, 0);
      assert.ok(result.preparation.transactionCount >= audit.transactionsSent, 'everything sent was prepared before the clock started');
      const summary = await loadRun(path.join(outDir, 'load.hlog'));
      const batchSize = Number(args[args.indexOf('--batch-size') + 1]);
      assert.equal(summary.completedCount, audit.transactionsSent / batchSize, 'the interval log holds every batch answered');
      assert.equal(
        summary.intervals.reduce((sum, interval) => sum + interval.completedCount, 0),
        summary.completedCount,
        'and its intervals add up to them',
      );
      assert.ok(existsSync(path.join(outDir, 'load.html')));
      // The node was started here, so its own runtime lines gave the event-loop figures.
      assert.ok(Array.isArray(result.nodeEventLoop), `nodeEventLoop: ${JSON.stringify(result.nodeEventLoop)}`);
      const measured = result.nodeEventLoop.filter((thread) => thread.delayP99MsPeak !== null).map((thread) => thread.thread);
      assert.deepEqual(measured, ['main', 'acceptor', 'raft']);
      const saved = JSON.parse(readFileSync(path.join(outDir, 'load.json'), 'utf8')) as { resourceSamples: Array<{ eventLoopDelayP99Ms: number | null; eventLoopDelayP99MsByThread?: Record<string, number> }> };
      const plotted = saved.resourceSamples.filter((sample) => sample.eventLoopDelayP99Ms !== null);
      assert.ok(plotted.length >= 2, `the 3 s run has event-loop points beside its RSS points: ${JSON.stringify(saved.resourceSamples)}`);
      for (const sample of plotted) assert.equal(sample.eventLoopDelayP99Ms, Math.max(...Object.values(sample.eventLoopDelayP99MsByThread ?? {})), 'the worst thread');
      assert.ok(existsSync(path.join(outDir, 'genesis.yaml')), '--accounts wrote the genesis the node started from');
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
}
