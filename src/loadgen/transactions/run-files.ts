/**
 * What a transfer run leaves in its output folder: NAME.hlog (HdrHistogram interval log of batch
 * receipt latency, microseconds), NAME.json (the src/report summary, with the node's RSS and
 * event-loop delay as its resource samples), NAME.html (the report), and NAME-result.json (what
 * is particular to transfers: workload, preparation, receipt audit, committed transactions per
 * second, verdicts).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadRunResult } from '../run-result.js';
import { renderReport, saveRun } from '../../report/index.js';
import type { RunSummary } from '../../report/index.js';
import type { MemorySample } from './memory-sampler.js';
import { resourceSamplesOf, type NodeEventLoopSample } from './node-event-loop.js';

export interface RunFiles {
  readonly intervalLogPath: string;
  readonly summaryPath: string;
  readonly reportPath: string;
  readonly resultPath: string;
  readonly summary: RunSummary;
}

/** The node's figures during the run: RSS from /proc, event loops from its log (null: not observable). */
export interface NodeObservations {
  readonly memory: readonly MemorySample[];
  readonly eventLoop: readonly NodeEventLoopSample[] | null;
}

export async function writeRunFiles(outDir: string, name: string, run: LoadRunResult, label: string, node: NodeObservations, result: unknown): Promise<RunFiles> {
  const base = path.join(path.resolve(outDir), name);
  const saved = await saveRun(base, run, { label, resourceSamples: resourceSamplesOf(node.memory, node.eventLoop) });
  const reportPath = `${base}.html`;
  await writeFile(reportPath, renderReport(saved.summary));
  const resultPath = `${base}-result.json`;
  await writeFile(resultPath, `${JSON.stringify(result, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2)}\n`);
  return { intervalLogPath: saved.intervalLogPath, summaryPath: saved.summaryPath, reportPath, resultPath, summary: saved.summary };
}
