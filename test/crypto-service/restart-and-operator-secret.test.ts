import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  DecapsulateRequest,
  EncapsulateRequest,
  GenerateKeyRequest,
  GetKeyAuditTrailRequest,
  GetPublicKeyRequest,
  KeyAlgorithm,
  RetireKeyVersionRequest,
  RotateKeysRequest,
  SignDataRequest,
  VerifySignatureRequest,
  type PublicKeyResponse,
} from '../../src/generated/aurigraph.js';
import { keyLabelsFileName } from '../../src/crypto/service/index.js';
import { makeDataDir, parseLogLines, startNodeProcess } from '../helpers/node-process.js';
import { snapshotFiles } from '../crypto/fixtures/crypto-fixtures.js';
import { bytes, hex, startCryptoNode, stopCryptoNode, testSecret } from './fixtures/crypto-service-fixtures.js';

// A node restarted on its data folder with the right secret finds every key, version, label and
// audit event; started with a wrong or missing secret it exits non-zero with a message naming
// the variable (and the keystore path), and leaves every keystore byte as it was.

/** Starts the node expecting it to fail; returns its "node failed to start" error message. */
async function expectFailedStart(dataDir: string, env: NodeJS.ProcessEnv, args: string[] = []): Promise<string> {
  let failure: Error | undefined;
  try {
    const node = await startNodeProcess({ dataDir, env, args });
    await node.stop('SIGKILL');
  } catch (error) {
    failure = error as Error;
  }
  assert.ok(failure, 'the node must not start');
  const exitCode = /^node exited with code (\S+) before listening/.exec(failure.message)?.[1];
  assert.ok(exitCode !== undefined && exitCode !== 'null' && exitCode !== '0', `the process exits non-zero: ${failure.message.split('\n')[0]}`);
  const logLines = failure.message.split('\n').slice(1);
  const entry = parseLogLines(logLines).find((line) => line['msg'] === 'node failed to start');
  assert.ok(entry, `the node logs why it failed:\n${logLines.join('\n')}`);
  return String((entry['error'] as { message?: unknown }).message);
}

async function allVersions(
  getPublicKey: (request: GetPublicKeyRequest) => Promise<PublicKeyResponse>,
  keyId: string,
): Promise<Array<[number, number, string]>> {
  const current = await getPublicKey(GetPublicKeyRequest.create({ keyId }));
  const versions: Array<[number, number, string]> = [];
  for (let version = 1; version <= current.version; version++) {
    const entry = await getPublicKey(GetPublicKeyRequest.create({ keyId, version }));
    versions.push([entry.version, entry.state, hex(entry.publicKey)]);
  }
  return versions;
}

