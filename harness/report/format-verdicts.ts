// What `harness check` prints: every verdict on a line, the operations of a linearizability
// anomaly, the files it read and wrote, and the overall result; and its exit status.

import type { HistoryCheck } from '../checkers/check-history.js';
import type { Validity, Verdict } from '../checkers/verdict.js';

export interface CheckedFile {
  path: string;
  result: HistoryCheck;
  factsPath?: string | undefined;
  htmlPath?: string | undefined;
}

export function formatVerdicts({ path, result, factsPath, htmlPath }: CheckedFile): string {
  const lines = [`${path}: ${result.operationCount} operations`];
  if (factsPath !== undefined) lines.push(`  facts: ${factsPath}`);
  for (const verdict of result.verdicts) lines.push(`  ${label(verdict.valid)} ${verdict.check}: ${verdict.summary}`);
  const first = result.verdicts.find((verdict: Verdict) => verdict.valid === false && verdict.check === 'linearizable');
  const evidence = first?.evidence?.['operations'];
  if (Array.isArray(evidence)) {
    lines.push('    operations that cannot be ordered:');
    for (const operation of evidence.slice(0, 12)) lines.push(`      ${JSON.stringify(operation)}`);
  }
  if (htmlPath !== undefined) lines.push(`  evidence page: ${htmlPath}`);
  lines.push(`${label(result.valid)} ${result.valid === true ? 'valid' : result.valid === false ? 'anomaly found' : 'unknown'}`);
  return `${lines.join('\n')}\n`;
}

/** SPEC section 3: 0 valid, 1 an anomaly, 4 unknown. */
export function validityExitCode(valid: Validity): 0 | 1 | 4 {
  return valid === true ? 0 : valid === false ? 1 : 4;
}

function label(valid: Validity): string {
  return valid === true ? 'ok     ' : valid === false ? 'FAIL   ' : 'UNKNOWN';
}
