// Entry point of the Raft thread: wires src/consensus to the thread's ports.
import { parentPort, workerData } from 'node:worker_threads';
import { runRaftThread, type RaftThreadData } from '../src/consensus/raft-thread.js';

if (!parentPort) throw new Error('workers/raft.js runs as a worker thread of the node');
await runRaftThread(parentPort, workerData as RaftThreadData);
