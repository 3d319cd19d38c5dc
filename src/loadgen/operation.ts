/**
 * What the load generator drives. An operation is one request against the system under test
 * (a gRPC call, an HTTP/2 request, a function); the generator only times it. It resolves when the
 * request is answered and rejects when it failed.
 */
export interface OperationRequest {
  /** Position of this request in the run's schedule, 0-based and unique across generator workers. */
  readonly index: number;
  /** Aborted when the generator gives up on the request (its timeout) or the run is stopped. */
  readonly signal: AbortSignal;
}

export type Operation = (request: OperationRequest) => Promise<unknown>;

/** An operation with the resources it holds (connections, clients) and how to release them. */
export interface OperationHandle {
  readonly run: Operation;
  close?(): Promise<void> | void;
}

/**
 * The module a generator worker thread imports to build its operation, since functions cannot
 * cross a thread boundary. `options` is whatever the caller passed, after structured cloning.
 */
export interface OperationModule {
  createOperation(options: unknown): Promise<OperationHandle> | OperationHandle;
}
