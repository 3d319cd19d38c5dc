/**
 * Counters and peer contact times the Raft thread keeps for GetMetrics and GetNodeState. These
 * read the clock, which is fine here: they are monitoring, never input to the Raft core.
 */
import { PeerHealth } from '../generated/aurigraph.js';
import type { NodeId } from '../raft/index.js';

const rateWindowMs = 5_000;
const rateSampleEveryMs = 500;

export class ConsensusCounters {
  electionsHeld = 0;
  leaderChanges = 0;
  proposalsTotal = 0;
  private readonly samples: Array<{ atMs: number; proposalsTotal: number }> = [];

  constructor(private readonly nowMs: () => number) {
    this.samples.push({ atMs: nowMs(), proposalsTotal: 0 });
  }

  /** Called on every tick: keeps a few seconds of samples for the proposal rate. */
  sample(): void {
    const now = this.nowMs();
    const latest = this.samples[this.samples.length - 1]!;
    if (now - latest.atMs < rateSampleEveryMs) return;
    this.samples.push({ atMs: now, proposalsTotal: this.proposalsTotal });
    while (this.samples.length > 2 && now - this.samples[1]!.atMs >= rateWindowMs) this.samples.shift();
  }

  /** Proposals per second over the last few seconds. */
  proposalsPerSecond(): number {
    const now = this.nowMs();
    const oldest = this.samples[0]!;
    const elapsedMs = now - oldest.atMs;
    return elapsedMs <= 0 ? 0 : ((this.proposalsTotal - oldest.proposalsTotal) * 1000) / elapsedMs;
  }
}

/** When this node last heard from, or failed to reach, each peer. */
export class PeerContacts {
  private readonly lastContactMs = new Map<NodeId, number>();
  private readonly lastFailureMs = new Map<NodeId, number>();

  constructor(
    private readonly nowMs: () => number,
    /** The election timeout: silence longer than this is UNREACHABLE, half of it DEGRADED. */
    private readonly electionTimeoutMs: number,
  ) {}

  contacted(peer: NodeId): void {
    this.lastContactMs.set(peer, this.nowMs());
  }

  failed(peer: NodeId): void {
    this.lastFailureMs.set(peer, this.nowMs());
  }

  /** Milliseconds since the last contact; 0 when there never was one. */
  msSinceContact(peer: NodeId): number {
    const last = this.lastContactMs.get(peer);
    return last === undefined ? 0 : Math.max(0, this.nowMs() - last);
  }

  health(peer: NodeId): PeerHealth {
    const contact = this.lastContactMs.get(peer);
    const failure = this.lastFailureMs.get(peer);
    if (contact === undefined) return failure === undefined ? PeerHealth.PEER_HEALTH_UNSPECIFIED : PeerHealth.UNREACHABLE;
    if (failure !== undefined && failure > contact) return PeerHealth.UNREACHABLE;
    const silentMs = this.nowMs() - contact;
    if (silentMs <= this.electionTimeoutMs / 2) return PeerHealth.HEALTHY;
    if (silentMs <= this.electionTimeoutMs) return PeerHealth.DEGRADED;
    return PeerHealth.UNREACHABLE;
  }
}
