/** Nanoseconds on the history clock as seconds for messages: `1.234 s`. */
export function formatSeconds(timeNs: number | null): string {
  if (timeNs === null || !Number.isFinite(timeNs)) return 'never';
  return `${(timeNs / 1e9).toFixed(3)} s`;
}
