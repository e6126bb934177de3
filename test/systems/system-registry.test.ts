import t from 'tap';
import { chooseSystem } from '../../harness/cli/choose-system.js';
import { prepareRun, sortByCapabilities } from '../../harness/cli/prepare-run.js';
import { describeSystem } from '../../harness/cli/systems-command.js';
import { UsageError } from '../../harness/cli/usage-error.js';
import type { Capability } from '../../harness/platform/platform.js';
import { defaultScenariosDir } from '../../harness/scenario/scenario-catalog.js';
import { capabilitiesWithSystem, systemPlatformProblem } from '../../harness/systems/capabilities-with-system.js';
import { createSpecServerSystem, raftSystem } from '../../harness/systems/raft/spec-server-system.js';
import { systems } from '../../harness/systems/system-registry.js';
import type { System } from '../../harness/systems/system.js';

/** A system that runs locally without link cuts and not at all on docker, as a third-party store might. */
const withoutCuts: System = {
  ...raftSystem,
  name: 'no-cuts',
  supportOn: (platform) =>
    platform === 'local' ? { supported: true, lacks: { cutLinks: 'needs root for iptables' } } : { supported: false, reason: 'no image for it' },
};

t.test('the reference server is the default system; every registered name is unique', async (t) => {
  t.equal(chooseSystem(undefined, undefined).name, 'raft');
  t.equal(new Set(systems.map((system) => system.name)).size, systems.length);
});

t.test('an unknown system is a usage error naming the known ones', async (t) => {
  const error = t.throws(() => chooseSystem('cassandra', undefined)) as UsageError;
  t.type(error, UsageError);
  t.equal(error.exitCode, 2);
  t.match(error.message, /unknown system "cassandra"; known systems: raft/);
});

t.test('--server-cmd is the generic SPEC system, and goes only with raft', async (t) => {
  const system = chooseSystem(undefined, 'my-server --fast');
  t.equal(system.name, 'server-cmd');
  t.match(systemPlatformProblem({ name: 'docker' }, system), /needs --platform local/);
  t.equal(systemPlatformProblem({ name: 'local' }, system), undefined);
});

t.test('what a system lacks on a platform is taken from the platform\'s capabilities, with the reason', async (t) => {
  const platform = { name: 'local' as const, capabilities: new Set<Capability>(['kill', 'cutLinks', 'pause']), unavailableReasons: { powerLoss: 'no loop devices' } };
  const result = capabilitiesWithSystem(platform, withoutCuts);
  t.same([...result.capabilities].sort(), ['kill', 'pause']);
  t.match(result.reasons.cutLinks, /with system no-cuts: needs root for iptables/);
  t.equal(result.reasons.powerLoss, 'no loop devices');
  t.match(systemPlatformProblem({ name: 'docker' }, withoutCuts), /system no-cuts does not run on the docker platform here: no image for it/);
});

t.test('`run all` skips what the system cannot run with the reason; named alone it is refused', async (t) => {
  const platform = { name: 'local' as const, capabilities: new Set<Capability>(['kill', 'stopStart', 'pause', 'cutLinks', 'shapeLinks', 'readLogs']) };
  const { capabilities, reasons } = capabilitiesWithSystem(platform, withoutCuts);
  const all = await prepareRun({ scenariosDir: defaultScenariosDir(), seed: 1, platform: 'local', scenarios: ['all'] });
  const sorted = sortByCapabilities(all, 'local', capabilities, reasons);
  const partition = sorted.unsupported.find((skipped) => skipped.scenario === 'partition-majority' || skipped.scenario.startsWith('partition'));
  t.ok(partition, 'a partition scenario is skipped');
  t.match(partition?.reason, /needs cutLinks, which the local platform lacks here: with system no-cuts: needs root for iptables/);
  t.ok(sorted.runnable.some(({ plan }) => plan.name === 'kill-leader'));
  const named = await prepareRun({ scenariosDir: defaultScenariosDir(), seed: 1, platform: 'local', scenarios: [partition!.scenario] });
  const error = t.throws(() => sortByCapabilities(named, 'local', capabilities, reasons)) as UsageError;
  t.equal(error.exitCode, 2);
  t.match(error.message, /cutLinks/);
});

t.test('`harness systems` says where the binary is or what to install, per platform, and what needs root', async (t) => {
  t.match(describeSystem(raftSystem), /^raft: .*ships with this project; local: yes; docker: yes; kind: yes/);
  const missing: System = { ...withoutCuts, binaryPath: '/nonexistent/no-cuts', debianPackage: 'no-cuts-server', rootCapabilities: ['cutLinks'], variantOf: 'raft' };
  t.match(describeSystem(missing), /^no-cuts \(variant of raft\): .*binary \/nonexistent\/no-cuts missing: apt-get install no-cuts-server; local: yes, without cutLinks; docker: no \(no image for it\).*faults needing root: cutLinks/);
});

t.test('membership faults run against the reference server only: --server-cmd and the third-party systems lack it, with the reason', async (t) => {
  const platform = { name: 'local' as const, capabilities: new Set<Capability>(['kill', 'membership']) };
  t.ok(capabilitiesWithSystem(platform, raftSystem).capabilities.has('membership'), 'the reference server has it');
  const custom = capabilitiesWithSystem(platform, createSpecServerSystem('./my-server'));
  t.notOk(custom.capabilities.has('membership'));
  t.match(custom.reasons.membership, /with system server-cmd: SPEC sections 1 and 2 do not require `add-member`/);
  for (const system of systems.filter((candidate) => candidate.name !== 'raft')) {
    const support = system.supportOn('local');
    if (support.supported) t.type(support.lacks.membership, 'string', `${system.name} lacks membership with a reason`);
  }
});
