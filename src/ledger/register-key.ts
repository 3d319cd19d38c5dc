/**
 * The REGISTER_KEY rule, applied after the sender's nonce and fee were taken (execute-shard.ts).
 * An account's first key must be an ACCOUNT_SIGNING key that certifies itself: SHA-256 of the
 * public key equals the account id. Later keys were authorised by the transaction's signature,
 * checked before ordering against an existing ACCOUNT_SIGNING key; here they only have to be
 * well-formed, new to the account, and within the per-account bound.
 */
import { KeyRole, RegisterKeyPayload, RejectReason } from '../generated/aurigraph.js';
import {
  type Account,
  type RegisteredPublicKey,
  isAccountKeyRole,
  keyAlgorithmName,
  keysPerAccountMax,
  signingPublicKeyBytes,
} from './account.js';
import { bytesEqual, copyBytes, hex, sha256 } from './bytes.js';

export interface ExecutionFailure {
  reason: RejectReason;
  message: string;
}

/** Adds the key to `account` and to `registeredKeys`, or says why not (changing nothing). */
export function registerKey(
  account: Account,
  payloadBytes: Uint8Array,
  height: bigint,
  registeredKeys: RegisteredPublicKey[],
): ExecutionFailure | undefined {
  let payload: RegisterKeyPayload;
  try {
    payload = RegisterKeyPayload.decode(payloadBytes);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { reason: RejectReason.MALFORMED, message: `payload: not a RegisterKeyPayload (${detail})` };
  }
  if (!isAccountKeyRole(payload.role)) {
    return { reason: RejectReason.KEY_REJECTED, message: `payload.role: must be ACCOUNT_SIGNING or BATCH_SUBMITTER, got ${payload.role}` };
  }
  const publicKeyBytes = signingPublicKeyBytes(payload.algorithm);
  if (publicKeyBytes === undefined) {
    return {
      reason: RejectReason.KEY_REJECTED,
      message: `payload.algorithm: an on-ledger key is ML_DSA_44, ML_DSA_65 or ML_DSA_87, got ${keyAlgorithmName(payload.algorithm)}`,
    };
  }
  if (payload.publicKey.length !== publicKeyBytes) {
    return {
      reason: RejectReason.KEY_REJECTED,
      message: `payload.publicKey: a ${keyAlgorithmName(payload.algorithm)} public key is ${publicKeyBytes} bytes, got ${payload.publicKey.length}`,
    };
  }
  const keyId = sha256(payload.publicKey);
  if (account.keys.length === 0) {
    if (payload.role !== KeyRole.ACCOUNT_SIGNING || !bytesEqual(keyId, account.id)) {
      return {
        reason: RejectReason.KEY_REJECTED,
        message:
          `payload.publicKey: the first key of an account must certify itself: an ACCOUNT_SIGNING key whose ` +
          `SHA-256 (${hex(keyId)}) equals the account id (${hex(account.id)})`,
      };
    }
  }
  if (account.keys.some((key) => bytesEqual(key.keyId, keyId))) {
    return { reason: RejectReason.KEY_REJECTED, message: `payload.publicKey: key ${hex(keyId)} is already registered for this account` };
  }
  if (account.keys.length >= keysPerAccountMax) {
    return { reason: RejectReason.KEY_REJECTED, message: `payload: the account already holds ${keysPerAccountMax} keys, the most it may` };
  }
  account.keys.push({ keyId, role: payload.role, algorithm: payload.algorithm, registeredAtHeight: height });
  registeredKeys.push({ keyId, publicKey: copyBytes(payload.publicKey) });
  return undefined;
}
