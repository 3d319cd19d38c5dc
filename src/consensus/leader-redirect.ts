/**
 * Refusals that tell a client where to go: Raft does not forward proposals, so a follower answers
 * with the leader's id and address (in the message, and in the trailers the acceptor adds).
 */
import { AurigraphError } from '../errors.js';
import type { NodeId } from '../raft/index.js';
import type { PeerDirectory } from './node-ids.js';

export class LeaderRedirect extends AurigraphError {
  readonly leaderId: string;
  readonly leaderAddress: string;

  constructor(kind: 'failed_precondition' | 'unavailable', message: string, leaderId: string, leaderAddress: string) {
    super(kind, message);
    this.leaderId = leaderId;
    this.leaderAddress = leaderAddress;
  }
}

/** "Not the leader": FAILED_PRECONDITION naming the leader when one is known, else UNAVAILABLE. */
export function notLeader(directory: PeerDirectory, leader: NodeId, what: string): LeaderRedirect {
  const self = directory.self.id;
  if (leader === 0 || leader === directory.self.nodeId) {
    return new LeaderRedirect('unavailable', `${self} is not the leader and no leader is known yet (an election is under way); retry ${what} shortly`, '', '');
  }
  const leaderId = directory.idOf(leader);
  const leaderAddress = directory.addressOf(leader);
  return new LeaderRedirect(
    'failed_precondition',
    `${self} is not the leader; the leader is ${leaderId} at ${leaderAddress || 'an unknown address'}: send ${what} there`,
    leaderId,
    leaderAddress,
  );
}
