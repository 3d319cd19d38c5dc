import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createNativeKemBackend,
  createNativeSignatureBackend,
  createNobleKemBackend,
  createNobleSignatureBackend,
  requireMlDsaAlgorithm,
  requireMlKemAlgorithm,
  type KemBackend,
  type SignatureBackend,
} from '../src/crypto/index.js';
import { AurigraphError } from '../src/errors.js';
import {
  hexField,
  listWycheproofFiles,
  loadWycheproofFile,
  wycheproofDirectory,
  type WycheproofFile,
  type WycheproofTest,
} from './wycheproof-files.js';

/**
 * Project Wycheproof conformance: every case of every ML-DSA and ML-KEM file, against every
 * backend, must give the file's expected result. "Rejected" means the backend returned false or
 * threw our invalid_argument error (for example on a key of the wrong length, or one that
 * OpenSSL refuses to import); any other exception is a bug and fails the case. No case is
 * skipped. One documented limit: node:crypto cannot take the encapsulation message m, so for
 * the native backend a valid encapsulation case checks that the key is accepted and the output
 * lengths are right, while the exact (c, K) comparison runs on noble.
 */

const signatureBackends: SignatureBackend[] = [createNativeSignatureBackend(), createNobleSignatureBackend()];
const kemBackends: KemBackend[] = [createNativeKemBackend(), createNobleKemBackend()];

/** The schemas this suite knows; a file with any other schema fails rather than being skipped. */
const schemaHandlers = {
  'mldsa_verify_schema.json': 'signature',
  'mlkem_test_schema.json': 'kem-decapsulation',
  'mlkem_encaps_test_schema.json': 'kem-encapsulation',
} as const;

/** Flags under which throwing invalid_argument (rather than returning false) is our contract. */
const lengthOrContextFlags = new Set(['IncorrectPublicKeyLength', 'IncorrectSignatureLength', 'InvalidContext']);

type Outcome = { accepted: true } | { accepted: false; rejection: string };

interface Tally {
  cases: number;
  validAccepted: number;
  invalidRejected: number;
  acceptable: number;
  rejectedByFalse: number;
  rejectedByError: number;
  acceptanceOnly: number;
  failures: string[];
}

const files = listWycheproofFiles();
const loaded = new Map<string, WycheproofFile>();
function load(fileName: string): WycheproofFile {
  let file = loaded.get(fileName);
  if (file === undefined) {
    file = loadWycheproofFile(fileName);
    loaded.set(fileName, file);
  }
  return file;
}

test(`the Wycheproof folder ${wycheproofDirectory()} has ML-DSA and ML-KEM files of known schemas`, () => {
  for (const expected of [
    'mldsa_44_verify_test.json.gz',
    'mldsa_65_verify_test.json.gz',
    'mldsa_87_verify_test.json.gz',
    'mlkem_768_test.json.gz',
    'mlkem_1024_test.json.gz',
    'mlkem_768_encaps_test.json.gz',
    'mlkem_1024_encaps_test.json.gz',
  ]) {
    assert.ok(files.includes(expected), `missing ${expected}`);
  }
  for (const fileName of files) {
    const { schema } = load(fileName);
    assert.ok(schema !== undefined && schema in schemaHandlers, `${fileName}: unknown schema ${String(schema)}`);
  }
});

for (const fileName of files) {
  const kind = schemaHandlers[load(fileName).schema as keyof typeof schemaHandlers];
  const backends: (SignatureBackend | KemBackend)[] = kind === 'signature' ? signatureBackends : kemBackends;
  for (const backend of backends) {
    test(`${fileName} on the ${backend.name} backend`, () => {
      const file = load(fileName);
      const tally = newTally();
      for (const group of file.testGroups) {
        for (const vector of group.tests) {
          tally.cases += 1;
          if (kind === 'signature') {
            runSignatureCase(backend as SignatureBackend, file, group.publicKey, vector, tally);
          } else if (kind === 'kem-decapsulation') {
            runDecapsulationCase(backend as KemBackend, String(group['parameterSet']), vector, tally);
          } else {
            runEncapsulationCase(backend as KemBackend, String(group['parameterSet']), vector, tally);
          }
        }
      }
      if (file.numberOfTests !== undefined) assert.equal(tally.cases, file.numberOfTests, 'cases run = numberOfTests in the header');
      console.log(
        `wycheproof ${fileName} [${backend.name}]: ${tally.cases} cases: ${tally.validAccepted} valid accepted, ` +
          `${tally.invalidRejected} invalid rejected (${tally.rejectedByFalse} by false, ${tally.rejectedByError} by invalid_argument), ` +
          `${tally.acceptable} acceptable` +
          (tally.acceptanceOnly > 0 ? `; ${tally.acceptanceOnly} valid cases checked for acceptance and lengths only (m not injectable)` : ''),
      );
      assert.deepEqual(tally.failures, [], `${tally.failures.length} of ${tally.cases} cases failed`);
    });
  }
}

