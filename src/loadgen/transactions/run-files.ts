/**
 * What a transfer run leaves in its output folder: NAME.hlog (HdrHistogram interval log of batch
 * receipt latency, microseconds), NAME.json (the src/report summary, with the node's RSS as its
 * resource samples), NAME.html (the report), and NAME-result.json (what is particular to
 * transfers: workload, preparation, receipt audit, committed transactions per second, verdicts).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ResourceSample } from '../resource-sampler.js';
import type { LoadRunResult } from '../run-result.js';
import { renderReport, saveRun } from '../../report/index.js';
import type { RunSummary } from '../../report/index.js';
import type { MemorySample } from './memory-sampler.js';

export interface RunFiles {
  readonly intervalLogPath: string;
  readonly summaryPath: string;
  readonly reportPath: string;
  readonly resultPath: string;
  readonly summary: RunSummary;
}

/**
 * The node runs in another process, so its event-loop delay is not observable here; the samples
 * carry 0 for it and the result file says so.
 */
export function resourceSamplesOf(memory: readonly MemorySample[]): ResourceSample[] {
  return memory.map((sample) => ({ t: sample.t, rssBytes: sample.rssBytes, eventLoopDelayP99Ms: 0 }));
}

export async function writeRunFiles(outDir: string, name: string, run: LoadRunResult, label: string, memory: readonly MemorySample[], result: unknown): Promise<RunFiles> {
  const base = path.join(path.resolve(outDir), name);
  const saved = await saveRun(base, run, { label, resourceSamples: resourceSamplesOf(memory) });
  const reportPath = `${base}.html`;
  await writeFile(reportPath, renderReport(saved.summary));
  const resultPath = `${base}-result.json`;
  await writeFile(resultPath, `${JSON.stringify(result, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2)}\n`);
  return { intervalLogPath: saved.intervalLogPath, summaryPath: saved.summaryPath, reportPath, resultPath, summary: saved.summary };
}
