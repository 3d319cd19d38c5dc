/**
 * Binds a generated service definition to a grpc-js Client, giving promise-based unary calls
 * and async-iterable streams. Every call gets a deadline; idempotent reads are retried on
 * UNAVAILABLE with a bounded, jittered backoff inside that deadline.
 */
import { once } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import { assert } from '../errors.js';
import type { CallOptions, DuplexStream, ResponseStream, ServiceClient } from './call-types.js';

export interface ClientDefaults {
  deadlineMs: number;
  /** Attempts in all for an idempotent read (1 = no retry). */
  readAttemptsMax: number;
  retryBackoffMs: number;
}

type MethodDefinition = grpc.MethodDefinition<unknown, unknown>;

/** Reads are safe to repeat; writes are not (a retried submit could apply twice). */
export function isIdempotentRead(originalName: string): boolean {
  return /^(Get|Scan|Search|List|Verify)/.test(originalName);
}

/** Unary calls get the default deadline; streams run until closed unless the caller sets one. */
function callOptionsFor(
  defaults: ClientDefaults,
  options: CallOptions | undefined,
  streaming = false,
): grpc.CallOptions {
  const deadlineMs = options?.deadlineMs ?? (streaming ? Infinity : defaults.deadlineMs);
  return Number.isFinite(deadlineMs) ? { deadline: Date.now() + deadlineMs } : {};
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isRetryable(error: unknown): boolean {
  return (error as Partial<grpc.ServiceError> | undefined)?.code === grpc.status.UNAVAILABLE;
}

function abortWith(call: grpc.Call, signal: AbortSignal | undefined): void {
  if (!signal) return;
  if (signal.aborted) call.cancel();
  else signal.addEventListener('abort', () => call.cancel(), { once: true });
}

function unary(client: grpc.Client, method: MethodDefinition, defaults: ClientDefaults) {
  const attemptsMax = isIdempotentRead(method.originalName ?? '') ? defaults.readAttemptsMax : 1;
  assert(attemptsMax >= 1, 'at least one attempt');
  const once = (request: unknown, options: CallOptions | undefined, grpcOptions: grpc.CallOptions) =>
    new Promise<unknown>((resolve, reject) => {
      const call = client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        request,
        options?.metadata ?? new grpc.Metadata(),
        grpcOptions,
        (error, response) => (error ? reject(error) : resolve(response)),
      );
      abortWith(call, options?.signal);
    });
  return async (request: unknown, options?: CallOptions): Promise<unknown> => {
    const grpcOptions = callOptionsFor(defaults, options);
    for (let attempt = 1; ; attempt++) {
      try {
        return await once(request, options, grpcOptions);
      } catch (error) {
        if (attempt >= attemptsMax || !isRetryable(error) || options?.signal?.aborted) throw error;
        const backoffMs = defaults.retryBackoffMs * 2 ** (attempt - 1);
        await sleep(backoffMs / 2 + Math.random() * (backoffMs / 2));
      }
    }
  };
}

function responseStream<Response>(call: grpc.ClientReadableStream<Response> | grpc.ClientDuplexStream<unknown, Response>): ResponseStream<Response> {
  return {
    cancel: () => call.cancel(),
    async *[Symbol.asyncIterator]() {
      let finished = false;
      try {
        for await (const response of call as AsyncIterable<Response>) yield response;
        finished = true;
      } finally {
        if (!finished) call.cancel();
      }
    },
  };
}

function serverStream(client: grpc.Client, method: MethodDefinition, defaults: ClientDefaults) {
  return (request: unknown, options?: CallOptions): ResponseStream<unknown> => {
    const call = client.makeServerStreamRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      request,
      options?.metadata ?? new grpc.Metadata(),
      callOptionsFor(defaults, options, true),
    );
    abortWith(call, options?.signal);
    return responseStream(call);
  };
}

function clientStream(client: grpc.Client, method: MethodDefinition, defaults: ClientDefaults) {
  return (requests: Iterable<unknown> | AsyncIterable<unknown>, options?: CallOptions): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const call = client.makeClientStreamRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        options?.metadata ?? new grpc.Metadata(),
        callOptionsFor(defaults, options, true),
        (error, response) => (error ? reject(error) : resolve(response)),
      );
      abortWith(call, options?.signal);
      void (async () => {
        for await (const request of requests) {
          if (!call.write(request)) await once(call, 'drain');
        }
        call.end();
      })().catch((error: unknown) => {
        call.cancel();
        reject(error);
      });
    });
}

function bidiStream(client: grpc.Client, method: MethodDefinition, defaults: ClientDefaults) {
  return (options?: CallOptions): DuplexStream<unknown, unknown> => {
    const call = client.makeBidiStreamRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      options?.metadata ?? new grpc.Metadata(),
      callOptionsFor(defaults, options, true),
    );
    abortWith(call, options?.signal);
    return {
      ...responseStream(call),
      async write(request) {
        if (!call.write(request)) await once(call, 'drain');
      },
      end: () => call.end(),
    };
  };
}

export function bindService<Methods>(
  client: grpc.Client,
  definition: grpc.ServiceDefinition,
  defaults: ClientDefaults,
): ServiceClient<Methods> {
  const bound: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(definition) as Array<[string, MethodDefinition]>) {
    if (method.requestStream && method.responseStream) bound[name] = bidiStream(client, method, defaults);
    else if (method.requestStream) bound[name] = clientStream(client, method, defaults);
    else if (method.responseStream) bound[name] = serverStream(client, method, defaults);
    else bound[name] = unary(client, method, defaults);
  }
  return bound as ServiceClient<Methods>;
}
