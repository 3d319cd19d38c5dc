import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Bench } from 'tinybench';
import {
  createNativeKemBackend,
  createNativeSignatureBackend,
  createNobleKemBackend,
  createNobleSignatureBackend,
  deriveKey,
  merkleRoot,
  mlDsaAlgorithms,
  mlKemAlgorithms,
  signBatch,
  transactionHash,
  verifyBatch,
  type KemBackend,
  type SignatureBackend,
} from '../../src/crypto/index.js';
import { repoRoot } from '../../src/paths.js';
import { cryptoMarkers, writeSection } from './markdown-section.js';

/**
 * `npm run bench:crypto`: ops/s of every post-quantum primitive on both backends (OpenSSL
 * through node:crypto, and @noble/post-quantum), plus the hashing primitives of batch
 * authorisation. Prints markdown tables and writes them into BENCHMARKS.md between the
 * bench:crypto markers. Single-threaded, one operation per call; about 1.5 minutes.
 */

const taskTimeMs = 2000;
const warmupTimeMs = 250;
const batchTransactions = 1024;
const transactionBytes = 256;

interface Measurement {
  opsPerSecond: number;
  meanLatencyUs: number;
}

const bench = new Bench({ time: taskTimeMs, warmupTime: warmupTimeMs, iterations: 16, throws: true });
const rowsByBackend: { operation: string; parameterSet: string; taskNames: Record<'native' | 'noble', string> }[] = [];
const singleRows: { operation: string; detail: string; taskName: string }[] = [];

function addBackendRow(operation: string, parameterSet: string, tasks: Record<'native' | 'noble', () => unknown>): void {
  const taskNames = {
    native: `${operation} ${parameterSet} native`,
    noble: `${operation} ${parameterSet} noble`,
  };
  bench.add(taskNames.native, tasks.native);
  bench.add(taskNames.noble, tasks.noble);
  rowsByBackend.push({ operation, parameterSet, taskNames });
}

function addSingleRow(operation: string, detail: string, task: () => unknown): void {
  const taskName = `${operation} ${detail}`;
  bench.add(taskName, task);
  singleRows.push({ operation, detail, taskName });
}

const message = crypto.randomBytes(transactionBytes);
const signatureBackends: Record<'native' | 'noble', SignatureBackend> = {
  native: createNativeSignatureBackend(),
  noble: createNobleSignatureBackend(),
};
const kemBackends: Record<'native' | 'noble', KemBackend> = {
  native: createNativeKemBackend(),
  noble: createNobleKemBackend(),
};
const batchHashes = Array.from({ length: batchTransactions }, () => transactionHash(crypto.randomBytes(transactionBytes)));

for (const algorithm of mlDsaAlgorithms) {
  const { publicKey, privateKey } = signatureBackends.native.keygen(algorithm);
  const signature = signatureBackends.native.sign(privateKey, message);
  addBackendRow('keygen', algorithm, {
    native: () => signatureBackends.native.keygen(algorithm),
    noble: () => signatureBackends.noble.keygen(algorithm),
  });
  addBackendRow('sign (hedged)', algorithm, {
    native: () => signatureBackends.native.sign(privateKey, message),
    noble: () => signatureBackends.noble.sign(privateKey, message),
  });
  addBackendRow('verify', algorithm, {
    native: () => signatureBackends.native.verify(algorithm, publicKey, message, signature),
    noble: () => signatureBackends.noble.verify(algorithm, publicKey, message, signature),
  });
}

{
  // The cost the native public-key cache saves: two keys through a one-entry cache, so every
  // verification imports its key again.
  const algorithm = 'ML-DSA-65';
  const uncached = createNativeSignatureBackend({ publicKeyCacheEntriesMax: 1 });
  const signers = [0, 1].map(() => {
    const { publicKey, privateKey } = uncached.keygen(algorithm);
    return { publicKey, signature: uncached.sign(privateKey, message) };
  });
  let turn = 0;
  addSingleRow('native verify, public key imported on every call (cache miss)', algorithm, () => {
    const signer = signers[turn++ % 2]!;
    return uncached.verify(algorithm, signer.publicKey, message, signer.signature);
  });
}

{
  const algorithm = 'ML-DSA-65';
  const { publicKey, privateKey } = signatureBackends.native.keygen(algorithm);
  const { signature } = signBatch(signatureBackends.native, privateKey, batchHashes);
  addBackendRow(`verifyBatch, ${batchTransactions.toLocaleString('en-US')} tx (Merkle root + 1 verify)`, algorithm, {
    native: () => verifyBatch(signatureBackends.native, algorithm, batchHashes, publicKey, signature),
    noble: () => verifyBatch(signatureBackends.noble, algorithm, batchHashes, publicKey, signature),
  });
}

