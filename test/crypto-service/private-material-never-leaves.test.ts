import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { ml_kem1024, ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import {
  CryptoServiceDefinition,
  DecapsulateRequest,
  DecapsulateResponse,
  DeriveKeyRequest,
  DeriveKeyResponse,
  EncapsulateRequest,
  EncapsulateResponse,
  GenerateKeyRequest,
  GetKeyAuditTrailRequest,
  GetKeyAuditTrailResponse,
  GetPublicKeyRequest,
  HkdfHash,
  KeyAlgorithm,
  KeyInfo,
  PublicKeyResponse,
  RetireKeyVersionRequest,
  RotateKeysRequest,
  RotateKeysResponse,
  SignDataRequest,
  SignDataResponse,
  VerifySignatureRequest,
  VerifySignatureResponse,
  type CryptoServiceMethods,
  type MessageCodec,
} from '../../src/generated/aurigraph.js';
import { bindService } from '../../src/client/service-client.js';
import { recoverSeeds } from '../crypto/fixtures/keystore-fixtures.js';
import { bytes, hex, startCryptoNode, stopCryptoNode, testSecret } from './fixtures/crypto-service-fixtures.js';

// A whole session of every RPC, then the real private seeds, recovered from the keystore files
// with the test secret, are looked for in every response byte and every log line: raw, hex and
// base64, the seeds and pieces of their expanded secret keys. Responses must also carry nothing
// outside the proto (each one re-encodes to the same bytes) and bytes only in public fields.

const responseCodecs: Record<keyof CryptoServiceMethods, MessageCodec<unknown>> = {
  generateKey: KeyInfo as MessageCodec<unknown>,
  getPublicKey: PublicKeyResponse as MessageCodec<unknown>,
  signData: SignDataResponse as MessageCodec<unknown>,
  verifySignature: VerifySignatureResponse as MessageCodec<unknown>,
  rotateKeys: RotateKeysResponse as MessageCodec<unknown>,
  retireKeyVersion: KeyInfo as MessageCodec<unknown>,
  getKeyAuditTrail: GetKeyAuditTrailResponse as MessageCodec<unknown>,
  deriveKey: DeriveKeyResponse as MessageCodec<unknown>,
  encapsulate: EncapsulateResponse as MessageCodec<unknown>,
  decapsulate: DecapsulateResponse as MessageCodec<unknown>,
};

/** The only response fields that may carry bytes; all are public or the caller's own result. */
const publicBytesFields = new Set(['publicKey', 'signature', 'ciphertext', 'sharedSecret', 'derivedKey']);

const keys = [
  { keyId: 'leak-dsa-44', wire: KeyAlgorithm.ML_DSA_44, expand: (seed: Uint8Array) => ml_dsa44.keygen(seed) },
  { keyId: 'leak-dsa-65', wire: KeyAlgorithm.ML_DSA_65, expand: (seed: Uint8Array) => ml_dsa65.keygen(seed) },
  { keyId: 'leak-dsa-87', wire: KeyAlgorithm.ML_DSA_87, expand: (seed: Uint8Array) => ml_dsa87.keygen(seed) },
  { keyId: 'leak-kem-768', wire: KeyAlgorithm.ML_KEM_768, expand: (seed: Uint8Array) => ml_kem768.keygen(seed) },
  { keyId: 'leak-kem-1024', wire: KeyAlgorithm.ML_KEM_1024, expand: (seed: Uint8Array) => ml_kem1024.keygen(seed) },
];
const isKem = (wire: KeyAlgorithm): boolean => wire === KeyAlgorithm.ML_KEM_768 || wire === KeyAlgorithm.ML_KEM_1024;

function bytesFieldsIn(value: unknown, path: string[], found: Array<{ path: string; field: string }>): void {
  if (value instanceof Uint8Array) {
    if (value.length > 0) found.push({ path: path.join('.'), field: path[path.length - 1]!.replace(/\[\d+\]$/, '') });
    return;
  }
  if (Array.isArray(value)) value.forEach((item, index) => bytesFieldsIn(item, [...path.slice(0, -1), `${path[path.length - 1]}[${index}]`], found));
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) bytesFieldsIn(item, [...path, key], found);
}

