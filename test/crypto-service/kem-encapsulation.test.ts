import { test } from 'node:test';
import assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import {
  DecapsulateRequest,
  EncapsulateRequest,
  GenerateKeyRequest,
  GetPublicKeyRequest,
  KeyAlgorithm,
  KeyVersionState,
  RetireKeyVersionRequest,
  RotateKeysRequest,
} from '../../src/generated/aurigraph.js';
import { createNobleKemBackend, detectNativeSupport, mlKemParameters, type MlKemAlgorithm } from '../../src/crypto/index.js';
import { assertRpcError, hex, nodeBackends, startCryptoNode, stopCryptoNode } from './fixtures/crypto-service-fixtures.js';

// ML-KEM through CryptoService: the node encapsulates and decapsulates with its stored keys, and
// interoperates with noble in this process in both directions. Decapsulate returns only the
// shared secret.

const kemLevels: Array<{ wire: KeyAlgorithm; name: MlKemAlgorithm; keyId: string }> = [
  { wire: KeyAlgorithm.ML_KEM_768, name: 'ML-KEM-768', keyId: 'exchange-768' },
  { wire: KeyAlgorithm.ML_KEM_1024, name: 'ML-KEM-1024', keyId: 'exchange-1024' },
];

test('ML-KEM keys through CryptoService: encapsulate and decapsulate on the node and across backends', async (t) => {
  const cryptoNode = await startCryptoNode();
  t.after(() => cryptoNode.node.cleanup());
  const crypto = cryptoNode.client.crypto;
  assert.equal(nodeBackends(cryptoNode.node).kemBackend, detectNativeSupport().available ? 'native' : 'noble');
  const noble = createNobleKemBackend();

  for (const level of kemLevels) {
    const parameters = mlKemParameters[level.name];
    const info = await crypto.generateKey(GenerateKeyRequest.create({ keyId: level.keyId, algorithm: level.wire }));
    assert.equal(info.algorithm, level.wire);
    assert.equal(info.label, '');
    assert.equal(info.versions[0]!.publicKey.length, parameters.publicKeyBytes);

    // Node encapsulates to its own stored key, node decapsulates.
    const encapsulated = await crypto.encapsulate(EncapsulateRequest.create({ keyId: level.keyId }));
    assert.equal(encapsulated.version, 1);
    assert.equal(encapsulated.ciphertext.length, parameters.ciphertextBytes);
    assert.equal(encapsulated.sharedSecret.length, parameters.sharedSecretBytes);
    const decapsulated = await crypto.decapsulate(DecapsulateRequest.create({ keyId: level.keyId, ciphertext: encapsulated.ciphertext }));
    assert.deepEqual(Object.keys(decapsulated), ['sharedSecret'], 'Decapsulate answers with the shared secret alone');
    assert.equal(hex(decapsulated.sharedSecret), hex(encapsulated.sharedSecret));
    const byExplicitVersion = await crypto.decapsulate(
      DecapsulateRequest.create({ keyId: level.keyId, version: 1, ciphertext: encapsulated.ciphertext }),
    );
    assert.equal(hex(byExplicitVersion.sharedSecret), hex(encapsulated.sharedSecret));

    // noble here encapsulates to the node's published key; the node decapsulates.
    const published = await crypto.getPublicKey(GetPublicKeyRequest.create({ keyId: level.keyId }));
    const local = noble.encapsulate(level.name, published.publicKey);
    const recovered = await crypto.decapsulate(DecapsulateRequest.create({ keyId: level.keyId, ciphertext: local.ciphertext }));
    assert.equal(hex(recovered.sharedSecret), hex(local.sharedSecret), 'the node recovers a noble encapsulation');

    // The node encapsulates to a raw public key made here; noble decapsulates.
    const localPair = noble.keygen(level.name);
    const toRawKey = await crypto.encapsulate(EncapsulateRequest.create({ publicKey: localPair.publicKey, algorithm: level.wire }));
    assert.equal(toRawKey.version, 0, 'a raw public key reports version 0');
    assert.equal(hex(noble.decapsulate(localPair.privateKey, toRawKey.ciphertext)), hex(toRawKey.sharedSecret), 'noble recovers the node encapsulation');

    // A non-empty public_key wins over key_id.
    const rawKeyWins = await crypto.encapsulate(
      EncapsulateRequest.create({ keyId: level.keyId, publicKey: localPair.publicKey, algorithm: level.wire }),
    );
    assert.equal(rawKeyWins.version, 0);
    assert.equal(hex(noble.decapsulate(localPair.privateKey, rawKeyWins.ciphertext)), hex(rawKeyWins.sharedSecret));

    // A well-formed ciphertext for another key is implicit rejection: a different secret, no error.
    const foreign = noble.encapsulate(level.name, localPair.publicKey);
    const rejected = await crypto.decapsulate(DecapsulateRequest.create({ keyId: level.keyId, ciphertext: foreign.ciphertext }));
    assert.equal(rejected.sharedSecret.length, parameters.sharedSecretBytes);
    assert.notEqual(hex(rejected.sharedSecret), hex(foreign.sharedSecret));
  }

  // Rotation: version 2 takes new encapsulations; version 1 still decapsulates until retired.
  const keyId = 'exchange-768';
  const beforeRotation = await crypto.encapsulate(EncapsulateRequest.create({ keyId }));
  const rotated = await crypto.rotateKeys(RotateKeysRequest.create({ keyIds: [keyId] }));
  assert.equal(rotated.keys[0]!.currentVersion, 2);
  const afterRotation = await crypto.encapsulate(EncapsulateRequest.create({ keyId }));
  assert.equal(afterRotation.version, 2);
  assert.equal(
    hex((await crypto.decapsulate(DecapsulateRequest.create({ keyId, ciphertext: afterRotation.ciphertext }))).sharedSecret),
    hex(afterRotation.sharedSecret),
  );
  assert.equal(
    hex((await crypto.decapsulate(DecapsulateRequest.create({ keyId, version: 1, ciphertext: beforeRotation.ciphertext }))).sharedSecret),
    hex(beforeRotation.sharedSecret),
    'the previous version still decapsulates',
  );
  await assertRpcError(
    crypto.encapsulate(EncapsulateRequest.create({ keyId, version: 1 })),
    status.FAILED_PRECONDITION,
    'version',
    /superseded by version 2/,
  );

  const retired = await crypto.retireKeyVersion(RetireKeyVersionRequest.create({ keyId, version: 1 }));
  assert.equal(retired.versions[0]!.state, KeyVersionState.KEY_VERSION_RETIRED);
  await assertRpcError(
    crypto.decapsulate(DecapsulateRequest.create({ keyId, version: 1, ciphertext: beforeRotation.ciphertext })),
    status.FAILED_PRECONDITION,
    'version',
    /is retired/,
  );
  await assertRpcError(crypto.encapsulate(EncapsulateRequest.create({ keyId, version: 1 })), status.FAILED_PRECONDITION, 'version', /is retired/);
  assert.equal(
    hex((await crypto.decapsulate(DecapsulateRequest.create({ keyId, ciphertext: afterRotation.ciphertext }))).sharedSecret),
    hex(afterRotation.sharedSecret),
    'the current version keeps working',
  );

  await stopCryptoNode(cryptoNode);
});
