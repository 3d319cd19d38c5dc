/**
 * The main thread's end of the apply port: runs the Raft thread's hand-offs against one
 * ApplyTarget strictly one after another (an apply, a restore or a snapshot never overlaps
 * another), acknowledges each with the applied index, and offers the Orderer through which the
 * pipeline's coordinator proposes entries. A failing ApplyTarget is fatal for the node: the
 * state it holds no longer follows the log.
 *
 * Committed entries that arrive while the thread is busy are applied together: an `apply`
 * hand-off waits for the end of the current event-loop turn (setImmediate), so every hand-off
 * already in the port joins it and the target sees them as one call (the pipeline commits such
 * a run in one LMDB transaction), acknowledged once. Idle, that wait is one loop turn.
 */
import { isMarkedAsUntransferable, type MessagePort } from 'node:worker_threads';
import { assert, invalidArgument, unavailable } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { ownedBuffer, unpackCommittedEntries, type ApplyToRaftMessage, type ProposeOutcome, type RaftToApplyMessage } from './apply-protocol.js';
import type { ApplyTarget, CommittedEntry } from './apply-target.js';
import { isProposableKind } from './entry-kind.js';

/** Proposes entries through the Raft thread; resolves once the leader appended them (not committed). */
export interface Orderer {
  /**
   * When `data` spans the whole of its ArrayBuffer, that buffer is transferred to the Raft
   * thread, not copied: `data` reads as empty afterwards (the coordinator builds a fresh entry
   * for every proposal and does not touch it again). A view into a larger buffer is copied.
   */
  propose(data: Uint8Array): Promise<ProposeOutcome>;
}

export interface ApplyBridge {
  readonly orderer: Orderer;
  /** Resolves once every hand-off received so far has been carried out. */
  idle(): Promise<void>;
  /** Stops listening (after the Raft thread stopped); pending proposals are refused. */
  close(): void;
}

/** What the bridge runs against the target, one after another: hand-offs, or entries gathered from several. */
type HandOff = Exclude<RaftToApplyMessage, { type: 'proposed' | 'apply' | 'apply-entry' }> | { type: 'apply-entries'; entries: CommittedEntry[] };

/** Proposals waiting for the Raft thread's answer; the coordinator bounds its own in-flight work below this. */
const pendingProposalsMax = 1_048_576;

export function startApplyBridge(port: MessagePort, target: ApplyTarget, logger: Logger, onFatal: (error: Error) => void): ApplyBridge {
  let tail: Promise<void> = Promise.resolve();
  let failed = false;
  let nextRequestId = 1;
  const waiters = new Map<number, (outcome: ProposeOutcome) => void>();
  const post = (message: ApplyToRaftMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

  const acknowledge = (): void => {
    post({ type: 'applied', index: target.appliedIndex(), digest: target.appliedDigest?.() });
  };

  const carryOut = async (message: HandOff): Promise<void> => {
    switch (message.type) {
      case 'apply-entries':
        await target.apply(message.entries);
        acknowledge();
        return;
      case 'restore':
        await target.restore({ index: message.index, data: new Uint8Array(message.data) });
        assert(target.appliedIndex() === message.index, `after restoring a snapshot at ${message.index} the apply target is at ${target.appliedIndex()}`);
        acknowledge();
        return;
      case 'snapshot-request': {
        const snapshot = await target.snapshot();
        const data = ownedBuffer(snapshot.data);
        post({ type: 'snapshot', index: snapshot.index, data }, [data]);
        return;
      }
    }
  };

  /** Entries handed over and not yet queued on `tail`; bounded by the Raft thread's apply backlog. */
  let pendingEntries: CommittedEntry[] = [];
  let pendingScheduled = false;
  const queuePendingEntries = (): void => {
    pendingScheduled = false;
    if (pendingEntries.length === 0) return;
    const entries = pendingEntries;
    pendingEntries = [];
    enqueue({ type: 'apply-entries', entries });
  };

  port.on('message', (message: RaftToApplyMessage) => {
    if (message.type === 'proposed') {
      const resolve = waiters.get(message.requestId);
      waiters.delete(message.requestId);
      resolve?.(message.outcome);
      return;
    }
    if (message.type === 'apply' || message.type === 'apply-entry') {
      if (message.type === 'apply') for (const entry of unpackCommittedEntries(message.entries, message.count)) pendingEntries.push(entry);
      else pendingEntries.push({ index: message.index, term: message.term, data: new Uint8Array(message.data) });
      if (!pendingScheduled) {
        pendingScheduled = true;
        setImmediate(queuePendingEntries);
      }
      return;
    }
    // A restore or a snapshot request comes after the entries handed over before it.
    queuePendingEntries();
    enqueue(message);
  });

  function enqueue(message: HandOff): void {
    tail = tail.then(async () => {
      if (failed) return;
      try {
        await carryOut(message);
      } catch (error) {
        failed = true;
        const reason = error instanceof Error ? error : new Error(String(error));
        logger.error('the apply target failed; the node must stop', { error: reason, handOff: message.type });
        post({ type: 'apply-failed', message: reason.message });
        onFatal(new Error(`apply target failed on ${message.type}: ${reason.message}`));
      }
    });
  }

  return {
    orderer: {
      propose(data) {
        if (!isProposableKind(data[0])) {
          return Promise.reject(invalidArgument('data', `an entry starts with a proposable kind byte (0x01 or 0x02), got ${data[0] ?? 'nothing'}`));
        }
        if (waiters.size >= pendingProposalsMax) return Promise.reject(unavailable('too many proposals are waiting for the Raft thread; retry later'));
        const requestId = nextRequestId;
        nextRequestId = nextRequestId >= Number.MAX_SAFE_INTEGER ? 1 : nextRequestId + 1;
        const buffer = transferableBufferOf(data);
        return new Promise((resolve) => {
          waiters.set(requestId, resolve);
          post({ type: 'propose', requestId, data: buffer }, [buffer]);
        });
      },
    },
    idle: () => {
      queuePendingEntries();
      return tail;
    },
    close() {
      port.close();
      for (const resolve of waiters.values()) resolve({ accepted: false, message: 'the node is stopping' });
      waiters.clear();
    },
  };
}

/**
 * `data`'s own buffer when `data` is all of it, else a copy: an entry is up to megabytes (512 KiB
 * for 4,096 transfers) and its copy would be garbage as soon as it is posted.
 */
function transferableBufferOf(data: Uint8Array): ArrayBuffer {
  const buffer = data.buffer;
  if (buffer instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === buffer.byteLength && !isMarkedAsUntransferable(buffer)) return buffer;
  return ownedBuffer(data);
}