test('keys survive a restart; a wrong or missing secret stops start and changes no keystore byte', async (t) => {
  const dataDir = makeDataDir('aurigraph-crypto-restart-');
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const message = bytes('state root 0x42');

  // First life: keys, rotations, a retirement, a signature and an encapsulation to keep.
  const first = await startCryptoNode({ dataDir });
  const crypto = first.client.crypto;
  await crypto.generateKey(GenerateKeyRequest.create({ keyId: 'validator', algorithm: KeyAlgorithm.ML_DSA_87, label: 'block signing' }));
  await crypto.generateKey(GenerateKeyRequest.create({ keyId: 'transport', algorithm: KeyAlgorithm.ML_KEM_1024, label: 'peer channel' }));
  await crypto.rotateKeys(RotateKeysRequest.create({ keyIds: ['validator'] }));
  const keptSignature = await crypto.signData(SignDataRequest.create({ keyId: 'validator', data: message }));
  assert.equal(keptSignature.version, 2);
  await crypto.rotateKeys(RotateKeysRequest.create({ keyIds: ['validator'] }));
  await crypto.retireKeyVersion(RetireKeyVersionRequest.create({ keyId: 'validator', version: 1 }));
  const keptEncapsulation = await crypto.encapsulate(EncapsulateRequest.create({ keyId: 'transport' }));
  const before = {
    validator: await allVersions((request) => crypto.getPublicKey(request), 'validator'),
    transport: await allVersions((request) => crypto.getPublicKey(request), 'transport'),
    validatorTrail: await crypto.getKeyAuditTrail(GetKeyAuditTrailRequest.create({ keyId: 'validator' })),
    transportTrail: await crypto.getKeyAuditTrail(GetKeyAuditTrailRequest.create({ keyId: 'transport' })),
  };
  assert.equal(before.validator.length, 3);
  assert.equal(before.validatorTrail.events.length, 4);
  await stopCryptoNode(first);

  const keystoreFolder = first.keystoreFolder;
  // Every keystore file and the labels file, relative path → SHA-256 (the Raft log is not ours).
  const protectedFiles = (): Map<string, string> =>
    new Map(
      [...snapshotFiles(first.nodeDataDir)].filter(([name]) => name.startsWith(`keystore${path.sep}`) || name === keyLabelsFileName),
    );
  const onDisk = protectedFiles();
  assert.deepEqual(
    [...onDisk.keys()].sort(),
    [keyLabelsFileName, ...['data.mdb', 'header.json', 'lock.mdb'].map((name) => path.join('keystore', name))].sort(),
  );

  // A wrong secret: non-zero exit, the message names the keystore path and the variable.
  const wrongSecret = await expectFailedStart(dataDir, { AURIGRAPH_KEYSTORE_SECRET: 'not the secret' });
  assert.match(wrongSecret, new RegExp(`keystore at ${keystoreFolder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the operator secret does not decrypt it \\(wrong AURIGRAPH_KEYSTORE_SECRET\\?\\)`));
  assert.deepEqual(protectedFiles(), onDisk, 'a wrong secret changes no keystore byte');

  // A wrong secret under another variable name, chosen by crypto.keystore.secretEnv.
  const renamed = await expectFailedStart(
    dataDir,
    { AURIGRAPH_KEYSTORE_SECRET: testSecret, NODE_A_KEYSTORE_SECRET: 'also not the secret' },
    ['--set', 'crypto.keystore.secretEnv=NODE_A_KEYSTORE_SECRET'],
  );
  assert.match(renamed, /the operator secret does not decrypt it \(wrong NODE_A_KEYSTORE_SECRET\?\)/);

  // No secret in a profile other than dev: start fails naming the variable.
  const missing = await expectFailedStart(dataDir, { AURIGRAPH_KEYSTORE_SECRET: undefined }, ['--profile', 'soak']);
  assert.match(missing, /needs an operator secret in the environment variable AURIGRAPH_KEYSTORE_SECRET/);

  // No secret in the dev profile: the development secret is tried, and it is wrong for a
  // keystore made under a real one, so start fails rather than opening or replacing it.
  const developmentFallback = await expectFailedStart(dataDir, { AURIGRAPH_KEYSTORE_SECRET: undefined });
  assert.match(developmentFallback, /the operator secret does not decrypt it \(wrong AURIGRAPH_KEYSTORE_SECRET\?\)/);

  assert.deepEqual(protectedFiles(), onDisk, 'failed starts change no keystore or label byte');

  // Second life with the right secret: everything is where it was.
  const second = await startCryptoNode({ dataDir });
  t.after(() => second.node.stop('SIGKILL'));
  const restarted = second.client.crypto;
  assert.deepEqual(await allVersions((request) => restarted.getPublicKey(request), 'validator'), before.validator);
  assert.deepEqual(await allVersions((request) => restarted.getPublicKey(request), 'transport'), before.transport);
  assert.deepEqual(await restarted.getKeyAuditTrail(GetKeyAuditTrailRequest.create({ keyId: 'validator' })), before.validatorTrail);
  assert.deepEqual(await restarted.getKeyAuditTrail(GetKeyAuditTrailRequest.create({ keyId: 'transport' })), before.transportTrail);

  const verified = await restarted.verifySignature(
    VerifySignatureRequest.create({ keyId: 'validator', version: 2, data: message, signature: keptSignature.signature }),
  );
  assert.equal(verified.valid, true, 'a signature from before the restart verifies with its version');
  const recovered = await restarted.decapsulate(DecapsulateRequest.create({ keyId: 'transport', ciphertext: keptEncapsulation.ciphertext }));
  assert.equal(hex(recovered.sharedSecret), hex(keptEncapsulation.sharedSecret), 'the private key survived the restart');
  const signedAfter = await restarted.signData(SignDataRequest.create({ keyId: 'validator', data: message }));
  assert.equal(signedAfter.version, 3, 'the current version is still the current version');

  // Labels are kept beside the keystore and come back with the key.
  const rotatedAfter = await restarted.rotateKeys(RotateKeysRequest.create({ keyIds: ['validator', 'transport'] }));
  assert.deepEqual(rotatedAfter.keys.map((key) => [key.keyId, key.label, key.currentVersion]), [
    ['validator', 'block signing', 4],
    ['transport', 'peer channel', 2],
  ]);
  await stopCryptoNode(second);
});
