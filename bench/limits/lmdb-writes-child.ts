/**
 * Child process: LMDB write limits, in a directory the parent owns (lmdb-writes.ts).
 *
 * Block writes (state, noSync + writemap, as src/ledger opens its store), one LMDB transaction
 * per block of `transactionsPerBlock` transfers, each touching two 72-byte account records (one
 * registered key), one ~200-byte transaction record (receipt + stored bytes) and one tx-hash
 * index entry, plus the block record and the head:
 *   - ledgerCommitBlock: the real LedgerStore.commitBlock with synthetic executions (the
 *     ceiling of our own write path);
 *   - rawLmdbBlock: the same records as plain lmdb-js puts (the floor-free limit).
 * Fsynced appends (the Raft log's durability: one fsynced write of an entry per group):
 *   - lmdbSyncedEntry: one entry (and the hard state) per synchronous LMDB transaction, as
 *     src/consensus/lmdb-log-storage.ts writes a Ready: noSync off, overlappingSync off, so the
 *     commit returns after LMDB's fsync;
 *   - lmdbOverlappingSyncEntry: lmdb-js's default for a durable env (overlappingSync): put, then
 *     wait for `flushed`;
 *   - fileAppendFdatasync: write + fdatasync on a plain file (the disk's own floor).
 *
 * Only the write (and its sync) is timed; preparing the synthetic records is not. Each case is
 * bounded by wall time and by bytes written.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { open, TransactionFlags } from 'lmdb';
import { runAsChildTask } from '../common/child-task.js';
import { KeyAlgorithm, KeyRole, ReceiptStatus } from '../../src/generated/aurigraph.js';
import { blockHash, encodeAccount, openLedgerStore, type Account, type BlockCommit, type StoredTransactions } from '../../src/ledger/index.js';
import { createLatencyHistogram, nanosecondsToRecordableMicroseconds } from '../../src/loadgen/latency-histogram.js';
import { latencyStats, type LatencyStats } from '../../src/report/index.js';

export interface LmdbWritesInput {
  directory: string;
  durationMsPerCase: number;
  transactionsPerBlock: number;
  /** Accounts the transfers move between; a multiple of 2 × transactionsPerBlock. */
  accountCount: number;
  /** Bytes GetTransaction returns per transaction; the record adds a 52-byte receipt header. */
  storedTransactionBytes: number;
  logEntryBytes: number;
  /** A case stops once it has written this many value bytes, whatever the time. */
  diskBytesMaxPerCase: number;
}

export type CaseBound = 'time' | 'bytes';

export interface BlockWritesMeasurement {
  blocks: number;
  transactions: number;
  /** Sum of the timed block commits. */
  commitSeconds: number;
  transactionsPerSecond: number;
  blocksPerSecond: number;
  /** One block's LMDB transaction, microseconds. */
  blockCommit: LatencyStats;
  boundBy: CaseBound;
}

export interface FsyncedCommitsMeasurement {
  commits: number;
  commitSeconds: number;
  commitsPerSecond: number;
  /** commitsPerSecond × transactionsPerBlock: transactions made durable per second. */
  transactionsPerSecond: number;
  bytesPerSecond: number;
  /** One write plus its sync, microseconds. */
  commit: LatencyStats;
  boundBy: CaseBound;
}

export interface LmdbWritesChildResult {
  fileSystem: string;
  accountRecordBytes: number;
  transactionRecordBytes: number;
  ledgerCommitBlock: BlockWritesMeasurement;
  rawLmdbBlock: BlockWritesMeasurement;
  lmdbSyncedEntry: FsyncedCommitsMeasurement;
  lmdbOverlappingSyncEntry: FsyncedCommitsMeasurement;
  fileAppendFdatasync: FsyncedCommitsMeasurement;
}

const hashBytes = 32;
const transactionRecordHeaderBytes = 52;
const positionKeyBytes = 12;
const raftEntryHeaderBytes = 9;
/** The Raft log's synced commit (src/consensus/lmdb-log-storage.ts). */
const syncedCommitFlags = TransactionFlags.ABORTABLE | TransactionFlags.SYNCHRONOUS_COMMIT;

/** statfs magic numbers of the file systems a benchmark is likely to land on. */
const fileSystemNames = new Map<number, string>([
  [0xef53, 'ext4'],
  [0x01021994, 'tmpfs'],
  [0x9123683e, 'btrfs'],
  [0x58465342, 'xfs'],
  [0x794c7630, 'overlayfs'],
]);

