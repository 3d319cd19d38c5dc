/**
 * Emits TypeScript for proto enums and messages: an `as const` object plus a union type per
 * enum, and per message an interface, a `MessageCodec` value of the same name, and the
 * encode/decode/create functions behind it.
 */
import { docComment, quote } from './code-text.js';
import type { EnumModel, FieldModel, MessageModel } from './schema.js';
import { protoTypeLabel, tag, wireCodecFor, wireTypeDelimited } from './wire-types.js';

export function emitEnum(enumType: EnumModel): string[] {
  return [
    ...docComment([enumType.comment, `Proto: \`${enumType.fullName}\` in ${enumType.file}.`], ''),
    `export const ${enumType.name} = {`,
    ...enumType.values.flatMap((value) => [
      ...docComment([value.comment], '  '),
      `  ${value.name}: ${value.number},`,
    ]),
    '} as const;',
    `export type ${enumType.name} = (typeof ${enumType.name})[keyof typeof ${enumType.name}];`,
  ];
}

export function emitMessage(message: MessageModel): string[] {
  return [
    ...emitInterface(message),
    '',
    `/** Codec for {@link ${message.name}}. */`,
    `export const ${message.name}: MessageCodec<${message.name}> = {`,
    `  typeName: ${quote(message.fullName)},`,
    `  create: create${message.name},`,
    `  encode(message: ${message.name}): Uint8Array {`,
    '    const writer = runtime.newWriter();',
    `    encode${message.name}(message, writer);`,
    '    return writer.finish();',
    '  },',
    `  decode(bytes: Uint8Array): ${message.name} {`,
    '    const reader = runtime.newReader(bytes);',
    `    return decode${message.name}(reader, reader.len);`,
    '  },',
    '};',
    '',
    ...emitCreate(message),
    '',
    ...emitEncode(message),
    '',
    ...emitDecode(message),
  ];
}

function fieldTypeScriptType(field: FieldModel): string {
  if (field.type.kind === 'message') {
    return field.repeated ? `${field.type.messageName}[]` : `${field.type.messageName} | undefined`;
  }
  const elementType = wireCodecFor(field.type).typeScriptType;
  return field.repeated ? `${elementType}[]` : elementType;
}

function emitInterface(message: MessageModel): string[] {
  const header = docComment([message.comment, `Proto: \`${message.fullName}\` in ${message.file}.`], '');
  if (message.fields.length === 0) return [...header, `export interface ${message.name} {}`];
  return [
    ...header,
    `export interface ${message.name} {`,
    ...message.fields.flatMap((field) => [
      ...docComment([field.comment, `\`${protoTypeLabel(field.type, field.repeated)}\`, field ${field.number}.`], '  '),
      `  ${field.name}: ${fieldTypeScriptType(field)};`,
    ]),
    '}',
  ];
}

function fieldDefault(field: FieldModel): string {
  if (field.repeated) return '[]';
  if (field.type.kind === 'message') return 'undefined';
  return wireCodecFor(field.type).defaultValue;
}

function emitCreate(message: MessageModel): string[] {
  const signature = `function create${message.name}(partial?: Partial<${message.name}>): ${message.name}`;
  if (message.fields.length === 0) return [`${signature} {`, '  return { ...partial };', '}'];
  return [
    `${signature} {`,
    '  return {',
    ...message.fields.map((field) =>
      field.type.kind === 'message' && !field.repeated
        ? `    ${field.name}: partial?.${field.name},`
        : `    ${field.name}: partial?.${field.name} ?? ${fieldDefault(field)},`,
    ),
    '  };',
    '}',
  ];
}

function emitEncode(message: MessageModel): string[] {
  const fields = [...message.fields].sort((a, b) => a.number - b.number);
  const messageParameter = fields.length === 0 ? '_message' : 'message';
  const writerParameter = fields.length === 0 ? '_writer' : 'writer';
  return [
    `function encode${message.name}(${messageParameter}: ${message.name}, ${writerParameter}: runtime.ProtoWriter): void {`,
    ...fields.flatMap((field) => encodeField(message, field).map((line) => `  ${line}`)),
    '}',
  ];
}

