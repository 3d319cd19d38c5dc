import {
  GetKeyAuditTrailResponse,
  KeyAuditAction,
  KeyAuditEvent,
  type GetKeyAuditTrailRequest,
} from '../../generated/aurigraph.js';
import { invalidArgument } from '../../errors.js';
import type { AuditOperation, AuditRecord } from '../keystore/keystore.js';
import { checkKeyId } from './request-checks.js';
import type { CryptoServiceContext } from './service-context.js';
import { withWireFields } from './wire-errors.js';

/**
 * GetKeyAuditTrail: the keystore's record of a key's changes (created, rotated, retired), oldest
 * first, numbered per key from 1 as the proto asks. Only changes are recorded, each in the same
 * LMDB transaction as the change, so every event is a success; uses of a key (sign, verify,
 * encapsulate, decapsulate) are not written to the keystore. The server authenticates no caller
 * yet, so `actor` is empty.
 *
 * A page token is the next per-key sequence number, bound to the key id, in base64url JSON.
 */

export const pageSizeDefault = 100;
export const pageSizeMax = 1000;

const actionOfOperation: Record<AuditOperation, KeyAuditAction> = {
  create: KeyAuditAction.KEY_CREATED,
  rotate: KeyAuditAction.KEY_ROTATED,
  retire: KeyAuditAction.KEY_RETIRED,
};

export function getKeyAuditTrail(context: CryptoServiceContext, request: GetKeyAuditTrailRequest): GetKeyAuditTrailResponse {
  const keyId = checkKeyId('key_id', request.keyId);
  if (request.pageSize > pageSizeMax) {
    throw invalidArgument('page_size', `pages hold 1 to ${pageSizeMax} events (0 means ${pageSizeDefault}), got ${request.pageSize}`);
  }
  const pageSize = request.pageSize === 0 ? pageSizeDefault : request.pageSize;
  const firstSequence = request.pageToken.length === 0 ? 1 : decodePageToken(request.pageToken, keyId);
  const records = withWireFields(() => {
    context.keystore.describeKey(keyId);
    return context.keystore.auditTrail(keyId);
  });
  const page = records.slice(firstSequence - 1, firstSequence - 1 + pageSize);
  const events = page.map((record, index) => auditEventMessage(record, firstSequence + index));
  const nextSequence = firstSequence + page.length;
  return GetKeyAuditTrailResponse.create({
    events,
    nextPageToken: nextSequence <= records.length ? encodePageToken(keyId, nextSequence) : '',
  });
}

function auditEventMessage(record: AuditRecord, sequence: number): KeyAuditEvent {
  return KeyAuditEvent.create({
    sequence: BigInt(sequence),
    keyId: record.keyId,
    version: record.version,
    action: actionOfOperation[record.operation],
    occurredAtUnixMs: BigInt(record.timestampMs),
    actor: '',
    success: true,
    detail: '',
  });
}

function encodePageToken(keyId: string, nextSequence: number): string {
  return Buffer.from(JSON.stringify({ keyId, next: nextSequence }), 'utf8').toString('base64url');
}

function decodePageToken(token: string, keyId: string): number {
  const invalid = (): Error => invalidArgument('page_token', 'not a token from a previous GetKeyAuditTrail response; send an empty one for the first page');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const fields = value as { keyId?: unknown; next?: unknown } | null;
  if (typeof fields !== 'object' || fields === null || typeof fields.next !== 'number' || !Number.isSafeInteger(fields.next) || fields.next < 1) {
    throw invalid();
  }
  if (fields.keyId !== keyId) {
    throw invalidArgument('page_token', `the token belongs to key ${JSON.stringify(fields.keyId)}, not "${keyId}"`);
  }
  return fields.next;
}
