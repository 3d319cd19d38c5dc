/**
 * What a load run leaves behind and how it is shown: the HdrHistogram interval log, the JSON
 * summary, the self-contained HTML report and comparison, and the `aurigraph report` command.
 */
export { parseIntervalLog, writeIntervalLog, INTERVAL_LOG_LEGEND, INTERVAL_LOG_FORMAT_VERSION, UNCORRECTED_TAG, type IntervalLog, type IntervalLogInput, type LoggedInterval } from './interval-log.js';
export { summarizeRun, summarizeIntervalLog, parseRunSummary, SUMMARY_FORMAT, SUMMARY_FORMAT_VERSION, type IntervalSummary, type RunSummary, type SummaryExtras } from './run-summary.js';
export { latencyStats, percentileDistribution, type LatencyStats, type PercentilePoint, type IntervalPercentiles } from './latency-stats.js';
export { renderReport } from './html-report.js';
export { compareRuns, ratio } from './compare.js';
export { saveRun, loadRun, INTERVAL_LOG_EXTENSION, SUMMARY_EXTENSION, type SavedRun } from './saved-run.js';
export { runReportCommand, REPORT_COMMAND_SUMMARY } from './report-command.js';
export type { ChartId } from './svg-chart.js';
