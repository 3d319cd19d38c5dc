/**
 * Malformed input: damage inside one transaction's bytes rejects that transaction alone; damage
 * to the batch's framing throws invalidArgument naming the field. Every truncation point and
 * thousands of seeded mutations must end in one of those outcomes: no other exception, no hang,
 * and no read outside the input (checked with a Proxy that counts out-of-range reads).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AurigraphError } from '../../src/errors.js';
import { RejectReason, Transaction, TransactionKind, TxBatch } from '../../src/generated/aurigraph.js';
import { TransactionCursor, TxBatchReader } from '../../src/wire/index.js';
import { readFixed64At } from '../../src/wire/proto-scan.js';
import {
  batchOf,
  embedded,
  encodeFields,
  expectAurigraphError,
  field,
  filled,
  seededRandom,
  testLimits,
  transactionFields,
  transfer,
  type EncodedField,
} from './wire-fixtures.js';

const good = transactionFields(transfer(1));

/** A batch of [valid, damaged, valid]: the damaged transaction's own length prefix is right. */
function damagedBatch(damagedContent: EncodedField[]): Uint8Array {
  return encodeFields([
    field.fixed64(1, 9n),
    field.message(2, transactionFields(transfer(2))),
    field.message(2, damagedContent),
    field.message(2, transactionFields(transfer(3))),
  ]);
}

function verdictOfDamaged(damagedContent: EncodedField[]): string {
  const reader = new TxBatchReader(testLimits());
  const cursor = new TransactionCursor();
  reader.open(damagedBatch(damagedContent));
  assert.equal(reader.transactionCount, 3);
  assert.equal(reader.readTransaction(0, cursor), true, cursor.rejectMessage);
  assert.equal(reader.readTransaction(2, cursor), true, cursor.rejectMessage);
  assert.equal(reader.readTransaction(1, cursor), false);
  assert.equal(cursor.rejectReason, RejectReason.MALFORMED);
  return cursor.rejectMessage;
}

const nestedGroups = (depth: number): number[] => [...Array<number>(depth).fill(0xa3).flatMap((tag) => [tag, 0x01]), ...Array<number>(depth).fill(0xa4).flatMap((tag) => [tag, 0x01])];

