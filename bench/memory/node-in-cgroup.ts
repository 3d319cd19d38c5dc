/**
 * One node process started inside a memory cgroup from its first instruction: the same command
 * line as src/loadgen's local nodes (`aurigraph start`, the profile, a genesis file, --set
 * overrides), run through the cgroup's wrapper shell, which joins the group and then execs the
 * node (so the pid is the node's). Its log goes to node.log in the data folder.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AurigraphError } from '../../src/errors.js';
import { cliPath, type LocalNode } from '../../src/loadgen/transactions/local-node.js';

export async function startNodeInCgroup(
  wrapperCommand: readonly string[],
  options: { profile: string; dataDir: string; genesisFile: string; settings: Readonly<Record<string, string>> },
): Promise<LocalNode> {
  await mkdir(options.dataDir, { recursive: true });
  const args = [...wrapperCommand.slice(1), process.execPath, cliPath, 'start', '--profile', options.profile, '--port', '0', '--data-dir', path.join(options.dataDir, 'node')];
  for (const [field, value] of Object.entries({ 'ledger.genesisFile': options.genesisFile, 'log.level': 'info', ...options.settings })) args.push('--set', `${field}=${value}`);
  const env = { ...process.env, AURIGRAPH_KEYSTORE_SECRET: process.env['AURIGRAPH_KEYSTORE_SECRET'] || randomBytes(24).toString('base64url') };
  const child = spawn(wrapperCommand[0]!, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
  const log = createWriteStream(path.join(options.dataDir, 'node.log'));
  const tail: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => log.end());
  let buffered = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new AurigraphError('unavailable', `the node did not start within 60 s; its log:\n${tail.join('\n')}`));
    }, 60_000);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      log.write(chunk);
      buffered += chunk;
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        tail.push(line);
        if (tail.length > 200) tail.shift();
        if (line.includes('"msg":"node started"')) {
          clearTimeout(timer);
          resolve((JSON.parse(line) as { port: number }).port);
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new AurigraphError('unavailable', `the node exited with code ${code} before it listened; its log:\n${tail.join('\n')}`));
    });
  });
  return {
    pid: child.pid!,
    port,
    address: `127.0.0.1:${port}`,
    dataDir: options.dataDir,
    logTail: () => [...tail],
    exited,
    async stop(timeoutMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
