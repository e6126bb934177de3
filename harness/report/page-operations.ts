// The operations an evidence page is built from: every operation of a check that kept them, or,
// for a history too large to keep, those its sample keeps (page-sample.ts), read from the file
// again with the sample's counts of every operation.

import type { HistoryCheck } from '../checkers/check-history.js';
import type { Verdict } from '../checkers/verdict.js';
import type { Operation } from '../history/operation.js';
import { PageSample } from './page-sample.js';

export interface PageOperations {
  operations: Iterable<Operation>;
  /** Given when the operations are the sample's only. */
  sample?: PageSample;
}

export async function pageOperations(check: HistoryCheck, verdicts: readonly Verdict[]): Promise<PageOperations> {
  if (check.operations !== undefined || check.forEachOperation === undefined) return { operations: check.operations ?? [] };
  const sample = new PageSample(verdicts, check.operationCount);
  const kept: Operation[] = [];
  await check.forEachOperation((operation) => {
    if (sample.keeps(operation)) kept.push(operation);
  });
  // Visited as they completed: the page lists each key's operations in order of invocation.
  return { operations: kept.sort((a, b) => a.index - b.index), sample };
}
