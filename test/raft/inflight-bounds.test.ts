import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ENTRY_OVERHEAD_BYTES, type Message } from '../../src/raft/index.js';
import { ScriptedCluster, TEST_OPTIONS } from './harness.js';

const PAYLOAD_BYTES = 100;
const ENTRY_BYTES = PAYLOAD_BYTES + ENTRY_OVERHEAD_BYTES;

/** Bytes of entries sent to `to` above what the leader knows `to` holds. */
function outstandingBytes(cluster: ScriptedCluster, leader: number, to: number): number {
  const match = cluster.status(leader).progress.get(to)!.match;
  const sentIndexes = new Map<number, number>();
  for (const message of cluster.sent) {
    if (message.type !== 'append' || message.to !== to || message.from !== leader) continue;
    for (const entry of message.entries) if (entry.index > match) sentIndexes.set(entry.index, entry.data.byteLength + ENTRY_OVERHEAD_BYTES);
  }
  let total = 0;
  for (const sizeBytes of sentIndexes.values()) total += sizeBytes;
  return total;
}

test('the leader never has more than inflightBytesMax outstanding to a follower', () => {
  const inflightBytesMax = 1000;
  const cluster = new ScriptedCluster([1, 2], { ...TEST_OPTIONS, inflightBytesMax, inflightEntriesMax: 1000, messageEntriesMax: 2, messageBytesMax: 1 << 20 });
  cluster.elect(1);
  for (let i = 0; i < 50; i++) cluster.propose(1, 'x'.repeat(PAYLOAD_BYTES));
  cluster.processReadies();
  const firstWindow = outstandingBytes(cluster, 1, 2);
  assert.equal(firstWindow, Math.floor(inflightBytesMax / ENTRY_BYTES) * ENTRY_BYTES, 'the window fills to the bound and stops');
  let rounds = 0;
  let peak = 0;
  while (cluster.pending.length > 0) {
    // Acknowledgements arrive one message at a time, so the window slides.
    const next = cluster.pending[0]!;
    cluster.deliver((message: Message) => message === next);
    const outstanding = outstandingBytes(cluster, 1, 2);
    peak = Math.max(peak, outstanding);
    assert.ok(outstanding <= inflightBytesMax, `${outstanding} bytes outstanding after ${rounds} deliveries`);
    assert.ok(cluster.status(1).progress.get(2)!.inflightBytes <= inflightBytesMax);
    rounds += 1;
    assert.ok(rounds < 10_000);
  }
  assert.ok(peak > inflightBytesMax - ENTRY_BYTES, 'the window was actually used');
  assert.equal(cluster.appliedData(2).length, 50);
});

test('the in-flight window is also bounded in entries', () => {
  const cluster = new ScriptedCluster([1, 2], { ...TEST_OPTIONS, inflightEntriesMax: 4, messageEntriesMax: 2 });
  cluster.elect(1);
  const sentBefore = cluster.sent.length;
  for (let i = 0; i < 20; i++) cluster.propose(1, `e${i}`);
  cluster.processReadies();
  const appends = cluster.sent.slice(sentBefore).filter((message) => message.type === 'append');
  assert.deepEqual(appends.map((message) => message.entries.length), [2, 2]);
  assert.equal(cluster.status(1).progress.get(2)!.inflightEntries, 4);
  cluster.stabilize();
  assert.equal(cluster.appliedData(2).length, 20);
});

test('an entry larger than the whole byte window still travels, alone', () => {
  const cluster = new ScriptedCluster([1, 2], { ...TEST_OPTIONS, inflightBytesMax: 100 });
  cluster.elect(1);
  cluster.propose(1, 'y'.repeat(500));
  cluster.propose(1, 'z'.repeat(500));
  cluster.processReadies();
  const appends = cluster.pending.filter((message) => message.type === 'append');
  assert.equal(appends.length, 1);
  assert.equal(appends[0]!.entries.length, 1);
  cluster.stabilize();
  assert.equal(cluster.appliedData(2).length, 2);
});
