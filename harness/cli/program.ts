// The command line as a commander program. Every command's module is imported inside its action,
// so `harness list` never loads a platform, dockerode or the Kubernetes client. (A plain
// `harness check <file>` does not even get here: see main.ts.)
// Exit status (SPEC section 4): 0 passed, 1 a check failed, 2 bad scenario or command line,
// 3 platform error, 4 unknown verdict; 130 after Ctrl-C.

import { Command, CommanderError, Option } from 'commander';
import { defaultScenariosDir } from '../scenario/scenario-catalog.js';
import { runAction } from './run-action.js';

const platformHelp = 'where the cluster runs: local, docker or kind';

function write(text: string): void {
  process.stdout.write(text);
}

/** Runs an action and turns its outcome or error into the process's exit status. */
function act<Arguments extends unknown[]>(action: (...args: Arguments) => Promise<number>): (...args: Arguments) => Promise<void> {
  return (...args: Arguments) => runAction(() => action(...args));
}

function addRunCommand(program: Command): void {
  program
    .command('run')
    .description('run scenarios (names from scenarios/, `all`, or paths to .yaml files) and write reports')
    .argument('<scenarios...>', '`all`, scenario names, or paths to scenario files')
    .addOption(new Option('-p, --platform <name>', platformHelp).default('local'))
    .option('-s, --seed <n>', 'seed of the run (default: random, printed); the same seed replays the same choices')
    .option('-r, --reports <dir>', 'where reports/<run-id>/ goes', 'reports')
    .option('--server-cmd <command>', 'start this server instead of the reference one (local platform; gets the RAFT_* variables)')
    .option('--system <name>', 'the system under test (default raft, the reference server; `harness systems` lists them)')
    .option('--replicas <n>', 'cluster size, overriding each scenario\'s cluster.replicas')
    .option('--duration-scale <factor>', 'multiply every wait and nemesis duration (e.g. 0.5 for a quicker pass)')
    .option('-k, --keep', 'leave the cluster running after the run, for inspection', false)
    .option('--scenarios <dir>', 'directory of scenario files', defaultScenariosDir())
    .action(
      act(async (names: string[], flags) => {
        const { runCommand } = await import('./run-command.js');
        return runCommand(names, flags);
      }),
    );
}

/** Listed for `harness --help`; main.ts hands `harness check …` to check-command.ts before commander loads. */
function addCheckCommand(program: Command): void {
  program
    .command('check')
    .description('re-check a recorded history.jsonl, whoever wrote it (exit 0 valid, 1 anomaly, 2 malformed, 4 unknown); `harness check --help` for its options')
    .argument('[arguments...]', 'the history and its options')
    .helpOption(false)
    .allowUnknownOption()
    .action(
      act(async (args: string[]) => {
        const { checkCommand } = await import('./check-command.js');
        return checkCommand(args);
      }),
    );
}

function addHousekeepingCommands(program: Command): void {
  program
    .command('list')
    .description('list the scenarios with their descriptions')
    .option('--scenarios <dir>', 'directory of scenario files', defaultScenariosDir())
    .action(
      act(async (flags: { scenarios: string }) => {
        const { listCommand } = await import('./list-command.js');
        return listCommand(flags.scenarios, write);
      }),
    );
  program
    .command('systems')
    .description('list the systems under test and their variants: binary found or the package to install, platforms, faults that need root')
    .action(
      act(async () => {
        const { systemsCommand } = await import('./systems-command.js');
        return systemsCommand(write);
      }),
    );
  program
    .command('clean')
    .description('remove what interrupted runs left behind (processes, containers, networks, volumes, Kubernetes objects)')
    .option('-p, --platform <name>', `only this platform (default: all of them); ${platformHelp}`)
    .addOption(new Option('--after-pid <pid>').hideHelp())
    .action(
      act(async (flags: { platform?: string; afterPid?: string }) => {
        const { cleanCommand } = await import('./clean-command.js');
        return cleanCommand(flags, write);
      }),
    );
}

function addInfrastructureCommands(program: Command): void {
  const image = program.command('image').description('the docker platform\'s server image');
  image
    .command('build')
    .description('build the reference server image (tagged by content hash; unchanged means no rebuild)')
    .action(
      act(async () => {
        const { imageBuildCommand } = await import('./image-command.js');
        return imageBuildCommand(write);
      }),
    );
  const cluster = program.command('cluster').description('long-lived infrastructure of the docker and kind platforms');
  for (const action of ['up', 'down'] as const) {
    cluster
      .command(action)
      .description(action === 'up' ? 'create the kind cluster, or build the docker image' : 'delete the kind cluster, or sweep docker')
      .requiredOption('-p, --platform <name>', 'docker or kind')
      .action(
        act(async (flags: { platform: string }) => {
          const { clusterCommand } = await import('./cluster-command.js');
          return clusterCommand(action, flags.platform, write);
        }),
      );
  }
}

export function buildProgram(): Command {
  const program = new Command('harness')
    .description('chaos tests for a replicated key-value store: run scenarios, check histories, clean up')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');
  addRunCommand(program);
  addCheckCommand(program);
  addHousekeepingCommands(program);
  addInfrastructureCommands(program);
  return program;
}

/** Parses `argv` (as in process.argv) and runs the command; exit status in process.exitCode. */
export async function runProgram(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  }
}
