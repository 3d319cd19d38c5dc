import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { packCommittedEntries, unpackCommittedEntries } from '../../src/consensus/apply-protocol.js';
import { DigestStateMachine } from '../../src/consensus/digest-state-machine.js';
import { encodeConfChange, type Entry } from '../../src/raft/index.js';

function u64(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(value));
  return bytes;
}

/** The chains as the metrics document them, computed here independently. */
function expectedDigests(entries: readonly { index: number; term: number; data: Uint8Array }[]) {
  let digest: Uint8Array = new Uint8Array(32);
  let rawDigest: Uint8Array = new Uint8Array(32);
  let rawCount = 0;
  for (const entry of entries) {
    digest = createHash('sha256').update(digest).update(u64(entry.index)).update(u64(entry.term)).update(entry.data).digest();
    if (entry.data[0] === 0x02) {
      rawDigest = createHash('sha256').update(rawDigest).update(u64(entry.index)).update(entry.data.subarray(1)).digest();
      rawCount += 1;
    }
  }
  return { digest: Buffer.from(digest).toString('hex'), rawDigest: Buffer.from(rawDigest).toString('hex'), rawCount };
}

const logEntries: Entry[] = [
  { index: 1, term: 1, type: 'normal', data: new Uint8Array(0) },
  { index: 2, term: 1, type: 'normal', data: Uint8Array.from([0x02, 10, 11]) },
  { index: 3, term: 1, type: 'conf-change', data: encodeConfChange({ type: 'add', nodeId: 7 }) },
  { index: 4, term: 2, type: 'normal', data: Uint8Array.from([0x01, 1, 2, 3]) },
  { index: 5, term: 2, type: 'normal', data: Uint8Array.from([0x02]) },
];

test('packed hand-offs carry every entry; a membership change arrives behind kind byte 0x03', () => {
  const unpacked = unpackCommittedEntries(packCommittedEntries(logEntries), logEntries.length);
  assert.deepEqual(unpacked.map((entry) => entry.index), [1, 2, 3, 4, 5]);
  assert.deepEqual(unpacked.map((entry) => entry.term), [1, 1, 1, 2, 2]);
  assert.deepEqual([...unpacked[2]!.data], [0x03, ...encodeConfChange({ type: 'add', nodeId: 7 })]);
  assert.deepEqual([...unpacked[1]!.data], [0x02, 10, 11]);
  assert.equal(unpacked[0]!.data.byteLength, 0);
});

test('the digest state machine chains every applied entry, persists it, and restores from its snapshot', async () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'aurigraph-digest-'));
  try {
    const delivered = unpackCommittedEntries(packCommittedEntries(logEntries), logEntries.length);
    const machine = DigestStateMachine.open(path.join(directory, 'a'));
    await machine.apply(delivered.slice(0, 3));
    await machine.apply(delivered.slice(1)); // a replay after restart overlaps: applied entries are skipped
    const expected = expectedDigests(delivered);
    const state = machine.appliedDigest();
    assert.equal(machine.appliedIndex(), 5);
    assert.equal(Buffer.from(state.digest).toString('hex'), expected.digest);
    assert.equal(Buffer.from(state.rawProposalDigest).toString('hex'), expected.rawDigest);
    assert.equal(state.rawProposalCount, 2);
    await assert.rejects(machine.apply([{ index: 9, term: 2, data: new Uint8Array(0) }]), /does not follow the applied index 5/);
    const snapshot = await machine.snapshot();
    await machine.close();

    const reopened = DigestStateMachine.open(path.join(directory, 'a'));
    assert.equal(reopened.appliedIndex(), 5);
    assert.deepEqual(reopened.appliedDigest(), state);
    await reopened.close();

    const follower = DigestStateMachine.open(path.join(directory, 'b'));
    await follower.restore(snapshot);
    assert.deepEqual(follower.appliedDigest(), state);
    await assert.rejects(follower.restore({ index: 6, data: snapshot.data }), { name: 'AurigraphError', message: /snapshot\.data: the image is of index 5/ });
    await follower.close();
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
