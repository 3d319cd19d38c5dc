/**
 * The default ApplyTarget until the transaction pipeline replaces it: a state machine whose whole
 * state is a fingerprint of the log it applied. Every replica that applied the same log holds the
 * same bytes, which is what the cluster tests and the benchmark compare.
 *
 *   digest_i       = SHA-256(digest_{i-1} || index u64 BE || term u64 BE || data)   (every entry)
 *   rawDigest_k    = SHA-256(rawDigest_{k-1} || index u64 BE || payload)            (kind 0x02 only)
 *   both start from 32 zero bytes.
 *
 * Stored in LMDB at `<dataDir>/digest` under one key, written in the same transaction as the
 * applied index. Writes are not fsynced (DESIGN.md, Durability: the Raft log is the source of
 * truth and LMDB stays consistent across a process crash), so a restart resumes at the stored
 * applied index + 1 and the Raft thread replays the rest from its log.
 * Snapshot and stored record: version u8 (1) | index u64 | digest (32) | raw count u64 | raw digest (32).
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, type RootDatabase } from 'lmdb';
import { assert, invalidArgument } from '../errors.js';
import type { AppliedDigest, ApplySnapshot, ApplyTarget, CommittedEntry } from './apply-target.js';
import { entryKind } from './entry-kind.js';

const recordVersion = 1;
const recordBytes = 1 + 8 + 32 + 8 + 32;
const stateKey = 'applied';
const zeroDigest = new Uint8Array(32);

function u64(value: number): Buffer {
  assert(Number.isSafeInteger(value) && value >= 0, `u64 must be a safe non-negative integer, got ${value}`);
  const bytes = Buffer.allocUnsafe(8);
  bytes.writeUInt32BE(Math.floor(value / 0x1_0000_0000), 0);
  bytes.writeUInt32BE(value >>> 0, 4);
  return bytes;
}

function readU64(bytes: Uint8Array, offset: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const value = view.getUint32(offset) * 0x1_0000_0000 + view.getUint32(offset + 4);
  assert(Number.isSafeInteger(value), 'stored index exceeds 2^53');
  return value;
}

export function encodeAppliedDigest(state: AppliedDigest): Uint8Array {
  assert(state.digest.byteLength === 32 && state.rawProposalDigest.byteLength === 32, 'digests are 32 bytes');
  const bytes = new Uint8Array(recordBytes);
  bytes[0] = recordVersion;
  bytes.set(u64(state.index), 1);
  bytes.set(state.digest, 9);
  bytes.set(u64(state.rawProposalCount), 41);
  bytes.set(state.rawProposalDigest, 49);
  return bytes;
}

export function decodeAppliedDigest(bytes: Uint8Array, field: string): AppliedDigest {
  if (bytes.byteLength !== recordBytes || bytes[0] !== recordVersion) {
    throw invalidArgument(field, `a digest state record is ${recordBytes} bytes starting with version ${recordVersion}; got ${bytes.byteLength} bytes`);
  }
  return {
    index: readU64(bytes, 1),
    digest: new Uint8Array(bytes.subarray(9, 41)),
    rawProposalCount: readU64(bytes, 41),
    rawProposalDigest: new Uint8Array(bytes.subarray(49, 81)),
  };
}

export class DigestStateMachine implements ApplyTarget {
  private readonly database: RootDatabase<Buffer, string>;
  private state: AppliedDigest;

  private constructor(database: RootDatabase<Buffer, string>) {
    this.database = database;
    const stored = database.get(stateKey);
    this.state = stored === undefined
      ? { index: 0, digest: zeroDigest, rawProposalCount: 0, rawProposalDigest: zeroDigest }
      : decodeAppliedDigest(stored, `${stateKey} record`);
  }

  static open(directory: string): DigestStateMachine {
    mkdirSync(directory, { recursive: true });
    const database = open<Buffer, string>({ path: directory, noSync: true, compression: false, encoding: 'binary' });
    return new DigestStateMachine(database);
  }

  appliedIndex(): number {
    return this.state.index;
  }

  appliedDigest(): AppliedDigest {
    return this.state;
  }

  async apply(entries: CommittedEntry[]): Promise<void> {
    let { index, digest, rawProposalCount, rawProposalDigest } = this.state;
    for (const entry of entries) {
      if (entry.index <= index) continue;
      assert(entry.index === index + 1, `committed entry ${entry.index} does not follow the applied index ${index}`);
      digest = createHash('sha256').update(digest).update(u64(entry.index)).update(u64(entry.term)).update(entry.data).digest();
      if (entry.data[0] === entryKind.rawProposal) {
        rawProposalDigest = createHash('sha256').update(rawProposalDigest).update(u64(entry.index)).update(entry.data.subarray(1)).digest();
        rawProposalCount += 1;
      }
      index = entry.index;
    }
    if (index === this.state.index) return;
    this.store({ index, digest, rawProposalCount, rawProposalDigest });
  }

  async snapshot(): Promise<ApplySnapshot> {
    return { index: this.state.index, data: encodeAppliedDigest(this.state) };
  }

  async restore(snapshot: ApplySnapshot): Promise<void> {
    const state = decodeAppliedDigest(snapshot.data, 'snapshot.data');
    if (state.index !== snapshot.index) {
      throw invalidArgument('snapshot.data', `the image is of index ${state.index} but the snapshot is at ${snapshot.index}`);
    }
    this.store(state);
  }

  private store(state: AppliedDigest): void {
    const record = encodeAppliedDigest(state);
    // A block body: a callback that returns put()'s promise would defer the commit.
    this.database.transactionSync(() => {
      this.database.put(stateKey, Buffer.from(record.buffer, record.byteOffset, record.byteLength));
    });
    // Kept as plain copies (hash output is a Buffer): the state crosses threads by structured clone.
    this.state = decodeAppliedDigest(record, 'stored state');
  }

  async close(): Promise<void> {
    await this.database.close();
  }
}
