// `harness run all|<name>…`: validate everything first, then run each scenario and report.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { randomInt } from 'node:crypto';
import { ConsoleReporter } from '../report/console-reporter.js';
import { prepareReportsDirectory } from '../report/prepare-reports-directory.js';
import { makeRunId, runLabel } from '../report/run-id.js';
import { terminalStyle } from '../report/terminal-style.js';
import { executeRun, type ScenarioRunner } from './execute-run.js';
import { handleInterrupts } from './interrupt-handler.js';
import { parseIntegerFlag, parsePositiveNumberFlag } from './parse-flags.js';
import { loadPlatform, parsePlatformName } from './platform-loader.js';
import { prepareRun, sortByCapabilities } from './prepare-run.js';
import { loadRunner } from './runner-loader.js';
import { UsageError } from './usage-error.js';
import { chooseSystem } from './choose-system.js';
import { capabilitiesWithSystem, systemPlatformProblem } from '../systems/capabilities-with-system.js';

export interface RunFlags {
  platform: string;
  seed?: string;
  reports: string;
  serverCmd?: string;
  system?: string;
  replicas?: string;
  durationScale?: string;
  keep: boolean;
  scenarios: string;
}

export async function runCommand(names: string[], flags: RunFlags, runner?: ScenarioRunner): Promise<number> {
  const platformName = parsePlatformName(flags.platform);
  const system = chooseSystem(flags.system, flags.serverCmd);
  const systemProblem = systemPlatformProblem({ name: platformName }, system);
  if (systemProblem !== undefined) throw new UsageError(systemProblem);
  const seed = parseIntegerFlag('--seed', flags.seed, 0, 2 ** 32 - 1) ?? randomInt(1, 2 ** 31);
  const replicas = parseIntegerFlag('--replicas', flags.replicas, 1, 9);
  const durationScale = parsePositiveNumberFlag('--duration-scale', flags.durationScale);
  const prepared = await prepareRun({
    scenarios: names,
    scenariosDir: flags.scenarios,
    seed,
    platform: platformName,
    ...(flags.serverCmd !== undefined ? { serverCommand: flags.serverCmd } : {}),
    ...(flags.system !== undefined ? { system: flags.system } : {}),
    ...(replicas !== undefined ? { replicas } : {}),
    ...(durationScale !== undefined ? { durationScale } : {}),
  });
  const reportsRoot = await prepareReportsDirectory(flags.reports).catch((error: Error) => {
    throw new UsageError(error.message);
  });
  const platform = await loadPlatform(platformName);
  const withSystem = capabilitiesWithSystem(platform, system);
  const { runnable, unsupported } = sortByCapabilities(prepared, platform.name, withSystem.capabilities, withSystem.reasons);
  const runScenario = runner ?? (await loadRunner());
  const runId = makeRunId(new Date(), runLabel(names));
  const reportDir = path.join(reportsRoot, runId);
  await mkdir(reportDir, { recursive: true });
  const reporter = new ConsoleReporter(process.stdout, terminalStyle(process.stdout));
  const interrupts = handleInterrupts(platform.name, (line) => reporter.note(line));
  try {
    const outcome = await executeRun({
      prepared: runnable, unsupported, platform, runner: runScenario, runId, reportDir, seed,
      keep: flags.keep,
      ...(flags.serverCmd !== undefined ? { serverCommand: flags.serverCmd } : {}),
      system,
      signal: interrupts.signal,
      interruptedBy: interrupts.received,
      reporter,
      command: ['harness', ...process.argv.slice(2)].join(' '),
    });
    return outcome.exitCode;
  } finally {
    interrupts.dispose();
  }
}
