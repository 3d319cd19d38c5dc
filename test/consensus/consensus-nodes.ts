/**
 * Helpers for the consensus tests that run real node processes: free loopback ports, cluster
 * flags, bounded waits, proposal load with a record of what was acknowledged, and the expected
 * raw-proposal digest computed independently of the node's code.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { ServiceError } from '@grpc/grpc-js';
import type { AurigraphClient } from '../../src/client/index.js';
import type { ConsensusMetrics } from '../../src/generated/aurigraph.js';
import { waitUntil } from '../helpers/wait-until.js';
export { freePorts } from '../../src/net/free-ports.js';

/** Every node in these tests applies to the digest state machine (Raft on its own). */
export const digestArgs = ['--set', 'raft.stateMachine=digest'];

export function raftLogDirectoryOf(nodeDataDir: string): string {
  // startNodeProcess runs the node with --data-dir <dataDir>/node.
  return path.join(nodeDataDir, 'node', 'raft');
}

/** The flags that make node `index` of a loopback cluster on `ports`. */
export function clusterArgs(ports: readonly number[], index: number, extra: readonly string[] = []): string[] {
  const peers = ports.map((port, position) => `node-${position + 1}=127.0.0.1:${port}`).join(',');
  return [...digestArgs, '--set', `node.id=node-${index + 1}`, '--set', `grpc.port=${ports[index]}`, '--set', `raft.peers=${peers}`, ...extra];
}

export { sleep } from '../helpers/wait-until.js';

/** Polls `probe` every 100 ms until it returns a value (not undefined); fails after `timeoutMs` naming `what`. */
export function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  return waitUntil(what, probe, timeoutMs);
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export interface Acknowledged {
  index: number;
  payload: Uint8Array;
}

export interface LoadResult {
  acknowledged: Acknowledged[];
  /** Payloads of calls that failed: their outcome is unknown to the client. */
  unknownPayloads: number;
  errors: string[];
}

let payloadSequence = 0;

/** A unique 16-byte payload: a sequence number and its complement. */
export function nextPayload(): Uint8Array {
  payloadSequence += 1;
  const payload = Buffer.alloc(16);
  payload.writeBigUInt64BE(BigInt(payloadSequence), 0);
  payload.writeBigUInt64BE(~BigInt(payloadSequence) & 0xffff_ffff_ffff_ffffn, 8);
  return payload;
}

/**
 * Proposes through `client` from `concurrency` callers, `payloadsPerCall` payloads per call,
 * until `total` payloads were sent or `until()` says stop. Records each acknowledged payload
 * with the index the leader gave it.
 */
export async function proposeLoad(
  client: AurigraphClient,
  options: { total: number; payloadsPerCall: number; concurrency: number; until?: () => boolean },
): Promise<LoadResult> {
  const result: LoadResult = { acknowledged: [], unknownPayloads: 0, errors: [] };
  let sent = 0;
  const caller = async (): Promise<void> => {
    while (sent < options.total && !(options.until?.() ?? false)) {
      const count = Math.min(options.payloadsPerCall, options.total - sent);
      sent += count;
      const payloads = Array.from({ length: count }, nextPayload);
      try {
        const response = await client.consensus.propose({ payloads }, { deadlineMs: 30_000 });
        if (response.indexes.length !== count) throw new Error(`${response.indexes.length} indexes for ${count} payloads`);
        response.indexes.forEach((index, position) => result.acknowledged.push({ index: Number(index), payload: payloads[position]! }));
      } catch (error) {
        result.unknownPayloads += count;
        result.errors.push((error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, caller));
  return result;
}

function u64(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(value));
  return bytes;
}

/** ConsensusMetrics.raw_proposal_digest for these raw proposals, as documented in the proto. */
export function expectedRawDigest(proposals: readonly Acknowledged[]): string {
  let digest: Uint8Array = new Uint8Array(32);
  for (const proposal of [...proposals].sort((a, b) => a.index - b.index)) {
    digest = createHash('sha256').update(digest).update(u64(proposal.index)).update(proposal.payload).digest();
  }
  return hex(digest);
}

/** ConsensusMetrics.applied_digest after one more entry (index, term, data) is applied. */
export function chainDigest(previous: Uint8Array, index: number, term: number, data: Uint8Array): string {
  return hex(createHash('sha256').update(previous).update(u64(index)).update(u64(term)).update(data).digest());
}

export function metricsSummary(metrics: ConsensusMetrics): string {
  return `${metrics.nodeId}: term ${metrics.term}, commit ${metrics.commitIndex}, applied ${metrics.appliedIndex}, last ${metrics.lastLogIndex}, ` +
    `snapshot ${metrics.snapshotIndex}, leader ${metrics.leaderId || 'none'}`;
}

export function grpcError(error: unknown): ServiceError {
  return error as ServiceError;
}
