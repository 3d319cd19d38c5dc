/**
 * The simulated application: it folds every applied entry into a chain hash, so two nodes
 * that applied the same entries in the same order hold the same hash. Its snapshot is
 * (applied index, chain hash). It lives in memory only: a crash loses it and a restart rebuilds
 * it from the persisted snapshot plus log replay, like a real state machine would.
 */

import type { Entry } from '../../../src/raft/index.js';
import { hashBytes, mix32 } from './hash.js';

const SNAPSHOT_BYTES = 12;

export function entryIdentity(entry: Entry): number {
  return mix32(mix32(mix32(hashBytes(entry.data), entry.term), entry.index), entry.type === 'normal' ? 1 : 2);
}

export class SimStateMachine {
  appliedIndex = 0;
  chainHash = 0;
  /** chainHashes[k] is the hash after applying index baseIndex + k. */
  private baseIndex = 0;
  private chainHashes: number[] = [0];

  /** Folds `entry` in; returns false (and changes nothing) if it is not the next index. */
  apply(entry: Entry): boolean {
    if (entry.index !== this.appliedIndex + 1) return false;
    this.chainHash = mix32(this.chainHash, entryIdentity(entry));
    this.appliedIndex = entry.index;
    this.chainHashes.push(this.chainHash);
    return true;
  }

  /** The chain hash as of an applied index still remembered, for snapshots below the tip. */
  chainHashAt(index: number): number | undefined {
    if (index < this.baseIndex || index > this.appliedIndex) return undefined;
    return this.chainHashes[index - this.baseIndex];
  }

  snapshotData(index: number): Uint8Array {
    const hash = this.chainHashAt(index);
    if (hash === undefined) throw new Error(`state machine cannot snapshot at ${index}`);
    const bytes = new Uint8Array(SNAPSHOT_BYTES);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, Math.floor(index / 0x1_0000_0000));
    view.setUint32(4, index >>> 0);
    view.setUint32(8, hash);
    return bytes;
  }

  /** Forgets hashes below `index` (the log was compacted there, no snapshot will go lower). */
  forgetBefore(index: number): void {
    if (index <= this.baseIndex) return;
    const drop = Math.min(index - this.baseIndex, this.chainHashes.length - 1);
    this.chainHashes = this.chainHashes.slice(drop);
    this.baseIndex += drop;
  }

  /** Replaces the state with a snapshot (empty data = the bootstrap state at index 0). */
  restore(data: Uint8Array): void {
    if (data.byteLength === 0) {
      this.appliedIndex = 0;
      this.chainHash = 0;
    } else {
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
      this.appliedIndex = view.getUint32(0) * 0x1_0000_0000 + view.getUint32(4);
      this.chainHash = view.getUint32(8);
    }
    this.baseIndex = this.appliedIndex;
    this.chainHashes = [this.chainHash];
  }
}
