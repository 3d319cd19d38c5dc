import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { findDrift, generate, generatedMarker, writeGenerated } from '../../scripts/proto-gen/generate.js';
import { distDir, protoDir, repoRoot } from '../../src/paths.js';
import { copyProtoDirectory } from './proto-copy.js';

const committedOutput = path.join(repoRoot, 'src', 'generated');
const generatorScript = path.join(distDir, 'scripts', 'gen-proto.js');

function runCheck(protoDirectory: string): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [generatorScript, '--check', '--proto-dir', protoDirectory], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return { status: result.status, stderr: result.stderr };
}

test('renaming a proto field without regenerating is reported as drift of aurigraph.ts', () => {
  const copy = copyProtoDirectory();
  try {
    copy.edit('aurigraph/v11/transaction.proto', '  fixed64 amount = 4;', '  fixed64 amount_units = 4;');
    assert.deepEqual(findDrift(generate(copy.directory), committedOutput), [{ file: 'aurigraph.ts', problem: 'differs' }]);
  } finally {
    copy.remove();
  }
});

test('changing a proto field type without regenerating is reported as drift', () => {
  const copy = copyProtoDirectory();
  try {
    copy.edit('aurigraph/v11/transaction.proto', '  fixed64 nonce = 5;', '  uint64 nonce = 5;');
    assert.deepEqual(findDrift(generate(copy.directory), committedOutput), [{ file: 'aurigraph.ts', problem: 'differs' }]);
  } finally {
    copy.remove();
  }
});

test('gen-proto --check exits 1 and names the drifted file; 0 when nothing changed', () => {
  const copy = copyProtoDirectory();
  try {
    const unchanged = runCheck(copy.directory);
    assert.equal(unchanged.status, 0, unchanged.stderr);
    copy.edit('aurigraph/v11/transaction.proto', '  bytes signature = 9;', '  bytes signature = 10;');
    const drifted = runCheck(copy.directory);
    assert.equal(drifted.status, 1);
    assert.match(drifted.stderr, /drifted: src\/generated\/aurigraph\.ts differs/);
    assert.match(drifted.stderr, /npm run gen:proto/);
  } finally {
    copy.remove();
  }
});

test('a generated file that the protos no longer produce is reported as stale; hand-written files are not', () => {
  const outputDirectory = mkdtempSync(path.join(tmpdir(), 'aurigraph-generated-'));
  try {
    const generated = generate(protoDir);
    assert.deepEqual(writeGenerated(generated, outputDirectory), ['aurigraph.ts']);
    assert.deepEqual(writeGenerated(generated, outputDirectory), [], 'a second write changes nothing');
    writeFileSync(path.join(outputDirectory, 'runtime.ts'), '// hand-written\nexport {};\n');
    assert.deepEqual(findDrift(generated, outputDirectory), []);
    writeFileSync(path.join(outputDirectory, 'old-service.ts'), `${generatedMarker}\nexport {};\n`);
    assert.deepEqual(findDrift(generated, outputDirectory), [{ file: 'old-service.ts', problem: 'stale' }]);
  } finally {
    rmSync(outputDirectory, { recursive: true, force: true });
  }
});

test('a proto outside the supported subset fails generation with a message naming it', () => {
  const copy = copyProtoDirectory();
  try {
    copy.edit('aurigraph/v11/common.proto', '  bool sibling_on_left = 2;', '  bool sibling_on_left = 2;\n  map<string, bytes> extra = 3;');
    assert.throws(() => generate(copy.directory), /aurigraph\.v11\.MerkleProofStep\.extra: map fields are not supported/);
  } finally {
    copy.remove();
  }
});

test('two enums sharing a value name (invalid for protoc) fail generation', () => {
  const copy = copyProtoDirectory();
  try {
    copy.edit('aurigraph/v11/common.proto', '  DEGRADED = 2;', '  COMMITTED_ELSEWHERE = 2;\n  DEGRADED = 4;');
    copy.edit('aurigraph/v11/network_service.proto', '  PEER_HEALTH_CHANGED = 3;', '  PEER_HEALTH_CHANGED = 3;\n  COMMITTED_ELSEWHERE = 5;');
    assert.throws(() => generate(copy.directory), /COMMITTED_ELSEWHERE: enum value name already used by aurigraph\.v11\.PeerHealth/);
  } finally {
    copy.remove();
  }
});
