/**
 * Entry of a workload preparation thread: builds its share of batches (signing included) and
 * hands each one's bytes to the main thread as a transferred ArrayBuffer, so nothing is copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { selectSignatureBackend } from '../../crypto/index.js';
import type { PreparationMessage, PreparationTask } from './preparation-protocol.js';
import { TransferBatchBuilder } from './transfer-batch-builder.js';

if (parentPort === null) throw new Error('preparation-worker.js runs only as a worker thread');
const port = parentPort;
const task = workerData as PreparationTask;
const post = (message: PreparationMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

try {
  const builder = new TransferBatchBuilder(task.plan, selectSignatureBackend('auto'));
  const streams = task.plan.streamCount;
  const itemCount = (task.toBatchNumber - task.fromBatchNumber) * streams;
  for (let item = task.offset; item < itemCount; item += task.stride) {
    const batchNumber = task.fromBatchNumber + Math.floor(item / streams);
    const stream = item % streams;
    const built = builder.build(stream, batchNumber);
    const buffer = built.bytes.buffer as ArrayBuffer;
    post({ type: 'batch', stream, batchNumber, batchId: built.batchId, transactionCount: built.transactionCount, bytes: buffer }, [buffer]);
  }
  post({ type: 'done' });
} catch (error) {
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}
