// Verdicts of checks. They compose: false beats unknown beats true.

export type Validity = true | false | 'unknown';

export interface Verdict {
  /** Check name, e.g. `linearizable`, `no-lost-writes`, `recovery-time`. */
  check: string;
  valid: Validity;
  /** One line saying what was found, e.g. "stale read of k3: read v7 after v9 was acknowledged". */
  summary: string;
  /** Structured evidence for the TAP YAML block and summary.json (keys, operations, times). */
  evidence?: Record<string, unknown>;
}

export function composeValidity(validities: Validity[]): Validity {
  if (validities.includes(false)) return false;
  if (validities.includes('unknown')) return 'unknown';
  return true;
}
