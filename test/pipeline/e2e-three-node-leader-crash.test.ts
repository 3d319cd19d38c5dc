/**
 * Crash safety of a three-node ledger cluster under a paced, sustained load of batch-signed
 * transfers sent the way a client would: to the leader, following refusals (FAILED_PRECONDITION
 * with the leader's address) and GetNodeState to the next one, asking GetReceipt for whatever a
 * broken stream left unanswered before sending it again. Meanwhile the leader is SIGKILLed and
 * restarted four times, paused past an election twice, and hands leadership over once. Then every
 * transaction is COMMITTED exactly once on every node, and the replicas agree block by block.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { buildBatchSignedBatch, devSubmitter, transactionHashOf, transfer } from '../../src/client/index.js';
import { leaderAddressTrailer } from '../../src/consensus/consensus-port-protocol.js';
import { selectSignatureBackend } from '../../src/crypto/index.js';
import { NodeRole, type Receipt, ReceiptStatus, RejectReason, type Transaction, type TxBatch } from '../../src/generated/aurigraph.js';
import { LedgerCluster, sleep, waitUntil } from './fixtures/cluster.js';
import { LedgerModel, hex, streamBatches, testAccounts, testChainId } from './fixtures/e2e.js';

const accountCount = 32;
const streamCount = 4;
const batchSize = 256;
/** Batches each stream has sent and not yet seen answered. */
const windowBatches = 4;
/**
 * The load is paced, so it lasts as long as the events need and the checks stay affordable:
 * while events remain, each stream plans `noncesPerStep` more transfers per sender every
 * `stepMs` at most (8 senders per stream: at most about 680 transfers/s in all), up to a bound.
 */
const noncesPerStep = 16;
const stepMs = 750;
const transfersPerAccountMax = 2_000;
const sendersPerStream = accountCount / streamCount;
const kills = 4;
/** Attempts one stream may make (each a stream call to what it believes is the leader). */
const attemptsPerStreamMax = 1_000;
/** Already-committed transactions sent again after each recovery, to see them refused. */
const replaysPerRecoveryMax = 64;
const initialBalance = 1_000_000_000n;

interface Planned {
  transaction: Transaction;
  hash: Uint8Array;
  sender: number;
  /** COMMITTED, by a receipt or by GetReceipt after a recovery. */
  committed: boolean;
  /** The receipt that said COMMITTED, if one arrived. */
  receipt: Receipt | undefined;
  /** Sent and not answered: its outcome is unknown until the next recovery asks. */
  unanswered: boolean;
  /** Times sent in all. */
  sends: number;
}

/** Runs `work` over `items` with at most `concurrency` calls in flight. */
async function forEachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

