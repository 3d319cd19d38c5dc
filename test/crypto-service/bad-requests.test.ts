import { test } from 'node:test';
import assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import {
  DecapsulateRequest,
  DeriveKeyRequest,
  EncapsulateRequest,
  GenerateKeyRequest,
  GetKeyAuditTrailRequest,
  GetPublicKeyRequest,
  HkdfHash,
  KeyAlgorithm,
  RetireKeyVersionRequest,
  RotateKeysRequest,
  SignDataRequest,
  VerifySignatureRequest,
} from '../../src/generated/aurigraph.js';
import { parseLogLines } from '../helpers/node-process.js';
import { assertRpcError, bytes, startCryptoNode, stopCryptoNode } from './fixtures/crypto-service-fixtures.js';

// Every kind of bad request gets its documented status and a message that starts with the wire
// field name (the `aurigraph-field` trailer says the same), changes nothing, and the node keeps
// serving: a good call follows each refusal.

interface BadRequest {
  name: string;
  call: () => Promise<unknown>;
  code: status;
  field: string;
  message?: RegExp;
}

test('bad CryptoService requests are refused with the right status and field, and the node keeps serving', async (t) => {
  const cryptoNode = await startCryptoNode();
  t.after(() => cryptoNode.node.cleanup());
  const crypto = cryptoNode.client.crypto;

  const signer = (await crypto.generateKey(GenerateKeyRequest.create({ keyId: 'signer', algorithm: KeyAlgorithm.ML_DSA_65 }))).versions[0]!;
  await crypto.generateKey(GenerateKeyRequest.create({ keyId: 'exchange', algorithm: KeyAlgorithm.ML_KEM_768 }));
  await crypto.generateKey(GenerateKeyRequest.create({ keyId: 'rotated', algorithm: KeyAlgorithm.ML_DSA_44 }));
  await crypto.rotateKeys(RotateKeysRequest.create({ keyIds: ['rotated'] }));
  await crypto.rotateKeys(RotateKeysRequest.create({ keyIds: ['rotated'] }));
  await crypto.retireKeyVersion(RetireKeyVersionRequest.create({ keyId: 'rotated', version: 1 }));
  const signature = (await crypto.signData(SignDataRequest.create({ keyId: 'signer', data: bytes('hello') }))).signature;
  const otherKeyToken = (await crypto.getKeyAuditTrail(GetKeyAuditTrailRequest.create({ keyId: 'rotated', pageSize: 1 }))).nextPageToken;
  assert.notEqual(otherKeyToken, '');

  const goodCall = async (): Promise<void> => {
    const signed = await crypto.signData(SignDataRequest.create({ keyId: 'signer', data: bytes('still serving') }));
    const verified = await crypto.verifySignature(
      VerifySignatureRequest.create({ keyId: 'signer', data: bytes('still serving'), signature: signed.signature }),
    );
    assert.equal(verified.valid, true, 'the node keeps serving after a refused request');
  };

  const unknownAlgorithm = 99 as KeyAlgorithm;
  const badRequests: BadRequest[] = [
    // GenerateKey
    { name: 'algorithm unspecified', call: () => crypto.generateKey(GenerateKeyRequest.create({ keyId: 'new' })), code: status.INVALID_ARGUMENT, field: 'algorithm', message: /got KEY_ALGORITHM_UNSPECIFIED \(0\)/ },
    { name: 'algorithm unknown to this version', call: () => crypto.generateKey(GenerateKeyRequest.create({ keyId: 'new', algorithm: unknownAlgorithm })), code: status.INVALID_ARGUMENT, field: 'algorithm', message: /got 99$/ },
    { name: 'empty key id', call: () => crypto.generateKey(GenerateKeyRequest.create({ algorithm: KeyAlgorithm.ML_DSA_65 })), code: status.INVALID_ARGUMENT, field: 'key_id' },
    { name: 'key id with a space', call: () => crypto.generateKey(GenerateKeyRequest.create({ keyId: 'has space', algorithm: KeyAlgorithm.ML_DSA_65 })), code: status.INVALID_ARGUMENT, field: 'key_id' },
    { name: 'key id of 129 characters', call: () => crypto.generateKey(GenerateKeyRequest.create({ keyId: 'k'.repeat(129), algorithm: KeyAlgorithm.ML_DSA_65 })), code: status.INVALID_ARGUMENT, field: 'key_id' },
    { name: 'key id taken', call: () => crypto.generateKey(GenerateKeyRequest.create({ keyId: 'signer', algorithm: KeyAlgorithm.ML_DSA_65 })), code: status.ALREADY_EXISTS, field: 'key_id' },
    { name: 'label too long', call: () => crypto.generateKey(GenerateKeyRequest.create({ keyId: 'new', algorithm: KeyAlgorithm.ML_DSA_65, label: 'x'.repeat(1025) })), code: status.INVALID_ARGUMENT, field: 'label' },
    // GetPublicKey
    { name: 'unknown key', call: () => crypto.getPublicKey(GetPublicKeyRequest.create({ keyId: 'no-such-key' })), code: status.NOT_FOUND, field: 'key_id', message: /no key "no-such-key"/ },
    { name: 'unknown version', call: () => crypto.getPublicKey(GetPublicKeyRequest.create({ keyId: 'signer', version: 7 })), code: status.NOT_FOUND, field: 'version', message: /versions 1 to 1, not 7/ },
    // SignData
    { name: 'sign with an unknown key', call: () => crypto.signData(SignDataRequest.create({ keyId: 'no-such-key', data: bytes('x') })), code: status.NOT_FOUND, field: 'key_id' },
    { name: 'sign with an ML-KEM key', call: () => crypto.signData(SignDataRequest.create({ keyId: 'exchange', data: bytes('x') })), code: status.FAILED_PRECONDITION, field: 'key_id', message: /only ML-DSA keys sign/ },
    { name: 'context over 255 bytes', call: () => crypto.signData(SignDataRequest.create({ keyId: 'signer', data: bytes('x'), context: new Uint8Array(256) })), code: status.INVALID_ARGUMENT, field: 'context', message: /at most 255 bytes, got 256/ },
    // VerifySignature
    { name: 'verify with neither key id nor public key', call: () => crypto.verifySignature(VerifySignatureRequest.create({ data: bytes('hello'), signature })), code: status.INVALID_ARGUMENT, field: 'key_id' },
    { name: 'signature of the wrong length', call: () => crypto.verifySignature(VerifySignatureRequest.create({ keyId: 'signer', data: bytes('hello'), signature: signature.subarray(0, 100) })), code: status.INVALID_ARGUMENT, field: 'signature', message: /ML-DSA-65 signatures are 3309 bytes, got 100/ },
    { name: 'empty signature', call: () => crypto.verifySignature(VerifySignatureRequest.create({ keyId: 'signer', data: bytes('hello') })), code: status.INVALID_ARGUMENT, field: 'signature', message: /got 0/ },
    { name: 'raw public key of the wrong length', call: () => crypto.verifySignature(VerifySignatureRequest.create({ publicKey: signer.publicKey.subarray(1), algorithm: KeyAlgorithm.ML_DSA_65, data: bytes('hello'), signature })), code: status.INVALID_ARGUMENT, field: 'public_key', message: /ML-DSA-65 public keys are 1952 bytes, got 1951/ },
    { name: 'raw public key without an algorithm', call: () => crypto.verifySignature(VerifySignatureRequest.create({ publicKey: signer.publicKey, data: bytes('hello'), signature })), code: status.INVALID_ARGUMENT, field: 'algorithm' },
    { name: 'raw public key with an ML-KEM algorithm', call: () => crypto.verifySignature(VerifySignatureRequest.create({ publicKey: signer.publicKey, algorithm: KeyAlgorithm.ML_KEM_768, data: bytes('hello'), signature })), code: status.INVALID_ARGUMENT, field: 'algorithm', message: /ML_KEM_768 \(4\)/ },
    { name: 'verify with a retired version', call: () => crypto.verifySignature(VerifySignatureRequest.create({ keyId: 'rotated', version: 1, data: bytes('hello'), signature: new Uint8Array(2420) })), code: status.FAILED_PRECONDITION, field: 'version', message: /version 1 of key "rotated" is retired/ },
    { name: 'verify with an unknown version', call: () => crypto.verifySignature(VerifySignatureRequest.create({ keyId: 'signer', version: 2, data: bytes('hello'), signature })), code: status.NOT_FOUND, field: 'version' },
    { name: 'verify with an ML-KEM key', call: () => crypto.verifySignature(VerifySignatureRequest.create({ keyId: 'exchange', data: bytes('hello'), signature })), code: status.FAILED_PRECONDITION, field: 'key_id' },
    // RotateKeys
    { name: 'rotate nothing', call: () => crypto.rotateKeys(RotateKeysRequest.create({})), code: status.INVALID_ARGUMENT, field: 'key_ids' },
    { name: 'rotate a key twice in one call', call: () => crypto.rotateKeys(RotateKeysRequest.create({ keyIds: ['signer', 'signer'] })), code: status.INVALID_ARGUMENT, field: 'key_ids[1]' },
    { name: 'rotate an unknown key after a known one', call: () => crypto.rotateKeys(RotateKeysRequest.create({ keyIds: ['signer', 'no-such-key'] })), code: status.NOT_FOUND, field: 'key_ids[1]', message: /no key "no-such-key"/ },
    // RetireKeyVersion
    { name: 'retire version 0', call: () => crypto.retireKeyVersion(RetireKeyVersionRequest.create({ keyId: 'rotated' })), code: status.INVALID_ARGUMENT, field: 'version' },
    { name: 'retire the current version', call: () => crypto.retireKeyVersion(RetireKeyVersionRequest.create({ keyId: 'rotated', version: 3 })), code: status.FAILED_PRECONDITION, field: 'version', message: /active version/ },
    { name: 'retire a retired version', call: () => crypto.retireKeyVersion(RetireKeyVersionRequest.create({ keyId: 'rotated', version: 1 })), code: status.FAILED_PRECONDITION, field: 'version', message: /already retired/ },
    { name: 'retire a version that does not exist', call: () => crypto.retireKeyVersion(RetireKeyVersionRequest.create({ keyId: 'rotated', version: 9 })), code: status.NOT_FOUND, field: 'version' },
    // GetKeyAuditTrail
    { name: 'audit trail of an unknown key', call: () => crypto.getKeyAuditTrail(GetKeyAuditTrailRequest.create({ keyId: 'no-such-key' })), code: status.NOT_FOUND, field: 'key_id' },
    { name: 'page size over 1000', call: () => crypto.getKeyAuditTrail(GetKeyAuditTrailRequest.create({ keyId: 'signer', pageSize: 1001 })), code: status.INVALID_ARGUMENT, field: 'page_size' },
    { name: 'page token not from the server', call: () => crypto.getKeyAuditTrail(GetKeyAuditTrailRequest.create({ keyId: 'signer', pageToken: 'not a token' })), code: status.INVALID_ARGUMENT, field: 'page_token' },
    { name: 'page token of another key', call: () => crypto.getKeyAuditTrail(GetKeyAuditTrailRequest.create({ keyId: 'signer', pageToken: otherKeyToken })), code: status.INVALID_ARGUMENT, field: 'page_token', message: /belongs to key "rotated"/ },
    // DeriveKey
    { name: 'hash unspecified', call: () => crypto.deriveKey(DeriveKeyRequest.create({ inputKeyMaterial: bytes('ikm'), lengthBytes: 32 })), code: status.INVALID_ARGUMENT, field: 'hash' },
    { name: 'empty input key material', call: () => crypto.deriveKey(DeriveKeyRequest.create({ hash: HkdfHash.HKDF_SHA_256, lengthBytes: 32 })), code: status.INVALID_ARGUMENT, field: 'input_key_material' },
    { name: 'derived length 0', call: () => crypto.deriveKey(DeriveKeyRequest.create({ hash: HkdfHash.HKDF_SHA_256, inputKeyMaterial: bytes('ikm') })), code: status.INVALID_ARGUMENT, field: 'length_bytes' },
    // Encapsulate
    { name: 'encapsulate to nothing', call: () => crypto.encapsulate(EncapsulateRequest.create({})), code: status.INVALID_ARGUMENT, field: 'key_id' },
    { name: 'encapsulate to a raw key of the wrong length', call: () => crypto.encapsulate(EncapsulateRequest.create({ publicKey: new Uint8Array(1000), algorithm: KeyAlgorithm.ML_KEM_768 })), code: status.INVALID_ARGUMENT, field: 'public_key', message: /1184 bytes, got 1000/ },
    { name: 'encapsulate to a raw key that fails the modulus check', call: () => crypto.encapsulate(EncapsulateRequest.create({ publicKey: new Uint8Array(1184).fill(0xff), algorithm: KeyAlgorithm.ML_KEM_768 })), code: status.INVALID_ARGUMENT, field: 'public_key', message: /modulus check/ },
    { name: 'encapsulate to a raw key with an ML-DSA algorithm', call: () => crypto.encapsulate(EncapsulateRequest.create({ publicKey: signer.publicKey, algorithm: KeyAlgorithm.ML_DSA_65 })), code: status.INVALID_ARGUMENT, field: 'algorithm' },
    { name: 'encapsulate to an ML-DSA key', call: () => crypto.encapsulate(EncapsulateRequest.create({ keyId: 'signer' })), code: status.FAILED_PRECONDITION, field: 'key_id' },
    { name: 'encapsulate to an unknown key', call: () => crypto.encapsulate(EncapsulateRequest.create({ keyId: 'no-such-key' })), code: status.NOT_FOUND, field: 'key_id' },
    // Decapsulate
    { name: 'ciphertext of the wrong length', call: () => crypto.decapsulate(DecapsulateRequest.create({ keyId: 'exchange', ciphertext: new Uint8Array(1087) })), code: status.INVALID_ARGUMENT, field: 'ciphertext', message: /ML-KEM-768 ciphertexts are 1088 bytes, got 1087/ },
    { name: 'empty ciphertext', call: () => crypto.decapsulate(DecapsulateRequest.create({ keyId: 'exchange' })), code: status.INVALID_ARGUMENT, field: 'ciphertext' },
    { name: 'decapsulate with an ML-DSA key', call: () => crypto.decapsulate(DecapsulateRequest.create({ keyId: 'signer', ciphertext: new Uint8Array(1088) })), code: status.FAILED_PRECONDITION, field: 'key_id' },
    { name: 'decapsulate with an unknown key', call: () => crypto.decapsulate(DecapsulateRequest.create({ keyId: 'no-such-key', ciphertext: new Uint8Array(1088) })), code: status.NOT_FOUND, field: 'key_id' },
    { name: 'decapsulate with an unknown version', call: () => crypto.decapsulate(DecapsulateRequest.create({ keyId: 'exchange', version: 2, ciphertext: new Uint8Array(1088) })), code: status.NOT_FOUND, field: 'version' },
  ];

  for (const bad of badRequests) {
    await t.test(bad.name, async () => {
      await assertRpcError(bad.call(), bad.code, bad.field, bad.message);
      await goodCall();
    });
  }

  // Refusals changed nothing: no key was created, no version added.
  await assertRpcError(crypto.getPublicKey(GetPublicKeyRequest.create({ keyId: 'new' })), status.NOT_FOUND, 'key_id');
  assert.equal((await crypto.getPublicKey(GetPublicKeyRequest.create({ keyId: 'signer' }))).version, 1, 'a refused RotateKeys rotated no key');
  assert.equal((await crypto.getPublicKey(GetPublicKeyRequest.create({ keyId: 'rotated' }))).version, 3);
  assert.equal(await cryptoNode.client.health.check('aurigraph.v11.CryptoService'), 'SERVING');

  await stopCryptoNode(cryptoNode);
  const errors = parseLogLines(cryptoNode.node.logLines).filter((entry) => entry['level'] === 'error');
  assert.deepEqual(errors, [], 'no refusal was logged as a bug');
  const refusals = parseLogLines(cryptoNode.node.logLines).filter((entry) => entry['msg'] === 'request refused');
  assert.equal(refusals.length, badRequests.length + 1, 'each refusal (and the final NOT_FOUND check) is logged once, at debug level');
});
