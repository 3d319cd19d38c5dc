import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoMarkers, replaceSection } from '../../bench/crypto/markdown-section.js';

// bench:crypto rewrites only its own section of the shared BENCHMARKS.md.

test('replaces only the text between the crypto markers', () => {
  const document = `# Benchmarks\n\nintro\n\n${cryptoMarkers.start}\nold figures\n${cryptoMarkers.end}\n\n## Ring\nring figures\n`;
  const updated = replaceSection(document, cryptoMarkers, 'new figures\n');
  assert.equal(updated, `# Benchmarks\n\nintro\n\n${cryptoMarkers.start}\nnew figures\n${cryptoMarkers.end}\n\n## Ring\nring figures\n`);
  assert.equal(replaceSection(updated, cryptoMarkers, 'new figures'), updated, 'running twice changes nothing more');
});

test('appends the section when the markers are absent', () => {
  const updated = replaceSection('# Benchmarks\n\n## Ring\n', cryptoMarkers, 'figures');
  assert.equal(updated, `# Benchmarks\n\n## Ring\n\n${cryptoMarkers.start}\nfigures\n${cryptoMarkers.end}\n`);
});

test('refuses to guess when only one marker is present', () => {
  assert.throws(() => replaceSection(`text ${cryptoMarkers.start} more`, cryptoMarkers, 'x'), /broken/);
  assert.throws(() => replaceSection(`${cryptoMarkers.end} then ${cryptoMarkers.start}`, cryptoMarkers, 'x'), /broken/);
});