for (const algorithm of mlKemAlgorithms) {
  const { publicKey, privateKey } = kemBackends.native.keygen(algorithm);
  const { ciphertext } = kemBackends.native.encapsulate(algorithm, publicKey);
  addBackendRow('keygen', algorithm, {
    native: () => kemBackends.native.keygen(algorithm),
    noble: () => kemBackends.noble.keygen(algorithm),
  });
  addBackendRow('encapsulate', algorithm, {
    native: () => kemBackends.native.encapsulate(algorithm, publicKey),
    noble: () => kemBackends.noble.encapsulate(algorithm, publicKey),
  });
  addBackendRow('decapsulate', algorithm, {
    native: () => kemBackends.native.decapsulate(privateKey, ciphertext),
    noble: () => kemBackends.noble.decapsulate(privateKey, ciphertext),
  });
}

addSingleRow('merkleRoot', `${batchTransactions.toLocaleString('en-US')} tx, in place, one-shot crypto.hash`, () => merkleRoot(batchHashes));
addSingleRow('Merkle root, naive', `${batchTransactions.toLocaleString('en-US')} tx, createHash + Buffer.concat per node`, () =>
  naiveMerkleRoot(batchHashes),
);
addSingleRow('transactionHash', `SHA-256 of ${transactionBytes} bytes`, () => transactionHash(message));
const ikm = crypto.randomBytes(32);
const salt = crypto.randomBytes(32);
const info = new TextEncoder().encode('aurigraph bench');
addSingleRow('deriveKey (HKDF)', 'SHA-256, 32-byte output', () => deriveKey({ hash: 'SHA-256', ikm, salt, info, length: 32 }));
addSingleRow('deriveKey (HKDF)', 'SHA-512, 64-byte output', () => deriveKey({ hash: 'SHA-512', ikm, salt, info, length: 64 }));

/** The straightforward version merkleRoot is measured against (same tree, same root). */
function naiveMerkleRoot(hashes: readonly Uint8Array[]): Uint8Array {
  let level: Buffer[] = hashes.map((hash) => crypto.createHash('sha256').update(Buffer.concat([Buffer.of(0), hash])).digest());
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let index = 0; index + 1 < level.length; index += 2) {
      next.push(crypto.createHash('sha256').update(Buffer.concat([Buffer.of(1), level[index]!, level[index + 1]!])).digest());
    }
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

const loadAverageAtStart = os.loadavg()[0] ?? 0;
const startedAt = performance.now();
console.error(`bench:crypto: ${bench.tasks.length} tasks, about ${Math.round((bench.tasks.length * (taskTimeMs + warmupTimeMs)) / 1000)} s`);
await bench.run();
const elapsedSeconds = (performance.now() - startedAt) / 1000;

function measurement(taskName: string): Measurement {
  const result = bench.getTask(taskName)?.result;
  if (result === undefined || result.state !== 'completed') {
    throw new Error(`bench task "${taskName}" did not complete: ${JSON.stringify(result?.state)}`);
  }
  return { opsPerSecond: 1000 / result.latency.mean, meanLatencyUs: result.latency.mean * 1000 };
}

const formatOps = (value: number): string => (value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1));
const formatLatency = (microseconds: number): string =>
  microseconds >= 1000 ? `${(microseconds / 1000).toFixed(2)} ms` : `${microseconds.toFixed(1)} µs`;

const cpus = os.cpus();
const lines: string[] = [
  '## Crypto primitives (`bench/crypto/run.ts`)',
  '',
  `Command: \`npm run bench:crypto\` · Node.js ${process.version} with OpenSSL ${process.versions.openssl} · ` +
    `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory · ` +
    `${os.type()} ${os.release()} · run ${new Date().toISOString().slice(0, 10)}, ${elapsedSeconds.toFixed(0)} s, ` +
    `1-minute load average ${loadAverageAtStart.toFixed(2)} at start`,
  '',
  'One thread, one operation per call, steady state: the native backend reuses cached KeyObjects and',
  'noble reuses expanded secret keys, as they do in the node. Messages are ' + `${transactionBytes} random bytes; signing is hedged.`,
  `ops/s = 1 / mean latency over at least ${taskTimeMs} ms per task (tinybench).`,
  '',
  '| Operation | Parameter set | native ops/s | noble ops/s | native / noble |',
  '| --- | --- | ---: | ---: | ---: |',
];
for (const row of rowsByBackend) {
  const native = measurement(row.taskNames.native);
  const noble = measurement(row.taskNames.noble);
  lines.push(
    `| ${row.operation} | ${row.parameterSet} | ${formatOps(native.opsPerSecond)} | ${formatOps(noble.opsPerSecond)} | ` +
      `${(native.opsPerSecond / noble.opsPerSecond).toFixed(1)}× |`,
  );
}
lines.push('', '| Operation | Detail | ops/s | mean latency |', '| --- | --- | ---: | ---: |');
for (const row of singleRows) {
  const result = measurement(row.taskName);
  lines.push(`| ${row.operation} | ${row.detail} | ${formatOps(result.opsPerSecond)} | ${formatLatency(result.meanLatencyUs)} |`);
}
const section = lines.join('\n');
console.log(section);
const benchmarksFile = path.join(repoRoot, 'BENCHMARKS.md');
writeSection(benchmarksFile, cryptoMarkers, section);
console.error(`bench:crypto: wrote ${benchmarksFile}`);
