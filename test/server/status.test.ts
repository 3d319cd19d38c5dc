import { test } from 'node:test';
import assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { toServiceError } from '../../src/server/status.js';
import { AurigraphError, invalidArgument, notFound } from '../../src/errors.js';

test('user errors keep their message and field; each kind has its gRPC status', () => {
  const invalid = toServiceError(invalidArgument('signature', 'ML-DSA-65 signatures are 3309 bytes, got 12'));
  assert.equal(invalid.code, status.INVALID_ARGUMENT);
  assert.equal(invalid.details, 'signature: ML-DSA-65 signatures are 3309 bytes, got 12');
  assert.deepEqual(invalid.metadata?.get('aurigraph-field'), ['signature']);

  assert.equal(toServiceError(notFound('keyId', 'no key "k"')).code, status.NOT_FOUND);
  assert.equal(toServiceError(new AurigraphError('failed_precondition', 'retired')).code, status.FAILED_PRECONDITION);
  assert.equal(toServiceError(new AurigraphError('resource_exhausted', 'full')).code, status.RESOURCE_EXHAUSTED);
});

test('anything else is INTERNAL and does not leak its message', () => {
  const internal = toServiceError(new TypeError('cannot read properties of undefined (secret detail)'));
  assert.equal(internal.code, status.INTERNAL);
  assert.doesNotMatch(String(internal.details), /secret detail/);
});
