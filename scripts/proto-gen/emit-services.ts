/**
 * Emits the gRPC side of each service: a grpc-js `ServiceDefinition` (keys in lowerCamelCase,
 * `originalName` the proto's PascalCase name), a `Methods` interface describing each method's
 * types and streaming shape, a `Handlers` interface for servers and a typed client.
 */
import { docComment, lowerCamelCase, quote } from './code-text.js';
import type { MethodModel, ServiceModel } from './schema.js';

function handlerType(method: MethodModel): string {
  const types = `<${method.requestMessage}, ${method.responseMessage}>`;
  if (method.requestStream && method.responseStream) return `grpc.handleBidiStreamingCall${types}`;
  if (method.requestStream) return `grpc.handleClientStreamingCall${types}`;
  if (method.responseStream) return `grpc.handleServerStreamingCall${types}`;
  return `grpc.handleUnaryCall${types}`;
}

function methodDoc(service: ServiceModel, method: MethodModel): string {
  const shape = method.requestStream
    ? method.responseStream ? 'bidirectional streaming' : 'client streaming'
    : method.responseStream ? 'server streaming' : 'unary';
  return `\`/${service.fullName}/${method.name}\`, ${shape}.`;
}

function clientOverloads(method: MethodModel): string[] {
  const key = lowerCamelCase(method.name);
  const request = method.requestMessage;
  const response = method.responseMessage;
  const callback = `callback: grpc.requestCallback<${response}>`;
  const options = 'options: Partial<grpc.CallOptions>';
  if (method.requestStream && method.responseStream) {
    const stream = `grpc.ClientDuplexStream<${request}, ${response}>`;
    return [
      `${key}(options?: Partial<grpc.CallOptions>): ${stream};`,
      `${key}(metadata: grpc.Metadata, options?: Partial<grpc.CallOptions>): ${stream};`,
    ];
  }
  if (method.requestStream) {
    const stream = `grpc.ClientWritableStream<${request}>`;
    return [
      `${key}(${callback}): ${stream};`,
      `${key}(metadata: grpc.Metadata, ${callback}): ${stream};`,
      `${key}(${options}, ${callback}): ${stream};`,
      `${key}(metadata: grpc.Metadata, ${options}, ${callback}): ${stream};`,
    ];
  }
  if (method.responseStream) {
    const stream = `grpc.ClientReadableStream<${response}>`;
    return [
      `${key}(request: ${request}, options?: Partial<grpc.CallOptions>): ${stream};`,
      `${key}(request: ${request}, metadata?: grpc.Metadata, options?: Partial<grpc.CallOptions>): ${stream};`,
    ];
  }
  return [
    `${key}(request: ${request}, ${callback}): grpc.ClientUnaryCall;`,
    `${key}(request: ${request}, metadata: grpc.Metadata, ${callback}): grpc.ClientUnaryCall;`,
    `${key}(request: ${request}, metadata: grpc.Metadata, ${options}, ${callback}): grpc.ClientUnaryCall;`,
  ];
}

export function emitService(service: ServiceModel): string[] {
  const definition = `${service.name}Definition`;
  const proto = `Proto: \`${service.fullName}\` in ${service.file}.`;
  return [
    ...docComment([service.comment, proto, 'grpc-js service definition: pass it to `server.addService`.'], ''),
    `export const ${definition} = {`,
    ...service.methods.flatMap((method) => [
      ...docComment([method.comment, methodDoc(service, method)], '  '),
      `  ${lowerCamelCase(method.name)}: {`,
      `    path: ${quote(`/${service.fullName}/${method.name}`)},`,
      `    requestStream: ${String(method.requestStream)},`,
      `    responseStream: ${String(method.responseStream)},`,
      `    requestSerialize: (message: ${method.requestMessage}): Buffer => runtime.toBuffer(${method.requestMessage}.encode(message)),`,
      `    requestDeserialize: (bytes: Buffer): ${method.requestMessage} => ${method.requestMessage}.decode(bytes),`,
      `    responseSerialize: (message: ${method.responseMessage}): Buffer => runtime.toBuffer(${method.responseMessage}.encode(message)),`,
      `    responseDeserialize: (bytes: Buffer): ${method.responseMessage} => ${method.responseMessage}.decode(bytes),`,
      `    originalName: ${quote(method.name)},`,
      '  },',
    ]),
    '} as const satisfies grpc.ServiceDefinition;',
    '',
    ...docComment([`Request and response types and streaming shape of each ${service.name} method.`], ''),
    `export interface ${service.name}Methods {`,
    ...service.methods.map(
      (method) =>
        `  ${lowerCamelCase(method.name)}: { request: ${method.requestMessage}; response: ${method.responseMessage}; ` +
        `requestStream: ${String(method.requestStream)}; responseStream: ${String(method.responseStream)} };`,
    ),
    '}',
    '',
    ...docComment([`Server-side implementation of ${service.name} for \`server.addService(${definition}, handlers)\`.`], ''),
    `export interface ${service.name}Handlers extends grpc.UntypedServiceImplementation {`,
    ...service.methods.flatMap((method) => [
      ...docComment([method.comment], '  '),
      `  ${lowerCamelCase(method.name)}: ${handlerType(method)};`,
    ]),
    '}',
    '',
    ...docComment([`Typed client of ${service.name}; every method is also reachable by its PascalCase name.`], ''),
    `export interface ${service.name}Client extends grpc.Client {`,
    ...service.methods.flatMap((method) => [
      ...docComment([method.comment], '  '),
      ...clientOverloads(method).map((line) => `  ${line}`),
    ]),
    '}',
    '',
    `/** Constructs a {@link ${service.name}Client}: \`new ${service.name}Client(address, credentials)\`. */`,
    `export const ${service.name}Client = grpc.makeGenericClientConstructor(${definition}, ${quote(service.fullName)}) as unknown as {`,
    `  new (address: string, credentials: grpc.ChannelCredentials, options?: Partial<grpc.ClientOptions>): ${service.name}Client;`,
    `  service: typeof ${definition};`,
    '  serviceName: string;',
    '};',
  ];
}

export function emitServiceIndex(services: readonly ServiceModel[]): string[] {
  return [
    '/** Every service of the package, by short name: its fully qualified name and definition. */',
    'export const SERVICES = {',
    ...services.map(
      (service) => `  ${service.name}: { name: ${quote(service.fullName)}, definition: ${service.name}Definition },`,
    ),
    '} as const;',
  ];
}