function fileSystemOf(directory: string): string {
  const type = fs.statfsSync(directory).type;
  return fileSystemNames.get(type) ?? `statfs type 0x${type.toString(16)}`;
}

/** Times sections of work and keeps their HDR histogram; the case runs until a bound is hit. */
class CaseClock {
  readonly histogram = createLatencyHistogram();
  readonly #startNs = process.hrtime.bigint();
  readonly #deadlineNs: bigint;
  #timedNs = 0n;
  #bytes = 0;
  count = 0;

  constructor(
    durationMs: number,
    private readonly bytesMax: number,
  ) {
    this.#deadlineNs = this.#startNs + BigInt(durationMs) * 1_000_000n;
  }

  get running(): boolean {
    return process.hrtime.bigint() < this.#deadlineNs && this.#bytes < this.bytesMax;
  }

  get boundBy(): CaseBound {
    return this.#bytes >= this.bytesMax ? 'bytes' : 'time';
  }

  get timedSeconds(): number {
    return Number(this.#timedNs) / 1e9;
  }

  time(bytes: number, work: () => void): void {
    const startNs = process.hrtime.bigint();
    work();
    this.#record(startNs, bytes);
  }

  async timeAsync(bytes: number, work: () => Promise<void>): Promise<void> {
    const startNs = process.hrtime.bigint();
    await work();
    this.#record(startNs, bytes);
  }

  #record(startNs: bigint, bytes: number): void {
    const elapsedNs = process.hrtime.bigint() - startNs;
    this.#timedNs += elapsedNs;
    this.histogram.recordValue(nanosecondsToRecordableMicroseconds(elapsedNs));
    this.#bytes += bytes;
    this.count += 1;
  }
}

function blockMeasurement(clock: CaseClock, transactionsPerBlock: number): BlockWritesMeasurement {
  const seconds = clock.timedSeconds;
  return {
    blocks: clock.count,
    transactions: clock.count * transactionsPerBlock,
    commitSeconds: seconds,
    transactionsPerSecond: seconds > 0 ? (clock.count * transactionsPerBlock) / seconds : 0,
    blocksPerSecond: seconds > 0 ? clock.count / seconds : 0,
    blockCommit: latencyStats(clock.histogram),
    boundBy: clock.boundBy,
  };
}

function fsyncMeasurement(clock: CaseClock, transactionsPerBlock: number, entryBytes: number): FsyncedCommitsMeasurement {
  const seconds = clock.timedSeconds;
  const commitsPerSecond = seconds > 0 ? clock.count / seconds : 0;
  return {
    commits: clock.count,
    commitSeconds: seconds,
    commitsPerSecond,
    transactionsPerSecond: commitsPerSecond * transactionsPerBlock,
    bytesPerSecond: commitsPerSecond * entryBytes,
    commit: latencyStats(clock.histogram),
    boundBy: clock.boundBy,
  };
}

/** The account pool, sorted by id, so each block's slice is already in write-set order. */
function accountIds(count: number): Buffer[] {
  return Array.from({ length: count }, () => crypto.randomBytes(hashBytes)).sort(Buffer.compare);
}

const accountKey = { keyId: crypto.randomBytes(hashBytes), role: KeyRole.ACCOUNT_SIGNING, algorithm: KeyAlgorithm.ML_DSA_65, registeredAtHeight: 0n };

/** The accounts block `block` changes: a slice of 2 × transactionsPerBlock, a sender and a receiver per transfer. */
function blockWrites(ids: readonly Buffer[], block: number, transactionsPerBlock: number): Account[] {
  const perBlock = 2 * transactionsPerBlock;
  const first = (block * perBlock) % ids.length;
  return ids.slice(first, first + perBlock).map((id) => ({ id, balance: 1_000_000n + BigInt(block), nonce: BigInt(block), keys: [accountKey] }));
}

