// The docker platform end to end, through the real CLI (`bin/harness.js` as a child process)
// and the reference server image: a kill-and-replace scenario and a link-fault scenario pass,
// the ack-before-commit bug mode fails with a safety verdict, and no labelled object or
// iptables rule of these runs is left behind.

import t from 'tap';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDocker, dockerAnswers } from '../../../harness/shared/docker-client.js';
import { linkFaultsUnavailableReason } from '../../../harness/platforms/docker/link-fault-support.js';
import { removeLabelled } from '../../../harness/platforms/docker/remove-labelled.js';
import { packageRoot } from '../../../harness/scenario/scenario-catalog.js';
import { runHarness, type CliResult } from '../../cli/harness-cli.js';
import * as support from './docker-test-support.js';

interface ScenarioSummary {
  scenario: string;
  platform: string;
  valid: boolean | null;
  verdicts: Array<{ check: string; valid: boolean | null; summary: string }>;
}

interface RunSummary {
  runId: string;
  reportDir: string;
  exitCode: number;
  scenarios: ScenarioSummary[];
}

const docker = connectDocker();
const bugModeScenario = join(packageRoot(), 'test', 'fixtures', 'docker', 'isolate-leader-ack-before-commit.yaml');
const runDeadlineMs = 120_000;

if (!(await dockerAnswers(docker))) {
  t.plan(0, support.noDaemonMessage());
} else if (linkFaultsUnavailableReason() !== undefined) {
  t.plan(0, `the docker link faults cannot run here: ${linkFaultsUnavailableReason()}`);
} else {
  const reports = await mkdtemp(join(tmpdir(), 'raft-chaos-docker-e2e-'));
  const networks: RunNetwork[] = [];
  t.teardown(async () => {
    for (const network of networks) await removeLabelled(docker, network.runId).catch(() => undefined);
    await rm(reports, { recursive: true, force: true });
  });

  t.test('kill-leader and isolate-leader pass on docker with the reference server', async (t) => {
    const result = await runHarness(['run', 'kill-leader', 'isolate-leader', '--platform', 'docker', '--seed', '11', '--reports', reports], { timeoutMs: runDeadlineMs });
    networks.push(...runNetworks(result));
    t.equal(result.exitCode, 0, 'exit 0: every scenario passed', { output: outputTail(result) });
    const summary = await readSummary(result);
    t.same(summary.scenarios.map((scenario) => [scenario.scenario, scenario.platform, scenario.valid]), [
      ['kill-leader', 'docker', true],
      ['isolate-leader', 'docker', true],
    ], 'summary.json: both scenarios ran on docker and passed');
    for (const scenario of summary.scenarios) {
      const tookEffect = scenario.verdicts.find((verdict) => verdict.check === 'fault-took-effect');
      t.equal(tookEffect?.valid, true, `${scenario.scenario}: the fault took effect (${tookEffect?.summary})`);
      const logs = await readdir(join(summary.reportDir, scenario.scenario, 'logs'));
      t.same(logs.sort(), ['raft-0.log', 'raft-1.log', 'raft-2.log'], `${scenario.scenario}: every node's log was collected`);
    }
    const killedLogs = await Promise.all(['raft-0', 'raft-1', 'raft-2'].map((node) => readFile(join(summary.reportDir, 'kill-leader', 'logs', `${node}.log`), 'utf8')));
    const starts = killedLogs.map((log) => log.match(/"event":"started"/g)?.length ?? 0);
    t.same([...starts].sort(), [1, 1, 2], `the killed leader's log holds its first container and its replacement (starts per node: ${starts.join(', ')})`);
  });

  t.test('the ack-before-commit bug mode fails on docker with a safety verdict', async (t) => {
    const result = await runHarness(['run', bugModeScenario, '--platform', 'docker', '--seed', '1', '--reports', reports], { timeoutMs: runDeadlineMs });
    networks.push(...runNetworks(result));
    t.equal(result.exitCode, 1, 'exit 1: a check failed', { output: outputTail(result) });
    const summary = await readSummary(result);
    const [scenario] = summary.scenarios;
    const failed = scenario!.verdicts.filter((verdict) => verdict.valid === false).map((verdict) => verdict.check);
    t.ok(failed.includes('linearizable') || failed.includes('no-lost-writes'), `linearizable or no-lost-writes failed (failed: ${failed.join(', ')})`);
    t.same(failed.filter((check) => check !== 'linearizable' && check !== 'no-lost-writes'), [], 'only the safety checks failed: the platform did its part');
    const log = await readFile(join(summary.reportDir, scenario!.scenario, 'logs', 'raft-0.log'), 'utf8');
    t.match(log, /"ackBeforeCommit":true/, 'the bug mode reached the containers through the scenario\'s cluster.env');
  });

  t.test('nothing of these runs is left behind', async (t) => {
    t.equal(networks.length, 3, `the output named the network of each of the 3 clusters (${networks.map((network) => network.runId).join(', ')})`);
    for (const network of networks) t.same(await support.labelledObjects(docker, network.runId), [], `no labelled container, network or volume of ${network.runId}`);
    t.same(await support.hostIptablesLinesMentioning('raft-chaos'), [], 'no host iptables rule carries the raft-chaos comment');
    const subnetsInUse = await dockerSubnetPrefixes();
    for (const prefix of new Set(networks.map((network) => subnetPrefix(network.gateway)))) {
      if (subnetsInUse.has(prefix)) continue; // another network took the subnet since: its rules are not ours
      t.same(await support.hostIptablesLinesMentioning(prefix), [], `no host iptables rule for the removed subnet ${prefix}…`);
    }
  });
}

interface RunNetwork {
  runId: string;
  gateway: string;
}

/** The clusters a CLI run started, from its progress lines `cluster: network raft-chaos-<run id> (gateway a.b.c.d)`. */
function runNetworks(result: CliResult): RunNetwork[] {
  return [...result.stdout.matchAll(/cluster: network raft-chaos-(\S+) \(gateway ([0-9.]+)\)/g)].map((match) => ({ runId: match[1]!, gateway: match[2]! }));
}

/** `172.23.0.1` -> `172.23.0.0/`: how host iptables rules name the network (Docker's gateway is its subnet's first address). */
function subnetPrefix(gateway: string): string {
  return `${gateway.slice(0, gateway.lastIndexOf('.'))}.0/`;
}

async function dockerSubnetPrefixes(): Promise<Set<string>> {
  const networks = await docker.listNetworks();
  const gateways = networks.flatMap((network) => (network.IPAM?.Config ?? []).map((entry) => entry.Gateway ?? '')).filter((gateway) => gateway !== '');
  return new Set(gateways.map(subnetPrefix));
}

async function readSummary(result: CliResult): Promise<RunSummary> {
  const reportLine = /report: (\S+)\/results\.tap/.exec(result.stdout);
  if (reportLine === null) throw new Error(`the harness printed no report line; its output ends:\n${outputTail(result)}`);
  return JSON.parse(await readFile(join(reportLine[1]!, 'summary.json'), 'utf8')) as RunSummary;
}

function outputTail(result: CliResult): string {
  return `${result.stdout.slice(-3000)}\n${result.stderr.slice(-2000)}`;
}
