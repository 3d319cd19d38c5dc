import { test } from 'node:test';
import assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import {
  GenerateKeyRequest,
  GetKeyAuditTrailRequest,
  GetPublicKeyRequest,
  KeyAlgorithm,
  KeyAuditAction,
  KeyVersionState,
  RetireKeyVersionRequest,
  RotateKeysRequest,
  SignDataRequest,
  VerifySignatureRequest,
  type KeyAuditEvent,
} from '../../src/generated/aurigraph.js';
import {
  createNobleSignatureBackend,
  detectNativeSupport,
  mlDsaParameters,
  type MlDsaAlgorithm,
} from '../../src/crypto/index.js';
import { assertRpcError, bytes, hex, nodeBackends, startCryptoNode, stopCryptoNode } from './fixtures/crypto-service-fixtures.js';

// One node, every ML-DSA level: generate → sign → verify three ways (stored key, raw public key,
// the other backend in this process) → rotate → retire → audit trail, all over real gRPC.

const levels: Array<{ wire: KeyAlgorithm; name: MlDsaAlgorithm; keyId: string }> = [
  { wire: KeyAlgorithm.ML_DSA_44, name: 'ML-DSA-44', keyId: 'signer-44' },
  { wire: KeyAlgorithm.ML_DSA_65, name: 'ML-DSA-65', keyId: 'signer-65' },
  { wire: KeyAlgorithm.ML_DSA_87, name: 'ML-DSA-87', keyId: 'signer-87' },
];

