import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { generate, findDrift } from '../../scripts/proto-gen/generate.js';
import { protoDir, repoRoot } from '../../src/paths.js';
import { copyProtoDirectory } from './proto-copy.js';
import { firstDifference } from './text-difference.js';

const outputDirectory = path.join(repoRoot, 'src', 'generated');

test('committed src/generated is byte-identical to what proto/ generates', () => {
  const generated = generate(protoDir);
  assert.ok(generated.has('aurigraph.ts'), 'the generator produces aurigraph.ts');
  for (const [file, contents] of generated) {
    const committed = readFileSync(path.join(outputDirectory, file), 'utf8');
    const difference = firstDifference(contents, committed);
    assert.equal(difference, null, `src/generated/${file} has drifted from proto/ (${difference}); run npm run gen:proto`);
  }
  assert.deepEqual(findDrift(generated, outputDirectory), []);
});

test('generation is deterministic and does not depend on where proto/ lives', () => {
  const copy = copyProtoDirectory();
  try {
    const fromRepository = generate(protoDir);
    const fromRepositoryAgain = generate(protoDir);
    const fromCopy = generate(copy.directory);
    assert.deepEqual([...fromRepositoryAgain.keys()], [...fromRepository.keys()]);
    for (const [file, contents] of fromRepository) {
      assert.equal(firstDifference(contents, fromRepositoryAgain.get(file) ?? ''), null, `${file} differs between runs`);
      assert.equal(firstDifference(contents, fromCopy.get(file) ?? ''), null, `${file} differs for a copy of proto/`);
      assert.ok(!contents.includes(protoDir), `${file} must not embed the absolute proto path`);
    }
  } finally {
    copy.remove();
  }
});
