import t from 'tap';
import type { Capability } from '../../harness/platform/platform.js';
import { prepareRun, sortByCapabilities } from '../../harness/cli/prepare-run.js';
import { replayCommand } from '../../harness/cli/replay-command.js';
import { UsageError } from '../../harness/cli/usage-error.js';
import { defaultScenariosDir } from '../../harness/scenario/scenario-catalog.js';

const request = { scenariosDir: defaultScenariosDir(), seed: 99, platform: 'kind' };

t.test('`all` prepares every shipped scenario with the run seed and an exact replay command', async (t) => {
  const prepared = await prepareRun({ ...request, scenarios: ['all'], replicas: 5 });
  t.equal(prepared.length, 16);
  t.notOk(prepared.some(({ plan }) => plan.name === 'soak'), 'the soak runs only when named');
  t.ok(prepared.every(({ plan }) => plan.seed === 99 && plan.cluster.replicas === 5));
  t.equal(prepared.find(({ plan }) => plan.name === 'kill-leader')?.replayCommand, 'npx harness run kill-leader --seed 99 --platform kind --replicas 5');
});

t.test('a platform without a capability is rejected before anything starts, naming fault and platform', async (t) => {
  const prepared = await prepareRun({ ...request, scenarios: ['baseline', 'kill-leader', 'pause-leader', 'slow-links'] });
  const kubernetesOnly = new Set<Capability>(['kill', 'readLogs']);
  const error = t.throws(() => sortByCapabilities(prepared, 'kind', kubernetesOnly)) as UsageError;
  t.type(error, UsageError);
  t.equal(error.exitCode, 2);
  t.match(error.message, /scenarios\/pause-leader\.yaml:\d+:\d+ fault pause needs the pause capability, which the kind platform lacks/);
  t.match(error.message, /scenarios\/slow-links\.yaml:\d+:\d+ fault slow-links needs the shapeLinks capability/);
  t.notMatch(error.message, /kill-leader/, 'kill is available');
  t.same(sortByCapabilities(prepared.slice(0, 2), 'kind', kubernetesOnly).runnable.map(({ plan }) => plan.name), ['baseline', 'kill-leader']);
});

t.test('under `all`, a scenario the platform cannot run is skipped with the reason; named, it is refused', async (t) => {
  const withoutPowerLoss = new Set<Capability>(['kill', 'stopStart', 'pause', 'cutLinks', 'shapeLinks', 'readLogs', 'membership']);
  const reasons = { powerLoss: 'run as root' };
  const named = await prepareRun({ ...request, scenarios: ['all', 'power-loss'] });
  const error = t.throws(() => sortByCapabilities(named, 'local', withoutPowerLoss, reasons)) as UsageError;
  t.match(error.message, /power-loss\.yaml:\d+:\d+ fault power-loss needs the powerLoss capability, which the local platform lacks .*: run as root/);
  const viaAll = await prepareRun({ ...request, scenarios: ['all'] });
  const { runnable, unsupported } = sortByCapabilities(viaAll, 'local', withoutPowerLoss, reasons);
  t.same(unsupported, [{ scenario: 'power-loss', file: named.find(({ plan }) => plan.name === 'power-loss')!.plan.file, reason: 'needs powerLoss, which the local platform lacks here: run as root' }]);
  t.same(runnable.map(({ plan }) => plan.name), viaAll.map(({ plan }) => plan.name).filter((name) => name !== 'power-loss'), 'every other scenario runs');
});

t.test('a nemesis of `faults: supported` is narrowed to what the platform can inject', async (t) => {
  const named = await prepareRun({ ...request, scenarios: ['all', 'soak'] });
  t.ok(named.some(({ plan }) => plan.name === 'soak'), 'named, the soak runs alongside `all`');
  const soak = named.filter(({ plan }) => plan.name === 'soak');
  const withoutPowerLoss = new Set<Capability>(['kill', 'stopStart', 'pause', 'cutLinks', 'shapeLinks', 'readLogs']);
  const [narrowed] = sortByCapabilities(soak, 'local', withoutPowerLoss).runnable;
  const nemesis = narrowed!.plan.steps.find((step) => step.type === 'nemesis');
  t.same(nemesis?.type === 'nemesis' ? nemesis.faults : [], ['kill', 'stop', 'pause', 'isolate', 'partition', 'slow-links', 'lossy-links']);
  t.same(narrowed!.plan.needs, ['cutLinks', 'kill', 'pause', 'shapeLinks', 'stopStart']);
  const killOnly = sortByCapabilities(soak, 'kind', new Set<Capability>(['kill'])).runnable[0]!;
  t.same(killOnly.plan.needs, ['kill']);
  const error = t.throws(() => sortByCapabilities(soak, 'bare', new Set<Capability>(['readLogs']))) as UsageError;
  t.match(error.message, /soak\.yaml:\d+:\d+ nemesis fault kill needs the kill capability, which the bare platform lacks/, 'nothing left: refused, naming what is missing');
});

t.test('the replay command quotes what the shell would split', async (t) => {
  t.equal(
    replayCommand('kill-leader', { seed: 3, platform: 'local', serverCommand: "node my server.js --name 'x'" }),
    `npx harness run kill-leader --seed 3 --platform local --server-cmd 'node my server.js --name '\\''x'\\'''`,
  );
});

t.test('replay commands name a scenario the way `run` can find it again', async (t) => {
  const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
  const os = await import('node:os');
  const path = await import('node:path');
  const directory = await mkdtemp(path.join(os.tmpdir(), 'raft-chaos-prepare-'));
  t.teardown(() => rm(directory, { recursive: true, force: true }));
  await writeFile(path.join(directory, 'mine.yaml'), 'name: mine\ndescription: d\ntimeline:\n  - wait: 1s\n');
  const byName = await prepareRun({ ...request, platform: 'local', scenarios: ['mine'], scenariosDir: directory });
  t.equal(byName[0].replayCommand, `npx harness run mine --seed 99 --platform local --scenarios ${directory}`);
  const byPath = await prepareRun({ ...request, platform: 'local', scenarios: [path.join(directory, 'mine.yaml')] });
  t.equal(byPath[0].replayCommand, `npx harness run ${path.join(directory, 'mine.yaml')} --seed 99 --platform local`);
});