async function measureLedgerCommitBlock(input: LmdbWritesInput, ids: readonly Buffer[]): Promise<BlockWritesMeasurement> {
  const store = openLedgerStore(path.join(input.directory, 'ledger'));
  store.initGenesis({ chainId: 1, feeAccount: crypto.randomBytes(hashBytes), allocations: [{ accountId: ids[0]!, balance: 1n }] });
  const count = input.transactionsPerBlock;
  const storedBytes = crypto.randomBytes(input.storedTransactionBytes);
  const statuses = new Uint8Array(count).fill(ReceiptStatus.COMMITTED);
  const reasons = new Uint8Array(count);
  const messages = new Array<string>(count).fill('');
  const applied = new Uint8Array(count).fill(1);
  const blockBytes = 2 * count * encodeAccount(blockWrites(ids, 0, 1)[0]!).length + count * (transactionRecordHeaderBytes + input.storedTransactionBytes + 2 * positionKeyBytes + hashBytes);
  const commitFor = (block: number): BlockCommit => {
    const hashes = crypto.randomBytes(count * hashBytes);
    const transactions: StoredTransactions = {
      count,
      txHash: (index) => hashes.subarray(index * hashBytes, (index + 1) * hashBytes),
      storedBytes: () => storedBytes,
    };
    const raftIndex = BigInt(block + 1);
    const context = store.nextBlockContext({ timestampMs: BigInt(block), raftTerm: 1n, raftIndex, transactionsRoot: crypto.randomBytes(hashBytes) });
    const header = {
      height: context.height,
      parentHash: context.parentHash,
      stateRoot: crypto.randomBytes(hashBytes),
      transactionsRoot: context.transactionsRoot,
      timestampMs: context.timestampMs,
      raftTerm: context.raftTerm,
      raftIndex,
      transactionCount: count,
    };
    const writes = blockWrites(ids, block, count);
    return { header, blockHash: blockHash(header), statuses, reasons, messages, applied, writes, registeredKeys: [], batchId: raftIndex, transactions, appliedIndex: raftIndex };
  };
  // One pass over the pool first, untimed: every account exists before measuring.
  const warmupBlocks = ids.length / (2 * count);
  let block = 0;
  for (; block < warmupBlocks; block += 1) store.commitBlock(commitFor(block));
  const clock = new CaseClock(input.durationMsPerCase, input.diskBytesMaxPerCase);
  while (clock.running) {
    const commit = commitFor(block);
    clock.time(blockBytes, () => store.commitBlock(commit));
    block += 1;
  }
  await store.close();
  return blockMeasurement(clock, count);
}

async function measureRawLmdbBlock(input: LmdbWritesInput, ids: readonly Buffer[], accountRecordBytes: number): Promise<BlockWritesMeasurement> {
  const root = open({ path: path.join(input.directory, 'raw'), noSubdir: false, maxDbs: 8, noSync: true, useWritemap: true });
  const binary = { keyEncoding: 'binary', encoding: 'binary' } as const;
  const accounts = root.openDB<Buffer, Buffer>({ name: 'accounts', ...binary });
  const blocks = root.openDB<Buffer, Buffer>({ name: 'blocks', ...binary });
  const transactions = root.openDB<Buffer, Buffer>({ name: 'transactions', ...binary });
  const txIndex = root.openDB<Buffer, Buffer>({ name: 'txIndex', ...binary });
  const meta = root.openDB<Buffer, string>({ name: 'meta', encoding: 'binary' });
  const count = input.transactionsPerBlock;
  const perBlock = 2 * count;
  const accountValue = crypto.randomBytes(accountRecordBytes);
  const transactionRecord = crypto.randomBytes(transactionRecordHeaderBytes + input.storedTransactionBytes);
  const blockRecord = crypto.randomBytes(180);
  const headRecord = crypto.randomBytes(80);
  const heightKey = Buffer.alloc(8);
  const position = Buffer.alloc(positionKeyBytes);
  const blockBytes = perBlock * accountRecordBytes + count * (transactionRecord.length + 2 * positionKeyBytes + hashBytes);
  const writeBlock = (block: number, hashes: Buffer): void => {
    root.transactionSync(() => {
      const first = (block * perBlock) % ids.length;
      for (let slot = 0; slot < perBlock; slot += 1) accounts.putSync(ids[first + slot]!, accountValue);
      heightKey.writeBigUInt64BE(BigInt(block + 1));
      blocks.putSync(heightKey, blockRecord);
      for (let index = 0; index < count; index += 1) {
        heightKey.copy(position, 0);
        position.writeUInt32BE(index, 8);
        transactions.putSync(position, transactionRecord);
        txIndex.putSync(hashes.subarray(index * hashBytes, (index + 1) * hashBytes), position);
      }
      meta.putSync('head', headRecord);
    });
  };
  const warmupBlocks = ids.length / perBlock;
  let block = 0;
  for (; block < warmupBlocks; block += 1) writeBlock(block, crypto.randomBytes(count * hashBytes));
  const clock = new CaseClock(input.durationMsPerCase, input.diskBytesMaxPerCase);
  while (clock.running) {
    const hashes = crypto.randomBytes(count * hashBytes);
    accountValue.writeBigUInt64LE(BigInt(block), 8);
    clock.time(blockBytes, () => writeBlock(block, hashes));
    block += 1;
  }
  await root.close();
  return blockMeasurement(clock, count);
}

