/** "Did you mean …?" for unknown keys, environment variables and flags. */

/** Levenshtein distance, two rows; inputs are short key names, so plain loops are fine. */
export function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let row = 1; row <= left.length; row++) {
    const current = [row];
    for (let column = 1; column <= right.length; column++) {
      const substitution = previous[column - 1]! + (left[row - 1] === right[column - 1] ? 0 : 1);
      current.push(Math.min(previous[column]! + 1, current[column - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length]!;
}

/** Case, '_' and '-' do not matter when matching: max_batch_bytes finds maxBatchBytes. */
function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

/** The closest candidate, if it is close enough to be a likely typo. */
export function closestMatch(name: string, candidates: readonly string[]): string | undefined {
  const wanted = normalise(name);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, normalise(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const tolerance = Math.max(2, Math.floor(wanted.length / 4));
  return bestDistance <= tolerance ? best : undefined;
}
