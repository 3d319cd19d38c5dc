import { KeyInfo, KeyVersionInfo, PublicKeyResponse } from '../../generated/aurigraph.js';
import type { KeyDescription, KeyVersionInfo as StoredVersion } from '../keystore/keystore.js';
import { algorithmToWire, versionStateToWire } from './wire-algorithms.js';

/**
 * Keystore descriptions → response messages. Only public parts exist on the keystore side
 * (public key, status, times), so nothing here can carry private key material.
 */

export function keyVersionMessage(version: StoredVersion): KeyVersionInfo {
  return KeyVersionInfo.create({
    version: version.version,
    state: versionStateToWire(version.status),
    publicKey: version.publicKey,
    createdAtUnixMs: BigInt(version.createdAtMs),
    retiredAtUnixMs: BigInt(version.retiredAtMs ?? 0),
  });
}

export function keyInfoMessage(description: KeyDescription, label: string): KeyInfo {
  return KeyInfo.create({
    keyId: description.keyId,
    algorithm: algorithmToWire(description.algorithm),
    label,
    currentVersion: description.activeVersion,
    versions: description.versions.map(keyVersionMessage),
  });
}

export function publicKeyMessage(version: StoredVersion): PublicKeyResponse {
  return PublicKeyResponse.create({
    keyId: version.keyId,
    version: version.version,
    algorithm: algorithmToWire(version.algorithm),
    publicKey: version.publicKey,
    state: versionStateToWire(version.status),
  });
}
