import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectNativeSupport, selectKemBackend, selectSignatureBackend, type NativeSupport } from '../../src/crypto/index.js';
import { assertAurigraphError } from './fixtures/crypto-fixtures.js';

// crypto.backend: 'auto' prefers native where the runtime has it, 'native' insists, 'noble'
// always works. An absent native backend is simulated by handing in a probe result.

const absent: NativeSupport = {
  available: false,
  missing: ['ml-dsa-44', 'ml-dsa-65', 'ml-dsa-87', 'ml-kem-768', 'ml-kem-1024'],
  runtime: 'Node.js v20.19.0 with OpenSSL 3.0.15',
};

test('the pinned Node.js 24 runtime has native ML-DSA and ML-KEM', () => {
  const support = detectNativeSupport();
  assert.equal(support.available, true, `missing: ${support.missing.join(', ')}`);
  assert.deepEqual(support.missing, []);
  assert.equal(detectNativeSupport(), support, 'probed once and remembered');
});

test("'auto' picks native where available and noble where not", () => {
  assert.equal(selectSignatureBackend('auto').name, 'native');
  assert.equal(selectKemBackend('auto').name, 'native');
  assert.equal(selectSignatureBackend('auto', { support: absent }).name, 'noble');
  assert.equal(selectKemBackend('auto', { support: absent }).name, 'noble');
});

test("'noble' is always noble; 'native' is native where available", () => {
  assert.equal(selectSignatureBackend('noble').name, 'noble');
  assert.equal(selectKemBackend('noble', { support: absent }).name, 'noble');
  assert.equal(selectSignatureBackend('native').name, 'native');
  assert.equal(selectKemBackend('native').name, 'native');
});

test("'native' without runtime support fails, naming crypto.backend, the runtime and what is missing", () => {
  for (const select of [selectSignatureBackend, selectKemBackend]) {
    assertAurigraphError(
      () => select('native', { support: absent }),
      'failed_precondition',
      'crypto.backend',
      /Node\.js v20\.19\.0 with OpenSSL 3\.0\.15 and lacks ml-dsa-44, .*ml-kem-1024; set crypto\.backend to 'auto' or 'noble'/,
    );
  }
});

test('an unknown backend name is an invalid_argument on crypto.backend', () => {
  assertAurigraphError(() => selectSignatureBackend('openssl' as 'native'), 'invalid_argument', 'crypto.backend');
});
