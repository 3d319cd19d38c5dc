/**
 * Merges run files into one: a k-way streaming merge over the inputs' cursors (a binary heap of
 * cursor numbers, ordered by each cursor's current hash). A hash present in several inputs
 * becomes one entry, the preferredOccurrence of its entries. Memory is one ≤ 1 MiB read chunk per
 * input plus the writer's ≥ 1 MiB chunk; the inputs are only read (the caller deletes them once
 * its manifest names the output).
 */
import path from 'node:path';
import { assert, failedPrecondition } from '../../errors.js';
import { hashBytes } from '../bytes.js';
import { compareOccurrences } from './occurrence.js';
import { type RunCursor, RunFileWriter, RunReader, compareHashes, runEntryCountMax } from './run-file.js';

export interface RunMergeResult {
  entryCount: number;
}

export function mergeRunFiles(inputPaths: readonly string[], outputPath: string): RunMergeResult {
  const resolvedInputs = inputPaths.map((inputPath) => path.resolve(inputPath));
  if (new Set(resolvedInputs).size !== resolvedInputs.length) throw failedPrecondition(`a merge reads each run once, got ${inputPaths.join(', ')}`, 'inputPaths');
  if (resolvedInputs.includes(path.resolve(outputPath))) throw failedPrecondition(`the merge output ${outputPath} is also one of its inputs`, 'outputPath');

  const readers: RunReader[] = [];
  let writer: RunFileWriter | undefined;
  try {
    for (const inputPath of inputPaths) readers.push(RunReader.open(inputPath));
    const entryCountMax = readers.reduce((sum, reader) => sum + reader.entryCount, 0);
    if (entryCountMax > runEntryCountMax) {
      throw failedPrecondition(`the inputs hold ${entryCountMax} entries, more than one run may (${runEntryCountMax}); merge fewer runs`, 'inputPaths');
    }
    writer = new RunFileWriter(outputPath, entryCountMax);
    mergeCursors(
      readers.map((reader) => reader.openCursor()),
      writer,
    );
    const written = writer.finish();
    return { entryCount: written.entryCount };
  } catch (error) {
    writer?.abort();
    throw error;
  } finally {
    for (const reader of readers) reader.close();
  }
}

function mergeCursors(cursors: readonly RunCursor[], writer: RunFileWriter): void {
  const heap = new Int32Array(cursors.length);
  const group = new Int32Array(cursors.length);
  let heapSize = 0;

  const hashOrder = (first: number, second: number): number => {
    const a = cursors[first]!;
    const b = cursors[second]!;
    return compareHashes(a.buffer, a.offset, b.buffer, b.offset);
  };
  const siftDown = (start: number): void => {
    let parent = start;
    for (;;) {
      const left = 2 * parent + 1;
      if (left >= heapSize) return;
      const right = left + 1;
      const smaller = right < heapSize && hashOrder(heap[right]!, heap[left]!) < 0 ? right : left;
      if (hashOrder(heap[smaller]!, heap[parent]!) >= 0) return;
      const swapped = heap[parent]!;
      heap[parent] = heap[smaller]!;
      heap[smaller] = swapped;
      parent = smaller;
    }
  };
  const push = (cursor: number): void => {
    let child = heapSize;
    heap[heapSize] = cursor;
    heapSize += 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (hashOrder(heap[parent]!, heap[child]!) <= 0) return;
      const swapped = heap[parent]!;
      heap[parent] = heap[child]!;
      heap[child] = swapped;
      child = parent;
    }
  };
  const popTop = (): number => {
    const top = heap[0]!;
    heapSize -= 1;
    heap[0] = heap[heapSize]!;
    siftDown(0);
    return top;
  };

  for (let cursor = 0; cursor < cursors.length; cursor += 1) if (!cursors[cursor]!.done) push(cursor);

  while (heapSize > 0) {
    const top = heap[0]!;
    const topCursor = cursors[top]!;
    // Nodes equal to the minimum form a subtree holding the root (each one's parent lies between it
    // and the root), so the minimum is unique when neither child of the root equals it.
    const duplicated = (heapSize > 1 && hashOrder(heap[1]!, top) === 0) || (heapSize > 2 && hashOrder(heap[2]!, top) === 0);
    if (!duplicated) {
      writer.addRecord(topCursor.buffer, topCursor.offset);
      topCursor.advance();
      if (topCursor.done) {
        heapSize -= 1;
        heap[0] = heap[heapSize]!;
      }
      siftDown(0);
      continue;
    }
    // The top cursor is popped first and not advanced, so its record stays put while the others are popped.
    let groupSize = 0;
    group[groupSize++] = popTop();
    while (heapSize > 0 && hashOrder(heap[0]!, top) === 0) group[groupSize++] = popTop();
    let winner = cursors[group[0]!]!;
    for (let member = 1; member < groupSize; member += 1) {
      const candidate = cursors[group[member]!]!;
      if (preferOccurrence(candidate, winner) > 0) winner = candidate;
    }
    writer.addRecord(winner.buffer, winner.offset);
    for (let member = 0; member < groupSize; member += 1) {
      const cursor = cursors[group[member]!]!;
      cursor.advance();
      if (!cursor.done) push(group[member]!);
    }
  }
  assert(cursors.every((cursor) => cursor.done), 'a merge reads every input to its end');
}

/** compareOccurrences of two cursors' current entries, naming the hash when an invariant fails. */
function preferOccurrence(a: RunCursor, b: RunCursor): number {
  try {
    return compareOccurrences(a.buffer, a.offset + hashBytes, b.buffer, b.offset + hashBytes);
  } catch (error) {
    const hash = a.buffer.toString('hex', a.offset, a.offset + hashBytes);
    if (error instanceof Error) error.message = `${error.message} (tx hash ${hash})`;
    throw error;
  }
}
