// Entry point of the Raft thread: wires src/consensus to the thread's ports.
import { parentPort, workerData } from 'node:worker_threads';
import { runRaftThread, type RaftThreadData } from '../src/consensus/raft-thread.js';
import { answerEventLoopDelayRequests, type EventLoopDelayThreadData } from '../src/node/event-loop-delay.js';

if (!parentPort) throw new Error('workers/raft.js runs as a worker thread of the node');
const data = workerData as RaftThreadData & EventLoopDelayThreadData;
answerEventLoopDelayRequests(data.eventLoopDelayPort);
await runRaftThread(parentPort, data);
