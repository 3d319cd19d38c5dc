import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { MessageChannel } from 'node:worker_threads';
import { startApplyBridge } from '../../src/consensus/apply-bridge.js';
import type { ApplyToRaftMessage } from '../../src/consensus/apply-protocol.js';
import { DigestStateMachine } from '../../src/consensus/digest-state-machine.js';
import { createLogger } from '../../src/log/logger.js';

// The Orderer hands an entry that owns its whole buffer to the Raft thread without a copy, and
// copies an entry that is a view into a larger buffer, leaving that buffer as it was.
test('a proposal that owns its buffer is transferred; a view into a larger buffer is copied', async () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'aurigraph-apply-bridge-'));
  const target = DigestStateMachine.open(directory);
  const channel = new MessageChannel();
  const bridge = startApplyBridge(channel.port1, target, createLogger({ level: 'error', component: 'apply' }), (error) => assert.fail(error));
  // The Raft thread's side: accept every proposal at the next index, keeping what arrived.
  const proposed: Uint8Array[] = [];
  channel.port2.on('message', (message: ApplyToRaftMessage) => {
    if (message.type !== 'propose') return;
    proposed.push(new Uint8Array(message.data));
    channel.port2.postMessage({ type: 'proposed', requestId: message.requestId, outcome: { accepted: true, index: proposed.length, term: 1 } });
  });
  try {
    const owned = new Uint8Array(256 * 1024).fill(0x02);
    owned[1] = 7;
    const expectedOwned = owned.slice();
    assert.deepEqual(await bridge.orderer.propose(owned), { accepted: true, index: 1, term: 1 });
    assert.equal(owned.byteLength, 0, 'the entry buffer went to the Raft thread');

    const larger = new Uint8Array(1024).fill(0x01);
    const view = larger.subarray(100, 300);
    view[0] = 0x02;
    assert.deepEqual(await bridge.orderer.propose(view), { accepted: true, index: 2, term: 1 });
    assert.equal(larger.byteLength, 1024, 'the larger buffer stays with its owner');
    assert.equal(view[0], 0x02);

    assert.equal(proposed.length, 2);
    assert.deepEqual(proposed[0], expectedOwned);
    assert.equal(proposed[1]!.byteLength, 200, 'only the view was copied, not the buffer around it');
    assert.deepEqual(proposed[1], larger.slice(100, 300));
  } finally {
    bridge.close();
    channel.port2.close();
    await target.close();
    rmSync(directory, { recursive: true, force: true });
  }
});