test('no RPC response and no log line carries private key material', async (t) => {
  const cryptoNode = await startCryptoNode();
  t.after(() => cryptoNode.node.cleanup());

  // The typed client's own binding, over a definition that also keeps each response's raw bytes.
  const rawResponses: Array<{ method: keyof CryptoServiceMethods; bytes: Buffer }> = [];
  const tapped = Object.fromEntries(
    Object.entries(CryptoServiceDefinition).map(([name, method]) => [
      name,
      {
        ...method,
        responseDeserialize: (data: Buffer) => {
          rawResponses.push({ method: name as keyof CryptoServiceMethods, bytes: Buffer.from(data) });
          return method.responseDeserialize(data);
        },
      },
    ]),
  ) as unknown as grpc.ServiceDefinition;
  const channel = new grpc.Client(cryptoNode.node.address, grpc.credentials.createInsecure());
  t.after(() => channel.close());
  const crypto = bindService<CryptoServiceMethods>(channel, tapped, { deadlineMs: 10_000, readAttemptsMax: 1, retryBackoffMs: 100 });

  const data = bytes('a session that touches every RPC');
  const publicKeys = new Map<string, Uint8Array>();
  for (const key of keys) {
    const info = await crypto.generateKey(GenerateKeyRequest.create({ keyId: key.keyId, algorithm: key.wire, label: `label of ${key.keyId}` }));
    publicKeys.set(`${key.keyId}/1`, info.versions[0]!.publicKey);
  }
  const rotated = await crypto.rotateKeys(RotateKeysRequest.create({ keyIds: keys.map((key) => key.keyId) }));
  for (const info of rotated.keys) publicKeys.set(`${info.keyId}/2`, info.versions[1]!.publicKey);
  for (const key of keys) {
    await crypto.getPublicKey(GetPublicKeyRequest.create({ keyId: key.keyId, version: 1 }));
    if (isKem(key.wire)) {
      const toCurrent = await crypto.encapsulate(EncapsulateRequest.create({ keyId: key.keyId }));
      await crypto.decapsulate(DecapsulateRequest.create({ keyId: key.keyId, version: toCurrent.version, ciphertext: toCurrent.ciphertext }));
      const toPrevious = await crypto.encapsulate(EncapsulateRequest.create({ publicKey: publicKeys.get(`${key.keyId}/1`), algorithm: key.wire }));
      await crypto.decapsulate(DecapsulateRequest.create({ keyId: key.keyId, version: 1, ciphertext: toPrevious.ciphertext }));
    } else {
      const signed = await crypto.signData(SignDataRequest.create({ keyId: key.keyId, data, context: bytes('ctx') }));
      await crypto.verifySignature(VerifySignatureRequest.create({ keyId: key.keyId, data, signature: signed.signature, context: bytes('ctx') }));
      await crypto.verifySignature(
        VerifySignatureRequest.create({ publicKey: publicKeys.get(`${key.keyId}/2`), algorithm: key.wire, data, signature: signed.signature, context: bytes('ctx') }),
      );
    }
    await crypto.retireKeyVersion(RetireKeyVersionRequest.create({ keyId: key.keyId, version: 1 }));
    await crypto.getKeyAuditTrail(GetKeyAuditTrailRequest.create({ keyId: key.keyId, pageSize: 2 }));
  }
  await crypto.deriveKey(DeriveKeyRequest.create({ hash: HkdfHash.HKDF_SHA_512, inputKeyMaterial: bytes('ikm'), lengthBytes: 64 }));
  // Refusals go to the log (at debug); they must not carry key material either.
  await assert.rejects(crypto.decapsulate(DecapsulateRequest.create({ keyId: 'leak-kem-768', version: 1, ciphertext: new Uint8Array(1088) })));
  await assert.rejects(crypto.signData(SignDataRequest.create({ keyId: 'leak-kem-768', data })));

  await stopCryptoNode(cryptoNode);
  const methodsSeen = new Set(rawResponses.map((response) => response.method));
  assert.deepEqual([...methodsSeen].sort(), Object.keys(responseCodecs).sort(), 'the session touched every RPC');

  // Nothing outside the proto, and bytes only where the proto documents public ones.
  for (const { method, bytes: raw } of rawResponses) {
    const codec = responseCodecs[method];
    const decoded = codec.decode(raw);
    assert.deepEqual(Buffer.from(codec.encode(decoded)), raw, `${method}: the response has no fields beyond the proto`);
    const found: Array<{ path: string; field: string }> = [];
    bytesFieldsIn(decoded, ['response'], found);
    for (const { path, field } of found) assert.ok(publicBytesFields.has(field), `${method}: bytes in ${path}`);
  }

  // The real seeds, recovered from the files the long way round, and pieces of their expansions.
  const seeds = await recoverSeeds(cryptoNode.keystoreFolder, testSecret);
  assert.equal(seeds.size, keys.length * 2, 'two versions of every key');
  const needles: Array<{ name: string; value: Uint8Array }> = [];
  for (const key of keys) {
    for (const version of [1, 2]) {
      const seed = seeds.get(`${key.keyId}/${version}`);
      assert.ok(seed, `${key.keyId}/${version}`);
      const expanded = key.expand(seed);
      assert.equal(hex(expanded.publicKey), hex(publicKeys.get(`${key.keyId}/${version}`)!), 'the recovered seed is the key the node served');
      const name = `${key.keyId}/${version}`;
      needles.push({ name: `${name} seed`, value: seed });
      if (isKem(key.wire)) {
        needles.push({ name: `${name} d`, value: seed.subarray(0, 32) }, { name: `${name} z`, value: seed.subarray(32, 64) });
        needles.push({ name: `${name} dk_pke`, value: expanded.secretKey.subarray(0, 32) });
      } else {
        // FIPS 204 sk = rho (public) || K || tr || s1 || …: K and the start of s1 are secret.
        needles.push({ name: `${name} K`, value: expanded.secretKey.subarray(32, 64) });
        needles.push({ name: `${name} s1`, value: expanded.secretKey.subarray(128, 160) });
      }
    }
  }
  // The scan sees what responses carry: every public key is found in some response.
  for (const [name, publicKey] of publicKeys) {
    assert.ok(rawResponses.some(({ bytes: raw }) => raw.includes(Buffer.from(publicKey))), `the public key of ${name} is in a response`);
  }
  const logText = cryptoNode.node.logLines.join('\n');
  for (const needle of needles) {
    const value = Buffer.from(needle.value);
    for (const { method, bytes: raw } of rawResponses) assert.ok(!raw.includes(value), `${needle.name} appears in a ${method} response`);
    for (const rendering of [value.toString('hex'), value.toString('hex').toUpperCase(), value.toString('base64').replace(/=+$/, ''), value.toString('base64url')]) {
      assert.ok(!logText.includes(rendering), `${needle.name} appears in the log`);
    }
  }

  // And, whatever the encoding, no long run of hex or base64 in the log: nothing longer than a
  // 32-byte hash in hex (64) or base64 (43) is ever logged.
  for (const line of cryptoNode.node.logLines) {
    assert.doesNotMatch(line, /[0-9a-fA-F]{64,}/, 'a long hex run in the log');
    assert.doesNotMatch(line, /[A-Za-z0-9+/_-]{43,}/, 'a long base64 run in the log');
  }
});
