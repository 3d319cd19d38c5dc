import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AurigraphError } from '../../src/errors.js';
import { decodeConfChange, encodeConfChange, makeMessage, type Message } from '../../src/raft/index.js';
import { ScriptedCluster } from './harness.js';

function rejects(message: Message, field: string): void {
  const cluster = new ScriptedCluster([1, 2, 3]);
  const before = cluster.status(2);
  assert.throws(
    () => cluster.raw(2).step(message),
    (error: unknown) => error instanceof AurigraphError && error.kind === 'invalid_argument' && error.field === field,
  );
  assert.deepEqual(cluster.status(2), before, 'a refused message changes nothing');
}

test('malformed messages from the network are refused with the offending field named', () => {
  rejects(makeMessage({ type: 'append', from: 1, to: 3, term: 1 }), 'message.to');
  rejects(makeMessage({ type: 'append', from: 0, to: 2, term: 1 }), 'message.from');
  rejects(makeMessage({ type: 'append', from: 1, to: 2, term: 2 ** 53 }), 'message.term');
  rejects(makeMessage({ type: 'append', from: 1, to: 2, term: 1, index: -1 }), 'message.index');
  rejects({ ...makeMessage({ type: 'append', from: 1, to: 2, term: 1 }), type: 'bogus' as Message['type'] }, 'message.type');
  const gap = [{ term: 1, index: 3, type: 'normal' as const, data: new Uint8Array(0) }];
  rejects(makeMessage({ type: 'append', from: 1, to: 2, term: 1, index: 0, entries: gap }), 'message.entries');
  const future = [{ term: 5, index: 1, type: 'normal' as const, data: new Uint8Array(0) }];
  rejects(makeMessage({ type: 'append', from: 1, to: 2, term: 1, index: 0, entries: future }), 'message.entries');
  rejects(makeMessage({ type: 'snapshot', from: 1, to: 2, term: 1 }), 'message.snapshot');
});

test('membership changes round-trip through their entry encoding, and bad encodings are refused', () => {
  for (const change of [{ type: 'add', nodeId: 4 }, { type: 'remove', nodeId: 2 ** 40 + 3 }] as const) {
    assert.deepEqual(decodeConfChange(encodeConfChange(change)), change);
  }
  assert.throws(() => encodeConfChange({ type: 'add', nodeId: 0 }), /nodeId: must be a positive safe integer/);
  assert.throws(() => decodeConfChange(new Uint8Array(3)), /entry.data: a conf-change entry holds 9 bytes/);
  assert.throws(() => decodeConfChange(new Uint8Array(9)), /unknown conf-change type code 0/);
});
