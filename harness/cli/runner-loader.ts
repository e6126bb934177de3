// The runner is loaded when `harness run` needs it (it pulls in the workload, faults and checkers).

import type { ScenarioRunner } from './execute-run.js';

export async function loadRunner(): Promise<ScenarioRunner> {
  return (await import('../runner/run-scenario.js')).runScenario;
}
