// Quorum arithmetic.

/** Members needed for a majority of a cluster of `size`. */
export function majorityOf(size: number): number {
  return Math.floor(size / 2) + 1;
}

/** The highest value that at least `quorum` of `values` reach (values: one per member). */
export function quorumValue(values: number[], quorum: number): number {
  const sorted = [...values].sort((a, b) => b - a);
  return sorted[quorum - 1] ?? 0;
}