function entryKey(index: number): Buffer {
  const key = Buffer.alloc(8);
  key.writeBigUInt64BE(BigInt(index));
  return key;
}

/**
 * As src/consensus/lmdb-log-storage.ts persists a Ready: same environment options, an 'entries'
 * database keyed by big-endian index with a 9-byte term/type header before the entry, the hard
 * state in 'meta', one synchronous, fsynced transaction per group.
 */
async function measureLmdbSyncedEntry(input: LmdbWritesInput, entry: Buffer): Promise<FsyncedCommitsMeasurement> {
  const environment = open({ path: path.join(input.directory, 'log-synced'), noSync: false, overlappingSync: false, compression: false, maxDbs: 4 });
  const entries = environment.openDB<Buffer, Buffer>('entries', { keyEncoding: 'binary', encoding: 'binary' });
  const meta = environment.openDB<Buffer, string>('meta', { encoding: 'binary' });
  const value = Buffer.concat([Buffer.alloc(raftEntryHeaderBytes), entry]);
  const hardState = Buffer.alloc(24);
  const clock = new CaseClock(input.durationMsPerCase, input.diskBytesMaxPerCase);
  let index = 1;
  while (clock.running) {
    const key = entryKey(index);
    value.writeBigUInt64BE(1n, 0);
    hardState.writeBigUInt64BE(BigInt(index), 16);
    clock.time(value.length, () =>
      environment.transactionSync(() => {
        entries.put(key, value);
        meta.put('hard-state', hardState);
      }, syncedCommitFlags),
    );
    index += 1;
  }
  await environment.close();
  return fsyncMeasurement(clock, input.transactionsPerBlock, entry.length);
}

async function measureLmdbOverlappingSyncEntry(input: LmdbWritesInput, entry: Buffer): Promise<FsyncedCommitsMeasurement> {
  const log = open<Buffer, Buffer>({ path: path.join(input.directory, 'log-overlapping'), noSubdir: false, noSync: false, compression: false, keyEncoding: 'binary', encoding: 'binary' });
  const clock = new CaseClock(input.durationMsPerCase, input.diskBytesMaxPerCase);
  let index = 1;
  while (clock.running) {
    const key = entryKey(index);
    entry.writeUInt32LE(index, 0);
    await clock.timeAsync(entry.length, async () => {
      await log.put(key, entry);
      await log.flushed;
    });
    index += 1;
  }
  await log.close();
  return fsyncMeasurement(clock, input.transactionsPerBlock, entry.length);
}

function measureFileAppendFdatasync(input: LmdbWritesInput, entry: Buffer): FsyncedCommitsMeasurement {
  const descriptor = fs.openSync(path.join(input.directory, 'log.append'), 'a');
  try {
    const clock = new CaseClock(input.durationMsPerCase, input.diskBytesMaxPerCase);
    while (clock.running) {
      clock.time(entry.length, () => {
        let written = 0;
        while (written < entry.length) written += fs.writeSync(descriptor, entry, written);
        fs.fdatasyncSync(descriptor);
      });
    }
    return fsyncMeasurement(clock, input.transactionsPerBlock, entry.length);
  } finally {
    fs.closeSync(descriptor);
  }
}

runAsChildTask<LmdbWritesInput, never, LmdbWritesChildResult>(async (input) => {
  const ids = accountIds(input.accountCount);
  const accountRecordBytes = encodeAccount(blockWrites(ids, 0, 1)[0]!).length;
  const entry = crypto.randomBytes(input.logEntryBytes);
  const ledgerCommitBlock = await measureLedgerCommitBlock(input, ids);
  const rawLmdbBlock = await measureRawLmdbBlock(input, ids, accountRecordBytes);
  const lmdbSyncedEntry = await measureLmdbSyncedEntry(input, entry);
  const lmdbOverlappingSyncEntry = await measureLmdbOverlappingSyncEntry(input, entry);
  const fileAppendFdatasync = measureFileAppendFdatasync(input, entry);
  return {
    fileSystem: fileSystemOf(input.directory),
    accountRecordBytes,
    transactionRecordBytes: transactionRecordHeaderBytes + input.storedTransactionBytes,
    ledgerCommitBlock,
    rawLmdbBlock,
    lmdbSyncedEntry,
    lmdbOverlappingSyncEntry,
    fileAppendFdatasync,
  };
});
