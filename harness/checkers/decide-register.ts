// Decides one register history: the zone fast path where it applies, else the WGL search.

import { checkByZones } from './check-by-zones.js';
import type { RegisterOperation } from './register-operation.js';
import { searchLinearization, type SearchOutcome } from './search-linearization.js';

export function decideRegister(operations: readonly RegisterOperation[], stepLimit = Infinity): SearchOutcome {
  const zones = checkByZones(operations);
  if (zones.result === 'linearizable') return 'linearizable';
  if (zones.result === 'not-linearizable') return 'not-linearizable';
  return searchLinearization(operations, stepLimit);
}
