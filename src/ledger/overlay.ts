/**
 * A shard's view of accounts during one block: committed state plus this block's changes so
 * far, so that a transaction sees the effects of the earlier ones on its shard. Keyed by idKey;
 * absent accounts are cached too, so an unknown sender costs one state read per block.
 */
import { assert } from '../errors.js';
import type { Account } from './account.js';
import { idFromKey } from './bytes.js';
import type { AccountReader } from './types.js';

export interface OverlayEntry {
  /** Undefined while no account has this id. */
  account: Account | undefined;
  /** Set by whoever changes `account`, so the account joins the block's write set. */
  written: boolean;
}

export class AccountOverlay {
  readonly #state: AccountReader;
  readonly #entries = new Map<string, OverlayEntry>();

  /** `writes`: accounts already changed in this block (phase 1's output, when phase 2 starts). */
  constructor(state: AccountReader, writes?: ReadonlyMap<string, Account>) {
    this.#state = state;
    if (writes) for (const [key, account] of writes) this.#entries.set(key, { account, written: true });
  }

  /** The entry for `key`; `id` (the same id as bytes) may be a view, and is not kept. */
  lookup(key: string, id: Uint8Array): OverlayEntry {
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      const account = this.#state.readAccount(id);
      entry = { account, written: false };
      this.#entries.set(key, entry);
    }
    return entry;
  }

  /** The entry for `key`, with an account of balance 0, nonce 0 and no keys when none existed. */
  lookupOrCreate(key: string): OverlayEntry {
    const entry = this.#entries.get(key) ?? this.lookup(key, idFromKey(key));
    if (entry.account === undefined) entry.account = { id: idFromKey(key), balance: 0n, nonce: 0n, keys: [] };
    return entry;
  }

  /** Every account changed in this block so far, keyed by idKey. */
  writes(): Map<string, Account> {
    const writes = new Map<string, Account>();
    for (const [key, entry] of this.#entries) {
      if (!entry.written) continue;
      assert(entry.account !== undefined, 'a written overlay entry holds an account');
      writes.set(key, entry.account);
    }
    return writes;
  }
}
