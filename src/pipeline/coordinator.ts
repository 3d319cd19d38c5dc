/**
 * The coordinator's ordering half, on the main thread (docs/pipeline.md steps 5 to 8): it takes
 * the acceptor's intake messages, keeps one verify task per shard running over the records the
 * acceptor announced, gathers each batch's verdicts, seals a fully verified batch (duplicates,
 * batch signature, entry root), builds its log entry and proposes it. Transactions refused here
 * are answered REJECTED at once and never reach the log; the rest are answered when the block
 * applier (block-applier.ts) has applied the entry that carries them.
 *
 * Batches of one stream are proposed in the order they were sent (BeginRequest.after), so a
 * sender's nonces may run across them; batches of different streams and unary calls are
 * independent, and a small one sealed after a large one may be proposed first. The log order is
 * the only order that counts, and it is fixed by the proposals.
 */
import type { MessagePort } from 'node:worker_threads';
import { assert } from '../errors.js';
import { RejectReason } from '../generated/aurigraph.js';
import type { ShardPool } from '../exec/shard-pool.js';
import { type SealBatchResult, type VerifyResult, verifyResultViews } from '../exec/shard-tasks.js';
import type { Logger } from '../log/logger.js';
import { EntryBuilder, type LogEntryView } from '../wire/index.js';
import type { AnswerBatch, AnswerMessage, BeginRequest, EndRequest, IntakeMessage, RecordsWritten } from './messages.js';
import { entryKind, type Orderer, type ProposeOutcome } from './ordering.js';
import { rejectDuplicates } from './duplicates.js';
import { PendingRequest } from './pending-request.js';
import { rejectReasonName } from './reason-names.js';
import { VerifyScheduler } from './verify-scheduler.js';

export interface CoordinatorOptions {
  pool: ShardPool;
  shardCount: number;
  /** shards.ringRecords: a verify task takes at most half a ring, so the acceptor can refill the rest meanwhile. */
  ringRecords: number;
  /** config node.id: written into entries so this node's applier recognises its own requests. */
  nodeId: string;
  /** The largest entry a batch within the configured bounds can make (logEntryBytesMaxFor). */
  entryBytesMax: number;
  orderer: Orderer;
  logger: Logger;
  /** A bug left a ring or the log in an unknown state: the node must stop. */
  onFatal(error: unknown): void;
  /** The leader's clock for entry timestamps; Date.now by default. Not on the execution path. */
  nowMs?: () => number;
}

/** Records one verify task takes at most. */
const recordsPerTaskMax = 1024;
const hashBytes = 32;

/** What the applier reports about a block whose entry one of our requests proposed. */
export interface AppliedBlock {
  entry: LogEntryView;
  index: number;
  /** Per block transaction, its index in the client batch. */
  batchIndexes: Uint32Array;
  statuses: Uint8Array;
  reasons: Uint8Array;
  messages: readonly string[];
  height: bigint;
  stateRoot: Uint8Array;
}

export class Coordinator {
  readonly #options: CoordinatorOptions;
  readonly #scheduler: VerifyScheduler;
  readonly #requests = new Map<number, PendingRequest>();
  readonly #entryBuilder: EntryBuilder;
  readonly #nowMs: () => number;
  #acceptor: MessagePort | undefined;
  #outbox: AnswerMessage[] = [];
  #lastAppliedIndex = 0;
  /** Requests whose entry the leader accepted, by log index; consumed from #proposedHead. */
  readonly #proposed: PendingRequest[] = [];
  #proposedHead = 0;

  constructor(options: CoordinatorOptions) {
    this.#options = options;
    this.#nowMs = options.nowMs ?? Date.now;
    const perTask = Math.max(1, Math.min(recordsPerTaskMax, Math.floor(options.ringRecords / 2)));
    this.#scheduler = new VerifyScheduler(options.pool, options.shardCount, perTask, (result) => this.#verified(result), options.onFatal);
    this.#entryBuilder = new EntryBuilder(options.entryBytesMax);
  }

  /** Requests between their `begin` and their answer (for tests and metrics). */
  get pendingRequests(): number {
    return this.#requests.size;
  }

