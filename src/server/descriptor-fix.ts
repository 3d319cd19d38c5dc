/**
 * protobufjs (under @grpc/proto-loader) names a map field's implicit entry message after the
 * field (`Statuses`) where protoc names it `StatusesEntry`. Go's protobuf runtime, and so
 * grpcurl, rejects such a descriptor ("incorrect implicit map entry name"), which breaks
 * reflection for grpc.health.v1 (its List response has a map). We rename the entries in the
 * serialized descriptors the reflection service hands out.
 */
import { createRequire } from 'node:module';
import type { PackageDefinition } from '@grpc/proto-loader';

const require = createRequire(import.meta.url);
// protobufjs ships the descriptor extension as CommonJS without type declarations of its own.
const descriptor = require('protobufjs/ext/descriptor') as {
  FileDescriptorProto: {
    decode(bytes: Uint8Array): FileDescriptor;
    encode(message: FileDescriptor): { finish(): Uint8Array };
  };
};

interface FieldDescriptor {
  typeName?: string;
}
interface MessageDescriptor {
  name: string;
  field: FieldDescriptor[];
  nestedType: MessageDescriptor[];
  options?: { mapEntry?: boolean } | null;
}
interface FileDescriptor {
  package?: string;
  messageType: MessageDescriptor[];
}

function protocEntryName(name: string): string {
  const pascal = name.charAt(0).toUpperCase() + name.slice(1);
  return pascal.endsWith('Entry') ? pascal : `${pascal}Entry`;
}

/** Returns true when something was renamed. */
function renameMapEntriesIn(message: MessageDescriptor, scope: string): boolean {
  let changed = false;
  const messageScope = `${scope}.${message.name}`;
  for (const nested of message.nestedType) {
    if (nested.options?.mapEntry && !nested.name.endsWith('Entry')) {
      // protobufjs may refer to the entry by its short name or its full name.
      const oldNames = new Set([nested.name, `${messageScope}.${nested.name}`, `${messageScope.slice(1)}.${nested.name}`]);
      nested.name = protocEntryName(nested.name);
      for (const field of message.field) {
        if (field.typeName !== undefined && oldNames.has(field.typeName)) {
          field.typeName = `${messageScope}.${nested.name}`;
        }
      }
      changed = true;
    }
    changed = renameMapEntriesIn(nested, messageScope) || changed;
  }
  return changed;
}

function fixFileDescriptor(bytes: Buffer): Buffer {
  const file = descriptor.FileDescriptorProto.decode(bytes);
  const scope = file.package ? `.${file.package}` : '';
  let changed = false;
  for (const message of file.messageType) changed = renameMapEntriesIn(message, scope) || changed;
  return changed ? Buffer.from(descriptor.FileDescriptorProto.encode(file).finish()) : bytes;
}

export function withProtocMapEntryNames(packageDefinition: PackageDefinition): PackageDefinition {
  const fixed = new Map<Buffer, Buffer>();
  const fixOnce = (bytes: Buffer): Buffer => {
    let result = fixed.get(bytes);
    if (!result) {
      result = fixFileDescriptor(bytes);
      fixed.set(bytes, result);
    }
    return result;
  };
  const result: PackageDefinition = {};
  for (const [name, definition] of Object.entries(packageDefinition)) {
    const files = (definition as { fileDescriptorProtos?: Buffer[] }).fileDescriptorProtos;
    result[name] = files
      ? ({ ...definition, fileDescriptorProtos: files.map(fixOnce) } as typeof definition)
      : definition;
  }
  return result;
}
