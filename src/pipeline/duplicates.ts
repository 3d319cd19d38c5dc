/**
 * Duplicates within one batch (docs/pipeline.md, seal): the first copy of a transaction keeps
 * its verdict, every later copy is rejected DUPLICATE_TRANSACTION. Runs on the coordinator's
 * thread for every transaction of every batch, so it keys hashes by a number, not a string.
 */
import { RejectReason } from '../generated/aurigraph.js';
import type { PendingRequest } from './pending-request.js';

const hashBytes = 32;

/**
 * A later copy of a transaction in the same batch is rejected; the first keeps its verdict.
 * Hashes are looked up by their first 32 bits (a number key: no string per transaction on this
 * thread); two different hashes sharing those bits are told apart by their full bytes.
 */
export function rejectDuplicates(request: PendingRequest): void {
  const hashes = request.hashes;
  const words = new DataView(hashes.buffer, hashes.byteOffset, hashes.byteLength);
  const firstIndexByPrefix = new Map<number, number>();
  let firstIndexByHash: Map<string, number> | undefined;
  for (let index = 0; index < request.count; index++) {
    if (request.hashed[index] === 0) continue;
    const prefix = words.getUint32(index * hashBytes);
    let first = firstIndexByPrefix.get(prefix);
    if (first === undefined) {
      firstIndexByPrefix.set(prefix, index);
      continue;
    }
    if (!equalHashes(hashes, first, index)) {
      // Another hash with the same first bits: the full hash decides.
      firstIndexByHash ??= new Map();
      const key = Buffer.from(hashes.buffer, hashes.byteOffset + index * hashBytes, hashBytes).toString('latin1');
      first = firstIndexByHash.get(key);
      if (first === undefined) {
        firstIndexByHash.set(key, index);
        continue;
      }
    }
    if (request.isRejected(index)) continue;
    request.reject(
      index,
      RejectReason.DUPLICATE_TRANSACTION,
      `transactions[${index}]: the same transaction (tx_hash ${Buffer.from(request.hashOf(index)).toString('hex')}) as transactions[${first}] of this batch`,
    );
  }
}

function equalHashes(hashes: Uint8Array, left: number, right: number): boolean {
  const leftStart = left * hashBytes;
  const rightStart = right * hashBytes;
  for (let offset = 0; offset < hashBytes; offset++) if (hashes[leftStart + offset] !== hashes[rightStart + offset]) return false;
  return true;
}

