/**
 * The child's side of child-process.ts: a module run as a benchmark child calls
 * `runAsChildTask(task)` at top level. The task gets the parent's input, may report itself ready
 * (a server reports its port), and is told to stop through `stopSignal`. The process exits once
 * the result is sent, and at once if the parent goes away, so no child outlives its harness.
 */
import type { ChildMessage, ParentMessage } from './child-process.js';

export interface ChildTaskContext<Ready> {
  reportReady(info: Ready): void;
  /** Aborted when the parent asks the task to finish. */
  readonly stopSignal: AbortSignal;
}

export type ChildTask<Input, Ready, Result> = (input: Input, context: ChildTaskContext<Ready>) => Promise<Result>;

export function runAsChildTask<Input, Ready, Result>(task: ChildTask<Input, Ready, Result>): void {
  if (process.send === undefined) {
    throw new Error('this module runs as a benchmark child process (started by bench/common/child-process.ts), not on its own');
  }
  const send = (message: ChildMessage<Ready, Result>, then?: () => void): void => {
    process.send!(message, undefined, {}, () => then?.());
  };
  const stop = new AbortController();
  process.on('disconnect', () => process.exit(1));
  process.on('message', (message: ParentMessage<Input>) => {
    if (message.type === 'stop') {
      stop.abort();
      return;
    }
    task(message.input, { reportReady: (info) => send({ type: 'ready', info }), stopSignal: stop.signal }).then(
      (result) => send({ type: 'result', result }, () => process.exit(0)),
      (error: unknown) => {
        const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
        send({ type: 'failed', message: text }, () => process.exit(1));
      },
    );
  });
}
