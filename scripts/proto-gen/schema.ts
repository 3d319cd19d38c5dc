/**
 * Loads proto/ with protobufjs and turns it into a plain model the emitters read. It is also
 * where the subset of protobuf this project uses is enforced: one package, proto3 scalars,
 * enums, messages and repeated fields; no oneofs, maps, proto3 `optional`, groups or imports
 * from outside proto/. A proto outside that subset fails generation with a message naming it.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import protobuf from 'protobufjs';

export interface EnumValueModel {
  name: string;
  number: number;
  comment: string | null;
}

export interface EnumModel {
  /** TypeScript name: the proto name inside the package, nested names joined with `_`. */
  name: string;
  fullName: string;
  file: string;
  comment: string | null;
  values: EnumValueModel[];
}

export type ScalarType =
  | 'double' | 'float'
  | 'int32' | 'uint32' | 'sint32' | 'fixed32' | 'sfixed32'
  | 'int64' | 'uint64' | 'sint64' | 'fixed64' | 'sfixed64'
  | 'bool' | 'string' | 'bytes';

export type FieldType =
  | { kind: 'scalar'; scalar: ScalarType }
  | { kind: 'enum'; enumName: string; zeroValueName: string }
  | { kind: 'message'; messageName: string };

export interface FieldModel {
  /** lowerCamelCase, as protobufjs gives it with keepCase false. */
  name: string;
  number: number;
  type: FieldType;
  repeated: boolean;
  /** Repeated scalars and enums are written packed unless `[packed = false]`. */
  packed: boolean;
  comment: string | null;
}

export interface MessageModel {
  name: string;
  fullName: string;
  file: string;
  comment: string | null;
  /** In declaration order. */
  fields: FieldModel[];
}

export interface MethodModel {
  /** PascalCase, as in the proto. */
  name: string;
  requestMessage: string;
  responseMessage: string;
  requestStream: boolean;
  responseStream: boolean;
  comment: string | null;
}

export interface ServiceModel {
  name: string;
  fullName: string;
  file: string;
  comment: string | null;
  methods: MethodModel[];
}

export interface SchemaModel {
  packageName: string;
  /** Proto files relative to the proto directory, `/`-separated, sorted. */
  files: string[];
  /** Grouped by file (in `files` order), then in declaration order. */
  enums: EnumModel[];
  messages: MessageModel[];
  services: ServiceModel[];
}

const scalarTypes: ReadonlySet<string> = new Set<ScalarType>([
  'double', 'float', 'int32', 'uint32', 'sint32', 'fixed32', 'sfixed32',
  'int64', 'uint64', 'sint64', 'fixed64', 'sfixed64', 'bool', 'string', 'bytes',
]);

const packableScalars: ReadonlySet<string> = new Set<ScalarType>([
  'double', 'float', 'int32', 'uint32', 'sint32', 'fixed32', 'sfixed32',
  'int64', 'uint64', 'sint64', 'fixed64', 'sfixed64', 'bool',
]);

/** Names the generated file itself declares or imports; a proto type must not take them. */
const reservedTypeNames: ReadonlySet<string> = new Set([
  'grpc', 'runtime', 'MessageCodec', 'PROTO_PACKAGE', 'SERVICES', 'Buffer', 'Uint8Array', 'BigInt',
]);

export class ProtoSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtoSchemaError';
  }
}

export function listProtoFiles(protoDirectory: string): string[] {
  return readdirSync(protoDirectory, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.proto'))
    .map((file) => file.split(path.sep).join('/'))
    .sort();
}

/** Parses every .proto under `protoDirectory`; imports resolve against that directory. */
export function loadProtoRoot(protoDirectory: string, files: readonly string[]): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin: string, target: string): string =>
    path.isAbsolute(target) ? target : path.join(protoDirectory, target);
  root.loadSync(
    files.map((file) => path.join(protoDirectory, file)),
    { keepCase: false, alternateCommentMode: true },
  );
  root.resolveAll();
  return root;
}

