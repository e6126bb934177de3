// `harness run all|<name>…`: validate everything first, then run each scenario and report.

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

export interface RunFlags {
  platform: string;
  seed?: string;
  reports: string;
  serverCmd?: string;
  replicas?: string;
  durationScale?: string;
  keep: boolean;
  scenarios: string;
}

export async function runCommand(names: string[], flags: RunFlags, runner?: ScenarioRunner): Promise<number> {
  const platformName = parsePlatformName(flags.platform);
  if (flags.serverCmd !== undefined && platformName !== 'local') {
    throw new UsageError(`--server-cmd starts a server process and needs --platform local; the ${platformName} platform runs the server image (\`harness image build\`)`);
  }
  const seed = parseIntegerFlag('--seed', flags.seed, 0, 2 ** 32 - 1) ?? randomInt(1, 2 ** 31);
  const replicas = parseIntegerFlag('--replicas', flags.replicas, 1, 9);
  const durationScale = parsePositiveNumberFlag('--duration-scale', flags.durationScale);
  const prepared = await prepareRun({
    scenarios: names,
    scenariosDir: flags.scenarios,
    seed,
    platform: platformName,
    ...(flags.serverCmd !== undefined ? { serverCommand: flags.serverCmd } : {}),
    ...(replicas !== undefined ? { replicas } : {}),
    ...(durationScale !== undefined ? { durationScale } : {}),
  });
  const reportsRoot = await prepareReportsDirectory(flags.reports).catch((error: Error) => {
    throw new UsageError(error.message);
  });
  const platform = await loadPlatform(platformName);
  const { runnable, unsupported } = sortByCapabilities(prepared, platform.name, platform.capabilities, platform.unavailableReasons);
  const runScenario = runner ?? (await loadRunner());
  const runId = makeRunId(new Date(), runLabel(names));
  const reportDir = await prepareReportsDirectory(path.join(reportsRoot, runId)).catch((error: Error) => {
    throw new UsageError(error.message);
  });
  const reporter = new ConsoleReporter(process.stdout, terminalStyle(process.stdout));
  const interrupts = handleInterrupts(platform.name, (line) => reporter.note(line));
  try {
    const outcome = await executeRun({
      prepared: runnable, unsupported, platform, runner: runScenario, runId, reportDir, seed,
      keep: flags.keep,
      ...(flags.serverCmd !== undefined ? { serverCommand: flags.serverCmd } : {}),
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
