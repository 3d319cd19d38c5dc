/**
 * The simulated network: every message gets a delivery step drawn from the seed (so messages
 * are delayed and reordered), may be dropped or duplicated, and is discarded at delivery time
 * if a partition blocks its direction or its destination is down.
 */

import type { Message, NodeId, Prng } from '../../../src/raft/index.js';

export interface NetworkFaults {
  dropPerMille: number;
  duplicatePerMille: number;
  delayStepsMin: number;
  delayStepsMax: number;
  /** Chance of an extra-long delay, which is what reorders messages across rounds. */
  longDelayPerMille: number;
  longDelayStepsMax: number;
}

export class SimNetwork {
  faults: NetworkFaults;
  private readonly prng: Prng;
  /** Messages keyed by delivery step, each list in send order. */
  private readonly pending = new Map<number, Message[]>();
  /** Blocked directions, as from * 1024 + to. */
  private readonly blocked = new Set<number>();
  sent = 0;
  dropped = 0;

  constructor(prng: Prng, faults: NetworkFaults) {
    this.prng = prng;
    this.faults = faults;
  }

  send(message: Message, now: number): void {
    this.sent += 1;
    const faults = this.faults;
    if (this.prng.nextChance(faults.dropPerMille, 1000)) {
      this.dropped += 1;
      return;
    }
    const copies = this.prng.nextChance(faults.duplicatePerMille, 1000) ? 2 : 1;
    for (let copy = 0; copy < copies; copy++) {
      let delay = this.prng.nextIntInRange(faults.delayStepsMin, faults.delayStepsMax + 1);
      if (this.prng.nextChance(faults.longDelayPerMille, 1000)) delay += this.prng.nextIntInRange(1, faults.longDelayStepsMax + 1);
      const at = now + delay;
      // Each copy is its own object, as if it had been serialised: no node shares arrays.
      const clone: Message = { ...message, entries: message.entries.slice() };
      const bucket = this.pending.get(at);
      if (bucket === undefined) this.pending.set(at, [clone]);
      else bucket.push(clone);
    }
  }

  /** Messages due at `now` that a partition does not block. */
  takeDue(now: number): Message[] {
    const bucket = this.pending.get(now);
    if (bucket === undefined) return [];
    this.pending.delete(now);
    return bucket.filter((message) => !this.isBlocked(message.from, message.to));
  }

  isBlocked(from: NodeId, to: NodeId): boolean {
    return this.blocked.has(from * 1024 + to);
  }

  block(from: NodeId, to: NodeId): void {
    this.blocked.add(from * 1024 + to);
  }

  /** Cuts every link between the two groups, both ways. */
  partition(groupA: readonly NodeId[], groupB: readonly NodeId[]): void {
    for (const a of groupA) {
      for (const b of groupB) {
        this.block(a, b);
        this.block(b, a);
      }
    }
  }

  heal(): void {
    this.blocked.clear();
  }

  hasPartition(): boolean {
    return this.blocked.size > 0;
  }

  inFlight(): number {
    let count = 0;
    for (const bucket of this.pending.values()) count += bucket.length;
    return count;
  }
}
