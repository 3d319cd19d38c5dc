/**
 * Reads of the workload's accounts over TransactionService.GetAccount, a bounded number at a
 * time: the next nonces before a run (so a workload continues where the ledger is), and the
 * balances whose sum must equal the genesis total.
 */
import type { AurigraphClient } from '../../client/index.js';
import { accountIdBytes } from './workload-plan.js';

const readsInFlight = 32;

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: number }).code === 5;
}

async function forEachBounded<T>(items: readonly T[], visit: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      await visit(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(readsInFlight, items.length) }, lane));
}

export function splitIds(accountIds: Uint8Array): Uint8Array[] {
  return Array.from({ length: accountIds.length / accountIdBytes }, (_, index) => accountIds.subarray(index * accountIdBytes, (index + 1) * accountIdBytes));
}

/** Each account's next nonce (0 for an account the ledger does not know yet). */
export async function readNonces(client: AurigraphClient, ids: readonly Uint8Array[]): Promise<BigUint64Array> {
  const nonces = new BigUint64Array(ids.length);
  await forEachBounded(ids, async (accountId, index) => {
    try {
      nonces[index] = (await client.transaction.getAccount({ accountId })).nonce;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  });
  return nonces;
}

export interface BalanceSum {
  readonly total: bigint;
  readonly accountsRead: number;
  /** Lowest and highest as_of_height among the reads: equal when the ledger did not move meanwhile. */
  readonly heightMin: bigint;
  readonly heightMax: bigint;
}

/** The sum of the accounts' balances (an unknown account holds 0). */
export async function sumBalances(client: AurigraphClient, ids: readonly Uint8Array[]): Promise<BalanceSum> {
  let total = 0n;
  let heightMin: bigint | undefined;
  let heightMax = 0n;
  await forEachBounded(ids, async (accountId) => {
    try {
      const account = await client.transaction.getAccount({ accountId });
      total += account.balance;
      if (heightMin === undefined || account.asOfHeight < heightMin) heightMin = account.asOfHeight;
      if (account.asOfHeight > heightMax) heightMax = account.asOfHeight;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  });
  return { total, accountsRead: ids.length, heightMin: heightMin ?? 0n, heightMax };
}
