import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { test } from 'node:test';
import { devAccount, devAccountCount, devFeeAccountId, devGenesis, devSubmitter } from '../../src/client/index.js';
import { createNativeSignatureBackend, createNobleSignatureBackend } from '../../src/crypto/index.js';
import { KeyRole } from '../../src/generated/aurigraph.js';
import { genesisState } from '../../src/ledger/index.js';
import { configDir } from '../../src/paths.js';
import { readGenesisFile } from '../../src/pipeline/genesis-file.js';

const sha256 = (data: string | Uint8Array): Buffer => createHash('sha256').update(data).digest();
const noble = createNobleSignatureBackend();

test('config/genesis/dev.yaml is exactly the genesis the published development seeds give', () => {
  const fromFile = genesisState(readGenesisFile(path.join(configDir, 'genesis', 'dev.yaml')));
  const derived = genesisState(devGenesis(noble));
  assert.deepEqual(Buffer.from(fromFile.blockHash), Buffer.from(derived.blockHash));
  assert.equal(fromFile.accounts.length, devAccountCount);
});

test('each development account key derives from SHA-256("aurigraph-dev-account-" + i) and certifies its account id', () => {
  const genesis = readGenesisFile(path.join(configDir, 'genesis', 'dev.yaml'));
  const submitter = noble.keygen('ML-DSA-65', sha256('aurigraph-dev-batch-submitter'));
  for (let index = 0; index < devAccountCount; index++) {
    const expected = noble.keygen('ML-DSA-65', sha256(`aurigraph-dev-account-${index}`));
    const allocation = genesis.allocations[index]!;
    assert.deepEqual(Buffer.from(allocation.accountId), sha256(expected.publicKey), `account ${index} id is SHA-256 of its key`);
    const signing = allocation.keys!.find((key) => key.role === KeyRole.ACCOUNT_SIGNING)!;
    const batch = allocation.keys!.find((key) => key.role === KeyRole.BATCH_SUBMITTER)!;
    assert.deepEqual(Buffer.from(signing.publicKey), Buffer.from(expected.publicKey));
    assert.deepEqual(Buffer.from(batch.publicKey), Buffer.from(submitter.publicKey), `account ${index} trusts the development submitter`);
  }
  assert.deepEqual(Buffer.from(genesis.feeAccount), sha256('aurigraph-dev-fee-account'));
  assert.deepEqual(Buffer.from(devFeeAccountId), sha256('aurigraph-dev-fee-account'));
});

test('development keys sign in one backend and verify in the other', () => {
  const native = createNativeSignatureBackend();
  const message = new TextEncoder().encode('interop');
  const account = devAccount(3, native);
  assert.ok(noble.verify('ML-DSA-65', devAccount(3, noble).publicKey, message, native.sign(account.privateKey, message)));
  const submitter = devSubmitter(noble);
  assert.ok(native.verify('ML-DSA-65', submitter.publicKey, message, noble.sign(submitter.privateKey, message)));
});
