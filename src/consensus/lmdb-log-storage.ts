/**
 * The durable Raft log in LMDB (`<dataDir>/raft`), read by the core through `LogStorage` and
 * written by the runtime one Ready at a time.
 *
 * Layout (two named databases in one environment):
 *   entries   key: index as a big-endian u64 (so LMDB's byte order is log order)
 *             value: term u64 BE | type u8 (0 normal, 1 conf-change) | data
 *   meta      'hard-state'         term u64 | vote u64 | commit u64
 *             'snapshot-metadata'  index u64 | term u64 — the index is also the compaction
 *                                  offset: entries at or below it are gone
 *             'conf-state'         voter count u32 | voters u64 each
 *             'snapshot-data'      the state machine image as of the snapshot index
 *             'format'             u32 layout version
 *
 * `persistReady` writes everything a Ready asks for in ONE LMDB transaction, fsynced before it
 * returns when the Ready says `mustSync` (entries, term or vote changed, or a snapshot), so the
 * caller may send the Ready's messages as soon as it returns. A commit-index-only change is
 * written without fsync: losing it loses nothing (the commit index is re-learned from the
 * leader), and the next synced write flushes it anyway.
 *
 * Writes are synchronous on the Raft thread (transactionSync): while one runs, the thread's
 * inputs queue up in its ports, and the next Ready carries them all — that is the group commit.
 * (lmdb 3.5's asynchronous transaction() callbacks never run under this Node.js, see the
 * consensus README.) Every transactionSync callback here has a block body: one that returns
 * put()'s promise makes lmdb-js defer the commit until that promise settles.
 */
import { mkdirSync } from 'node:fs';
import { open, TransactionFlags, type Database, type RootDatabase } from 'lmdb';
import { assert } from '../errors.js';
import {
  EMPTY_HARD_STATE,
  entrySizeBytes,
  type ConfState,
  type Entry,
  type EntryType,
  type HardState,
  type LogStorage,
  type NodeId,
  type Ready,
  type Snapshot,
} from '../raft/index.js';

const formatVersion = 1;
const entryHeaderBytes = 9;
/** The largest entry value encoded in the reused buffer (EntryValueEncoder). */
const reusedEncodeBytesMax = 16 * 1024 * 1024;
/** transactionSync flags: an abortable, synchronous commit, fsynced or not (per transaction). */
const syncedCommitFlags: TransactionFlags = TransactionFlags.ABORTABLE | TransactionFlags.SYNCHRONOUS_COMMIT;
const unsyncedCommitFlags: TransactionFlags = syncedCommitFlags | TransactionFlags.NO_SYNC_FLUSH;

const metaKeys = {
  format: 'format',
  hardState: 'hard-state',
  snapshotMetadata: 'snapshot-metadata',
  confState: 'conf-state',
  snapshotData: 'snapshot-data',
} as const;

function writeU64(view: DataView, offset: number, value: number): void {
  assert(Number.isSafeInteger(value) && value >= 0, `u64 field must be a safe non-negative integer, got ${value}`);
  view.setUint32(offset, Math.floor(value / 0x1_0000_0000));
  view.setUint32(offset + 4, value >>> 0);
}

