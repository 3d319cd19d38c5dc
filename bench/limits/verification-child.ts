/**
 * Child process: the verification limits. For each kind of work and each thread count k, starts
 * k worker threads (verification-worker.ts) that prepare, start together, and repeat the work
 * for the same duration; reports operations per second in total and per thread. The main
 * thread only waits, so k threads have the machine's cores to themselves (as far as the rest of
 * the machine allows: each thread's CPU time is reported beside its wall time).
 */
import { Worker } from 'node:worker_threads';
import { runAsChildTask } from '../common/child-task.js';
import type { VerificationKind, VerificationWorkerData, VerificationWorkerMessage } from './verification-worker.js';

export interface VerificationChildInput {
  kinds: VerificationKind[];
  threadCounts: number[];
  durationMsPerCase: number;
  transactionsPerBatch: number;
}

export interface VerificationThreadOutcome {
  operations: number;
  elapsedSec: number;
  /** Thread CPU seconds per wall second while measuring (1.0: it had a core to itself). */
  cpuShare: number;
}

export interface VerificationCaseOutcome {
  kind: VerificationKind;
  threads: number;
  operations: number;
  failures: number;
  /** Sum over threads of operations / that thread's elapsed time. */
  operationsPerSecond: number;
  perThread: VerificationThreadOutcome[];
}

export interface VerificationChildResult {
  signingBytesLength: number;
  cases: VerificationCaseOutcome[];
}

type Done = Extract<VerificationWorkerMessage, { type: 'done' }>;

interface StartedWorker {
  worker: Worker;
  ready: Promise<number>;
  done: Promise<Done>;
}

function startWorker(data: VerificationWorkerData): StartedWorker {
  const worker = new Worker(new URL('./verification-worker.js', import.meta.url), { workerData: data });
  let resolveReady: (signingBytesLength: number) => void = () => undefined;
  let rejectReady: (error: Error) => void = () => undefined;
  const ready = new Promise<number>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  const done = new Promise<Done>((resolve, reject) => {
    const fail = (error: Error): void => {
      rejectReady(error);
      reject(error);
    };
    worker.on('message', (message: VerificationWorkerMessage) => {
      if (message.type === 'ready') resolveReady(message.signingBytesLength);
      else resolve(message);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`verification worker (${data.kind}) exited with code ${code} before reporting`)));
  });
  ready.catch(() => undefined);
  done.catch(() => undefined);
  return { worker, ready, done };
}

async function runCase(kind: VerificationKind, threads: number, input: VerificationChildInput): Promise<{ outcome: VerificationCaseOutcome; signingBytesLength: number }> {
  const workers = Array.from({ length: threads }, () =>
    startWorker({ kind, durationMs: input.durationMsPerCase, transactionsPerBatch: input.transactionsPerBatch }),
  );
  try {
    const lengths = await Promise.all(workers.map((started) => started.ready));
    for (const started of workers) started.worker.postMessage('go');
    const results = await Promise.all(workers.map((started) => started.done));
    const perThread = results.map((result) => {
      const elapsedSec = Number(BigInt(result.elapsedNs)) / 1e9;
      return { operations: result.operations, elapsedSec, cpuShare: result.threadCpuUs / 1e6 / elapsedSec };
    });
    return {
      signingBytesLength: lengths[0]!,
      outcome: {
        kind,
        threads,
        operations: results.reduce((sum, result) => sum + result.operations, 0),
        failures: results.reduce((sum, result) => sum + result.failures, 0),
        operationsPerSecond: perThread.reduce((sum, thread) => sum + thread.operations / thread.elapsedSec, 0),
        perThread,
      },
    };
  } finally {
    await Promise.all(workers.map((started) => started.worker.terminate()));
  }
}

runAsChildTask<VerificationChildInput, never, VerificationChildResult>(async (input) => {
  const cases: VerificationCaseOutcome[] = [];
  let signingBytesLength = 0;
  for (const kind of input.kinds) {
    for (const threads of input.threadCounts) {
      const result = await runCase(kind, threads, input);
      signingBytesLength = result.signingBytesLength;
      cases.push(result.outcome);
    }
  }
  return { signingBytesLength, cases };
});
