/**
 * Limit 2: LMDB write rates on this machine's disk, in a child process (lmdb-writes-child.ts):
 * state writes per block (the ledger's own commitBlock, and raw lmdb-js puts of the same
 * records), and fsynced appends of one 1,024-transaction log entry per commit (the Raft log's
 * durability). The temporary directory is removed afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { invalidArgument } from '../../src/errors.js';
import { compactRecordBytesFor, logEntryHeaderBytes } from '../../src/wire/index.js';
import { runInChildProcess } from '../common/child-process.js';
import type { LmdbWritesChildResult, LmdbWritesInput } from './lmdb-writes-child.js';

export type { BlockWritesMeasurement, FsyncedCommitsMeasurement, CaseBound } from './lmdb-writes-child.js';

export interface LmdbWritesOptions {
  /** Wall time per case (five cases); each case also stops at diskBytesMaxPerCase. */
  durationMsPerCase: number;
  /** 1,024 by default. */
  transactionsPerBlock?: number;
  /** 131,072 by default; rounded up to a multiple of 2 × transactionsPerBlock. */
  accountCount?: number;
  /** 148 by default, so a transaction record (receipt header + stored bytes) is 200 bytes. */
  storedTransactionBytes?: number;
  /** 512 MiB by default. */
  diskBytesMaxPerCase?: number;
  /** Where the temporary directory goes; the OS temp directory by default. */
  parentDirectory?: string;
}

export interface LmdbWritesResult extends Omit<LmdbWritesChildResult, 'accountRecordBytes' | 'transactionRecordBytes' | 'fileSystem'> {
  limit: 'lmdb-writes';
  configuration: {
    durationMsPerCase: number;
    transactionsPerBlock: number;
    accountCount: number;
    accountRecordBytes: number;
    transactionRecordBytes: number;
    /** A transfer's log entry: header + one compact record per transaction. */
    logEntryBytes: number;
    diskBytesMaxPerCase: number;
    directory: string;
    fileSystem: string;
  };
}

function positive(field: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw invalidArgument(field, `must be a positive whole number, got ${value}`);
  return value;
}

export async function measureLmdbWrites(options: LmdbWritesOptions): Promise<LmdbWritesResult> {
  const durationMsPerCase = positive('durationMsPerCase', options.durationMsPerCase);
  const transactionsPerBlock = positive('transactionsPerBlock', options.transactionsPerBlock ?? 1024);
  const accountsPerBlock = 2 * transactionsPerBlock;
  const accountCount = Math.ceil(positive('accountCount', options.accountCount ?? 131_072) / accountsPerBlock) * accountsPerBlock;
  const storedTransactionBytes = positive('storedTransactionBytes', options.storedTransactionBytes ?? 148);
  const diskBytesMaxPerCase = positive('diskBytesMaxPerCase', options.diskBytesMaxPerCase ?? 512 * 2 ** 20);
  const logEntryBytes = logEntryHeaderBytes + transactionsPerBlock * compactRecordBytesFor(0);
  const directory = fs.mkdtempSync(path.join(options.parentDirectory ?? os.tmpdir(), 'aurigraph-limits-lmdb-'));
  try {
    const input: LmdbWritesInput = { directory, durationMsPerCase, transactionsPerBlock, accountCount, storedTransactionBytes, logEntryBytes, diskBytesMaxPerCase };
    // Five cases, plus the untimed warm-up pass and start-up; generous, but bounded.
    const timeoutMs = 5 * durationMsPerCase + 60_000;
    const child = await runInChildProcess<LmdbWritesInput, LmdbWritesChildResult>({ module: new URL('./lmdb-writes-child.js', import.meta.url), label: 'LMDB writes', input, timeoutMs });
    const { accountRecordBytes, transactionRecordBytes, fileSystem, ...measurements } = child;
    return {
      limit: 'lmdb-writes',
      configuration: {
        durationMsPerCase,
        transactionsPerBlock,
        accountCount,
        accountRecordBytes,
        transactionRecordBytes,
        logEntryBytes,
        diskBytesMaxPerCase,
        directory,
        fileSystem,
      },
      ...measurements,
    };
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}