test(`three nodes: the leader SIGKILLed ${kills} times under sustained load, a leader paused and leadership moved between kills; every COMMITTED transaction is on every node once, the replicas agree`, { timeout: 420_000 }, async (t) => {
  const backend = selectSignatureBackend('auto');
  const submitter = devSubmitter(backend);
  const { ids, genesis } = testAccounts(accountCount, initialBalance, submitter.publicKey);
  const plans: Planned[][] = ids.map(() => []);
  const byHash = new Map<string, Planned>();
  /** Plans the next `noncesPerStep` transfers of each of the stream's senders. */
  const planMore = (stream: number): void => {
    for (let sender = stream; sender < accountCount; sender += streamCount) {
      const plan = plans[sender]!;
      assert.ok(plan.length + noncesPerStep <= transfersPerAccountMax, `every event happened within ${transfersPerAccountMax} transfers per account`);
      for (let step = 0; step < noncesPerStep; step++) {
        const nonce = plan.length;
        const to = ids[(sender + 1 + (nonce % (accountCount - 1))) % accountCount]!;
        const transaction = transfer({ from: ids[sender]!, to, amount: BigInt(1 + (nonce % 97)), nonce: BigInt(nonce), fee: 1n, chainId: testChainId });
        const planned: Planned = { transaction, hash: transactionHashOf(transaction), sender, committed: false, receipt: undefined, unanswered: false, sends: 0 };
        plan.push(planned);
        byHash.set(hex(planned.hash), planned);
      }
    }
  };
  const plannedCount = (): number => byHash.size;
  /** Set once every event (kill, pause, transfer) happened: the streams then finish what they planned. */
  let eventsDone = false;
  let nextBatchId = 1n;
  let batchesAnswered = 0;
  let redirectsFollowed = 0;
  let landedWithoutReceipt = 0;
  let resentAfterLoss = 0;
  let replaysRefused = 0;
  let resentFoundApplied = 0;
  let committedByReceipt = 0;
  /** Transactions sent whose outcome the client does not know yet. */
  let inFlight = 0;
  const committedCount = (): number => committedByReceipt + landedWithoutReceipt;
  const streamErrors = new Map<string, number>();
  /** Set when the test ends, so stream loops still retrying stop at once. */
  let stopping = false;

  const cluster = await LedgerCluster.start(genesis, { deadlineMs: 20_000 });
  try {
    /**
     * The leader as a client finds it: ask `hint` (or each running node in turn) for its state; a
     * follower names the leader's address, which is where to go next. Once a node says it leads,
     * wait until it applied every entry its log held then, so whatever a former leader left
     * behind either is in its ledger now or will never be: GetReceipt then tells what landed.
     */
    const settledLeader = async (hint: number | undefined): Promise<number> => {
      let candidate = hint ?? 0;
      return waitUntil('a leader that applied its whole log', async () => {
        if (!cluster.isRunning(candidate)) {
          candidate = (candidate + 1) % cluster.size;
          return undefined;
        }
        const client = cluster.client(candidate);
        const state = await client.consensus.getNodeState({}).catch(() => undefined);
        if (state === undefined || state.role !== NodeRole.LEADER) {
          const named = state === undefined ? -1 : cluster.indexOfAddress(state.leaderAddress);
          if (named >= 0 && named !== candidate) redirectsFollowed += 1;
          candidate = named >= 0 ? named : (candidate + 1) % cluster.size;
          return undefined;
        }
        const logEnd = (await client.consensus.getMetrics({})).lastLogIndex;
        await waitUntil(`${cluster.idOf(candidate)} to apply its log up to ${logEnd}`, async () => ((await client.consensus.getMetrics({})).appliedIndex >= logEnd ? true : undefined), 30_000, 50, () => stopping);
        const after = await client.consensus.getNodeState({});
        return after.role === NodeRole.LEADER && after.term === state.term ? candidate : undefined;
      }, 90_000, 100, () => stopping);
    };

    const onAnswered = (batch: TxBatch, receipts: Receipt[]): void => {
      batchesAnswered += 1;
      batch.transactions.forEach((transaction, index) => {
        const receipt = receipts[index]!;
        const planned = byHash.get(hex(receipt.txHash));
        assert.ok(planned !== undefined, `batch ${batch.batchId} index ${index}: the receipt names a planned transaction`);
        assert.deepEqual(planned.transaction, transaction, 'the receipt names the transaction at its index');
        if (planned.unanswered) inFlight -= 1;
        planned.unanswered = false;
        if (receipt.status === ReceiptStatus.COMMITTED) {
          assert.equal(planned.committed, false, `transaction ${hex(planned.hash)} COMMITTED twice`);
          planned.committed = true;
          planned.receipt = receipt;
          committedByReceipt += 1;
          return;
        }
        // Only a copy of a transaction that was applied before may be refused, and only as a replay.
        assert.ok(planned.committed || planned.sends > 1, `first copy of ${hex(planned.hash)} refused: ${receipt.status} ${receipt.rejectMessage}`);
        assert.ok(receipt.status === ReceiptStatus.REJECTED || receipt.status === ReceiptStatus.FAILED, `${receipt.status} ${receipt.rejectMessage}`);
        assert.equal(receipt.rejectReason, RejectReason.NONCE_REUSED, receipt.rejectMessage);
        if (planned.committed) {
          replaysRefused += 1;
        } else {
          // The first copy landed after all: the next recovery's GetReceipt must find it.
          resentFoundApplied += 1;
          planned.unanswered = true;
          inFlight += 1;
        }
      });
    };

    /** The stream's transactions not known committed, its senders interleaved in nonce order, as batches. */
    const batchesOf = (stream: number, replays: Planned[]): TxBatch[] => {
      const queues = plans.filter((_, sender) => sender % streamCount === stream).map((plan) => plan.filter((planned) => !planned.committed));
      const ordered: Planned[] = [];
      for (let round = 0; queues.some((queue) => round < queue.length); round++) {
        for (const queue of queues) if (round < queue.length) ordered.push(queue[round]!);
      }
      const groups: Planned[][] = [];
      if (replays.length > 0) groups.push(replays);
      for (let first = 0; first < ordered.length; first += batchSize) groups.push(ordered.slice(first, first + batchSize));
      return groups.map((group) => {
        for (const planned of group) {
          planned.sends += 1;
          if (!planned.committed && !planned.unanswered) {
            planned.unanswered = true;
            inFlight += 1;
          }
        }
        return buildBatchSignedBatch(nextBatchId++, group.map((planned) => planned.transaction), submitter, backend, { transactionHashes: group.map((planned) => planned.hash) });
      });
    };

    const streamDone = (stream: number): boolean => plans.every((plan, sender) => sender % streamCount !== stream || plan.every((planned) => planned.committed));

    /** One client stream: send to the leader; when it dies, find the next, learn what landed, send the rest. */
    const runStream = async (stream: number): Promise<void> => {
      let hint: number | undefined = stream % cluster.size;
      let replays: Planned[] = [];
      for (let attempt = 1; !(eventsDone && streamDone(stream)) && !stopping; attempt++) {
        assert.ok(attempt <= attemptsPerStreamMax, `stream ${stream} finished within ${attemptsPerStreamMax} attempts`);
        const paced = sleep(stepMs);
        if (!eventsDone && streamDone(stream)) planMore(stream);
        const unanswered = plans.flat().filter((planned) => planned.sender % streamCount === stream && planned.unanswered && !planned.committed);
        // As a client would: keep sending where the last stream succeeded; only after a stream
        // broke (its outcome partly unknown) find the leader and let it settle before asking.
        const leader: number = unanswered.length === 0 && hint !== undefined && cluster.isRunning(hint) ? hint : await settledLeader(hint);
        hint = leader;
        try {
          const client = cluster.client(leader);
          const landed: Planned[] = [];
          await forEachConcurrently(unanswered, 16, async (planned) => {
            const receipt = await client.transaction.getReceipt({ txHash: planned.hash }).catch((error: grpc.ServiceError) => {
              if (error.code === grpc.status.NOT_FOUND) return undefined;
              throw error;
            });
            if (planned.unanswered) inFlight -= 1;
            planned.unanswered = false;
            if (receipt === undefined) {
              resentAfterLoss += 1;
              return;
            }
            assert.equal(receipt.status, ReceiptStatus.COMMITTED, `a transaction that landed without its receipt COMMITTED: ${receipt.rejectMessage}`);
            planned.committed = true;
            landed.push(planned);
          });
          landedWithoutReceipt += landed.length;
          replays = [...replays.filter((planned) => planned.committed), ...landed].slice(0, replaysPerRecoveryMax);
          if (!streamDone(stream) || replays.length > 0) {
            await streamBatches(client, batchesOf(stream, replays), onAnswered, { deadlineMs: 120_000, windowBatches });
            replays = [];
          }
          await paced;
        } catch (error) {
          if (error instanceof assert.AssertionError) throw error;
          const refusal = error as Partial<grpc.ServiceError>;
          const key = `${refusal.code === undefined ? '' : grpc.status[refusal.code]} ${(refusal.details ?? (error as Error).message).replace(/\d+/g, 'N').slice(0, 70)}`;
          streamErrors.set(key, (streamErrors.get(key) ?? 0) + 1);
          const named = refusal.metadata?.get(leaderAddressTrailer)[0];
          if (typeof named === 'string' && cluster.indexOfAddress(named) >= 0) {
            hint = cluster.indexOfAddress(named);
            redirectsFollowed += 1;
          }
          await sleep(50);
        }
      }
    };

    const loadStarted = performance.now();
    const load = Promise.all(Array.from({ length: streamCount }, (_, stream) => runStream(stream)));
    load.catch(() => undefined);

    /** Waits until some more transactions committed, failing if the load ended (it failed) first. */
    const loadProgresses = async (what: string): Promise<void> => {
      const threshold = committedCount() + (streamCount * batchSize) / 2;
      const reached = await Promise.race([
        load.then(() => 'the load finished'),
        waitUntil(`${threshold} transactions committed before ${what}`, async () => (committedCount() >= threshold ? 'reached' : undefined), 120_000, 10),
      ]);
      assert.equal(reached, 'reached', `the load is still running at ${what}`);
      // Strike while batches are in flight, so some are cut off between proposal and receipt.
      await waitUntil(`a batch in flight before ${what}`, async () => (inFlight >= sendersPerStream * noncesPerStep ? true : undefined), 30_000, 2);
    };

    // The events, spread over the load. Kills: SIGKILL whoever leads, restart it on its data
    // folder and wait until it caught up. Between kills, leadership also changes while the old
    // leader lives on. A pause (SIGSTOP past the election timeout, then SIGCONT) leaves the old
    // leader with entries it appended alone: a new leader replaces them, and the old one, their
    // origin, must refuse those batches rather than answer them. A transfer hands leadership
    // over cleanly: entries in flight are committed by the new leader and answered by their
    // origin, and later batches on the old leader's streams are refused naming the new leader.
    const killed: string[] = [];
    let transfers = 0;
    let pauses = 0;
    const eventCount = 2 * kills - 1;
    for (let event = 1; event <= eventCount; event++) {
      const kill = (event + 1) / 2;
      if (event % 4 === 2) {
        await loadProgresses(`pause ${pauses + 1}`);
        const paused = await cluster.agreedLeader();
        const others = cluster.running().filter((index) => index !== paused);
        cluster.pause(paused);
        try {
          const next = await cluster.agreedLeader(30_000, others);
          await sleep(1_000);
          pauses += 1;
          t.diagnostic(`pause ${pauses}: ${cluster.idOf(paused)} stopped while leading; ${cluster.idOf(next)} elected (${committedCount()} of ${plannedCount()} transactions known committed)`);
        } finally {
          cluster.resume(paused);
        }
        await cluster.agreedLeader(30_000);
        continue;
      }
      if (event % 4 === 0) {
        await loadProgresses(`leadership transfer ${transfers + 1}`);
        const from = await cluster.agreedLeader();
        const to = (from + 1) % cluster.size;
        const moved = await cluster.client(from).consensus.transferLeadership({ targetNodeId: cluster.idOf(to) });
        assert.equal(moved.leaderId, cluster.idOf(to), `leadership moved from ${cluster.idOf(from)} to ${cluster.idOf(to)}`);
        transfers += 1;
        t.diagnostic(`transfer ${transfers}: leadership moved from ${cluster.idOf(from)} to ${cluster.idOf(to)} (${committedCount()} of ${plannedCount()} transactions known committed)`);
        continue;
      }
      await loadProgresses(`kill ${kill}`);
      const leader = await cluster.agreedLeader();
      const answeredAtKill = batchesAnswered;
      const committedAtKill = committedCount();
      await cluster.kill(leader);
      killed.push(cluster.idOf(leader));
      const killedAt = performance.now();
      await cluster.restart(leader);
      const newLeader = await cluster.agreedLeader(60_000);
      const commitIndex = (await cluster.client(newLeader).consensus.getMetrics({})).commitIndex;
      await waitUntil(`${cluster.idOf(leader)} to catch up to ${commitIndex} after its restart`, async () =>
        (await cluster.client(leader).consensus.getMetrics({})).appliedIndex >= commitIndex ? true : undefined, 120_000, 100);
      t.diagnostic(`kill ${kill}: ${cluster.idOf(leader)} led (${answeredAtKill} batches answered, ${committedAtKill} of ${plannedCount()} transactions known committed); ${cluster.idOf(newLeader)} leads now; restarted and caught up in ${((performance.now() - killedAt) / 1000).toFixed(1)} s`);
    }
    eventsDone = true;
    await load;
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    t.diagnostic(
      `load done in ${loadSeconds.toFixed(1)} s; after ${kills} kills (${killed.join(', ')}), ${pauses} pauses and ${transfers} leadership transfers: ${landedWithoutReceipt} transactions had landed without a receipt, ${resentAfterLoss} were sent again, ` +
        `${replaysRefused} replays refused, ${resentFoundApplied} resent copies found their original applied, ${redirectsFollowed} redirects followed; ` +
        `stream endings ${JSON.stringify(Object.fromEntries(streamErrors), undefined, 1)}`,
    );
    assert.ok(landedWithoutReceipt + resentAfterLoss > 0, 'some transactions were in flight when a leader died');

    // Every replica: the same blocks, with the same state roots, at every height.
    const checksStarted = performance.now();
    const blocks = await cluster.replicasAgree();
    t.diagnostic(`replicas agree on ${blocks.length} blocks (checked in ${((performance.now() - checksStarted) / 1000).toFixed(1)} s)`);
    const heightByHash = new Map<string, bigint>();
    for (const block of blocks) {
      for (const hash of block.transactionHashes) {
        const key = hex(hash);
        assert.ok(!heightByHash.has(key), `transaction ${key} is in block ${heightByHash.get(key)} and again in block ${block.height}`);
        heightByHash.set(key, block.height);
      }
    }
    const rootByHeight = new Map(blocks.map((block) => [block.height, hex(block.stateRoot)]));
    const all = [...byHash.values()];
    assert.ok(all.every((planned) => planned.committed), 'every planned transaction committed in the end');
    assert.equal(heightByHash.size, all.length, 'the blocks hold every planned transaction once, and nothing else');

    // Every COMMITTED receipt names the block that holds its transaction, with that block's root.
    for (const planned of all) {
      const height = heightByHash.get(hex(planned.hash));
      assert.ok(height !== undefined, `transaction ${hex(planned.hash)} is in a block`);
      if (planned.receipt === undefined) continue;
      assert.equal(planned.receipt.blockHeight, height, `the receipt of ${hex(planned.hash)} names its block`);
      assert.equal(hex(planned.receipt.stateRoot), rootByHeight.get(height), `the receipt of ${hex(planned.hash)} reports its block's state root`);
    }

    // On every node: each transaction by GetTransaction (the one sent, COMMITTED in its block);
    // balances and nonces as a model of every transfer applied exactly once; supply conserved.
    const model = new LedgerModel(genesis);
    for (const plan of plans) for (const planned of plan) model.applyCommittedTransfer(planned.transaction);
    assert.equal(model.supply(), initialBalance * BigInt(accountCount));
    await Promise.all(
      cluster.running().map(async (index) => {
        const client = cluster.client(index);
        const who = cluster.idOf(index);
        await forEachConcurrently(all, 48, async (planned) => {
          const stored = await client.transaction.getTransaction({ txHash: planned.hash });
          // The stored transaction hashes to the one sent: the same fields (it carries no signature).
          if (Buffer.compare(transactionHashOf(stored.transaction!), planned.hash) !== 0) assert.fail(`${who}: GetTransaction ${hex(planned.hash)} returned another transaction`);
          if (stored.receipt!.status !== ReceiptStatus.COMMITTED) assert.fail(`${who}: ${hex(planned.hash)} is ${stored.receipt!.status}: ${stored.receipt!.rejectMessage}`);
          assert.equal(stored.receipt!.blockHeight, heightByHash.get(hex(planned.hash)), `${who}: ${hex(planned.hash)}'s block`);
        });
        let supply = 0n;
        for (const id of [...ids, genesis.feeAccount]) {
          const account = await client.transaction.getAccount({ accountId: id });
          assert.equal(account.nonce, model.nonces.get(hex(id)) ?? 0n, `${who}: nonce of ${hex(id)}: no transfer applied twice or lost`);
          assert.equal(account.balance, model.balances.get(hex(id)), `${who}: balance of ${hex(id)}`);
          supply += account.balance;
        }
        assert.equal(supply, model.supply(), `${who}: no unit created or destroyed`);
      }),
    );
    t.diagnostic(`every node checked transaction by transaction in ${((performance.now() - checksStarted) / 1000).toFixed(1)} s`);
  } finally {
    stopping = true;
    await cluster.stop();
  }
});
