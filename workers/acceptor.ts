// Entry point of the acceptor thread: wires src/ingest to the thread's ports.
import { parentPort, workerData } from 'node:worker_threads';
import { runAcceptorThread, type AcceptorThreadData } from '../src/ingest/acceptor-thread.js';

if (!parentPort) throw new Error('workers/acceptor.js runs as a worker thread of the node');
await runAcceptorThread(parentPort, workerData as AcceptorThreadData);
