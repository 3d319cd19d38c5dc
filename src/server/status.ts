import { status as GrpcStatus, Metadata, type ServiceError } from '@grpc/grpc-js';
import { AurigraphError, type ErrorKind } from '../errors.js';

/** How each user-facing error kind is reported on the wire. */
const statusOfKind: Record<ErrorKind, GrpcStatus> = {
  invalid_argument: GrpcStatus.INVALID_ARGUMENT,
  not_found: GrpcStatus.NOT_FOUND,
  already_exists: GrpcStatus.ALREADY_EXISTS,
  failed_precondition: GrpcStatus.FAILED_PRECONDITION,
  resource_exhausted: GrpcStatus.RESOURCE_EXHAUSTED,
  unavailable: GrpcStatus.UNAVAILABLE,
  permission_denied: GrpcStatus.PERMISSION_DENIED,
  unauthenticated: GrpcStatus.UNAUTHENTICATED,
};

/**
 * Turns anything a handler threw into a gRPC error. AurigraphErrors keep their message (it names
 * the field) and carry the field in the `aurigraph-field` trailer; anything else is a bug, so the
 * client sees INTERNAL without our internals and the caller is expected to have logged it.
 */
export function toServiceError(error: unknown): Partial<ServiceError> {
  const metadata = new Metadata();
  if (error instanceof AurigraphError) {
    if (error.field !== undefined) metadata.set('aurigraph-field', error.field);
    return { code: statusOfKind[error.kind], details: error.message, metadata };
  }
  return { code: GrpcStatus.INTERNAL, details: 'internal error (see the node log)', metadata };
}

export function isUserError(error: unknown): error is AurigraphError {
  return error instanceof AurigraphError;
}