test('damage inside one transaction rejects it as MALFORMED, naming the field, and spares its neighbours', () => {
  const cases: Array<[string, EncodedField[], RegExp]> = [
    ['kind sent length-delimited', [...good, field.bytes(1, filled(1, 1))], /^kind: has wire type length-delimited, expected varint$/],
    ['from sent as a varint', [...good, field.varint(2, 5)], /^from: has wire type varint, expected length-delimited$/],
    ['to sent as fixed32', [...good, field.fixed32(3, 5)], /^to: has wire type 32-bit, expected length-delimited$/],
    ['amount sent as fixed32', [...good, field.fixed32(4, 1)], /^amount: has wire type 32-bit, expected 64-bit$/],
    ['nonce sent as a varint', [...good, field.varint(5, 1)], /^nonce: has wire type varint/],
    ['fee sent length-delimited', [...good, field.bytes(6, filled(8, 1))], /^fee: has wire type length-delimited/],
    ['chain_id sent as fixed64', [...good, field.fixed64(7, 7n)], /^chain_id: has wire type 64-bit, expected 32-bit$/],
    ['payload sent as a varint', [...good, field.varint(8, 1)], /^payload: has wire type varint/],
    ['signature sent as a varint', [...good, field.varint(9, 1)], /^signature: has wire type varint/],
    ['kind with wire type 6', [...good, field.raw([0x0e])], /^kind: has wire type invalid \(6\)/],
    ['kind varint cut short', [...good, field.raw([0x08, 0x80])], /^kind: the value runs past the end/],
    ['kind varint of 11 bytes', [...good, field.raw([0x08, ...Array<number>(10).fill(0xff), 0x01])], /^kind: the value has a varint longer than 10 bytes$/],
    ['from longer than the transaction', [...good, field.raw([0x12, 0x40, 1, 2, 3])], /^from: the length prefix runs past the end/],
    ['from length above 32 bits', [...good, field.raw([0x12, 0xff, 0xff, 0xff, 0xff, 0x7f])], /^from: the length prefix has a tag or length prefix above 32 bits$/],
    ['payload longer than the transaction', [...good, field.raw([0x42, 0x05, 1])], /^payload: the length prefix runs past/],
    ['signature length cut short', [...good, field.raw([0x4a, 0x80])], /^signature: the length prefix runs past/],
    ['amount with 3 of 8 bytes', [...good, field.raw([0x21, 1, 2, 3])], /^amount: the 8 bytes run past the end of the transaction$/],
    ['chain_id with 1 of 4 bytes', [...good, field.raw([0x3d, 1])], /^chain_id: the 4 bytes run past/],
    ['a tag cut short', [...good, field.raw([0x80])], /^transaction: the field tag at byte \d+ runs past the end/],
    ['field number 0', [field.raw([0x00]), ...good], /^transaction: the field tag at byte 0 has field number 0/],
    ['a tag above 32 bits', [...good, field.raw([0xff, 0xff, 0xff, 0xff, 0x7f])], /^transaction: the field tag .* above 32 bits$/],
    ['an unknown field with wire type 7', [...good, field.raw([0xa7, 0x01])], /^transaction: unknown field 20 at byte \d+ has an invalid wire type/],
    ['an unknown field cut short', [...good, field.raw([0xa2, 0x01, 0x09, 1])], /^transaction: unknown field 20 .* runs past the end/],
    ['an end-group without its start', [...good, field.raw([0xa4, 0x01])], /^transaction: unknown field 20 .* end-group tag without its matching start-group$/],
    ['a group never closed', [...good, field.raw([0xa3, 0x01, 0x08, 0x01])], /^transaction: unknown field 20 .* runs past the end/],
    ['a group closed by another field number', [...good, field.raw([0xa3, 0x01, 0xac, 0x01])], /^transaction: unknown field 20 .* end-group tag without its matching start-group$/],
    ['groups nested 40 deep', [...good, field.raw(nestedGroups(40))], /^transaction: unknown field 20 .* nests groups more than 32 deep$/],
  ];
  for (const [name, content, pattern] of cases) {
    assert.match(verdictOfDamaged(content), pattern, name);
  }
  // Nesting within the bound is fine.
  const reader = new TxBatchReader(testLimits());
  reader.open(damagedBatch([...good, field.raw(nestedGroups(32))]));
  assert.equal(reader.readTransaction(1, new TransactionCursor()), true);
});

test('damage to the batch framing throws invalidArgument naming the field', () => {
  const tx = field.message(2, good);
  const cases: Array<[string, EncodedField[], string]> = [
    ['transactions sent as a varint', [tx, field.varint(2, 1)], 'transactions'],
    ['a transaction longer than the batch', [tx, field.raw([0x12, 0x50, 1, 2, 3])], 'transactions'],
    ['a transaction length above 32 bits', [tx, field.raw([0x12, 0xff, 0xff, 0xff, 0xff, 0x1f])], 'transactions'],
    ['batch_id sent as a varint', [field.varint(1, 3), tx], 'batch_id'],
    ['batch_id with 2 of 8 bytes', [tx, field.raw([0x09, 1, 2])], 'batch_id'],
    ['batch_signature longer than the batch', [tx, field.raw([0x1a, 0x7f, 1])], 'batch_signature'],
    ['submitter_key_id sent as fixed32', [tx, field.fixed32(4, 1)], 'submitter_key_id'],
    ['submitter_public_key cut short', [tx, field.raw([0x2a, 0x80])], 'submitter_public_key'],
    ['submitter_algorithm cut short', [tx, field.raw([0x30, 0x80])], 'submitter_algorithm'],
    ['submitter_algorithm sent length-delimited', [tx, field.bytes(6, filled(1, 2))], 'submitter_algorithm'],
    ['a tag cut short', [tx, field.raw([0xff])], 'batch'],
    ['field number 0', [tx, field.raw([0x00, 0x00])], 'batch'],
    ['an unknown field with wire type 6', [tx, field.raw([0xa6, 0x01])], 'batch'],
    ['an unknown field cut short', [tx, field.raw([0xa1, 0x01, 1, 2])], 'batch'],
    ['a stray end-group', [tx, field.raw([0xa4, 0x01])], 'batch'],
  ];
  const reader = new TxBatchReader(testLimits());
  for (const [name, fields, fieldName] of cases) {
    const error = expectAurigraphError(() => reader.open(encodeFields(fields)), 'invalid_argument', fieldName);
    assert.ok(error.message.length > fieldName.length + 10, `${name}: ${error.message}`);
  }
});

