/**
 * The tx-hash index across its parts: hot LMDB tables that freeze when full, run files written
 * from them, and runs merged by level. Whatever part holds a hash's occurrences, a read answers
 * with the one the rule picks (applied, else latest), on the writer, on a reader, and after a
 * reopen. Small hot tables make every part busy within a few hundred transactions.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExecutionTransactionInput } from '../../src/ledger/index.js';
import { type LedgerStore, openLedgerStore } from '../../src/ledger/index.js';
import { BlockArchive } from '../../src/ledger/archive/block-archive.js';
import { BlockBlobBuilder } from '../../src/ledger/archive/block-blob.js';
import { decodeBlockRecord, encodeBlockRecord } from '../../src/ledger/store-records.js';
import { readLatestCommitted } from '../../src/exec/latest-snapshot.js';
import { idOf, makeTempDirectory, runBlock, simpleGenesis, transfer } from '../fixtures/ledger/ledger-fixture.js';

const indexOptions = { hotEntriesMax: 8, mergeFanIn: 2, levelMax: 2 };
const senders = ['s0', 's1', 's2'];

interface Occurrence {
  height: bigint;
  index: number;
  applied: boolean;
}

/** The rule, restated: the applied occurrence, else the latest. */
function expectedOccurrence(occurrences: readonly Occurrence[]): Occurrence {
  const applied = occurrences.filter((occurrence) => occurrence.applied);
  assert.ok(applied.length <= 1, 'the workload applies each hash at most once');
  if (applied.length === 1) return applied[0]!;
  return occurrences.reduce((latest, next) => (next.height > latest.height || (next.height === latest.height && next.index > latest.index) ? next : latest));
}

class Workload {
  readonly occurrences = new Map<string, { txHash: Uint8Array; list: Occurrence[] }>();
  readonly #nonces = new Map(senders.map((name) => [name, 0n]));
  readonly #sent: ExecutionTransactionInput[] = [];
  #step = 0;

