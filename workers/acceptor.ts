// Entry point of the acceptor thread: wires src/ingest to the thread's ports.
import { parentPort, workerData } from 'node:worker_threads';
import { runAcceptorThread, type AcceptorThreadData } from '../src/ingest/acceptor-thread.js';
import { answerEventLoopDelayRequests, type EventLoopDelayThreadData } from '../src/node/event-loop-delay.js';

if (!parentPort) throw new Error('workers/acceptor.js runs as a worker thread of the node');
const data = workerData as AcceptorThreadData & EventLoopDelayThreadData;
answerEventLoopDelayRequests(data.eventLoopDelayPort);
await runAcceptorThread(parentPort, data);
