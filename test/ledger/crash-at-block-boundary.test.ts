import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type LedgerStore, openLedgerStore } from '../../src/ledger/index.js';
import { makeTempDirectory, openTempStore, raftIndexOf, runBlock } from '../fixtures/ledger/ledger-fixture.js';
import { SeededRandom } from '../fixtures/ledger/seeded-random.js';
import { type WorkloadOptions, workloadBlock, workloadGenesis } from '../fixtures/ledger/workload.js';

const childPath = fileURLToPath(new URL('../fixtures/ledger/commit-blocks.js', import.meta.url));
const options: WorkloadOptions = { seed: 31, accountCount: 120, transactionsPerBlock: 1500 };
const shardCount = 3;

interface Kill {
  /** The child SIGKILLs itself while writing this block (0: the parent kills it instead). */
  selfKillHeight: bigint;
  selfKillIndex: number;
  /** Parent kill: after this many announced commits, plus a delay. */
  killAfterCommits: number;
  delayMs: number;
}

/** Runs the committing child until it dies by SIGKILL; resolves with the last height it announced. */
async function runUntilKilled(directory: string, kill: Kill): Promise<bigint> {
  const parameters = [options.seed, options.accountCount, options.transactionsPerBlock, shardCount, kill.selfKillHeight, kill.selfKillIndex];
  const child = fork(childPath, [directory, ...parameters.map(String)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let announced = 0n;
  let commits = 0;
  const exited = new Promise<NodeJS.Signals | null>((resolve, reject) => {
    child.on('exit', (_code, signal) => resolve(signal));
    child.on('error', reject);
  });
  child.on('message', (message: { committing?: number }) => {
    if (message.committing === undefined) return;
    announced = BigInt(message.committing);
    commits += 1;
    if (kill.selfKillHeight === 0n && commits === kill.killAfterCommits) setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
  });
  const watchdog = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const signal = await exited;
  clearTimeout(watchdog);
  assert.equal(signal, 'SIGKILL', 'the child died by SIGKILL, not by finishing or by an error');
  return announced;
}

/** Replays blocks 1..height from genesis with the single-threaded reference executor. */
function replay(height: bigint): { store: LedgerStore; dispose: () => Promise<void> } {
  const replica = openTempStore(workloadGenesis(options));
  for (let block = 1n; block <= height; block += 1n) runBlock(replica.store, workloadBlock(options, block, replica.store), 1);
  return replica;
}

/** The store holds exactly blocks 1..h of the reference replay, its applied index, and nothing of h + 1. */
async function assertAtBlockBoundary(directory: string): Promise<bigint> {
  const store = openLedgerStore(directory);
  const last = store.lastBlock()!;
  const height = last.header.height;
  const replica = replay(height);
  try {
    assert.equal(store.appliedIndex(), raftIndexOf(height));
    assert.equal(last.header.raftIndex, raftIndexOf(height));
    for (let block = 1n; block <= height; block += 1n) {
      assert.deepEqual(store.getBlock(block), replica.store.getBlock(block), `block ${block} equals the replay's`);
    }
    assert.deepEqual([...store.accounts()], [...replica.store.accounts()], 'every account equals the replay after block h');
    const hashes = store.getBlockTransactionHashes(height);
    assert.equal(hashes.length, last.header.transactionCount, 'block h has all its transactions');
    for (const hash of hashes) assert.ok(store.getReceipt(hash)!.blockHeight <= height);
    assert.equal(store.getBlock(height + 1n), undefined);
    assert.deepEqual(store.getBlockTransactionHashes(height + 1n), [], 'no transaction of block h + 1');
    for (const entry of workloadBlock(options, height + 1n, replica.store)) {
      const receipt = store.getReceipt(entry.txHash);
      assert.ok(receipt === undefined || receipt.blockHeight <= height, 'no receipt of block h + 1');
    }
  } finally {
    await store.close();
    await replica.dispose();
  }
  return height;
}

test('a SIGKILL inside a block\'s LMDB transaction leaves the store at the block before, exactly as replayed', { timeout: 60_000 }, async () => {
  const directory = makeTempDirectory();
  try {
    // Killed while writing block 3, halfway through its transactions, then again in block 5.
    for (const [selfKillHeight, expectedHeight] of [[3n, 2n], [5n, 4n]] as const) {
      const announced = await runUntilKilled(directory, { selfKillHeight, selfKillIndex: 700, killAfterCommits: 0, delayMs: 0 });
      assert.equal(announced, selfKillHeight);
      assert.equal(await assertAtBlockBoundary(directory), expectedHeight);
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test('SIGKILLs at random moments while committing many blocks always leave a block boundary', { timeout: 60_000 }, async () => {
  const directory = makeTempDirectory();
  const random = new SeededRandom(5);
  try {
    let previousHeight = 0n;
    for (let round = 0; round < 3; round += 1) {
      const announced = await runUntilKilled(directory, { selfKillHeight: 0n, selfKillIndex: 0, killAfterCommits: 2 + random.below(4), delayMs: random.below(12) });
      const height = await assertAtBlockBoundary(directory);
      // The kill came after the announcement of `announced`: that block is there whole, or not at all.
      assert.ok(height === announced || height === announced - 1n, `head ${height} next to announced ${announced}`);
      assert.ok(height > previousHeight, `round ${round} made progress`);
      previousHeight = height;
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
