import * as lmdb from 'lmdb';

/**
 * Makes this thread's next LMDB read start a new read transaction, on the latest committed
 * state. lmdb-js keeps one read transaction per thread and renews it only on a timer
 * (setTimeout 0) after first use, so a read made within a millisecond of the previous one may
 * see the snapshot from before the main thread's last commit: a worker handed its next task by
 * piscina, or an acceptor read that follows a receipt. LedgerStore does not expose its root
 * database, so this resets every lmdb-js store open in this thread through lmdb-js's documented
 * resetReadTxn() (cheap: the renewal happens at the next read). Call it before reads that must
 * see the last commit.
 */
export function readLatestCommitted(): void {
  const stores = (lmdb as unknown as { allDbs: Map<string, { resetReadTxn(): void }> }).allDbs;
  for (const store of stores.values()) store.resetReadTxn();
}