function readU64(view: DataView, offset: number): number {
  const value = view.getUint32(offset) * 0x1_0000_0000 + view.getUint32(offset + 4);
  assert(Number.isSafeInteger(value), `stored u64 at offset ${offset} exceeds 2^53`);
  return value;
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function entryKey(index: number): Buffer {
  const key = Buffer.allocUnsafe(8);
  writeU64(new DataView(key.buffer, key.byteOffset, 8), 0, index);
  return key;
}

/**
 * Encodes entry values into one buffer, reused: inside `transactionSync` lmdb-js copies a put's
 * value into the database before put() returns, so the bytes are free again at once. Without it
 * every appended entry (a 4,096-transfer batch is 512 KiB) cost a buffer of its size, garbage
 * until the Raft thread's next GC. The buffer grows to the largest entry written, at most
 * `reusedEncodeBytesMax`; a larger entry gets a buffer of its own, dropped after its put.
 */
class EntryValueEncoder {
  private buffer = Buffer.alloc(0);

  encode(entry: Entry): Buffer {
    const sizeBytes = entryHeaderBytes + entry.data.byteLength;
    let value: Buffer;
    if (sizeBytes > reusedEncodeBytesMax) {
      value = Buffer.allocUnsafeSlow(sizeBytes);
    } else {
      if (sizeBytes > this.buffer.byteLength) this.buffer = Buffer.allocUnsafeSlow(Math.min(reusedEncodeBytesMax, Math.max(sizeBytes, 2 * this.buffer.byteLength)));
      value = this.buffer.subarray(0, sizeBytes);
    }
    const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
    writeU64(view, 0, entry.term);
    view.setUint8(8, entry.type === 'conf-change' ? 1 : 0);
    value.set(entry.data, entryHeaderBytes);
    return value;
  }
}

function decodeEntryValue(index: number, value: Uint8Array): Entry {
  assert(value.byteLength >= entryHeaderBytes, `stored entry ${index} is truncated (${value.byteLength} bytes)`);
  const view = viewOf(value);
  const typeCode = view.getUint8(8);
  assert(typeCode === 0 || typeCode === 1, `stored entry ${index} has unknown type code ${typeCode}`);
  const type: EntryType = typeCode === 1 ? 'conf-change' : 'normal';
  return { index, term: readU64(view, 0), type, data: value.subarray(entryHeaderBytes) };
}

function encodeHardState(hardState: HardState): Buffer {
  const bytes = Buffer.alloc(24);
  const view = new DataView(bytes.buffer, bytes.byteOffset, 24);
  writeU64(view, 0, hardState.term);
  writeU64(view, 8, hardState.vote);
  writeU64(view, 16, hardState.commit);
  return bytes;
}

function decodeHardState(bytes: Uint8Array): HardState {
  assert(bytes.byteLength === 24, `stored hard state has ${bytes.byteLength} bytes, expected 24`);
  const view = viewOf(bytes);
  return { term: readU64(view, 0), vote: readU64(view, 8), commit: readU64(view, 16) };
}

function encodeSnapshotMetadata(index: number, term: number): Buffer {
  const bytes = Buffer.alloc(16);
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
  writeU64(view, 0, index);
  writeU64(view, 8, term);
  return bytes;
}

function encodeConfState(confState: ConfState): Buffer {
  const bytes = Buffer.alloc(4 + 8 * confState.voters.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setUint32(0, confState.voters.length);
  confState.voters.forEach((voter, position) => writeU64(view, 4 + 8 * position, voter));
  return bytes;
}

function decodeConfState(bytes: Uint8Array): ConfState {
  const view = viewOf(bytes);
  const count = view.getUint32(0);
  assert(bytes.byteLength === 4 + 8 * count, `stored conf state has ${bytes.byteLength} bytes for ${count} voters`);
  const voters: NodeId[] = [];
  for (let position = 0; position < count; position++) voters.push(readU64(view, 4 + 8 * position));
  return { voters };
}

function encodeFormat(): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(formatVersion);
  return bytes;
}

export interface LogStorageStats {
  /** Entries stored after the snapshot. */
  entryCount: number;
  /** Pages the entries database occupies, in bytes. */
  sizeBytes: number;
}

export interface OpenLogStorageOptions {
  directory: string;
  /** The membership a brand-new log starts with (ignored when the log exists). */
  foundingVoters: readonly NodeId[];
}

export class LmdbLogStorage implements LogStorage {
  private readonly environment: RootDatabase;
  private readonly entryDatabase: Database<Buffer, Buffer>;
  private readonly metaDatabase: Database<Buffer, string>;
  private readonly encoder = new EntryValueEncoder();
  private hard: HardState;
  private snap: Snapshot;
  private last: number;
  private closed = false;

  private constructor(environment: RootDatabase, entryDatabase: Database<Buffer, Buffer>, metaDatabase: Database<Buffer, string>, foundingVoters: readonly NodeId[]) {
    this.environment = environment;
    this.entryDatabase = entryDatabase;
    this.metaDatabase = metaDatabase;
    const format = metaDatabase.get(metaKeys.format);
    if (format === undefined) {
      assert(foundingVoters.length > 0, 'a new log needs at least one founding voter');
      // A brand-new log: the "snapshot" at index 0 holds the founding membership.
      environment.transactionSync(() => {
        metaDatabase.put(metaKeys.format, encodeFormat());
        metaDatabase.put(metaKeys.hardState, encodeHardState(EMPTY_HARD_STATE));
        metaDatabase.put(metaKeys.snapshotMetadata, encodeSnapshotMetadata(0, 0));
        metaDatabase.put(metaKeys.confState, encodeConfState({ voters: [...foundingVoters].sort((a, b) => a - b) }));
        metaDatabase.put(metaKeys.snapshotData, Buffer.alloc(0));
      }, syncedCommitFlags);
    } else {
      assert(format.readUInt32BE(0) === formatVersion, `Raft log format ${format.readUInt32BE(0)} is not ${formatVersion}`);
    }
    this.hard = decodeHardState(this.requiredMeta(metaKeys.hardState));
    const snapshotMetadata = viewOf(this.requiredMeta(metaKeys.snapshotMetadata));
    this.snap = {
      metadata: {
        index: readU64(snapshotMetadata, 0),
        term: readU64(snapshotMetadata, 8),
        confState: decodeConfState(this.requiredMeta(metaKeys.confState)),
      },
      data: this.requiredMeta(metaKeys.snapshotData),
    };
    this.last = this.snap.metadata.index;
    for (const key of entryDatabase.getKeys({ reverse: true, limit: 1 })) this.last = readU64(viewOf(key), 0);
    this.checkContiguous();
  }

  static open(options: OpenLogStorageOptions): LmdbLogStorage {
    mkdirSync(options.directory, { recursive: true });
    // overlappingSync off: a synced commit is on disk when transactionSync returns.
    const environment = open({ path: options.directory, noSync: false, overlappingSync: false, compression: false, maxDbs: 4 });
    const entryDatabase = environment.openDB<Buffer, Buffer>('entries', { keyEncoding: 'binary', encoding: 'binary' });
    const metaDatabase = environment.openDB<Buffer, string>('meta', { encoding: 'binary' });
    return new LmdbLogStorage(environment, entryDatabase, metaDatabase, options.foundingVoters);
  }

  private requiredMeta(key: string): Buffer {
    const value = this.metaDatabase.get(key);
    assert(value !== undefined, `the Raft log is missing its '${key}' record`);
    return value;
  }

  /** The first stored entry follows the snapshot, and the stored range has no gap. */
  private checkContiguous(): void {
    const first = this.firstIndex();
    if (this.last < first) return;
    for (const key of this.entryDatabase.getKeys({ limit: 1 })) {
      assert(readU64(viewOf(key), 0) === first, `the Raft log's first entry ${readU64(viewOf(key), 0)} does not follow its snapshot at ${first - 1}`);
    }
    const stats = this.stats();
    assert(stats.entryCount === this.last - first + 1, `the Raft log holds ${stats.entryCount} entries between ${first} and ${this.last}: a gap`);
  }

  hardState(): HardState {
    return this.hard;
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  firstIndex(): number {
    return this.snap.metadata.index + 1;
  }

  lastIndex(): number {
    return this.last;
  }

  term(index: number): number | undefined {
    const offset = this.snap.metadata.index;
    if (index === offset) return this.snap.metadata.term;
    if (index < offset || index > this.last) return undefined;
    // getBinaryFast reads into lmdb-js's own reused buffer; get() would allocate a copy of the
    // whole entry (up to megabytes) to read its first 8 bytes. Followers and a leader with
    // followers ask for terms of stored entries on every append.
    const value = this.entryDatabase.getBinaryFast(entryKey(index));
    assert(value !== undefined, `entry ${index} is missing from the stored range [${offset + 1}, ${this.last}]`);
    return readU64(viewOf(value), 0);
  }

  entries(low: number, high: number, sizeBytesMax: number): Entry[] {
    assert(low >= this.firstIndex() && high <= this.last + 1 && low <= high, `entries [${low}, ${high}) outside stored [${this.firstIndex()}, ${this.last + 1})`);
    const result: Entry[] = [];
    if (low === high) return result;
    let sizeBytes = 0;
    let expected = low;
    for (const { key, value } of this.entryDatabase.getRange({ start: entryKey(low), end: entryKey(high) })) {
      const index = readU64(viewOf(key), 0);
      assert(index === expected, `stored entries jump from ${expected - 1} to ${index}`);
      const entry = decodeEntryValue(index, value);
      sizeBytes += entrySizeBytes(entry);
      if (result.length > 0 && sizeBytes > sizeBytesMax) break;
      result.push(entry);
      expected += 1;
    }
    assert(result.length > 0, `entries [${low}, ${high}) must yield at least one entry`);
    return result;
  }

  /** Every entry after the snapshot, for inspection (tests, tools); reads the whole log. */
  allEntries(): Entry[] {
    return this.last < this.firstIndex() ? [] : this.entries(this.firstIndex(), this.last + 1, Number.MAX_SAFE_INTEGER);
  }

  stats(): LogStorageStats {
    const stats = this.entryDatabase.getStats() as { pageSize: number; treeBranchPageCount: number; treeLeafPageCount: number; overflowPages: number; entryCount: number };
    return {
      entryCount: stats.entryCount,
      sizeBytes: stats.pageSize * (stats.treeBranchPageCount + stats.treeLeafPageCount + stats.overflowPages),
    };
  }

  private removeEntries(from: number, through: number): void {
    for (let index = from; index <= through; index++) this.entryDatabase.remove(entryKey(index));
  }

  private putSnapshot(snapshot: Snapshot): void {
    this.metaDatabase.put(metaKeys.snapshotMetadata, encodeSnapshotMetadata(snapshot.metadata.index, snapshot.metadata.term));
    this.metaDatabase.put(metaKeys.confState, encodeConfState(snapshot.metadata.confState));
    this.metaDatabase.put(metaKeys.snapshotData, Buffer.from(snapshot.data.buffer, snapshot.data.byteOffset, snapshot.data.byteLength));
  }

  /**
   * Step 1 of the Ready contract (src/raft/types.ts), in one LMDB transaction: the snapshot
   * (replacing the log), the entries (after deleting any stored suffix from the first one), the
   * hard state, then the compaction (a local snapshot; entries it covers are deleted).
   */
  persistReady(ready: Ready): void {
    assert(!this.closed, 'the Raft log is closed');
    let snap = this.snap;
    let last = this.last;
    let hard = this.hard;
    const mustSync = ready.mustSync || ready.snapshot !== null || ready.compaction !== null;
    const hasWork = ready.snapshot !== null || ready.entries.length > 0 || ready.hardState !== null || ready.compaction !== null;
    if (!hasWork) return;
    this.environment.transactionSync(() => {
      if (ready.snapshot !== null) {
        assert(ready.snapshot.metadata.index > snap.metadata.index, `snapshot ${ready.snapshot.metadata.index} is not newer than the stored one at ${snap.metadata.index}`);
        this.removeEntries(snap.metadata.index + 1, last);
        this.putSnapshot(ready.snapshot);
        snap = ready.snapshot;
        last = snap.metadata.index;
      }
      if (ready.entries.length > 0) {
        const first = ready.entries[0]!.index;
        assert(first <= last + 1, `append at ${first} would leave a gap after ${last}`);
        for (let position = 1; position < ready.entries.length; position++) {
          assert(ready.entries[position]!.index === first + position, 'appended entries are contiguous');
        }
        // Entries the snapshot already covers are committed, so identical: skip them.
        const skip = Math.max(0, snap.metadata.index + 1 - first);
        if (skip < ready.entries.length) {
          const from = first + skip;
          // A conflicting suffix from an earlier leader is replaced.
          this.removeEntries(from, last);
          for (let position = skip; position < ready.entries.length; position++) {
            const entry = ready.entries[position]!;
            this.entryDatabase.put(entryKey(entry.index), this.encoder.encode(entry));
          }
          last = ready.entries[ready.entries.length - 1]!.index;
        }
      }
      if (ready.hardState !== null) {
        assert(ready.hardState.term >= hard.term, `hard state term must not go back from ${hard.term} to ${ready.hardState.term}`);
        hard = ready.hardState;
        this.metaDatabase.put(metaKeys.hardState, encodeHardState(hard));
      }
      const compaction = ready.compaction;
      if (compaction !== null && compaction.metadata.index > snap.metadata.index) {
        const index = compaction.metadata.index;
        assert(index <= last, `cannot compact to ${index} beyond the last index ${last}`);
        const stored = this.entryDatabase.getBinaryFast(entryKey(index));
        assert(stored !== undefined && readU64(viewOf(stored), 0) === compaction.metadata.term, `compaction term ${compaction.metadata.term} differs from the stored term at ${index}`);
        this.removeEntries(snap.metadata.index + 1, index);
        this.putSnapshot(compaction);
        snap = compaction;
      }
    }, mustSync ? syncedCommitFlags : unsyncedCommitFlags);
    this.snap = snap;
    this.last = last;
    this.hard = hard;
  }

  /**
   * Raises the stored commit index (never lowers it). At start, an applied index above the
   * stored commit (possible only when the OS lost unsynced writes of both stores) is already
   * known to be committed, so the runtime records it here before building the core.
   */
  raiseCommit(commit: number): void {
    if (commit <= this.hard.commit) return;
    assert(commit <= this.last, `commit ${commit} beyond the last stored index ${this.last}`);
    const hard = { ...this.hard, commit };
    this.environment.transactionSync(() => {
      this.metaDatabase.put(metaKeys.hardState, encodeHardState(hard));
    }, syncedCommitFlags);
    this.hard = hard;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.environment.close();
  }
}