  /** Listens to the acceptor's intake messages on `port` and answers on it. */
  attachAcceptor(port: MessagePort): void {
    assert(this.#acceptor === undefined, 'one acceptor per coordinator');
    this.#acceptor = port;
    port.on('message', (message: IntakeMessage) => {
      try {
        this.handleIntake(message);
      } catch (error) {
        this.#options.onFatal(error);
      }
    });
  }

  handleIntake(message: IntakeMessage): void {
    switch (message.type) {
      case 'begin':
        this.#begin(message);
        return;
      case 'records':
        this.#records(message);
        return;
      case 'end':
        this.#end(message);
        return;
      case 'whole':
        this.#begin(message.begin);
        if (message.shardCounts.some((count) => count > 0)) this.#records({ type: 'records', requestId: message.begin.requestId, shardCounts: message.shardCounts });
        this.#end(message.end);
        return;
    }
  }

  #begin(message: BeginRequest): void {
    assert(!this.#requests.has(message.requestId), `request ${message.requestId} is not in flight already`);
    const request = new PendingRequest(message.requestId, message.transactionCount, message.batchId, message.batchSignature);
    request.after = message.after;
    this.#requests.set(message.requestId, request);
    if (message.batchSignature !== undefined) {
      this.#scheduler.registerSubmitter({ requestId: message.requestId, keyId: message.batchSignature.keyId, algorithm: message.batchSignature.algorithm });
    }
  }

  #records(message: RecordsWritten): void {
    const request = this.#requireRequest(message.requestId);
    assert(request.phase === 'intake' && request.recordsExpected === undefined, `records of request ${message.requestId} arrive before its end`);
    for (const count of message.shardCounts) request.recordsAnnounced += count;
    this.#scheduler.announce(message.requestId, message.shardCounts);
  }

  #end(message: EndRequest): void {
    const request = this.#requireRequest(message.requestId);
    assert(message.recordCount === request.recordsAnnounced, `request ${message.requestId} announced ${message.recordCount} records (${request.recordsAnnounced} seen)`);
    assert(message.recordCount + message.rejections.length === request.count, `every transaction of request ${message.requestId} is a record or a stateless rejection`);
    for (const [index, reason, text] of message.rejections) request.reject(index, reason as RejectReason, text);
    request.recordsExpected = message.recordCount;
    if (this.#readyToSeal(request)) this.#seal([request]);
  }

  #verified(result: VerifyResult): void {
    const views = verifyResultViews(result);
    const messages = new Map(result.messages);
    const touched = new Set<PendingRequest>();
    for (let slot = 0; slot < result.count; slot++) {
      const request = this.#requireRequest(views.requestIds[slot]!);
      const index = views.indexes[slot]!;
      request.recordVerified(index, views.hashes.subarray(slot * hashBytes, (slot + 1) * hashBytes), views.compact, views.compactOffsets[slot]!);
      const reason = views.reasons[slot]!;
      if (reason !== RejectReason.REJECT_REASON_NONE) request.reject(index, reason as RejectReason, messages.get(slot)!);
      touched.add(request);
    }
    const ready = [...touched].filter((request) => this.#readyToSeal(request));
    if (ready.length > 0) this.#seal(ready);
  }

