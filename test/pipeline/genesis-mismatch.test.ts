import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { createClient, devAccount, devAccountBalance } from '../../src/client/index.js';
import { selectSignatureBackend } from '../../src/crypto/index.js';
import { makeDataDir, startNodeProcess } from '../helpers/node-process.js';
import { startNodeOn, testAccounts } from './fixtures/e2e.js';

test('a node starts its ledger from the configured genesis, and refuses a data folder made from another', async () => {
  const backend = selectSignatureBackend('auto');
  const dataDir = makeDataDir('aurigraph-genesis-');
  const first = await startNodeProcess({ dataDir, args: ['--set', 'log.level=info'] });
  const client = createClient(first.address);
  try {
    const account = await client.transaction.getAccount({ accountId: devAccount(5, backend).accountId });
    assert.equal(account.balance, devAccountBalance, 'the default genesis is config/genesis/dev.yaml');
  } finally {
    client.close();
  }
  assert.equal(await first.stop('SIGTERM'), 0);

  const other = testAccounts(2, 10n, devAccount(0, backend).publicKey);
  await assert.rejects(startNodeOn(other.genesis, { dataDir }), (error: Error) => {
    assert.match(error.message, /node exited with code 1 before listening/);
    assert.ok(
      error.message.includes(`the ledger in data directory ${path.join(dataDir, 'node', 'ledger')} belongs to chain 1`),
      `the refusal names the data folder:\n${error.message}`,
    );
    return true;
  });
  first.cleanup();
});
