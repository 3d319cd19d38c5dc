/**
 * Single-server membership changes and their encoding inside a `conf-change` log entry.
 * A change takes effect on each node when that node applies the committed entry (at
 * `advance()` of the Ready that delivered it), not when it is appended; the leader allows only
 * one unapplied change at a time, and none before an entry of its own term is applied.
 */

import { invalidArgument } from '../errors.js';
import type { NodeId } from './types.js';

export type ConfChangeType = 'add' | 'remove';

export interface ConfChange {
  readonly type: ConfChangeType;
  readonly nodeId: NodeId;
}

const ENCODED_BYTES = 9;
const TYPE_CODES: Record<ConfChangeType, number> = { add: 1, remove: 2 };

export function isValidNodeId(nodeId: number): boolean {
  return Number.isSafeInteger(nodeId) && nodeId > 0;
}

export function encodeConfChange(change: ConfChange): Uint8Array {
  if (!isValidNodeId(change.nodeId)) throw invalidArgument('nodeId', `must be a positive safe integer, got ${change.nodeId}`);
  const bytes = new Uint8Array(ENCODED_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, TYPE_CODES[change.type]);
  view.setUint32(1, Math.floor(change.nodeId / 0x1_0000_0000));
  view.setUint32(5, change.nodeId >>> 0);
  return bytes;
}

export function decodeConfChange(data: Uint8Array): ConfChange {
  if (data.byteLength !== ENCODED_BYTES) {
    throw invalidArgument('entry.data', `a conf-change entry holds ${ENCODED_BYTES} bytes, got ${data.byteLength}`);
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const code = view.getUint8(0);
  const nodeId = view.getUint32(1) * 0x1_0000_0000 + view.getUint32(5);
  const type: ConfChangeType | undefined = code === 1 ? 'add' : code === 2 ? 'remove' : undefined;
  if (type === undefined) throw invalidArgument('entry.data', `unknown conf-change type code ${code}`);
  if (!isValidNodeId(nodeId)) throw invalidArgument('entry.data', `conf-change node id must be positive, got ${nodeId}`);
  return { type, nodeId };
}
