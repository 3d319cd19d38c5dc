/**
 * A scripted cluster for scenario tests, in the spirit of etcd-io/raft's interaction tests:
 * commands (campaign, tick, propose, isolate, deliver, stabilize, crash, restart) drive real
 * RawNodes over MemoryStorage, every Ready is handled per the contract, and `story` records
 * what happened so a failing test shows the cluster's history.
 */

import assert from 'node:assert/strict';
import {
  MemoryStorage,
  RawNode,
  type Entry,
  type Message,
  type NodeId,
  type RaftOptions,
  type RawNodeStatus,
  type Ready,
} from '../../src/raft/index.js';

export type NodeOptions = Omit<RaftOptions, 'id' | 'storage'>;

export const TEST_OPTIONS: NodeOptions = {
  electionTicksMin: 10,
  electionTicksMax: 20,
  heartbeatTicks: 1,
  preVote: true,
  checkQuorum: false,
};

export interface ScriptedNode {
  readonly id: NodeId;
  readonly disk: MemoryStorage;
  raw: RawNode | null;
  options: NodeOptions;
  /** Entries applied by the state machine since it last started (or restored a snapshot). */
  applied: Entry[];
  /** Data of the latest snapshot applied (restored) and of the snapshot at start. */
  restoredSnapshotData: Uint8Array | null;
  readies: Ready[];
}

const textDecoder = new TextDecoder();
const textEncoder = new TextEncoder();

export function bytes(text: string): Uint8Array {
  return textEncoder.encode(text);
}

export function text(data: Uint8Array): string {
  return textDecoder.decode(data);
}

export class ScriptedCluster {
  readonly nodes = new Map<NodeId, ScriptedNode>();
  /** Sent and not yet delivered, in send order. */
  pending: Message[] = [];
  /** Every message ever sent, for assertions about traffic. */
  readonly sent: Message[] = [];
  readonly story: string[] = [];
  private readonly isolated = new Set<NodeId>();
  private readonly blockedLinks = new Set<string>();

  constructor(voters: readonly NodeId[], options: NodeOptions = TEST_OPTIONS) {
    for (const id of voters) this.addNode(id, voters, options);
  }

  /** Starts a node whose storage is bootstrapped with `initialVoters` (the cluster's founding members). */
  addNode(id: NodeId, initialVoters: readonly NodeId[], options: NodeOptions = TEST_OPTIONS): ScriptedNode {
    const disk = MemoryStorage.bootstrap(initialVoters);
    const node: ScriptedNode = { id, disk, raw: null, options, applied: [], restoredSnapshotData: null, readies: [] };
    this.nodes.set(id, node);
    this.start(node);
    return node;
  }

  private start(node: ScriptedNode): void {
    node.raw = new RawNode({ ...node.options, id: node.id, storage: node.disk, randomSeed: node.id * 7919 });
    node.applied = [];
    node.restoredSnapshotData = node.disk.snapshot().data;
  }

  node(id: NodeId): ScriptedNode {
    const node = this.nodes.get(id);
    assert.ok(node !== undefined, `no node ${id}`);
    return node;
  }

  raw(id: NodeId): RawNode {
    const raw = this.node(id).raw;
    assert.ok(raw !== null, `node ${id} is down`);
    return raw;
  }

  status(id: NodeId): RawNodeStatus {
    return this.raw(id).status();
  }

  /** Carries out one Ready of one node: persist, send, apply, advance. Returns it (or null). */
  processReady(id: NodeId): Ready | null {
    const node = this.node(id);
    const raw = node.raw;
    if (raw === null) return null;
    const ready = raw.ready();
    if (ready === null) return null;
    node.disk.persistReady(ready);
    for (const message of ready.messages) {
      this.sent.push(message);
      if (this.isolated.has(message.from) || this.isolated.has(message.to) || this.blockedLinks.has(`${message.from}->${message.to}`)) {
        this.story.push(`drop ${message.type} ${message.from}->${message.to}`);
        continue;
      }
      this.pending.push(message);
    }
    if (ready.snapshot !== null) {
      node.applied = [];
      node.restoredSnapshotData = ready.snapshot.data;
      this.story.push(`node ${id} restores snapshot at ${ready.snapshot.metadata.index}`);
    }
    for (const entry of ready.committedEntries) node.applied.push(entry);
    node.readies.push(ready);
    raw.advance(ready);
    return ready;
  }

