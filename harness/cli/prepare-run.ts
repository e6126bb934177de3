// Before anything starts: resolve the requested names, load and validate every scenario, compile
// the plans and check them against the platform's capabilities. Any problem: UsageError (exit 2).

import path from 'node:path';
import type { Capability, CapabilityReasons } from '../platform/platform.js';
import { checkCapabilities, type CapabilityProblem } from '../scenario/check-capabilities.js';
import { compilePlan } from '../scenario/compile-plan.js';
import { loadScenarioFile } from '../scenario/load-scenario.js';
import { narrowToPlatform } from '../scenario/narrow-to-platform.js';
import type { UnsupportedScenario } from '../runner/scenario-result.js';
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
  /** `--system`, as given. */
  system?: string;
  replicas?: number;
  durationScale?: number;
}

export interface PreparedScenario {
  plan: Plan;
  replayCommand: string;
  /** Asked for only through `all`: skipped, not refused, where the platform cannot run it. */
  viaAllOnly: boolean;
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
  const explicit = new Set(resolution.explicit);
  for (const file of resolution.files) {
    try {
      const scenario = await loadScenarioFile(file);
      if (!scenario.inAll && !explicit.has(file)) continue; // a long soak runs only when named
      const plan = compilePlan(scenario, { seed: request.seed, replicas: request.replicas, durationScale: request.durationScale });
      prepared.push({ plan, replayCommand: replayCommand(replayName(file, request.scenariosDir), replayFlags(request)), viaAllOnly: !explicit.has(file) });
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
    ...(request.system !== undefined ? { system: request.system } : {}),
    ...(request.replicas !== undefined ? { replicas: request.replicas } : {}),
    ...(request.durationScale !== undefined ? { durationScale: request.durationScale } : {}),
    ...(customDirectory ? { scenariosDir: request.scenariosDir } : {}),
  };
}

/**
 * Splits the scenarios into those the platform can run and those it cannot. A scenario asked for
 * by name or path that the platform cannot run is an error (UsageError naming fault and platform,
 * nothing started); one that came only through `all` is skipped with the reason, so that `run all`
 * runs everything this platform and machine can. A nemesis with `faults: supported` is first
 * narrowed to the fault kinds the platform has.
 */
export function sortByCapabilities(
  prepared: readonly PreparedScenario[],
  platformName: string,
  capabilities: ReadonlySet<Capability>,
  reasons: CapabilityReasons = {},
): { runnable: PreparedScenario[]; unsupported: UnsupportedScenario[] } {
  const runnable: PreparedScenario[] = [];
  const unsupported: UnsupportedScenario[] = [];
  const refusals: string[] = [];
  for (const asked of prepared) {
    const scenario = { ...asked, plan: narrowToPlatform(asked.plan, capabilities) };
    const problems = checkCapabilities(scenario.plan, platformName, capabilities, reasons);
    if (problems.length === 0) runnable.push(scenario);
    else if (scenario.viaAllOnly) unsupported.push(unsupportedScenario(scenario.plan, platformName, problems, reasons));
    else refusals.push(...problems.map((problem) => problem.message));
  }
  if (refusals.length > 0) throw new UsageError(`${refusals.join('\n')}\nnothing was started`);
  return { runnable, unsupported };
}

function unsupportedScenario(plan: Plan, platformName: string, problems: readonly CapabilityProblem[], reasons: CapabilityReasons): UnsupportedScenario {
  const capabilities = [...new Set(problems.map((problem) => problem.capability))];
  const why = capabilities.map((capability) => reasons[capability]).filter((reason) => reason !== undefined);
  return {
    scenario: plan.name,
    file: plan.file,
    reason: `needs ${capabilities.join(', ')}, which the ${platformName} platform lacks${why.length > 0 ? ` here: ${why.join('; ')}` : ''}`,
  };
}