export function loadSchema(protoDirectory: string): SchemaModel {
  const files = listProtoFiles(protoDirectory);
  if (files.length === 0) throw new ProtoSchemaError(`no .proto files under ${protoDirectory}`);
  const root = loadProtoRoot(protoDirectory, files);
  const packageNamespace = findSinglePackage(root);
  const packageName = packageNamespace.fullName.replace(/^\./, '');
  const relativeFile = (reflection: protobuf.ReflectionObject): string => {
    if (reflection.filename === null) throw new ProtoSchemaError(`${reflection.fullName}: no source file`);
    return path.relative(protoDirectory, reflection.filename).split(path.sep).join('/');
  };

  const enums: EnumModel[] = [];
  const messages: MessageModel[] = [];
  const services: ServiceModel[] = [];
  const tsName = (reflection: protobuf.ReflectionObject): string => {
    const prefix = `.${packageName}.`;
    if (!reflection.fullName.startsWith(prefix)) {
      throw new ProtoSchemaError(`${reflection.fullName}: only types of package ${packageName} are supported`);
    }
    return reflection.fullName.slice(prefix.length).split('.').join('_');
  };

  const visit = (namespace: protobuf.NamespaceBase): void => {
    for (const nested of namespace.nestedArray) {
      if (nested instanceof protobuf.Enum) enums.push(enumModel(nested, tsName(nested), relativeFile(nested)));
      else if (nested instanceof protobuf.Type) {
        messages.push(messageModel(nested, tsName(nested), relativeFile(nested), tsName));
        visit(nested);
      } else if (nested instanceof protobuf.Service) {
        services.push(serviceModel(nested, tsName(nested), relativeFile(nested), tsName));
      } else {
        throw new ProtoSchemaError(`${nested.fullName}: unsupported declaration (nested package?)`);
      }
    }
  };
  visit(packageNamespace);

  const fileOrder = (file: string): number => files.indexOf(file);
  const byFile = <T extends { file: string }>(items: T[]): T[] =>
    items
      .map((item, declarationIndex) => ({ item, declarationIndex }))
      .sort((a, b) => fileOrder(a.item.file) - fileOrder(b.item.file) || a.declarationIndex - b.declarationIndex)
      .map(({ item }) => item);

  const schema: SchemaModel = {
    packageName,
    files,
    enums: byFile(enums),
    messages: byFile(messages),
    services: byFile(services),
  };
  checkNames(schema);
  return schema;
}

function findSinglePackage(root: protobuf.Root): protobuf.Namespace {
  let namespace: protobuf.NamespaceBase = root;
  // Walk down plain namespaces (package path segments) until types appear.
  for (;;) {
    const children = namespace.nestedArray;
    const onlyChild = children[0];
    if (children.length === 1 && onlyChild instanceof protobuf.Namespace && !(onlyChild instanceof protobuf.Type) &&
        !(onlyChild instanceof protobuf.Service) && !(onlyChild instanceof protobuf.Enum)) {
      namespace = onlyChild;
      continue;
    }
    if (namespace === root || !(namespace instanceof protobuf.Namespace)) {
      throw new ProtoSchemaError('the proto files must declare exactly one package (e.g. aurigraph.v11)');
    }
    return namespace;
  }
}

function enumModel(reflection: protobuf.Enum, name: string, file: string): EnumModel {
  const values = Object.entries(reflection.values).map(([valueName, number]) => ({
    name: valueName,
    number,
    comment: reflection.comments[valueName] ?? null,
  }));
  if (values[0]?.number !== 0) {
    throw new ProtoSchemaError(`${reflection.fullName}: the first value must be 0 (proto3)`);
  }
  return { name, fullName: reflection.fullName.slice(1), file, comment: reflection.comment, values };
}

