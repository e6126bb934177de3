// `harness run … --system etcd` end to end on the local platform: a partition of a real etcd
// cluster (link cuts by iptables, as root) and slow links (shaped by address) recorded, checked
// and torn down with nothing left; and
// `harness systems` naming etcd. Skipped where etcd is not installed. (On docker:
// test/platforms/docker/etcd-on-docker.test.ts.)

import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import t from 'tap';
import { iptablesUnavailableReason } from '../../harness/shared/iptables-support.js';
import { etcdBinaryPath } from '../../harness/systems/etcd/etcd-launch.js';
import { runHarness } from '../cli/harness-cli.js';
import { assertCleanPass, runScenarioOn } from './third-party-run.js';

const missing = existsSync(etcdBinaryPath) ? undefined : `${etcdBinaryPath} is missing: apt-get install etcd-server`;

t.test('`harness systems` lists etcd and its variant, one line each', { skip: missing ?? false }, async (t) => {
  const result = await runHarness(['systems']);
  t.equal(result.exitCode, 0);
  t.match(result.stdout, /^etcd: .*binary found at \/usr\/bin\/etcd; local: yes, without membership; docker: yes, without membership; kind: no .*faults needing root: cutLinks, shapeLinks$/m);
  t.match(result.stdout, /^etcd-serializable \(variant of etcd\): /m);
});

t.test('a partition of an etcd cluster runs, passes every check and leaves no iptables rule', { skip: missing ?? iptablesUnavailableReason() ?? false }, async (t) => {
  const reports = await mkdtemp(path.join(tmpdir(), 'raft-chaos-etcd-run-'));
  t.teardown(() => rm(reports, { recursive: true, force: true }));
  const result = await runHarness(['run', 'partition-majority-minority', '--system', 'etcd', '--seed', '3', '--duration-scale', '0.3', '--reports', reports], { timeoutMs: 180_000 });
  t.equal(result.exitCode, 0, result.stdout + result.stderr);
  t.match(result.stdout, /starting 5 nodes of etcd on local/);
  const [runDirectory] = await readdir(reports);
  const tap = await readFile(path.join(reports, runDirectory!, 'results.tap'), 'utf8');
  t.match(tap, /^ok 1 - partition-majority-minority/m);
  const summary = await readFile(path.join(reports, runDirectory!, 'summary.json'), 'utf8');
  t.match(summary, /"system": "etcd"/, 'summary.json names the system');
  t.match(summary, /"replayCommand": "npx harness run partition-majority-minority --seed 3 --platform local --system etcd --duration-scale 0.3"/, 'the replay command names the system');
  const history = await readFile(path.join(reports, runDirectory!, 'partition-majority-minority', 'history.jsonl'), 'utf8');
  t.match(history, /"type":"info"/, 'operations on the minority side were indefinite');
  const chain = /links cut by iptables in chains (rc-[0-9a-f]+)/.exec(result.stdout)?.[1];
  t.ok(chain, 'the run names its iptables chains');
  const rules = (await execa('iptables', ['-S'])).stdout + (await execa('iptables', ['-t', 'nat', '-S'])).stdout;
  t.notOk(rules.includes(chain!), 'no chain of the run is left');
});

t.test('slow links on an etcd cluster (shaped by address, through the link proxies) pass every check and leave no iptables rule', { skip: missing ?? iptablesUnavailableReason() ?? false }, async (t) => {
  const run = await runScenarioOn(t, 'etcd', 'slow-links', 1);
  await assertCleanPass(t, run, 'etcd');
  const chain = /links cut by iptables in chains (rc-[0-9a-f]+)/.exec(run.output)?.[1];
  t.ok(chain, 'the run names its iptables chains');
  const rules = (await execa('iptables', ['-S'])).stdout + (await execa('iptables', ['-t', 'nat', '-S'])).stdout;
  t.notOk(rules.includes(chain!), 'no chain of the run is left, the redirecting one included');
});

t.test('a scenario the system cannot run is refused with exit 2 and the reason', { skip: missing ?? false }, async (t) => {
  const kind = await runHarness(['run', 'baseline', '--system', 'etcd', '--platform', 'kind']);
  t.equal(kind.exitCode, 2);
  t.match(kind.stderr + kind.stdout, /system etcd does not run on the kind platform here/);
});
