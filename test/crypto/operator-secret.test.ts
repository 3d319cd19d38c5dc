import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readOperatorSecret } from '../../src/crypto/index.js';
import { assertAurigraphError } from './fixtures/crypto-fixtures.js';

// The operator secret comes from the environment variable that config names.

test('reads the named variable as UTF-8 bytes', () => {
  const secret = readOperatorSecret('AURIGRAPH_KEYSTORE_SECRET', { AURIGRAPH_KEYSTORE_SECRET: 'sésame' });
  assert.equal(new TextDecoder().decode(secret), 'sésame');
});

test('an unset or empty variable is a failed_precondition naming it', () => {
  for (const environment of [{}, { NODE_SECRET: '' }]) {
    assertAurigraphError(
      () => readOperatorSecret('NODE_SECRET', environment),
      'failed_precondition',
      'crypto.keystore.secretEnv',
      /environment variable NODE_SECRET \(named by crypto\.keystore\.secretEnv\); it is unset or empty/,
    );
  }
});
