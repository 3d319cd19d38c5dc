import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { measureLmdbWrites, type BlockWritesMeasurement, type FsyncedCommitsMeasurement } from '../../bench/limits/lmdb-writes.js';

function checkBlocks(measurement: BlockWritesMeasurement, transactionsPerBlock: number): void {
  assert.ok(measurement.blocks > 0);
  assert.equal(measurement.transactions, measurement.blocks * transactionsPerBlock);
  assert.ok(measurement.commitSeconds > 0);
  assert.equal(measurement.transactionsPerSecond, measurement.transactions / measurement.commitSeconds);
  assert.equal(measurement.blockCommit.count, measurement.blocks);
  assert.ok(measurement.blockCommit.p50Us > 0 && measurement.blockCommit.p50Us <= measurement.blockCommit.maxUs);
}

function checkCommits(measurement: FsyncedCommitsMeasurement, transactionsPerBlock: number, entryBytes: number): void {
  assert.ok(measurement.commits > 0);
  assert.ok(measurement.commitsPerSecond > 0);
  assert.equal(measurement.transactionsPerSecond, measurement.commitsPerSecond * transactionsPerBlock);
  assert.equal(measurement.bytesPerSecond, measurement.commitsPerSecond * entryBytes);
  assert.equal(measurement.commit.count, measurement.commits);
  assert.ok(measurement.commit.p50Us > 0);
}

test('every LMDB case writes, times and reports, and the temporary directory is removed', async () => {
  const result = await measureLmdbWrites({ durationMsPerCase: 200, transactionsPerBlock: 64, accountCount: 1000 });
  const configuration = result.configuration;
  assert.equal(result.limit, 'lmdb-writes');
  assert.equal(configuration.accountCount, 1024, 'rounded up to whole blocks of 128 accounts');
  assert.equal(configuration.accountRecordBytes, 72, 'an account with one registered key');
  assert.equal(configuration.transactionRecordBytes, 200);
  assert.equal(configuration.logEntryBytes, 128 + 64 * 128);
  assert.ok(configuration.fileSystem.length > 0);
  checkBlocks(result.ledgerCommitBlock, 64);
  checkBlocks(result.rawLmdbBlock, 64);
  for (const measurement of [result.lmdbSyncedEntry, result.lmdbOverlappingSyncEntry, result.fileAppendFdatasync]) {
    checkCommits(measurement, 64, configuration.logEntryBytes);
  }
  assert.equal(fs.existsSync(configuration.directory), false);
});

test('a byte bound stops a case before its time is up', async () => {
  const result = await measureLmdbWrites({ durationMsPerCase: 60_000, transactionsPerBlock: 16, accountCount: 64, diskBytesMaxPerCase: 64 * 1024 });
  for (const measurement of [result.ledgerCommitBlock, result.rawLmdbBlock, result.lmdbSyncedEntry, result.lmdbOverlappingSyncEntry, result.fileAppendFdatasync]) {
    assert.equal(measurement.boundBy, 'bytes');
  }
});
