// Entry point of a piscina shard worker: wires src/exec's task runner to the pool.
import { Piscina } from 'piscina';
import { createShardTaskRunner, type ShardWorkerData } from '../src/exec/shard-tasks.js';

export const runShardTask = createShardTaskRunner(Piscina.workerData as ShardWorkerData);
