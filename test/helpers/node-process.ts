/**
 * Runs a real node as a child process (the compiled CLI, as an operator would) and reads its
 * JSON log to learn the port it bound. Every wait is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { distDir } from '../../src/paths.js';

export const cliPath = path.join(distDir, 'src', 'cli', 'main.js');

export interface NodeProcess {
  child: ChildProcess;
  port: number;
  address: string;
  dataDir: string;
  /** Every line the node wrote to stderr so far. */
  logLines: string[];
  /** Sends `signal` and resolves with the exit code (null if killed by a signal). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  /** Removes the data folder (after stop). */
  cleanup(): void;
}

export function makeDataDir(prefix = 'aurigraph-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export async function startNodeProcess(
  options: { args?: string[]; env?: NodeJS.ProcessEnv; dataDir?: string; startTimeoutMs?: number } = {},
): Promise<NodeProcess> {
  const dataDir = options.dataDir ?? makeDataDir();
  const child = spawn(
    process.execPath,
    [cliPath, 'start', '--profile', 'dev', '--port', '0', '--data-dir', path.join(dataDir, 'node'), ...(options.args ?? [])],
    { env: { ...process.env, ...options.env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const logLines: string[] = [];
  let buffered = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`node did not report a port within ${options.startTimeoutMs ?? 30_000} ms:\n${logLines.join('\n')}`)),
      options.startTimeoutMs ?? 30_000,
    );
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      buffered += chunk;
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        logLines.push(line);
        const port = portFromLogLine(line);
        if (port !== undefined) {
          clearTimeout(timer);
          resolve(port);
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`node exited with code ${code} before listening:\n${logLines.join('\n')}`));
    });
  });
  return {
    child,
    port,
    address: `127.0.0.1:${port}`,
    dataDir,
    logLines,
    async stop(signal = 'SIGTERM', timeoutMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`node did not exit within ${timeoutMs} ms of ${signal}`)), timeoutMs).unref(),
      );
      try {
        return await Promise.race([exited, timeout]);
      } catch (error) {
        child.kill('SIGKILL');
        throw error;
      }
    },
    cleanup() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function portFromLogLine(line: string): number | undefined {
  try {
    const entry = JSON.parse(line) as { msg?: string; port?: number };
    return entry.msg === 'node started' && typeof entry.port === 'number' ? entry.port : undefined;
  } catch {
    return undefined;
  }
}

export function parseLogLines(lines: string[]): Array<Record<string, unknown>> {
  return lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}