function messageModel(
  reflection: protobuf.Type,
  name: string,
  file: string,
  tsName: (reflection: protobuf.ReflectionObject) => string,
): MessageModel {
  if (reflection.oneofsArray.length > 0) {
    throw new ProtoSchemaError(
      `${reflection.fullName}: oneof and proto3 optional fields are not supported by the generator (oneof ${reflection.oneofsArray[0]?.name})`,
    );
  }
  const fields = reflection.fieldsArray.map((field): FieldModel => {
    const where = `${reflection.fullName.slice(1)}.${field.name}`;
    if (field.map) throw new ProtoSchemaError(`${where}: map fields are not supported; use a repeated entry message`);
    if (field.required) throw new ProtoSchemaError(`${where}: required fields are not proto3`);
    if (field.extend !== undefined) throw new ProtoSchemaError(`${where}: extensions are not supported`);
    const resolved = field.resolve().resolvedType;
    let type: FieldType;
    if (resolved instanceof protobuf.Enum) {
      const zeroValueName = Object.entries(resolved.values).find(([, number]) => number === 0)?.[0];
      if (zeroValueName === undefined) throw new ProtoSchemaError(`${resolved.fullName}: needs a value 0`);
      type = { kind: 'enum', enumName: tsName(resolved), zeroValueName };
    } else if (resolved instanceof protobuf.Type) {
      type = { kind: 'message', messageName: tsName(resolved) };
    } else if (scalarTypes.has(field.type)) {
      type = { kind: 'scalar', scalar: field.type as ScalarType };
    } else {
      throw new ProtoSchemaError(`${where}: unknown type ${field.type}`);
    }
    const packable = type.kind === 'enum' || (type.kind === 'scalar' && packableScalars.has(type.scalar));
    const packedOption: unknown = field.options?.['packed'];
    return {
      name: field.name,
      number: field.id,
      type,
      repeated: field.repeated,
      packed: field.repeated && packable && packedOption !== false,
      comment: field.comment,
    };
  });
  return { name, fullName: reflection.fullName.slice(1), file, comment: reflection.comment, fields };
}

function serviceModel(
  reflection: protobuf.Service,
  name: string,
  file: string,
  tsName: (reflection: protobuf.ReflectionObject) => string,
): ServiceModel {
  const methods = reflection.methodsArray.map((method): MethodModel => {
    if (!/^[A-Z][A-Za-z0-9]*$/.test(method.name)) {
      throw new ProtoSchemaError(`${reflection.fullName.slice(1)}.${method.name}: method names must be PascalCase`);
    }
    method.resolve();
    const requestType = method.resolvedRequestType;
    const responseType = method.resolvedResponseType;
    if (requestType === null || responseType === null) {
      throw new ProtoSchemaError(`${reflection.fullName.slice(1)}.${method.name}: unresolved request or response type`);
    }
    return {
      name: method.name,
      requestMessage: tsName(requestType),
      responseMessage: tsName(responseType),
      requestStream: method.requestStream === true,
      responseStream: method.responseStream === true,
      comment: method.comment,
    };
  });
  return { name, fullName: reflection.fullName.slice(1), file, comment: reflection.comment, methods };
}

/**
 * protoc scopes enum value names to the package (C++ rules), so two enums may not share a value
 * name; protobufjs does not check it, and @grpc/proto-loader users with other languages would
 * break. Type names must also not collide with what the generated file declares.
 */
function checkNames(schema: SchemaModel): void {
  const valueOwners = new Map<string, string>();
  for (const enumType of schema.enums) {
    for (const value of enumType.values) {
      const owner = valueOwners.get(value.name);
      if (owner !== undefined) {
        throw new ProtoSchemaError(
          `${enumType.fullName}.${value.name}: enum value name already used by ${owner} (enum values share the package scope)`,
        );
      }
      valueOwners.set(value.name, enumType.fullName);
    }
  }
  const declared = new Map<string, string>();
  const declare = (name: string, fullName: string): void => {
    if (reservedTypeNames.has(name)) throw new ProtoSchemaError(`${fullName}: the name ${name} is reserved by the generator`);
    const previous = declared.get(name);
    if (previous !== undefined) throw new ProtoSchemaError(`${fullName}: TypeScript name ${name} collides with ${previous}`);
    declared.set(name, fullName);
  };
  for (const enumType of schema.enums) declare(enumType.name, enumType.fullName);
  for (const message of schema.messages) declare(message.name, message.fullName);
  for (const service of schema.services) {
    for (const suffix of ['Definition', 'Methods', 'Handlers', 'Client']) declare(`${service.name}${suffix}`, service.fullName);
  }
}
