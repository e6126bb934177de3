// "did you mean …?" for misspelt field names and values.

import { closest, distance } from 'fastest-levenshtein';

/** The nearest candidate when it is close enough to be a likely typo, else undefined. */
export function suggestName(given: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const nearest = closest(given, candidates);
  const allowedEdits = Math.max(2, Math.floor(given.length / 3));
  return distance(given.toLowerCase(), nearest.toLowerCase()) <= allowedEdits ? nearest : undefined;
}
