import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { AurigraphError } from '../../src/errors.js';
import { KeyAlgorithm, KeyRole } from '../../src/generated/aurigraph.js';
import { parseGenesis, readGenesisFile, renderGenesis } from '../../src/pipeline/genesis-file.js';

const id = (byte: number): string => byte.toString(16).padStart(2, '0').repeat(32);

function expectError(text: string, pattern: RegExp): void {
  assert.throws(
    () => parseGenesis(text),
    (error: unknown) => error instanceof AurigraphError && error.kind === 'invalid_argument' && pattern.test(error.message),
  );
}

test('a genesis document with every field reads into the ledger genesis, large balances from strings', () => {
  const genesis = parseGenesis(
    [
      'chainId: 42',
      `feeAccount: "${id(1)}"`,
      'allocations:',
      `  - accountId: "${id(2)}"`,
      '    balance: "18446744073709551615"',
      `  - accountId: "${id(3)}"`,
      '    balance: 7',
      '    keys:',
      '      - role: BATCH_SUBMITTER',
      '        algorithm: ML_DSA_44',
      `        publicKey: ${Buffer.alloc(1312, 9).toString('base64')}`,
    ].join('\n'),
  );
  assert.equal(genesis.chainId, 42);
  assert.equal(genesis.allocations[0]!.balance, 2n ** 64n - 1n);
  assert.equal(genesis.allocations[1]!.balance, 7n);
  assert.deepEqual(genesis.allocations[1]!.keys, [{ role: KeyRole.BATCH_SUBMITTER, algorithm: KeyAlgorithm.ML_DSA_44, publicKey: new Uint8Array(1312).fill(9) }]);
  assert.deepEqual(parseGenesis(renderGenesis(genesis)), genesis, 'rendering and reading back gives the same genesis');
});

test('errors name the field at fault', () => {
  const head = `chainId: 1\nfeeAccount: "${id(1)}"\nallocations:\n`;
  expectError(`chainId: 1\nallocations: []\n`, /^genesis\.feeAccount: is missing/);
  expectError(`chainId: -1\nfeeAccount: "${id(1)}"\nallocations: []\n`, /^genesis\.chainId: must be an integer from 0 to 4294967295, got -1/);
  expectError(`${head}  - accountId: "abc"\n    balance: 1\n`, /^genesis\.allocations\[0\]\.accountId: must be 64 hex digits/);
  expectError(`${head}  - accountId: "${id(2)}"\n    balance: "1e3"\n`, /^genesis\.allocations\[0\]\.balance: must be an integer from 0 to 2\^64 - 1/);
  expectError(`${head}  - accountId: "${id(2)}"\n    balance: 1\n    keys:\n      - role: OWNER\n        algorithm: ML_DSA_65\n        publicKey: AAAA\n`, /^genesis\.allocations\[0\]\.keys\[0\]\.role: must be one of ACCOUNT_SIGNING, BATCH_SUBMITTER, got "OWNER"/);
  expectError(`${head}  - accountId: "${id(2)}"\n    balance: 1\n    colour: red\n`, /^genesis\.allocations\[0\]\.colour: is not a known key/);
  expectError('chainId: [1\n', /^genesis: is not valid YAML/);
});

test('a missing genesis file names ledger.genesisFile and the path', (t) => {
  const folder = mkdtempSync(path.join(tmpdir(), 'aurigraph-genesis-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const file = path.join(folder, 'absent.yaml');
  assert.throws(() => readGenesisFile(file), { message: `ledger.genesisFile: ${file} does not exist` });
  writeFileSync(path.join(folder, 'bad.yaml'), 'chainId: 1\n');
  assert.throws(() => readGenesisFile(path.join(folder, 'bad.yaml')), {
    message: `ledger.genesisFile: ${path.join(folder, 'bad.yaml')}: genesis.feeAccount: is missing`,
  });
});
