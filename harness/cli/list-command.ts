// `harness list`: every scenario with its description, or the problems of those that do not load.

import { loadScenarioFile } from '../scenario/load-scenario.js';
import { listScenarioNames } from '../scenario/scenario-catalog.js';
import { ScenarioError } from '../scenario/scenario-problem.js';
import path from 'node:path';

export async function listCommand(scenariosDir: string, write: (text: string) => void): Promise<number> {
  const names = await listScenarioNames(scenariosDir);
  if (names.length === 0) {
    write(`no scenarios in ${scenariosDir}\n`);
    return 2;
  }
  const width = Math.max(...names.map((name) => name.length));
  let broken = 0;
  for (const name of names) {
    try {
      const scenario = await loadScenarioFile(path.join(scenariosDir, `${name}.yaml`));
      write(`${name.padEnd(width)}  ${scenario.description}\n`);
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      broken += 1;
      write(`${name.padEnd(width)}  INVALID: ${error.message}\n`);
    }
  }
  return broken > 0 ? 2 : 0;
}