/** Wraps bytes so that any read outside [0, length) is counted instead of silently yielding undefined. */
function boundsChecked(bytes: Uint8Array): { bytes: Uint8Array; outOfRangeReads: () => number } {
  let outOfRange = 0;
  const proxy = new Proxy(bytes, {
    get(target, key) {
      if (typeof key === 'string' && /^-?\d+$/.test(key)) {
        const index = Number(key);
        if (index < 0 || index >= target.length) outOfRange += 1;
        return target[index];
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { bytes: proxy, outOfRangeReads: () => outOfRange };
}

interface WalkOutcome {
  error: AurigraphError | undefined;
  verdicts: number[];
}

/**
 * Walks a batch with every check this file cares about: only AurigraphErrors escape, every
 * offset lies inside the input, nothing is read outside it, and an accepted transaction is one
 * the generated decoder reads with the same values.
 */
function walkChecked(input: Uint8Array, label: string): WalkOutcome {
  const reader = new TxBatchReader(testLimits());
  const cursor = new TransactionCursor();
  const checked = boundsChecked(input);
  const verdicts: number[] = [];
  try {
    reader.open(checked.bytes);
  } catch (error) {
    if (!(error instanceof AurigraphError)) throw new Error(`${label}: open threw a non-typed error: ${String(error)}`, { cause: error });
    assert.equal(checked.outOfRangeReads(), 0, `${label}: read outside the input`);
    return { error, verdicts };
  }
  for (let index = 0; index < reader.transactionCount; index++) {
    const accepted = reader.readTransaction(index, cursor);
    verdicts.push(cursor.rejectReason);
    assert.ok([RejectReason.REJECT_REASON_NONE, RejectReason.MALFORMED, RejectReason.WRONG_CHAIN].includes(cursor.rejectReason as 0), label);
    const spans: Array<[number, number]> = [
      [cursor.messageOffset, cursor.messageLength],
      [cursor.fromOffset, cursor.fromLength],
      [cursor.toOffset, cursor.toLength],
      [cursor.payloadOffset, cursor.payloadLength],
      [cursor.signatureOffset, cursor.signatureLength],
    ];
    for (const fixedOffset of [cursor.amountOffset, cursor.nonceOffset, cursor.feeOffset]) if (fixedOffset >= 0) spans.push([fixedOffset, 8]);
    for (const [offset, length] of spans) {
      assert.ok(offset >= 0 && length >= 0 && offset + length <= input.length, `${label}: span ${offset}+${length} outside ${input.length} bytes`);
    }
    if (accepted) {
      const decoded = Transaction.decode(input.subarray(cursor.messageOffset, cursor.messageOffset + cursor.messageLength));
      assert.equal(decoded.kind, cursor.kind, label);
      assert.equal(decoded.chainId, cursor.chainId, label);
      assert.equal(decoded.amount, cursor.amountOffset < 0 ? 0n : readFixed64At(input, cursor.amountOffset), label);
      assert.equal(decoded.signature.length, cursor.signatureLength, label);
      assert.equal(decoded.payload.length, cursor.payloadLength, label);
    }
  }
  assert.equal(checked.outOfRangeReads(), 0, `${label}: read outside the input`);
  return { error: undefined, verdicts };
}

function sampleBatch(): Uint8Array {
  return encodeFields([
    field.fixed64(1, 77n),
    field.message(2, transactionFields(transfer(1))),
    field.varint(15, 300),
    field.message(2, [...transactionFields(transfer(2, { kind: TransactionKind.STORAGE_PUT, to: new Uint8Array(0), payload: filled(20, 4) })), field.group(12, [field.varint(1, 1)])]),
    field.message(2, transactionFields(transfer(3, { chainId: 1 }))),
    field.bytes(5, filled(12, 6)),
  ]);
}

test('every truncation of a small batch is a typed error or a shorter valid batch, never anything else', { timeout: 120_000 }, () => {
  const full = sampleBatch();
  const fullWalk = walkChecked(embedded(full), 'full');
  assert.deepEqual(fullWalk.verdicts, [RejectReason.REJECT_REASON_NONE, RejectReason.REJECT_REASON_NONE, RejectReason.WRONG_CHAIN]);
  let typedErrors = 0;
  let shorterBatches = 0;
  for (let cut = 0; cut < full.length; cut++) {
    const truncated = embedded(full.subarray(0, cut));
    const outcome = walkChecked(truncated, `cut at ${cut}`);
    let reference: TxBatch | undefined;
    try {
      reference = TxBatch.decode(truncated);
    } catch {
      reference = undefined;
    }
    const referenceUsable = reference !== undefined && reference.transactions.length > 0;
    assert.equal(outcome.error === undefined, referenceUsable, `cut at ${cut}: ${outcome.error?.message ?? 'walked'} vs the generated decoder`);
    if (outcome.error) {
      typedErrors += 1;
      assert.equal(outcome.error.kind, 'invalid_argument');
    } else {
      shorterBatches += 1;
      assert.deepEqual(outcome.verdicts, fullWalk.verdicts.slice(0, outcome.verdicts.length), `cut at ${cut}`);
    }
  }
  assert.ok(typedErrors > full.length / 2 && shorterBatches >= 3, `${typedErrors} errors, ${shorterBatches} shorter batches`);
});

test('seeded byte mutations never escape as anything but typed errors or per-transaction verdicts', { timeout: 120_000 }, () => {
  const full = sampleBatch();
  const random = seededRandom(2024);
  const outcomes = { errors: 0, walked: 0, malformedVerdicts: 0 };
  for (let round = 0; round < 3000; round++) {
    const mutated = Uint8Array.from(full);
    const edits = 1 + Math.floor(random() * 4);
    for (let edit = 0; edit < edits; edit++) {
      const at = Math.floor(random() * mutated.length);
      mutated[at] = random() < 0.5 ? Math.floor(random() * 256) : mutated[at]! ^ (1 << Math.floor(random() * 8));
    }
    const outcome = walkChecked(embedded(mutated), `round ${round}`);
    if (outcome.error) outcomes.errors += 1;
    else outcomes.walked += 1;
    outcomes.malformedVerdicts += outcome.verdicts.filter((reason) => reason === RejectReason.MALFORMED).length;
  }
  assert.ok(outcomes.errors > 0 && outcomes.walked > 0 && outcomes.malformedVerdicts > 0, JSON.stringify(outcomes));
});

test('a generated-codec batch wrapped in a larger buffer reads the same as on its own', () => {
  const bytes = TxBatch.encode(batchOf([transfer(1), transfer(2)]));
  assert.deepEqual(walkChecked(embedded(bytes), 'embedded'), walkChecked(Uint8Array.from(bytes), 'own buffer'));
});