  /** Processes every node's Ready until none has one. */
  processReadies(): void {
    for (let round = 0; round < 100; round++) {
      let any = false;
      for (const id of this.nodes.keys()) if (this.processReady(id) !== null) any = true;
      if (!any) return;
    }
    assert.fail('readies did not settle in 100 rounds');
  }

  /** Delivers the messages pending now (not those they provoke), optionally only some. */
  deliver(filter: (message: Message) => boolean = () => true): number {
    const now = this.pending;
    this.pending = [];
    let delivered = 0;
    for (const message of now) {
      if (!filter(message)) {
        this.pending.push(message);
        continue;
      }
      const node = this.nodes.get(message.to);
      if (node === undefined || node.raw === null) continue;
      node.raw.step(message);
      delivered += 1;
    }
    this.processReadies();
    return delivered;
  }

  /** Delivers messages and processes readies until the cluster is quiet. */
  stabilize(roundsMax = 200): void {
    this.processReadies();
    for (let round = 0; round < roundsMax; round++) {
      if (this.pending.length === 0) return;
      this.deliver();
    }
    assert.fail(`cluster did not stabilize in ${roundsMax} rounds; last story: ${this.story.slice(-10).join(' | ')}`);
  }

  tick(id: NodeId, times = 1): void {
    for (let i = 0; i < times; i++) this.raw(id).tick();
    this.processReadies();
  }

  /** Ticks every running node once, `times` times, stabilizing the network after each round. */
  tickAll(times = 1): void {
    for (let i = 0; i < times; i++) {
      for (const node of this.nodes.values()) node.raw?.tick();
      this.stabilize();
    }
  }

  campaign(id: NodeId): void {
    this.story.push(`node ${id} campaigns`);
    this.raw(id).campaign();
    this.processReadies();
  }

  /** Elects `id` and settles the cluster; a campaign that loses on a stale term is retried. */
  elect(id: NodeId, attemptsMax = 3): void {
    for (let attempt = 0; attempt < attemptsMax && this.status(id).role !== 'leader'; attempt++) {
      this.campaign(id);
      this.stabilize();
    }
    assert.equal(this.status(id).role, 'leader', `node ${id} should have won; story: ${this.story.join(' | ')}`);
  }

  propose(id: NodeId, data: string): { index: number; term: number } {
    const result = this.raw(id).propose(bytes(data));
    assert.ok(result.accepted, `proposal at node ${id} was refused: ${result.accepted ? '' : result.reason}`);
    return { index: result.index, term: result.term };
  }

  isolate(id: NodeId): void {
    this.isolated.add(id);
    this.pending = this.pending.filter((message) => message.from !== id && message.to !== id);
    this.story.push(`isolate ${id}`);
  }

  /** Drops messages from `from` to `to` (one direction). */
  block(from: NodeId, to: NodeId): void {
    this.blockedLinks.add(`${from}->${to}`);
    this.pending = this.pending.filter((message) => !(message.from === from && message.to === to));
  }

  /** Loses every message `from` sent that is still in flight. */
  dropPendingFrom(from: NodeId): void {
    this.pending = this.pending.filter((message) => message.from !== from);
  }

  heal(): void {
    this.isolated.clear();
    this.blockedLinks.clear();
    this.story.push('heal');
  }

  crash(id: NodeId): void {
    this.node(id).raw = null;
    this.pending = this.pending.filter((message) => message.to !== id);
    this.story.push(`crash ${id}`);
  }

  restart(id: NodeId): void {
    this.start(this.node(id));
    this.story.push(`restart ${id}`);
  }

  appliedData(id: NodeId): string[] {
    return this.node(id).applied.filter((entry) => entry.type === 'normal' && entry.data.byteLength > 0).map((entry) => text(entry.data));
  }
}
