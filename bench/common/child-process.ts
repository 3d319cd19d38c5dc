/**
 * Benchmarks run each measured side in a process of its own, so that a limit is measured the way
 * the node is (server and client in separate processes) and one case's heap, JIT state and
 * threads cannot leak into the next. This is the parent's side: start a child module, hand it its
 * input, wait (bounded) for what it reports. The child's side is child-task.ts.
 *
 * Protocol over the IPC channel (advanced serialization, so bigints and typed arrays cross):
 *   parent → child   { type: 'start', input }   then optionally { type: 'stop' }
 *   child → parent   { type: 'ready', info }    (optional, before the result)
 *                    { type: 'result', result } or { type: 'failed', message }
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { assert, invalidArgument } from '../../src/errors.js';

export interface ChildProcessOptions<Input> {
  /** The compiled child module (a file URL or an absolute path); it calls runAsChildTask. */
  module: URL | string;
  /** Names the child in errors: "raw gRPC server". */
  label: string;
  input: Input;
  /** The child is killed and its result rejected when it has not reported a result by then. */
  timeoutMs: number;
  /** Extra Node.js flags for the child; none by default. */
  execArgv?: string[];
}

export type ParentMessage<Input> = { type: 'start'; input: Input } | { type: 'stop' };
export type ChildMessage<Ready, Result> =
  | { type: 'ready'; info: Ready }
  | { type: 'result'; result: Result }
  | { type: 'failed'; message: string };

export interface RunningChild<Ready, Result> {
  readonly pid: number;
  /** What the child reported as ready (e.g. the port it listens on). */
  readonly ready: Promise<Ready>;
  readonly result: Promise<Result>;
  /** Asks the child to finish: its task's stopSignal is aborted. */
  stop(): void;
  /** Kills the child if it is still running (SIGKILL). */
  kill(): void;
}

function modulePath(module: URL | string): string {
  if (module instanceof URL) return fileURLToPath(module);
  if (module.startsWith('file:')) return fileURLToPath(module);
  return module;
}

/** Starts `options.module` in a new Node.js process (the same binary as this one). */
export function startChildProcess<Input, Ready, Result>(options: ChildProcessOptions<Input>): RunningChild<Ready, Result> {
  if (!Number.isInteger(options.timeoutMs) || options.timeoutMs <= 0) {
    throw invalidArgument('timeoutMs', `must be a positive whole number of milliseconds, got ${options.timeoutMs}`);
  }
  const child: ChildProcess = fork(modulePath(options.module), [], {
    execArgv: options.execArgv ?? [],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  assert(child.pid !== undefined, `the ${options.label} process started`);
  const pid = child.pid;
  let settled = false;
  let resolveReady: (info: Ready) => void = () => undefined;
  let rejectReady: (error: Error) => void = () => undefined;
  const ready = new Promise<Ready>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  const result = new Promise<Result>((resolve, reject) => {
    const timer = setTimeout(() => {
      fail(new Error(`${options.label} (pid ${pid}) reported no result within ${options.timeoutMs} ms; killed it`));
      child.kill('SIGKILL');
    }, options.timeoutMs);
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      rejectReady(error);
      reject(error);
    };
    child.on('message', (message: ChildMessage<Ready, Result>) => {
      if (message.type === 'ready') resolveReady(message.info);
      else if (message.type === 'result') {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        rejectReady(new Error(`${options.label} finished without reporting ready`));
        resolve(message.result);
      } else fail(new Error(`${options.label} failed: ${message.message}`));
    });
    child.on('error', (error) => fail(new Error(`${options.label} (pid ${pid}): ${error.message}`)));
    // 'close', not 'exit': it comes after the IPC channel has delivered every message sent.
    child.on('close', (code, signal) => fail(new Error(`${options.label} (pid ${pid}) exited (code ${code}, signal ${signal}) before reporting a result`)));
  });
  // Callers wait on one or the other; neither may surface as an unhandled rejection.
  ready.catch(() => undefined);
  result.catch(() => undefined);
  const send = (message: ParentMessage<Input>): void => {
    if (child.connected) child.send(message);
  };
  send({ type: 'start', input: options.input });
  return {
    pid,
    ready,
    result,
    stop: () => send({ type: 'stop' }),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** Runs a child task to completion and returns its result (killing it on timeout). */
export async function runInChildProcess<Input, Result>(options: ChildProcessOptions<Input>): Promise<Result> {
  const running = startChildProcess<Input, unknown, Result>(options);
  try {
    return await running.result;
  } finally {
    running.kill();
  }
}