  /** One block: a transfer per sender, a replay of an earlier one, and now and then a nonce gap. */
  nextBlock(): ExecutionTransactionInput[] {
    this.#step += 1;
    const entries: ExecutionTransactionInput[] = [];
    for (const name of senders) {
      const nonce = this.#nonces.get(name)!;
      entries.push(transfer(idOf(name), idOf('sink'), 1n, nonce));
      this.#nonces.set(name, nonce + 1n);
    }
    if (this.#sent.length > 0) entries.push(this.#sent[(this.#step * 7) % this.#sent.length]!);
    // Sent one block early it fails NONCE_GAP; the next block sends it again and it commits.
    if (this.#step % 4 === 0) {
      const early = transfer(idOf('s0'), idOf('sink'), 1n, this.#nonces.get('s0')!);
      entries.push(early);
      this.#pendingGap = early;
    } else if (this.#pendingGap !== undefined) {
      const nonce = this.#nonces.get('s0')!;
      entries.push(this.#pendingGap);
      this.#nonces.set('s0', nonce + 1n);
      this.#pendingGap = undefined;
    }
    this.#sent.push(...entries.slice(0, senders.length));
    return entries;
  }

  #pendingGap: ExecutionTransactionInput | undefined;

  record(height: bigint, entries: readonly ExecutionTransactionInput[], applied: ArrayLike<number>): void {
    entries.forEach((entry, index) => {
      const key = Buffer.from(entry.txHash).toString('hex');
      const held = this.occurrences.get(key) ?? { txHash: entry.txHash, list: [] };
      held.list.push({ height, index, applied: applied[index] === 1 });
      this.occurrences.set(key, held);
    });
  }
}

function checkEveryHash(store: LedgerStore, workload: Workload, label: string): void {
  for (const { txHash, list } of workload.occurrences.values()) {
    const expected = expectedOccurrence(list);
    const receipt = store.getReceipt(txHash);
    assert.ok(receipt !== undefined, `${label}: a committed hash is found`);
    assert.equal(receipt.blockHeight, expected.height, `${label}: height of ${Buffer.from(txHash).toString('hex').slice(0, 12)}`);
    assert.equal(receipt.blockIndex, expected.index, `${label}: index`);
  }
  assert.equal(store.getReceipt(new Uint8Array(32).fill(0xee)), undefined, `${label}: an unknown hash is not found`);
}

function runDueIndexJobs(store: LedgerStore): number {
  let ran = 0;
  for (let job = store.nextIndexJob(); job !== undefined; job = store.nextIndexJob()) {
    store.completeIndexJob(job, store.runIndexJob(job));
    ran += 1;
  }
  return ran;
}

test('every hash reads its preferred occurrence while entries move from hot tables to runs and runs merge', async () => {
  const directory = makeTempDirectory();
  try {
    let store = openLedgerStore(directory, { index: indexOptions });
    store.initGenesis(simpleGenesis({ s0: 1_000_000n, s1: 1_000_000n, s2: 1_000_000n }));
    const reader = openLedgerStore(directory, { writer: false, index: indexOptions });
    const workload = new Workload();
    let jobsRun = 0;
    for (let block = 1; block <= 48; block += 1) {
      const entries = workload.nextBlock();
      const execution = runBlock(store, entries);
      workload.record(BigInt(block), entries, execution.applied);
      // Jobs wait for some blocks: lookups must also find entries in a frozen table.
      if (block % 3 === 0) jobsRun += runDueIndexJobs(store);
      if (block % 12 === 0) {
        checkEveryHash(store, workload, `writer after block ${block}`);
        // What the acceptor does before a read: the reader's snapshot follows the last commit.
        readLatestCommitted();
        checkEveryHash(reader, workload, `reader after block ${block}`);
      }
    }
    const { manifest, hotEntries } = store.describeIndex();
    assert.ok(jobsRun >= 10, `hot tables were written out and runs merged (${jobsRun} jobs)`);
    assert.ok(manifest.runs.some((run) => run.level === 2), `runs merged up to level 2: ${JSON.stringify(manifest.runs)}`);
    assert.ok(hotEntries[0] + hotEntries[1] > 0, 'the latest entries are still in a hot table');
    assert.ok(
      manifest.runs.reduce((sum, run) => sum + run.entryCount, 0) + hotEntries[0] + hotEntries[1] >= workload.occurrences.size,
      'runs and hot tables hold every hash at least once',
    );
    const runFiles = readdirSync(join(directory, 'tx-index')).sort();
    assert.deepEqual(runFiles, manifest.runs.map((run) => `run-${run.sequence.toString().padStart(10, '0')}.idx`).sort(), 'merged runs were deleted');

    await reader.close();
    await store.close();
    // A crash can leave a job's output before its record, or a temp file: both go on open.
    writeFileSync(join(directory, 'tx-index', 'run-0000099999.idx'), 'orphan');
    writeFileSync(join(directory, 'tx-index', 'run-0000099998.idx.tmp'), 'partial');
    store = openLedgerStore(directory, { index: indexOptions });
    assert.ok(!existsSync(join(directory, 'tx-index', 'run-0000099999.idx')), 'the orphan run is removed');
    assert.ok(!existsSync(join(directory, 'tx-index', 'run-0000099998.idx.tmp')), 'the temp file is removed');
    checkEveryHash(store, workload, 'after reopening');
    runDueIndexJobs(store);
    checkEveryHash(store, workload, 'after the jobs due at reopening');
    await store.close();
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test('a block archived past the head (a crash before its LMDB commit) is cut off on open and the height is committed again', async () => {
  const directory = makeTempDirectory();
  try {
    let store = openLedgerStore(directory);
    store.initGenesis(simpleGenesis({ alice: 100n }));
    runBlock(store, [transfer(idOf('alice'), idOf('bob'), 1n, 0n)]);
    const headBlock = store.lastBlock()!;
    await store.close();

    // What the writer leaves when it dies between the archive append and the LMDB commit.
    const archive = BlockArchive.open(join(directory, 'archive'), { writer: true });
    const { header, blockHash } = decodeBlockRecord(archive.readBlockRecord(1n)!);
    const builder = new BlockBlobBuilder();
    builder.begin(encodeBlockRecord({ ...header, height: 2n, transactionCount: 0 }, blockHash), 0);
    archive.append(2n, builder.finish());
    assert.equal(archive.count(), 3n);
    archive.close();

    store = openLedgerStore(directory);
    assert.equal(store.getBlock(2n), undefined, 'the uncommitted block is not readable');
    assert.deepEqual(store.lastBlock()!.blockHash, headBlock.blockHash);
    const next = transfer(idOf('alice'), idOf('bob'), 2n, 1n);
    runBlock(store, [next]);
    assert.equal(store.getBlock(2n)!.header.height, 2n);
    assert.equal(store.getReceipt(next.txHash)!.blockHeight, 2n);
    assert.equal(store.getBlockTransactionHashes(2n).length, 1);
    await store.close();
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
