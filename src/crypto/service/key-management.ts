import {
  KeyInfo,
  RotateKeysResponse,
  type GenerateKeyRequest,
  type GetPublicKeyRequest,
  type PublicKeyResponse,
  type RetireKeyVersionRequest,
  type RotateKeysRequest,
} from '../../generated/aurigraph.js';
import { alreadyExists, invalidArgument } from '../../errors.js';
import { keyInfoMessage, publicKeyMessage } from './key-messages.js';
import { checkKeyId, checkLabel, keyExists } from './request-checks.js';
import type { CryptoServiceContext } from './service-context.js';
import { algorithmFromWire } from './wire-algorithms.js';
import { withWireFields } from './wire-errors.js';

/** GenerateKey, GetPublicKey, RotateKeys and RetireKeyVersion. */

/** Bounds one RotateKeys call: each key gets a new version sealed and written in turn. */
export const rotateKeyIdsMax = 100;

export function generateKey(context: CryptoServiceContext, request: GenerateKeyRequest): KeyInfo {
  const keyId = checkKeyId('key_id', request.keyId);
  const algorithm = algorithmFromWire('algorithm', request.algorithm);
  const label = checkLabel(request.label);
  return withWireFields(() => {
    const { keystore, labels } = context;
    if (keyExists(keystore, keyId)) throw alreadyExists('key_id', `key "${keyId}" already exists; rotate it to get a new version`);
    labels.set(keyId, label);
    keystore.createKey(keyId, algorithm, context.nowMs());
    return keyInfoMessage(keystore.describeKey(keyId), label);
  });
}

export function getPublicKey(context: CryptoServiceContext, request: GetPublicKeyRequest): PublicKeyResponse {
  const keyId = checkKeyId('key_id', request.keyId);
  return withWireFields(() =>
    publicKeyMessage(context.keystore.getPublicKey(keyId, request.version === 0 ? undefined : request.version)),
  );
}

export function rotateKeys(context: CryptoServiceContext, request: RotateKeysRequest): RotateKeysResponse {
  const keyIds = request.keyIds;
  if (keyIds.length === 0) throw invalidArgument('key_ids', 'name at least one key to rotate');
  if (keyIds.length > rotateKeyIdsMax) {
    throw invalidArgument('key_ids', `at most ${rotateKeyIdsMax} keys per call, got ${keyIds.length}`);
  }
  const seen = new Set<string>();
  keyIds.forEach((keyId, index) => {
    const field = `key_ids[${index}]`;
    checkKeyId(field, keyId);
    if (seen.has(keyId)) throw invalidArgument(field, `key "${keyId}" is named twice; each key gets one new version per call`);
    seen.add(keyId);
  });
  const { keystore, labels } = context;
  // Every key is checked before any is rotated, so an unknown id changes nothing.
  keyIds.forEach((keyId, index) => withWireFields(() => keystore.describeKey(keyId), { keyId: `key_ids[${index}]` }));
  const timestampMs = context.nowMs();
  const keys = keyIds.map((keyId, index) =>
    withWireFields(
      () => {
        keystore.rotate(keyId, timestampMs);
        return keyInfoMessage(keystore.describeKey(keyId), labels.get(keyId));
      },
      { keyId: `key_ids[${index}]` },
    ),
  );
  return RotateKeysResponse.create({ keys });
}

export function retireKeyVersion(context: CryptoServiceContext, request: RetireKeyVersionRequest): KeyInfo {
  const keyId = checkKeyId('key_id', request.keyId);
  if (request.version === 0) throw invalidArgument('version', 'name the version to retire (versions count from 1)');
  return withWireFields(() => {
    const { keystore, labels } = context;
    keystore.retire(keyId, request.version, context.nowMs());
    return keyInfoMessage(keystore.describeKey(keyId), labels.get(keyId));
  });
}
