/** Test helper: where two long texts first differ, so a failed comparison prints one line, not 12k. */
export function firstDifference(expected: string, actual: string): string | null {
  if (expected === actual) return null;
  const expectedLines = expected.split('\n');
  const actualLines = actual.split('\n');
  const lineCount = Math.max(expectedLines.length, actualLines.length);
  for (let index = 0; index < lineCount; index++) {
    if (expectedLines[index] !== actualLines[index]) {
      return `line ${index + 1}: expected ${JSON.stringify(expectedLines[index])}, found ${JSON.stringify(actualLines[index])}`;
    }
  }
  return 'texts differ only in line endings';
}
