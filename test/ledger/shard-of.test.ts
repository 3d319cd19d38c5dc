import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { ArrayExecutionTransactions, ShardLookup, homeShardsOf, idKey, shardOf } from '../../src/ledger/index.js';
import { idOf, transfer } from '../fixtures/ledger/ledger-fixture.js';

test('shardOf is u32le(SHA-256(id)[0..4]) mod shard count', () => {
  for (let index = 0; index < 200; index += 1) {
    const id = idOf(`shard ${index}`);
    const word = crypto.createHash('sha256').update(id).digest().readUInt32LE(0);
    for (const shardCount of [1, 2, 3, 7, 8, 64]) assert.equal(shardOf(id, shardCount), word % shardCount);
  }
});

test('the memoised lookup and the per-block home shards agree with shardOf', () => {
  const lookup = new ShardLookup(5);
  const ids = Array.from({ length: 50 }, (_, index) => idOf(`memo ${index}`));
  for (const id of [...ids, ...ids]) assert.equal(lookup.shardOfKey(idKey(id)), shardOf(id, 5));
  const transactions = new ArrayExecutionTransactions(ids.map((id, index) => transfer(id, ids[0]!, 1n, BigInt(index))));
  assert.deepEqual([...homeShardsOf(transactions, 5)], ids.map((id) => shardOf(id, 5)));
  assert.deepEqual([...homeShardsOf(transactions, 1)], ids.map(() => 0));
});

test('a shard count outside [1, 256] is an assertion', () => {
  assert.throws(() => shardOf(idOf('x'), 0), /assertion failed/);
  assert.throws(() => shardOf(idOf('x'), 257), /assertion failed/);
  assert.throws(() => shardOf(new Uint8Array(31), 4), /assertion failed/);
});
