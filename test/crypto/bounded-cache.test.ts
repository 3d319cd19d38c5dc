import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedCache } from '../../src/crypto/bounded-cache.js';

// The LRU cache behind the native public-key cache and the keystore's unsealed keys.

test('evicts the least recently used entry once over its bound', () => {
  const cache = new BoundedCache<string, number>(2);
  cache.set('a', 1);
  cache.set('b', 2);
  assert.equal(cache.get('a'), 1, 'touching a makes b the oldest');
  cache.set('c', 3);
  assert.equal(cache.size, 2);
  assert.equal(cache.has('b'), false);
  assert.equal(cache.get('a'), 1);
  assert.equal(cache.get('c'), 3);
});

test('replacing a key does not grow the cache; delete and clear empty it', () => {
  const cache = new BoundedCache<string, number>(3);
  cache.set('a', 1);
  cache.set('a', 2);
  assert.equal(cache.size, 1);
  assert.equal(cache.get('a'), 2);
  assert.equal(cache.delete('a'), true);
  assert.equal(cache.size, 0);
  cache.set('b', 1);
  cache.clear();
  assert.equal(cache.size, 0);
});

test('a bound below one is a programming error', () => {
  assert.throws(() => new BoundedCache(0), /assertion failed/);
});
