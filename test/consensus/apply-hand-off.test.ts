import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { MessageChannel } from 'node:worker_threads';
import { loadConfig } from '../../src/config/index.js';
import { startApplyBridge } from '../../src/consensus/apply-bridge.js';
import type { RaftToApplyMessage } from '../../src/consensus/apply-protocol.js';
import type { CommittedEntry } from '../../src/consensus/apply-target.js';
import { DigestStateMachine } from '../../src/consensus/digest-state-machine.js';
import { runRaftThread } from '../../src/consensus/raft-thread.js';
import { createLogger } from '../../src/log/logger.js';
import type { ControlReply } from '../../src/node/thread-messages.js';
import type { MessagePort } from 'node:worker_threads';

const rawProposalKind = 0x02;

function reply(port: MessagePort, type: ControlReply['type']): Promise<void> {
  return new Promise((resolve) => {
    const listener = (message: ControlReply): void => {
      if (message.type !== type) return;
      port.off('message', listener);
      resolve();
    };
    port.on('message', listener);
  });
}

function proposal(seed: number, sizeBytes: number): Uint8Array {
  const data = new Uint8Array(sizeBytes);
  for (let position = 0; position < sizeBytes; position++) data[position] = (seed * 13 + position) & 0xff;
  data[0] = rawProposalKind;
  return data;
}

// Committed entries reach the apply side unchanged and in log order whether they travel packed
// (views into larger buffers, the leader's empty entry) or each in its own transferred buffer
// (proposals that own their whole buffer), mixed in one run of the Raft thread.
test('entries handed over in their own buffers and packed ones apply exactly as the log holds them', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aurigraph-apply-hand-off-'));
  const config = loadConfig({ profile: 'dev', env: {}, overrides: { 'node.dataDir': dataDir, 'raft.stateMachine': 'digest', 'log.level': 'error' } });
  const target = DigestStateMachine.open(path.join(dataDir, 'digest'));
  const applyChannel = new MessageChannel();
  const consensusChannel = new MessageChannel();
  const controlChannel = new MessageChannel();
  const handOffs: string[] = [];
  applyChannel.port1.on('message', (message: RaftToApplyMessage) => handOffs.push(message.type));
  const bridge = startApplyBridge(applyChannel.port1, target, createLogger({ level: 'error', component: 'apply' }), (error) => assert.fail(error));
  const ready = reply(controlChannel.port1, 'ready');
  void runRaftThread(controlChannel.port2, { config, appliedIndex: target.appliedIndex(), appliedDigest: target.appliedDigest(), applyPort: applyChannel.port2, acceptorPort: consensusChannel.port1 });
  try {
    await ready;
    const surrounding = new Uint8Array(300 * 1024);
    const sent: Uint8Array[] = [];
    const outcomes = [];
    for (let seed = 0; seed < 12; seed++) {
      const sizeBytes = seed % 3 === 0 ? 200 * 1024 : 1000 + seed;
      let data: Uint8Array;
      if (seed % 2 === 0) {
        data = proposal(seed, sizeBytes);
      } else {
        data = surrounding.subarray(seed, seed + sizeBytes);
        data.set(proposal(seed, sizeBytes));
      }
      sent.push(data.slice());
      outcomes.push(bridge.orderer.propose(data));
    }
    const accepted = await Promise.all(outcomes);
    const appended = accepted.map((outcome) => {
      assert.ok(outcome.accepted, 'a single node leads and appends every proposal');
      return outcome;
    });
    const indexes = appended.map((outcome) => outcome.index);
    const term = appended[0]!.term;
    assert.ok(appended.every((outcome) => outcome.term === term), 'one leader, one term');
    const lastIndex = Math.max(...indexes);
    const deadline = Date.now() + 10_000;
    while (target.appliedIndex() < lastIndex && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      await bridge.idle();
    }
    assert.equal(target.appliedIndex(), lastIndex);
    assert.ok(handOffs.includes('apply-entry') && handOffs.includes('apply'), `both kinds of hand-off were used: ${handOffs.join(', ')}`);

    // A second state machine fed the same log directly reaches the same digest.
    const referenceDirectory = path.join(dataDir, 'reference');
    const reference = DigestStateMachine.open(referenceDirectory);
    try {
      const entries: CommittedEntry[] = [];
      for (let index = 1; index <= lastIndex; index++) {
        const position = indexes.indexOf(index);
        // The only entry not proposed here is the leader's empty one at the start of its term.
        entries.push({ index, term, data: position === -1 ? new Uint8Array(0) : sent[position]! });
      }
      await reference.apply(entries);
      assert.deepEqual(target.appliedDigest(), reference.appliedDigest());
    } finally {
      await reference.close();
    }
  } finally {
    const stopped = reply(controlChannel.port1, 'stopped');
    controlChannel.port1.postMessage({ type: 'stop' });
    await stopped;
    await bridge.idle();
    bridge.close();
    controlChannel.port1.close();
    consensusChannel.port2.close();
    await target.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
