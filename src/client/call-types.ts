import type { CallOptions as GrpcCallOptions, Metadata } from '@grpc/grpc-js';

/** What the generator says about each method: its messages and whether each side streams. */
export interface MethodShape {
  request: unknown;
  response: unknown;
  requestStream: boolean;
  responseStream: boolean;
}

export interface CallOptions {
  /** Overrides the client's default deadline for this call. `Infinity` means none. */
  deadlineMs?: number;
  metadata?: Metadata;
  signal?: AbortSignal;
}

export type UnaryCall<Request, Response> = (request: Request, options?: CallOptions) => Promise<Response>;

export type ServerStreamCall<Request, Response> = (
  request: Request,
  options?: CallOptions,
) => ResponseStream<Response>;

export type ClientStreamCall<Request, Response> = (
  requests: Iterable<Request> | AsyncIterable<Request>,
  options?: CallOptions,
) => Promise<Response>;

export type BidiStreamCall<Request, Response> = (options?: CallOptions) => DuplexStream<Request, Response>;

/** Responses as an async iterable; leaving the loop early cancels the call. */
export interface ResponseStream<Response> extends AsyncIterable<Response> {
  cancel(): void;
}

/** A bidirectional call: write requests with backpressure, read responses as they come. */
export interface DuplexStream<Request, Response> extends ResponseStream<Response> {
  /** Resolves once the request is handed to the transport (waits while its buffer is full). */
  write(request: Request): Promise<void>;
  /** Half-closes: no more requests; responses keep arriving. */
  end(): void;
}

export type MethodCall<M extends MethodShape> = M['requestStream'] extends true
  ? M['responseStream'] extends true
    ? BidiStreamCall<M['request'], M['response']>
    : ClientStreamCall<M['request'], M['response']>
  : M['responseStream'] extends true
    ? ServerStreamCall<M['request'], M['response']>
    : UnaryCall<M['request'], M['response']>;

export type ServiceClient<Methods> = {
  [Name in keyof Methods]: Methods[Name] extends MethodShape ? MethodCall<Methods[Name]> : never;
};

export type { GrpcCallOptions };