  /** True once, when every transaction of the request has its verdict: it moves to sealing. */
  #readyToSeal(request: PendingRequest): boolean {
    if (request.phase !== 'intake' || !request.verified) return false;
    request.phase = 'sealing';
    this.#scheduler.forgetSubmitter(request.requestId);
    return true;
  }

  /**
   * Seals requests that became verified together: the checks that need no pool first, then one
   * seal task per pool thread at most, each carrying its share of the batches (a verify result
   * of 1,024 records completes dozens of small batches; a task each would cost more in thread
   * hops than their Merkle roots).
   */
  #seal(requests: readonly PendingRequest[]): void {
    const toSeal: PendingRequest[] = [];
    for (const request of requests) {
      rejectDuplicates(request);
      if (request.batchSignature !== undefined) rejectUncheckableBatch(request);
      if (request.includedCount() === 0) this.#answer(request, request.answer(undefined));
      else toSeal.push(request);
    }
    const taskCount = Math.min(toSeal.length, this.#options.pool.threadCount);
    for (let task = 0; task < taskCount; task++) {
      const share = toSeal.filter((_, position) => position % taskCount === task);
      const batches = share.map((request) => ({
        hashes: request.hashes.slice(),
        included: request.includedMask(),
        ...(request.batchSignature === undefined ? {} : { batchSignature: request.batchSignature }),
      }));
      this.#options.pool.run({ kind: 'seal-batch', batches }).then(
        ({ results }) => {
          assert(results.length === share.length, `a seal task answers for its ${share.length} batches`);
          share.forEach((request, position) => this.#sealed(request, results[position]!).catch((error: unknown) => this.#options.onFatal(error)));
        },
        (error: unknown) => this.#options.onFatal(error),
      );
    }
  }

  async #sealed(request: PendingRequest, sealed: SealBatchResult): Promise<void> {
    if (sealed.signatureRejection !== undefined) {
      request.rejectAllRemaining(sealed.signatureRejection.reason, sealed.signatureRejection.message);
      this.#answer(request, request.answer(undefined));
      return;
    }
    request.entryRoot = sealed.entryRoot;
    const entry = this.#buildEntry(request, sealed.entryRoot);
    await this.#predecessorOrdered(request);
    request.phase = 'proposing';
    let proposal: Promise<ProposeOutcome>;
    try {
      // Called before the successors are released, so their proposals reach the log after this one.
      proposal = this.#options.orderer.propose(entry);
    } catch (error) {
      proposal = Promise.reject(error);
    }
    request.markOrdered();
    let outcome: ProposeOutcome;
    try {
      outcome = await proposal;
    } catch (error) {
      // The Raft thread refused to take the proposal (too many waiting, or it is stopping).
      outcome = { accepted: false, message: error instanceof Error ? error.message : String(error) };
    }
    if (this.#requests.get(request.requestId) !== request) return; // applied (and answered) before the outcome arrived
    if (!outcome.accepted) {
      const leader = outcome.leaderId === undefined || outcome.leaderId === '' ? {} : { leaderId: outcome.leaderId, leaderAddress: outcome.leaderAddress ?? '' };
      this.#refuse(request, `${outcome.message}; the batch was not ordered`, leader);
      return;
    }
    request.phase = 'proposed';
    request.proposedIndex = outcome.index;
    // Our entry cannot sit at an index already applied, or it would have been answered.
    if (outcome.index <= this.#lastAppliedIndex) this.#refuseLost(request);
    else this.#queueProposed(request);
  }

  /** Keeps #proposed sorted by index (outcomes arrive in log order; this holds even if one did not). */
  #queueProposed(request: PendingRequest): void {
    const proposed = this.#proposed;
    let position = proposed.length;
    while (position > this.#proposedHead && proposed[position - 1]!.proposedIndex! > request.proposedIndex!) position -= 1;
    proposed.splice(position, 0, request);
  }

  /** Waits until the request sent before this one on its stream has gone to the orderer (or was answered). */
  async #predecessorOrdered(request: PendingRequest): Promise<void> {
    const predecessor = request.after === undefined ? undefined : this.#requests.get(request.after);
    if (predecessor === undefined || predecessor.ordered) return;
    await new Promise<void>((resolve) => predecessor.successors.push(resolve));
  }

  #buildEntry(request: PendingRequest, entryRoot: Uint8Array): Uint8Array {
    const builder = this.#entryBuilder;
    builder.begin({
      originNodeId: this.#options.nodeId,
      requestId: request.requestId,
      clientBatchId: request.batchId,
      leaderTimestampMs: BigInt(Math.max(0, Math.floor(this.#nowMs()))),
    });
    for (let index = 0; index < request.count; index++) {
      const source = request.compactSources[index];
      if (request.isRejected(index)) continue;
      assert(source !== undefined, `accepted transaction ${index} of request ${request.requestId} has a compact record`);
      builder.appendCompactRecord(source, request.compactOffsets[index]!);
    }
    const body = builder.finish(entryRoot);
    const entry = new Uint8Array(1 + body.length);
    entry[0] = entryKind.transactionBatch;
    entry.set(body, 1);
    return entry;
  }

  /**
   * Called by the block applier for every applied block entry: answers the request that
   * proposed it, when it came from this node and this process.
   */
  blockApplied(block: AppliedBlock): void {
    const { entry } = block;
    if (entry.originNodeId === this.#options.nodeId) {
      const request = this.#requests.get(entry.requestId);
      // Request ids restart with the process, so an entry replayed from before a restart may
      // carry the id of a request in flight now; the entry root tells them apart.
      if (request !== undefined && request.entryRoot !== undefined && equalBytes(request.entryRoot, entry.transactionsRoot())) {
        const { batchIndexes, statuses, reasons, messages, height, stateRoot } = block;
        this.#answer(request, request.answer({ batchIndexes, statuses, reasons, messages, height, stateRoot }));
      }
    }
    this.entryApplied(block.index, block.height);
  }

  /** Called for every applied entry (block or not), in log order. */
  entryApplied(index: number, height?: bigint): void {
    this.#lastAppliedIndex = index;
    if (height !== undefined) this.#send({ type: 'applied', height });
    // Proposals are accepted in log order, so this queue is sorted by index; one still pending
    // at or below the applied index lost its entry to a change of leader.
    const proposed = this.#proposed;
    while (this.#proposedHead < proposed.length && proposed[this.#proposedHead]!.proposedIndex! <= index) {
      const request = proposed[this.#proposedHead++]!;
      if (this.#requests.get(request.requestId) === request) this.#refuseLost(request);
    }
    if (this.#proposedHead === proposed.length) {
      proposed.length = 0;
      this.#proposedHead = 0;
    }
  }

  #refuseLost(request: PendingRequest): void {
    this.#refuse(
      request,
      `the entry proposed for this batch at log index ${request.proposedIndex} was replaced after a change of leader and was not applied; ` +
        'resubmit it (GetReceipt shows that none of it landed)',
    );
  }

  #refuse(request: PendingRequest, message: string, leader: { leaderId?: string; leaderAddress?: string } = {}): void {
    this.#requests.delete(request.requestId);
    request.markOrdered();
    this.#scheduler.forgetSubmitter(request.requestId);
    this.#send({ type: 'refused', requestId: request.requestId, message, ...leader });
  }

  #answer(request: PendingRequest, answer: AnswerMessage & { type: 'receipts' }): void {
    this.#requests.delete(request.requestId);
    request.markOrdered();
    this.#send(answer);
  }

  /**
   * Answers go out together: everything sent during one task (a group of blocks the applier
   * committed in one LMDB transaction, or one verify result) is one postMessage at the end of
   * it, instead of a thread hop per receipt set and per height notice.
   */
  #send(message: AnswerMessage): void {
    if (this.#outbox.length === 0) queueMicrotask(this.#flush);
    this.#outbox.push(message);
  }

  readonly #flush = (): void => {
    const answers = this.#outbox;
    if (answers.length === 0) return;
    this.#outbox = [];
    const heights = answers.filter((answer) => answer.type === 'applied');
    const others: AnswerMessage[] = answers.filter((answer) => answer.type !== 'applied');
    // Only the last height matters to the acceptor, and receipts carry their block's height.
    const lastHeight = heights.at(-1);
    if (lastHeight !== undefined) others.push(lastHeight);
    this.#acceptor?.postMessage(others.length === 1 ? others[0]! : ({ type: 'answers', answers: others } satisfies AnswerBatch));
  };

  #requireRequest(requestId: number): PendingRequest {
    const request = this.#requests.get(requestId);
    assert(request !== undefined, `request ${requestId} is in flight`);
    return request;
  }

  close(): void {
    this.#flush();
    this.#acceptor?.close();
  }
}

/**
 * A batch signature covers the hashes of every transaction of the batch; one the acceptor
 * rejected before it was hashed leaves the signed root unknowable, so the batch cannot be
 * authorised.
 */
function rejectUncheckableBatch(request: PendingRequest): void {
  const unhashed = request.hashed.indexOf(0);
  if (unhashed === -1) return;
  const reason = rejectReasonName(request.reasons[unhashed]!);
  request.rejectAllRemaining(
    RejectReason.INVALID_SIGNATURE,
    `batch_signature: cannot be checked, because transactions[${unhashed}] was rejected before it could be hashed ` +
      `(${reason}: ${request.messages.get(unhashed) ?? ''}); fix or remove it and sign the batch again`,
  );
}

function equalBytes(left: Uint8Array, right: Uint8Array): boolean {
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return false;
  return true;
}
