// How a command's error reaches the user: bad input is exit 2 with its message as is; a platform
// failure is exit 3; anything else is reported with where it came from.

import { ScenarioError } from '../scenario/scenario-problem.js';
import { PlatformError, UsageError } from './usage-error.js';

export function commandErrorExitCode(error: unknown): number {
  if (error instanceof UsageError || error instanceof ScenarioError) return 2;
  return 3;
}

export function describeCommandError(error: unknown): string {
  if (error instanceof UsageError || error instanceof ScenarioError) return error.message;
  if (error instanceof PlatformError) return `platform error: ${error.message}`;
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `error: ${stack}`;
}
