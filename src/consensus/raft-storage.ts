/**
 * Durable Raft state in LMDB: the hard state (term, vote, commit). Writes are synchronous
 * (fsynced) because Raft may not send a message that depends on state before it is on disk.
 */
import { mkdirSync } from 'node:fs';
import { open, type RootDatabase } from 'lmdb';
import { assert } from '../errors.js';

export interface HardState {
  term: number;
  vote: string;
  commit: number;
}

const hardStateKey = 'hard-state';

export interface RaftStorage {
  loadHardState(): HardState;
  saveHardState(state: HardState): Promise<void>;
  close(): Promise<void>;
}

export async function openRaftStorage(directory: string): Promise<RaftStorage> {
  mkdirSync(directory, { recursive: true });
  const database: RootDatabase<HardState, string> = open({
    path: directory,
    // The Raft log is the source of truth: every commit is fsynced before it resolves.
    noSync: false,
    compression: false,
  });
  return {
    loadHardState() {
      const stored = database.get(hardStateKey);
      return stored ?? { term: 0, vote: '', commit: 0 };
    },
    async saveHardState(state) {
      assert(Number.isSafeInteger(state.term) && state.term >= 0, 'term is a non-negative integer');
      await database.put(hardStateKey, state);
    },
    async close() {
      await database.close();
    },
  };
}