test('ML-DSA keys through CryptoService: sign, verify across backends, rotate, retire, audit', async (t) => {
  const cryptoNode = await startCryptoNode();
  t.after(() => cryptoNode.node.cleanup());
  const { client, node } = cryptoNode;
  const crypto = client.crypto;

  assert.equal(await client.health.check('aurigraph.v11.CryptoService'), 'SERVING');

  // The node signs with OpenSSL (crypto.backend auto, where this runtime has it); this process
  // checks with noble, so a signature crosses both the wire and the implementation boundary.
  const { signatureBackend } = nodeBackends(node);
  assert.equal(signatureBackend, detectNativeSupport().available ? 'native' : 'noble', 'crypto.backend auto picks native when it exists');
  const localBackend = createNobleSignatureBackend();

  const message = bytes('transfer 10 units from alice to bob');
  const context = bytes('aurigraph/test');
  const firstSignatures = new Map<string, Uint8Array>();
  const firstPublicKeys = new Map<string, Uint8Array>();

  for (const level of levels) {
    const generatedBeforeMs = Date.now();
    const info = await crypto.generateKey(GenerateKeyRequest.create({ keyId: level.keyId, algorithm: level.wire, label: `test ${level.name}` }));
    const generatedAfterMs = Date.now();
    assert.equal(info.keyId, level.keyId);
    assert.equal(info.algorithm, level.wire);
    assert.equal(info.label, `test ${level.name}`);
    assert.equal(info.currentVersion, 1);
    assert.equal(info.versions.length, 1);
    const [first] = info.versions;
    assert.ok(first);
    assert.equal(first.version, 1);
    assert.equal(first.state, KeyVersionState.KEY_VERSION_CURRENT);
    assert.equal(first.publicKey.length, mlDsaParameters[level.name].publicKeyBytes);
    assert.ok(first.createdAtUnixMs >= BigInt(generatedBeforeMs) && first.createdAtUnixMs <= BigInt(generatedAfterMs), 'stamped by the node clock');
    assert.equal(first.retiredAtUnixMs, 0n);
    firstPublicKeys.set(level.keyId, first.publicKey);

    const published = await crypto.getPublicKey(GetPublicKeyRequest.create({ keyId: level.keyId }));
    assert.equal(hex(published.publicKey), hex(first.publicKey), 'GetPublicKey version 0 is the current version');
    assert.equal(published.version, 1);
    assert.equal(published.algorithm, level.wire);
    assert.equal(published.state, KeyVersionState.KEY_VERSION_CURRENT);

    const signed = await crypto.signData(SignDataRequest.create({ keyId: level.keyId, data: message, context }));
    assert.equal(signed.keyId, level.keyId);
    assert.equal(signed.version, 1);
    assert.equal(signed.algorithm, level.wire);
    assert.equal(signed.signature.length, mlDsaParameters[level.name].signatureBytes);
    firstSignatures.set(level.keyId, signed.signature);

    const byStoredKey = await crypto.verifySignature(
      VerifySignatureRequest.create({ keyId: level.keyId, version: 1, data: message, signature: signed.signature, context }),
    );
    assert.deepEqual(byStoredKey, { valid: true, version: 1, algorithm: level.wire });
    const byCurrentVersion = await crypto.verifySignature(
      VerifySignatureRequest.create({ keyId: level.keyId, data: message, signature: signed.signature, context }),
    );
    assert.deepEqual(byCurrentVersion, { valid: true, version: 1, algorithm: level.wire }, 'version 0 means the current version');
    const byRawKey = await crypto.verifySignature(
      VerifySignatureRequest.create({ publicKey: first.publicKey, algorithm: level.wire, data: message, signature: signed.signature, context }),
    );
    assert.deepEqual(byRawKey, { valid: true, version: 0, algorithm: level.wire }, 'a raw public key reports version 0');

    assert.equal(localBackend.verify(level.name, first.publicKey, message, signed.signature, { context }), true, `${localBackend.name} verifies the node's ${signatureBackend} signature`);
    assert.equal(localBackend.verify(level.name, first.publicKey, message, signed.signature), false, 'the context is part of what was signed');

    const tampered = Uint8Array.from(message);
    tampered[0] = (tampered[0] ?? 0) ^ 1;
    const onTampered = await crypto.verifySignature(
      VerifySignatureRequest.create({ keyId: level.keyId, version: 1, data: tampered, signature: signed.signature, context }),
    );
    assert.equal(onTampered.valid, false, 'a changed message does not verify');
    const withoutContext = await crypto.verifySignature(
      VerifySignatureRequest.create({ keyId: level.keyId, version: 1, data: message, signature: signed.signature }),
    );
    assert.equal(withoutContext.valid, false, 'a missing context does not verify');

    // The other direction: a key and signature made here, verified by the node from the raw key.
    const localPair = localBackend.keygen(level.name);
    const localSignature = localBackend.sign(localPair.privateKey, message);
    const localVerified = await crypto.verifySignature(
      VerifySignatureRequest.create({ publicKey: localPair.publicKey, algorithm: level.wire, data: message, signature: localSignature }),
    );
    assert.equal(localVerified.valid, true, `the node verifies a ${localBackend.name} signature`);
  }

  // A non-empty public_key wins over key_id: signer-44's signature checked against its raw key
  // while key_id names another key.
  const rawKeyWins = await crypto.verifySignature(
    VerifySignatureRequest.create({
      keyId: 'signer-65',
      publicKey: firstPublicKeys.get('signer-44'),
      algorithm: KeyAlgorithm.ML_DSA_44,
      data: message,
      signature: firstSignatures.get('signer-44'),
      context,
    }),
  );
  assert.deepEqual(rawKeyWins, { valid: true, version: 0, algorithm: KeyAlgorithm.ML_DSA_44 });

  // Signing an empty message is allowed (the proto does not require data).
  const emptySigned = await crypto.signData(SignDataRequest.create({ keyId: 'signer-65' }));
  assert.equal(
    (await crypto.verifySignature(VerifySignatureRequest.create({ keyId: 'signer-65', signature: emptySigned.signature }))).valid,
    true,
  );

  // Rotation: one call, every key, in request order.
  const rotateOrder = ['signer-87', 'signer-44', 'signer-65'];
  const rotated = await crypto.rotateKeys(RotateKeysRequest.create({ keyIds: rotateOrder }));
  assert.deepEqual(rotated.keys.map((key) => key.keyId), rotateOrder);
  for (const key of rotated.keys) {
    assert.equal(key.currentVersion, 2);
    assert.equal(key.label, `test ${levels.find((level) => level.keyId === key.keyId)?.name}`, 'the label survives rotation');
    assert.deepEqual(key.versions.map((version) => [version.version, version.state]), [
      [1, KeyVersionState.KEY_VERSION_PREVIOUS],
      [2, KeyVersionState.KEY_VERSION_CURRENT],
    ]);
    assert.notEqual(hex(key.versions[1]!.publicKey), hex(key.versions[0]!.publicKey), 'a new version has a new key');
  }

  for (const level of levels) {
    const firstSignature = firstSignatures.get(level.keyId)!;
    const secondSigned = await crypto.signData(SignDataRequest.create({ keyId: level.keyId, data: message, context }));
    assert.equal(secondSigned.version, 2, 'new signatures use the new version');
    const secondPublicKey = (await crypto.getPublicKey(GetPublicKeyRequest.create({ keyId: level.keyId, version: 2 }))).publicKey;
    assert.equal(localBackend.verify(level.name, secondPublicKey, message, secondSigned.signature, { context }), true);

    const verify = (signature: Uint8Array, version: number) =>
      crypto.verifySignature(VerifySignatureRequest.create({ keyId: level.keyId, version, data: message, signature, context }));
    assert.deepEqual(await verify(secondSigned.signature, 2), { valid: true, version: 2, algorithm: level.wire });
    assert.deepEqual(await verify(secondSigned.signature, 0), { valid: true, version: 2, algorithm: level.wire });
    assert.deepEqual(await verify(firstSignature, 1), { valid: true, version: 1, algorithm: level.wire }, 'version 1 still verifies');
    assert.equal((await verify(firstSignature, 2)).valid, false, 'each version has its own key');
    const previous = await crypto.getPublicKey(GetPublicKeyRequest.create({ keyId: level.keyId, version: 1 }));
    assert.equal(previous.state, KeyVersionState.KEY_VERSION_PREVIOUS);

    const retireBeforeMs = Date.now();
    const afterRetire = await crypto.retireKeyVersion(RetireKeyVersionRequest.create({ keyId: level.keyId, version: 1 }));
    assert.equal(afterRetire.currentVersion, 2);
    assert.equal(afterRetire.versions[0]!.state, KeyVersionState.KEY_VERSION_RETIRED);
    assert.ok(afterRetire.versions[0]!.retiredAtUnixMs >= BigInt(retireBeforeMs));
    assert.equal(afterRetire.versions[1]!.state, KeyVersionState.KEY_VERSION_CURRENT);

    await assertRpcError(verify(firstSignature, 1), status.FAILED_PRECONDITION, 'version', /version 1 of key "signer-\d+" is retired/);
    await assertRpcError(
      crypto.retireKeyVersion(RetireKeyVersionRequest.create({ keyId: level.keyId, version: 2 })),
      status.FAILED_PRECONDITION,
      'version',
      /is the active version; rotate the key before retiring it/,
    );
    // The retired version's public key stays readable for the record.
    assert.equal(
      (await crypto.getPublicKey(GetPublicKeyRequest.create({ keyId: level.keyId, version: 1 }))).state,
      KeyVersionState.KEY_VERSION_RETIRED,
    );
    assert.deepEqual(await verify(secondSigned.signature, 2), { valid: true, version: 2, algorithm: level.wire }, 'the node still serves');

    const trail = await crypto.getKeyAuditTrail(GetKeyAuditTrailRequest.create({ keyId: level.keyId }));
    assert.equal(trail.nextPageToken, '');
    assert.deepEqual(
      trail.events.map((event) => [event.sequence, event.keyId, event.version, event.action, event.success]),
      [
        [1n, level.keyId, 1, KeyAuditAction.KEY_CREATED, true],
        [2n, level.keyId, 2, KeyAuditAction.KEY_ROTATED, true],
        [3n, level.keyId, 1, KeyAuditAction.KEY_RETIRED, true],
      ],
    );
    const times = trail.events.map((event) => event.occurredAtUnixMs);
    assert.deepEqual([...times].sort((left, right) => (left < right ? -1 : left > right ? 1 : 0)), times, 'events come oldest first');

    // The same trail one event per page, following the tokens.
    const paged: KeyAuditEvent[] = [];
    let pageToken = '';
    for (let page = 0; page < 10; page++) {
      const response = await crypto.getKeyAuditTrail(GetKeyAuditTrailRequest.create({ keyId: level.keyId, pageSize: 1, pageToken }));
      assert.equal(response.events.length, 1);
      paged.push(...response.events);
      pageToken = response.nextPageToken;
      if (pageToken === '') break;
    }
    assert.deepEqual(paged, trail.events);
  }

  await assertRpcError(
    crypto.generateKey(GenerateKeyRequest.create({ keyId: 'signer-65', algorithm: KeyAlgorithm.ML_DSA_65 })),
    status.ALREADY_EXISTS,
    'key_id',
  );
  assert.equal((await crypto.getPublicKey(GetPublicKeyRequest.create({ keyId: 'signer-65' }))).version, 2, 'a refused GenerateKey changes nothing');

  await stopCryptoNode(cryptoNode);
});
