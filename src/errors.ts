/**
 * Errors a user can act on. Every module throws one of these for bad input or a bad state, and
 * the gRPC layer maps `kind` to a status code (see src/server/status.ts). Anything else that
 * escapes is a bug and becomes INTERNAL.
 */

export type ErrorKind =
  | 'invalid_argument'
  | 'not_found'
  | 'already_exists'
  | 'failed_precondition'
  | 'resource_exhausted'
  | 'unavailable'
  | 'permission_denied'
  | 'unauthenticated';

export class AurigraphError extends Error {
  readonly kind: ErrorKind;
  /** The request field or config path the error is about, when there is one. */
  readonly field: string | undefined;

  constructor(kind: ErrorKind, message: string, field?: string) {
    super(message);
    this.name = 'AurigraphError';
    this.kind = kind;
    this.field = field;
  }
}

export function invalidArgument(field: string, message: string): AurigraphError {
  return new AurigraphError('invalid_argument', `${field}: ${message}`, field);
}

export function notFound(field: string, message: string): AurigraphError {
  return new AurigraphError('not_found', `${field}: ${message}`, field);
}

export function failedPrecondition(message: string, field?: string): AurigraphError {
  return new AurigraphError('failed_precondition', field ? `${field}: ${message}` : message, field);
}

export function alreadyExists(field: string, message: string): AurigraphError {
  return new AurigraphError('already_exists', `${field}: ${message}`, field);
}

export function unavailable(message: string): AurigraphError {
  return new AurigraphError('unavailable', message);
}

/** Invariant check: a failed assertion is a bug in this program, never a user error. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}
