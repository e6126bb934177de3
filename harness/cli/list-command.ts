// `harness list`: every scenario with its description, or the problems of those that do not load.

import { loadScenarioFile } from '../scenario/load-scenario.js';
import { listScenarioNames } from '../scenario/scenario-catalog.js';
import { ScenarioError } from '../scenario/scenario-problem.js';
import path from 'node:path';
import { wrapHanging } from '../report/output-width.js';

/** `width`: the output's columns (descriptions wrap under themselves); undefined: one line each. */
export async function listCommand(scenariosDir: string, write: (text: string) => void, width?: number): Promise<number> {
  const names = await listScenarioNames(scenariosDir);
  if (names.length === 0) {
    write(`no scenarios in ${scenariosDir}\n`);
    return 2;
  }
  const nameWidth = Math.max(...names.map((name) => name.length));
  let broken = 0;
  for (const name of names) {
    try {
      const scenario = await loadScenarioFile(path.join(scenariosDir, `${name}.yaml`));
      write(`${name.padEnd(nameWidth)}  ${wrapHanging(scenario.description, nameWidth + 2, width)}\n`);
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      broken += 1;
      write(`${name.padEnd(nameWidth)}  INVALID: ${error.message}\n`);
    }
  }
  return broken > 0 ? 2 : 0;
}
