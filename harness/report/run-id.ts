// Run ids: UTC time plus the scenario name (or `all`), safe as a directory name everywhere.

/** `2026-11-22T04-33-28Z-kill-leader`. */
export function makeRunId(startedAt: Date, label: string): string {
  const time = startedAt.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
  const safeLabel = label.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
  return `${time}-${safeLabel === '' ? 'run' : safeLabel}`;
}

/** The label for a run of these requested names: `all`, the one name, or the names joined. */
export function runLabel(requested: readonly string[]): string {
  if (requested.includes('all')) return 'all';
  const names = requested.map((name) => name.replace(/^.*\//, '').replace(/\.ya?ml$/, ''));
  return names.length <= 3 ? names.join('+') : `${names.slice(0, 2).join('+')}+${names.length - 2}-more`;
}
