/**
 * The server's reflection reads proto/ with @grpc/proto-loader; these checks prove those files
 * parse there too and describe exactly the services, methods, messages and enums the generated
 * module exports.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as protoLoader from '@grpc/proto-loader';
import { listProtoFiles } from '../../scripts/proto-gen/schema.js';
import * as generated from '../../src/generated/aurigraph.js';
import { protoDir } from '../../src/paths.js';

// The options src/server/reflection.ts uses.
const packageDefinition = protoLoader.loadSync(listProtoFiles(protoDir), {
  includeDirs: [protoDir],
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
});

const prefix = `${generated.PROTO_PACKAGE}.`;
const entries = Object.entries(packageDefinition).filter(([name]) => name.startsWith(prefix));

function isServiceDefinition(value: protoLoader.AnyDefinition): value is protoLoader.ServiceDefinition {
  return !('format' in value);
}

function lowerCamelCase(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

test('proto-loader finds the same services as SERVICES', () => {
  const loaderServices = entries.filter(([, value]) => isServiceDefinition(value)).map(([name]) => name).sort();
  const generatedServices = Object.values(generated.SERVICES).map((service) => service.name).sort();
  assert.deepEqual(loaderServices, generatedServices);
  assert.equal(generatedServices.length, 7);
});

test('every method has the same path, streaming shape and names in both', () => {
  for (const service of Object.values(generated.SERVICES)) {
    const loaderService = packageDefinition[service.name];
    assert.ok(loaderService !== undefined && isServiceDefinition(loaderService), `${service.name} is a service`);
    const loaderMethods = Object.keys(loaderService).sort();
    const generatedMethods = Object.values(service.definition).map((method) => method.originalName).sort();
    assert.deepEqual(generatedMethods, loaderMethods, `${service.name} methods`);
    for (const [methodName, loaderMethod] of Object.entries(loaderService)) {
      const ours: unknown = (service.definition as Record<string, unknown>)[lowerCamelCase(methodName)];
      assert.ok(typeof ours === 'object' && ours !== null, `${service.name}.${methodName} has a lowerCamelCase key`);
      const method = ours as { path: string; requestStream: boolean; responseStream: boolean; originalName: string };
      assert.equal(method.path, loaderMethod.path);
      assert.equal(method.path, `/${service.name}/${methodName}`);
      assert.equal(method.requestStream, loaderMethod.requestStream, `${method.path} requestStream`);
      assert.equal(method.responseStream, loaderMethod.responseStream, `${method.path} responseStream`);
      assert.equal(method.originalName, methodName);
      assert.equal(loaderMethod.originalName, lowerCamelCase(methodName), 'proto-loader camelCases to our key');
    }
  }
});

test('every message has a generated codec with the same fully qualified name', () => {
  const messages = entries.filter(([, value]) => 'format' in value && value.format === 'Protocol Buffer 3 DescriptorProto');
  assert.ok(messages.length > 50, `found ${messages.length} messages`);
  for (const [fullName] of messages) {
    const exported: unknown = (generated as Record<string, unknown>)[fullName.slice(prefix.length)];
    assert.ok(typeof exported === 'object' && exported !== null && 'typeName' in exported, `${fullName} has a codec`);
    assert.equal(exported.typeName, fullName);
  }
});

test('every enum has a generated const with the same names and numbers', () => {
  const enums = entries.filter(([, value]) => 'format' in value && value.format === 'Protocol Buffer 3 EnumDescriptorProto');
  assert.ok(enums.length >= 10, `found ${enums.length} enums`);
  for (const [fullName, definition] of enums) {
    const descriptor = (definition as protoLoader.EnumTypeDefinition).type as { value: Array<{ name: string; number: number }> };
    const expected = Object.fromEntries(descriptor.value.map((value) => [value.name, value.number]));
    assert.deepEqual({ ...(generated as Record<string, unknown>)[fullName.slice(prefix.length)] as object }, expected, fullName);
  }
  assert.equal(generated.KeyAlgorithm.ML_DSA_87, 3);
  assert.equal(generated.KeyAlgorithm.ML_KEM_1024, 5);
});

test('a request serialized by proto-loader decodes with the generated codec', () => {
  const submitBatch = (packageDefinition['aurigraph.v11.TransactionService'] as protoLoader.ServiceDefinition)['SubmitBatch'];
  assert.ok(submitBatch !== undefined);
  const bytes = submitBatch.requestSerialize({
    batch_id: '18446744073709551615',
    transactions: [{ kind: 'TRANSFER', from: Buffer.alloc(32, 1), to: Buffer.alloc(32, 2), amount: '18446744073709551614', nonce: '1' }],
    submitter_algorithm: 'ML_DSA_44',
  });
  const batch = generated.TxBatch.decode(bytes);
  assert.equal(batch.batchId, (1n << 64n) - 1n);
  assert.equal(batch.submitterAlgorithm, generated.KeyAlgorithm.ML_DSA_44);
  assert.equal(batch.transactions[0]?.kind, generated.TransactionKind.TRANSFER);
  assert.equal(batch.transactions[0]?.amount, (1n << 64n) - 2n);
  assert.deepEqual(batch.transactions[0]?.to, new Uint8Array(32).fill(2));
});