function encodeField(message: MessageModel, field: FieldModel): string[] {
  const value = `message.${field.name}`;
  const label = `${message.name}.${field.name}`;
  const delimitedTag = tag(field.number, wireTypeDelimited);
  if (field.type.kind === 'message') {
    const encodeNested = `encode${field.type.messageName}`;
    if (field.repeated) {
      return [
        `for (const item of ${value}) {`,
        `  ${encodeNested}(item, writer.uint32(${delimitedTag}).fork());`,
        '  writer.ldelim();',
        '}',
      ];
    }
    return [
      `if (${value} !== undefined) {`,
      `  ${encodeNested}(${value}, writer.uint32(${delimitedTag}).fork());`,
      '  writer.ldelim();',
      '}',
    ];
  }
  const codec = wireCodecFor(field.type);
  if (field.packed) {
    return [
      `if (${value}.length !== 0) {`,
      `  writer.uint32(${delimitedTag}).fork();`,
      `  for (const item of ${value}) ${codec.write('writer', 'item', label)};`,
      '  writer.ldelim();',
      '}',
    ];
  }
  const fieldTag = tag(field.number, codec.wireType);
  if (field.repeated) {
    return [`for (const item of ${value}) ${codec.write(`writer.uint32(${fieldTag})`, 'item', label)};`];
  }
  return [`if (${codec.isSet(value)}) ${codec.write(`writer.uint32(${fieldTag})`, value, label)};`];
}

function emitDecode(message: MessageModel): string[] {
  const typeLabel = quote(message.fullName);
  return [
    `function decode${message.name}(reader: runtime.ProtoReader, end: number): ${message.name} {`,
    `  const message = create${message.name}();`,
    '  while (reader.pos < end) {',
    '    const tag = reader.uint32();',
    '    switch (tag >>> 3) {',
    ...message.fields.flatMap((field) => decodeField(message, field).map((line) => `      ${line}`)),
    '      default:',
    `        runtime.skipField(reader, tag, ${typeLabel});`,
    '    }',
    '  }',
    `  runtime.expectEnd(reader, end, ${typeLabel});`,
    '  return message;',
    '}',
  ];
}

function decodeField(message: MessageModel, field: FieldModel): string[] {
  const target = `message.${field.name}`;
  const label = quote(`${message.name}.${field.name}`);
  if (field.type.kind === 'message') {
    const decodeNested = `decode${field.type.messageName}(reader, runtime.readDelimitedEnd(reader, ${label}))`;
    return [
      `case ${field.number}:`,
      `  runtime.expectWireType(tag, ${wireTypeDelimited}, ${label});`,
      field.repeated ? `  ${target}.push(${decodeNested});` : `  ${target} = ${decodeNested};`,
      '  break;',
    ];
  }
  const codec = wireCodecFor(field.type);
  if (!field.repeated) {
    return [
      `case ${field.number}:`,
      `  runtime.expectWireType(tag, ${codec.wireType}, ${label});`,
      `  ${target} = ${codec.read('reader')};`,
      '  break;',
    ];
  }
  const packable = field.type.kind === 'enum' || codec.wireType !== wireTypeDelimited;
  if (!packable) {
    return [
      `case ${field.number}:`,
      `  runtime.expectWireType(tag, ${codec.wireType}, ${label});`,
      `  ${target}.push(${codec.read('reader')});`,
      '  break;',
    ];
  }
  // A parser must accept both packed and unpacked encodings of a packable repeated field.
  return [
    `case ${field.number}:`,
    `  if ((tag & 7) === ${wireTypeDelimited}) {`,
    `    const packedEnd = runtime.readDelimitedEnd(reader, ${label});`,
    `    while (reader.pos < packedEnd) ${target}.push(${codec.read('reader')});`,
    `    runtime.expectEnd(reader, packedEnd, ${label});`,
    '  } else {',
    `    runtime.expectWireType(tag, ${codec.wireType}, ${label});`,
    `    ${target}.push(${codec.read('reader')});`,
    '  }',
    '  break;',
  ];
}
