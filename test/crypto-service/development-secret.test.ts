import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GenerateKeyRequest, GetPublicKeyRequest, KeyAlgorithm } from '../../src/generated/aurigraph.js';
import { loadConfig, type NodeConfig } from '../../src/config/index.js';
import { AurigraphError } from '../../src/errors.js';
import { developmentSecret, resolveOperatorSecret } from '../../src/crypto/service/index.js';
import { collectingLogger } from '../log/log-collector.js';
import { parseLogLines } from '../helpers/node-process.js';
import { startCryptoNode, stopCryptoNode } from './fixtures/crypto-service-fixtures.js';

// The operator secret comes from the variable crypto.keystore.secretEnv names. Only when the
// profile chain includes `dev` does a missing secret fall back to the fixed development secret,
// with a warning; every other profile refuses to start without it.

const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

test('the secret comes from the named variable; dev alone falls back, loudly; other profiles refuse', () => {
  const dev = loadConfig({ profile: 'dev', env: {}, overrides: {} });
  const cluster = loadConfig({ profile: 'cluster-3/node-1', env: {}, overrides: {} });
  const prod = loadConfig({ profile: 'prod', env: {}, overrides: {} });
  const renamed = loadConfig({ profile: 'soak', env: {}, overrides: { 'crypto.keystore.secretEnv': 'NODE_B_SECRET' } });

  for (const config of [dev, prod]) {
    const { logger, records } = collectingLogger('debug');
    const resolved = resolveOperatorSecret(config, { AURIGRAPH_KEYSTORE_SECRET: 's3cret' }, logger);
    assert.equal(decode(resolved.secret), 's3cret');
    assert.equal(resolved.isDevelopmentSecret, false);
    assert.deepEqual(records(), [], 'a real secret is used silently');
  }

  for (const config of [dev, cluster]) {
    for (const environment of [{}, { AURIGRAPH_KEYSTORE_SECRET: '' }]) {
      const { logger, records } = collectingLogger('debug');
      const resolved = resolveOperatorSecret(config, environment, logger);
      assert.equal(decode(resolved.secret), developmentSecret);
      assert.equal(resolved.isDevelopmentSecret, true);
      const [warning, ...rest] = records();
      assert.deepEqual(rest, []);
      assert.equal(warning?.['level'], 'warn');
      assert.match(String(warning?.['msg']), /^INSECURE: AURIGRAPH_KEYSTORE_SECRET is not set, so the keystore uses the fixed development secret/);
      assert.ok(!JSON.stringify(warning).includes(developmentSecret), 'the warning does not print the secret itself');
    }
  }

  // Another profile, or a secret under a name other than the configured one, is refused.
  const refusals: Array<[NodeConfig, NodeJS.ProcessEnv, string]> = [
    [prod, {}, 'AURIGRAPH_KEYSTORE_SECRET'],
    [prod, { AURIGRAPH_KEYSTORE_SECRET: '' }, 'AURIGRAPH_KEYSTORE_SECRET'],
    [renamed, { AURIGRAPH_KEYSTORE_SECRET: 'under the default name' }, 'NODE_B_SECRET'],
  ];
  for (const [config, environment, variable] of refusals) {
    const { logger, records } = collectingLogger('debug');
    assert.throws(
      () => resolveOperatorSecret(config, environment, logger),
      (error: unknown) =>
        error instanceof AurigraphError &&
        error.kind === 'failed_precondition' &&
        error.field === 'crypto.keystore.secretEnv' &&
        error.message.includes(`operator secret in the environment variable ${variable}`),
    );
    assert.deepEqual(records(), [], 'no fallback, no warning');
  }
});

test('npm start on a fresh machine: the dev profile serves CryptoService without a secret, and warns', async (t) => {
  const cryptoNode = await startCryptoNode({ env: { AURIGRAPH_KEYSTORE_SECRET: undefined } });
  t.after(() => cryptoNode.node.cleanup());
  const crypto = cryptoNode.client.crypto;
  const created = await crypto.generateKey(GenerateKeyRequest.create({ keyId: 'scratch', algorithm: KeyAlgorithm.ML_DSA_44 }));
  const read = await crypto.getPublicKey(GetPublicKeyRequest.create({ keyId: 'scratch' }));
  assert.deepEqual(read.publicKey, created.versions[0]!.publicKey);
  await stopCryptoNode(cryptoNode);

  const warnings = parseLogLines(cryptoNode.node.logLines).filter((entry) => entry['level'] === 'warn');
  assert.equal(warnings.length, 1, cryptoNode.node.logLines.join('\n'));
  assert.equal(warnings[0]!['component'], 'crypto-service');
  assert.match(String(warnings[0]!['msg']), /INSECURE: AURIGRAPH_KEYSTORE_SECRET is not set/);
  assert.ok(!cryptoNode.node.logLines.some((line) => line.includes(developmentSecret)), 'the log never prints the secret');
});
