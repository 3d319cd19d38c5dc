/**
 * The acceptor's end of the coordinator port (src/pipeline/messages.ts): request ids, the intake
 * messages, and the answers, each delivered to whoever waits for that request. It also keeps the
 * height of the last applied block, which reads report.
 */
import type { MessagePort } from 'node:worker_threads';
import { LeaderRedirect } from '../consensus/leader-redirect.js';
import { assert, unavailable } from '../errors.js';
import type { AnswerMessage, CoordinatorMessage, IntakeMessage, ReceiptsAnswer } from '../pipeline/messages.js';

interface Waiter {
  resolve(answer: ReceiptsAnswer): void;
  reject(error: Error): void;
}

export class PipelineLink {
  readonly #port: MessagePort;
  readonly #waiters = new Map<number, Waiter>();
  #nextRequestId = 1;
  #appliedHeight = 0n;

  constructor(port: MessagePort) {
    this.#port = port;
    port.on('message', (message: CoordinatorMessage) => {
      if (message.type === 'answers') for (const answer of message.answers) this.#answer(answer);
      else this.#answer(message);
    });
  }

  /** Height of the last block the coordinator reported applied. */
  get appliedHeight(): bigint {
    return this.#appliedHeight;
  }

  /** A request id no request in flight uses (u32, wrapping). */
  newRequestId(): number {
    assert(this.#waiters.size < 0xffffffff, 'fewer requests in flight than request ids');
    let requestId = this.#nextRequestId;
    while (this.#waiters.has(requestId)) requestId = (requestId + 1) >>> 0;
    this.#nextRequestId = (requestId + 1) >>> 0;
    return requestId;
  }

  /**
   * Resolves with the request's receipts; rejects when the coordinator refuses it: a
   * LeaderRedirect (FAILED_PRECONDITION) when another node leads, UNAVAILABLE otherwise.
   */
  answerOf(requestId: number): Promise<ReceiptsAnswer> {
    assert(!this.#waiters.has(requestId), `request ${requestId} has one waiter`);
    return new Promise((resolve, reject) => this.#waiters.set(requestId, { resolve, reject }));
  }

  post(message: IntakeMessage): void {
    this.#port.postMessage(message);
  }

  close(): void {
    this.#port.close();
    for (const waiter of this.#waiters.values()) waiter.reject(unavailable('the node is stopping; the batch may or may not have been applied (check GetReceipt)'));
    this.#waiters.clear();
  }

  #answer(message: AnswerMessage): void {
    if (message.type === 'applied') {
      if (message.height > this.#appliedHeight) this.#appliedHeight = message.height;
      return;
    }
    const waiter = this.#waiters.get(message.requestId);
    assert(waiter !== undefined, `an answer for request ${message.requestId} finds its waiter`);
    this.#waiters.delete(message.requestId);
    if (message.type === 'receipts') {
      if (message.blockHeight > this.#appliedHeight) this.#appliedHeight = message.blockHeight;
      waiter.resolve(message);
    } else if (message.leaderId !== undefined) {
      // As ConsensusService does: FAILED_PRECONDITION naming the leader, in the message and trailers.
      waiter.reject(new LeaderRedirect('failed_precondition', message.message, message.leaderId, message.leaderAddress ?? ''));
    } else {
      waiter.reject(unavailable(message.message));
    }
  }
}
