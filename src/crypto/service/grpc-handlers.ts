import type * as grpc from '@grpc/grpc-js';
import type { CryptoServiceHandlers } from '../../generated/aurigraph.js';
import type { Logger } from '../../log/logger.js';
import { isUserError, toServiceError } from '../../server/status.js';
import { getKeyAuditTrail } from './audit-trail.js';
import { decapsulate, encapsulate } from './key-encapsulation.js';
import { deriveKey } from './key-derivation.js';
import { generateKey, getPublicKey, retireKeyVersion, rotateKeys } from './key-management.js';
import type { CryptoServiceContext } from './service-context.js';
import { signData, verifySignature } from './signing.js';

/**
 * CryptoService's gRPC handlers: each decodes nothing itself (the generated definition did),
 * runs one operation and answers. A refused request (an AurigraphError) becomes its gRPC status
 * with a message naming the field; anything else is a bug, logged here and answered INTERNAL.
 * Requests and responses are never logged: they carry input key material, derived keys and
 * shared secrets.
 */
export function createCryptoServiceHandlers(context: CryptoServiceContext, logger: Logger): CryptoServiceHandlers {
  const unary = <Request, Response>(method: string, operation: (request: Request) => Response): grpc.handleUnaryCall<Request, Response> =>
    (call, callback) => {
      let response: Response;
      try {
        response = operation(call.request);
      } catch (error) {
        if (isUserError(error)) {
          logger.debug('request refused', { method, kind: error.kind, field: error.field });
        } else {
          logger.error('bug: unexpected error in a CryptoService handler', { method, error });
        }
        callback(toServiceError(error));
        return;
      }
      callback(null, response);
    };
  return {
    generateKey: unary('GenerateKey', (request) => generateKey(context, request)),
    getPublicKey: unary('GetPublicKey', (request) => getPublicKey(context, request)),
    signData: unary('SignData', (request) => signData(context, request)),
    verifySignature: unary('VerifySignature', (request) => verifySignature(context, request)),
    rotateKeys: unary('RotateKeys', (request) => rotateKeys(context, request)),
    retireKeyVersion: unary('RetireKeyVersion', (request) => retireKeyVersion(context, request)),
    getKeyAuditTrail: unary('GetKeyAuditTrail', (request) => getKeyAuditTrail(context, request)),
    deriveKey: unary('DeriveKey', (request) => deriveKey(request)),
    encapsulate: unary('Encapsulate', (request) => encapsulate(context, request)),
    decapsulate: unary('Decapsulate', (request) => decapsulate(context, request)),
  };
}
