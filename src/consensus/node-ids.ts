/**
 * Cluster members by their config id (`node.id`, `raft.peers[].id`) and by the numeric NodeId
 * the Raft core uses. The number is derived from the id alone — the first 6 bytes of
 * SHA-256("aurigraph/raft-node-id/v1:" + id) as a big-endian integer (0 becomes 1) — so every
 * node computes the same number for the same id whatever its peer list holds or in which order.
 * That matters because numbers are written into the log (membership changes, snapshot voter
 * lists) and must mean the same node on every replica. 48 bits keep the number a safe integer;
 * two configured ids that would collide are refused at start.
 */
import { createHash } from 'node:crypto';
import type { NodeConfig, PeerConfig } from '../config/types.js';
import { invalidArgument } from '../errors.js';
import type { NodeId } from '../raft/index.js';

const idDomain = 'aurigraph/raft-node-id/v1:';

export function raftNodeIdOf(id: string): NodeId {
  const digest = createHash('sha256').update(idDomain + id, 'utf8').digest();
  const value = digest.readUIntBE(0, 6);
  return value === 0 ? 1 : value;
}

export interface ClusterMember {
  readonly id: string;
  readonly nodeId: NodeId;
  /** host:port of the member's gRPC server; '' when unknown. */
  readonly address: string;
}

export class PeerDirectory {
  readonly self: ClusterMember;
  private readonly byNumber = new Map<NodeId, ClusterMember>();
  private readonly byName = new Map<string, ClusterMember>();
  private selfAddress: string;

  /** `peers` as in raft.peers: this node among them, or empty for a single node. */
  constructor(selfId: string, configuredPeers: readonly PeerConfig[]) {
    const peers = configuredPeers.length > 0 ? configuredPeers : [{ id: selfId, address: '' }];
    for (const peer of peers) {
      const member: ClusterMember = { id: peer.id, nodeId: raftNodeIdOf(peer.id), address: peer.address };
      const clash = this.byNumber.get(member.nodeId);
      if (clash !== undefined) {
        throw invalidArgument('raft.peers', `ids ${JSON.stringify(clash.id)} and ${JSON.stringify(peer.id)} map to the same Raft node number; rename one`);
      }
      this.byNumber.set(member.nodeId, member);
      this.byName.set(member.id, member);
    }
    const self = this.byName.get(selfId);
    if (self === undefined) throw invalidArgument('node.id', `${JSON.stringify(selfId)} is not among raft.peers`);
    this.self = self;
    this.selfAddress = self.address;
  }

  static fromConfig(config: Pick<NodeConfig, 'node' | 'raft'>): PeerDirectory {
    return new PeerDirectory(config.node.id, config.raft.peers);
  }

  /** Every configured member, this node included, sorted by id. */
  members(): ClusterMember[] {
    return [...this.byName.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** The configured members other than this node. */
  peers(): ClusterMember[] {
    return this.members().filter((member) => member.nodeId !== this.self.nodeId);
  }

  /** The voters a brand-new cluster starts with: every configured member. */
  foundingVoters(): NodeId[] {
    return [...this.byNumber.keys()].sort((a, b) => a - b);
  }

  memberOf(nodeId: NodeId): ClusterMember | undefined {
    return this.byNumber.get(nodeId);
  }

  memberNamed(id: string): ClusterMember | undefined {
    return this.byName.get(id);
  }

  /** The numeric id of a configured member; throws invalid_argument naming `field` otherwise. */
  nodeIdOf(id: string, field: string): NodeId {
    const member = this.byName.get(id);
    if (member === undefined) throw invalidArgument(field, `${JSON.stringify(id)} is not a configured cluster member (raft.peers)`);
    return member.nodeId;
  }

  /** The config id of `nodeId`; a number outside the config (it cannot be addressed) shows as `#<n>`. */
  idOf(nodeId: NodeId): string {
    if (nodeId === 0) return '';
    return this.byNumber.get(nodeId)?.id ?? `#${nodeId}`;
  }

  addressOf(nodeId: NodeId): string {
    if (nodeId === this.self.nodeId) return this.selfAddress;
    return this.byNumber.get(nodeId)?.address ?? '';
  }

  /** A single node learns its own address only once the port is bound (port 0 in tests). */
  setSelfAddress(address: string): void {
    if (this.self.address === '') this.selfAddress = address;
  }
}
