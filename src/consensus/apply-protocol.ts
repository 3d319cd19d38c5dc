/**
 * The MessagePort protocol between the Raft thread and the apply side on the main thread
 * (apply-bridge.ts). Committed entries travel packed into one ArrayBuffer per hand-off, which is
 * transferred, not cloned:
 *
 *   per entry: index u64 BE | term u64 BE | data length u32 BE | data
 *
 * A conf-change entry is packed with its data prefixed by the membership kind byte (0x03), so
 * the apply side sees "kind byte first" for every non-empty entry (entry-kind.ts).
 *
 * An entry whose data is the whole of an ArrayBuffer (a proposal the Orderer transferred to the
 * Raft thread, committed in the Ready that appended it) travels on its own instead, as
 * `apply-entry`, its buffer transferred onward: the Raft thread no longer needs it once the Ready
 * is persisted and its messages are encoded, so the entry is not copied at all.
 *
 * Raft thread → main                       main → Raft thread
 *   apply {entries, count}                   applied {index, digest?}     after each apply/restore
 *   apply-entry {index, term, data}
 *   restore {index, data}                    snapshot {index, data}       answers snapshot-request
 *   snapshot-request                         propose {requestId, data}    the Orderer (pipeline)
 *   proposed {requestId, outcome}            apply-failed {message}       the node must stop
 */
import { isMarkedAsUntransferable } from 'node:worker_threads';
import { assert } from '../errors.js';
import type { Entry } from '../raft/index.js';
import type { AppliedDigest, CommittedEntry } from './apply-target.js';
import { entryKind } from './entry-kind.js';

/** How a proposal made through the Orderer ended on the Raft thread. */
export type ProposeOutcome =
  | { accepted: true; index: number; term: number }
  | { accepted: false; message: string; leaderId?: string; leaderAddress?: string };

export type RaftToApplyMessage =
  | { type: 'apply'; entries: ArrayBuffer; count: number }
  | { type: 'apply-entry'; index: number; term: number; data: ArrayBuffer }
  | { type: 'restore'; index: number; data: ArrayBuffer }
  | { type: 'snapshot-request' }
  | { type: 'proposed'; requestId: number; outcome: ProposeOutcome };

export type ApplyToRaftMessage =
  | { type: 'applied'; index: number; digest: AppliedDigest | undefined }
  | { type: 'snapshot'; index: number; data: ArrayBuffer }
  | { type: 'propose'; requestId: number; data: ArrayBuffer }
  | { type: 'apply-failed'; message: string };

const entryHeaderBytes = 20;

function committedData(entry: Entry): Uint8Array {
  if (entry.type === 'normal') return entry.data;
  const data = new Uint8Array(entry.data.byteLength + 1);
  data[0] = entryKind.membershipChange;
  data.set(entry.data, 1);
  return data;
}

function setU64(view: DataView, offset: number, value: number): void {
  view.setUint32(offset, Math.floor(value / 0x1_0000_0000));
  view.setUint32(offset + 4, value >>> 0);
}

function getU64(view: DataView, offset: number): number {
  return view.getUint32(offset) * 0x1_0000_0000 + view.getUint32(offset + 4);
}

/** Packs committed entries for one transferable hand-off. */
export function packCommittedEntries(entries: readonly Entry[]): ArrayBuffer {
  const datas = entries.map(committedData);
  let totalBytes = 0;
  for (const data of datas) totalBytes += entryHeaderBytes + data.byteLength;
  const buffer = new ArrayBuffer(totalBytes);
  const view = new DataView(buffer);
  const bytes = new Uint8Array(buffer);
  let offset = 0;
  entries.forEach((entry, position) => {
    const data = datas[position]!;
    setU64(view, offset, entry.index);
    setU64(view, offset + 8, entry.term);
    view.setUint32(offset + 16, data.byteLength);
    bytes.set(data, offset + entryHeaderBytes);
    offset += entryHeaderBytes + data.byteLength;
  });
  return buffer;
}

/**
 * The buffer of a committed entry that can be handed over as it is: a normal entry whose data is
 * the whole of a transferable ArrayBuffer. Undefined for the rest (they are packed).
 */
export function ownedEntryBuffer(entry: Entry): ArrayBuffer | undefined {
  if (entry.type !== 'normal') return undefined;
  const buffer = entry.data.buffer;
  if (!(buffer instanceof ArrayBuffer) || entry.data.byteOffset !== 0 || entry.data.byteLength !== buffer.byteLength || buffer.byteLength === 0) return undefined;
  return isMarkedAsUntransferable(buffer) ? undefined : buffer;
}

/** The entries of a hand-off, as views onto `buffer`. */
export function unpackCommittedEntries(buffer: ArrayBuffer, count: number): CommittedEntry[] {
  const view = new DataView(buffer);
  const entries: CommittedEntry[] = [];
  let offset = 0;
  for (let position = 0; position < count; position++) {
    assert(offset + entryHeaderBytes <= buffer.byteLength, 'packed entries end early');
    const length = view.getUint32(offset + 16);
    const end = offset + entryHeaderBytes + length;
    assert(end <= buffer.byteLength, 'packed entry data runs past the buffer');
    entries.push({ index: getU64(view, offset), term: getU64(view, offset + 8), data: new Uint8Array(buffer, offset + entryHeaderBytes, length) });
    offset = end;
  }
  assert(offset === buffer.byteLength, 'packed entries leave trailing bytes');
  return entries;
}

/** A copy of `bytes` in a fresh ArrayBuffer of exactly its length, safe to transfer. */
export function ownedBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}
