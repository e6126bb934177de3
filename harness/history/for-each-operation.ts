// Every operation of a history file, read again piece by piece: each is visited once complete
// (at its completion, or at the end of the file for one that never completes), so that only the
// operations in flight are held. For what needs every operation of a history too large to keep
// (the evidence page's sample).

import type { Operation } from './operation.js';
import { complete, invokedOperation, OperationPairer } from './pair-operations.js';
import { forEachHistoryEvent } from './read-history-events.js';

export async function forEachOperation(path: string, visit: (operation: Operation) => void): Promise<void> {
  const inFlight = new Map<number, Operation>();
  const pairer = new OperationPairer(path, {
    invoked(invoke, index) {
      inFlight.set(index, invokedOperation(invoke, index));
      return index;
    },
    completed(_, completion, index) {
      const operation = inFlight.get(index)!;
      inFlight.delete(index);
      complete(operation, completion);
      visit(operation);
    },
  });
  await forEachHistoryEvent(path, (event, lineNumber) => pairer.add(event, lineNumber));
  for (const operation of inFlight.values()) visit(operation);
}