function runSignatureCase(
  backend: SignatureBackend,
  file: WycheproofFile,
  groupPublicKey: unknown,
  vector: WycheproofTest,
  tally: Tally,
): void {
  const algorithm = requireMlDsaAlgorithm('algorithm', file.algorithm);
  const publicKey = new Uint8Array(Buffer.from(String(groupPublicKey), 'hex'));
  const context = typeof vector['ctx'] === 'string' ? hexField(vector, 'ctx') : undefined;
  const outcome = attempt(() => {
    const verified = backend.verify(
      algorithm,
      publicKey,
      hexField(vector, 'msg'),
      hexField(vector, 'sig'),
      context === undefined ? undefined : { context },
    );
    return verified ? { accepted: true } : { accepted: false, rejection: 'false' };
  });
  if (typeof outcome === 'string') return fail(tally, vector, outcome);
  if (!outcome.accepted && outcome.rejection !== 'false') {
    const flagged = (vector.flags ?? []).some((flag) => lengthOrContextFlags.has(flag));
    if (!flagged) return fail(tally, vector, `threw ${outcome.rejection} where the contract is to return false`);
  }
  judge(tally, vector, outcome);
}

function runDecapsulationCase(backend: KemBackend, parameterSet: string, vector: WycheproofTest, tally: Tally): void {
  const algorithm = requireMlKemAlgorithm('parameterSet', parameterSet);
  const outcome = attempt(() => {
    const { publicKey, privateKey } = backend.keygen(algorithm, hexField(vector, 'seed'));
    const sharedSecret = backend.decapsulate(privateKey, hexField(vector, 'c'));
    if (vector.result !== 'invalid') {
      assert.equal(Buffer.from(publicKey).toString('hex'), vector['ek'], 'keygen from the seed gives ek');
      assert.equal(Buffer.from(sharedSecret).toString('hex'), vector['K'], 'decapsulation gives K');
    }
    return { accepted: true };
  });
  if (typeof outcome === 'string') return fail(tally, vector, outcome);
  judge(tally, vector, outcome);
}

function runEncapsulationCase(backend: KemBackend, parameterSet: string, vector: WycheproofTest, tally: Tally): void {
  const algorithm = requireMlKemAlgorithm('parameterSet', parameterSet);
  const publicKey = hexField(vector, 'ek');
  const outcome = attempt(() => {
    if (backend.supportsDeterministicEncapsulation) {
      const { ciphertext, sharedSecret } = backend.encapsulate(algorithm, publicKey, { randomness: hexField(vector, 'm') });
      if (vector.result !== 'invalid') {
        assert.equal(Buffer.from(ciphertext).toString('hex'), vector['c'], 'encapsulation with m gives c');
        assert.equal(Buffer.from(sharedSecret).toString('hex'), vector['K'], 'encapsulation with m gives K');
      }
    } else {
      const { ciphertext, sharedSecret } = backend.encapsulate(algorithm, publicKey);
      if (vector.result !== 'invalid') {
        assert.equal(ciphertext.length, hexField(vector, 'c').length, 'ciphertext length');
        assert.equal(sharedSecret.length, hexField(vector, 'K').length, 'shared secret length');
        tally.acceptanceOnly += 1;
      }
    }
    return { accepted: true };
  });
  if (typeof outcome === 'string') return fail(tally, vector, outcome);
  if (!outcome.accepted && outcome.rejection !== 'invalid_argument on publicKey') {
    return fail(tally, vector, `rejected for the wrong reason: ${outcome.rejection}`);
  }
  judge(tally, vector, outcome);
}

/** An Outcome, or a string describing an unexpected failure (a bug, or a wrong answer). */
function attempt(operation: () => Outcome): Outcome | string {
  try {
    return operation();
  } catch (error) {
    if (error instanceof AurigraphError && error.kind === 'invalid_argument') {
      return { accepted: false, rejection: `invalid_argument on ${error.field ?? '?'}` };
    }
    if (error instanceof assert.AssertionError) return `wrong answer: ${error.message}`;
    return `unexpected exception: ${(error as Error).stack ?? String(error)}`;
  }
}

function judge(tally: Tally, vector: WycheproofTest, outcome: Outcome): void {
  if (vector.result === 'acceptable') {
    tally.acceptable += 1;
    return;
  }
  if (vector.result === 'valid') {
    if (!outcome.accepted) return fail(tally, vector, `valid case rejected (${outcome.rejection})`);
    tally.validAccepted += 1;
    return;
  }
  if (outcome.accepted) return fail(tally, vector, 'invalid case accepted');
  tally.invalidRejected += 1;
  if (outcome.rejection === 'false') tally.rejectedByFalse += 1;
  else tally.rejectedByError += 1;
}

function fail(tally: Tally, vector: WycheproofTest, problem: string): void {
  tally.failures.push(`tcId ${vector.tcId} (${vector.comment ?? ''} ${JSON.stringify(vector.flags ?? [])}): ${problem}`);
}

function newTally(): Tally {
  return {
    cases: 0,
    validAccepted: 0,
    invalidRejected: 0,
    acceptable: 0,
    rejectedByFalse: 0,
    rejectedByError: 0,
    acceptanceOnly: 0,
    failures: [],
  };
}
