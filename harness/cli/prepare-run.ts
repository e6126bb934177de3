// Before anything starts: resolve the requested names, load and validate every scenario, compile
// the plans and check them against the platform's capabilities. Any problem: UsageError (exit 2).

import path from 'node:path';
import type { Capability } from '../platform/platform.js';
import { checkCapabilities } from '../scenario/check-capabilities.js';
import { compilePlan } from '../scenario/compile-plan.js';
import { loadScenarioFile } from '../scenario/load-scenario.js';
import type { Plan } from '../scenario/plan.js';
import { defaultScenariosDir, resolveScenarioFiles } from '../scenario/scenario-catalog.js';
import { ScenarioError } from '../scenario/scenario-problem.js';
import { replayCommand, type ReplayFlags } from './replay-command.js';
import { UsageError } from './usage-error.js';

export interface RunRequest {
  scenarios: string[];
  scenariosDir: string;
  seed: number;
  platform: string;
  serverCommand?: string;
  replicas?: number;
  durationScale?: number;
}

export interface PreparedScenario {
  plan: Plan;
  replayCommand: string;
}

export async function prepareRun(request: RunRequest): Promise<PreparedScenario[]> {
  const resolution = await resolveScenarioFiles(request.scenarios, request.scenariosDir);
  if ('unknown' in resolution) {
    const known = resolution.known.length > 0 ? resolution.known.join(', ') : `none (no .yaml files in ${request.scenariosDir})`;
    throw new UsageError(
      `unknown scenario${resolution.unknown.length > 1 ? 's' : ''} ${resolution.unknown.map((name) => `"${name}"`).join(', ')}: ` +
        `known scenarios in ${request.scenariosDir}: ${known}; or give a path to a .yaml file; \`harness list\` describes them`,
    );
  }
  const messages: string[] = [];
  const prepared: PreparedScenario[] = [];
  for (const file of resolution.files) {
    try {
      const scenario = await loadScenarioFile(file);
      const plan = compilePlan(scenario, { seed: request.seed, replicas: request.replicas, durationScale: request.durationScale });
      prepared.push({ plan, replayCommand: replayCommand(replayName(file, request.scenariosDir), replayFlags(request)) });
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      messages.push(error.message);
    }
  }
  if (messages.length > 0) throw new UsageError(`${messages.join('\n')}\nnothing was started: fix the scenario file(s) above`);
  return prepared;
}

/** A file from the scenarios directory replays by its name, any other by its path. */
function replayName(file: string, scenariosDir: string): string {
  const inDirectory = path.resolve(path.dirname(file)) === path.resolve(scenariosDir) && file.endsWith('.yaml');
  return inDirectory ? path.basename(file, '.yaml') : file;
}

function replayFlags(request: RunRequest): ReplayFlags {
  const customDirectory = path.resolve(request.scenariosDir) !== path.resolve(defaultScenariosDir());
  return {
    seed: request.seed,
    platform: request.platform,
    ...(request.serverCommand !== undefined ? { serverCommand: request.serverCommand } : {}),
    ...(request.replicas !== undefined ? { replicas: request.replicas } : {}),
    ...(request.durationScale !== undefined ? { durationScale: request.durationScale } : {}),
    ...(customDirectory ? { scenariosDir: request.scenariosDir } : {}),
  };
}

/** Every step the platform cannot carry out, over all plans; UsageError naming fault and platform. */
export function rejectMissingCapabilities(
  prepared: readonly PreparedScenario[],
  platformName: string,
  capabilities: ReadonlySet<Capability>,
  reasons: Partial<Readonly<Record<Capability, string>>> = {},
): void {
  const problems = prepared.flatMap(({ plan }) => checkCapabilities(plan, platformName, capabilities, reasons));
  if (problems.length === 0) return;
  throw new UsageError(`${problems.map((problem) => problem.message).join('\n')}\nnothing was started`);
}
