/**
 * What one shard worker holds across tasks: the rings it was given, its own handle on the
 * ledger store (opened on first use, after the main thread has written genesis), the signature
 * backend `crypto.backend` selects, and a bounded cache of public keys by key id (a key id names
 * one public key forever, so the cache never goes stale).
 */
import { BoundedCache } from '../crypto/bounded-cache.js';
import { type SignatureBackend, selectSignatureBackend } from '../crypto/index.js';
import { invalidArgument } from '../errors.js';
import { type LedgerStore, openLedgerStore } from '../ledger/index.js';
import { readLatestCommitted } from './latest-snapshot.js';
import type { ShardWorkerData } from './shard-tasks.js';

/** Public keys kept per worker: 1,024 ML-DSA-65 keys are about 2 MB. */
const publicKeyCacheEntriesMax = 1024;

export class WorkerContext {
  readonly #data: ShardWorkerData;
  #store: LedgerStore | undefined;
  #backend: SignatureBackend | undefined;
  readonly #publicKeys = new BoundedCache<string, Uint8Array>(publicKeyCacheEntriesMax);

  constructor(data: ShardWorkerData) {
    this.#data = data;
  }

  ring(shard: number): SharedArrayBuffer {
    const ring = this.#data.shardRings[shard];
    if (!ring) throw invalidArgument('shard', `no shard ${shard}; this node has ${this.#data.shardRings.length}`);
    return ring;
  }

  get shardCount(): number {
    return this.#data.shardRings.length;
  }

  /** The ledger store; its reads may lag the last commit by one event-loop turn (see readLatestCommitted). */
  store(): LedgerStore {
    this.#store ??= openLedgerStore(this.#data.ledgerDirectory, { writer: false });
    return this.#store;
  }

  backend(): SignatureBackend {
    this.#backend ??= selectSignatureBackend(this.#data.cryptoBackend);
    return this.#backend;
  }

  /** The public key registered under `keyId` (32 bytes), or undefined when none is. */
  publicKey(keyId: Uint8Array): Uint8Array | undefined {
    const cacheKey = Buffer.from(keyId.buffer, keyId.byteOffset, keyId.byteLength).toString('latin1');
    const cached = this.#publicKeys.get(cacheKey);
    if (cached !== undefined) return cached;
    const publicKey = this.store().getPublicKey(keyId);
    if (publicKey !== undefined) this.#publicKeys.set(cacheKey, publicKey);
    return publicKey;
  }

  /** Opens the store if needed, then makes the next read see the latest commit (latest-snapshot.ts). */
  readLatestCommitted(): void {
    this.store();
    readLatestCommitted();
  }
}
