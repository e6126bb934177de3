// End to end on a real kind cluster: runs only where `kind` and a Docker daemon are present
// (the nightly workflow); elsewhere it says why it was skipped.

import t from 'tap';
import { execa } from 'execa';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function missingPrerequisite(): Promise<string | false> {
  if ((await execa('kind', ['version'], { reject: false })).exitCode !== 0) {
    return 'kind is not installed: the kind end-to-end suite runs in the nightly workflow (.github/workflows/nightly-chaos.yml)';
  }
  if ((await execa('docker', ['info'], { reject: false })).exitCode !== 0) return 'no Docker daemon answers: kind needs one';
  if ((await execa('kubectl', ['version', '--client'], { reject: false })).exitCode !== 0) return 'kubectl is not installed';
  return false;
}

const skip = await missingPrerequisite();

t.test('kill the leader pod and stop the worker hosting the leader on kind; a bug-mode server fails there', { skip, timeout: 1_800_000 }, async (t) => {
  const reports = mkdtempSync(join(tmpdir(), 'raft-chaos-kind-'));
  t.teardown(() => rmSync(reports, { recursive: true, force: true }));
  const up = await execa('node', ['bin/harness.js', 'cluster', 'up', '--platform', 'kind'], { reject: false, all: true });
  t.equal(up.exitCode, 0, `cluster up: ${up.all?.slice(-2000)}`);
  for (const scenario of ['kill-leader', 'stop-leader-host']) {
    const run = await execa('node', ['bin/harness.js', 'run', scenario, '--platform', 'kind', '--reports', reports], {
      reject: false,
      all: true,
    });
    t.equal(run.exitCode, 0, `${scenario} on kind: ${run.all?.slice(-3000)}`);
  }
  const buggy = await execa(
    'node',
    ['bin/harness.js', 'run', 'test/fixtures/docker/isolate-leader-ack-before-commit.yaml', '--platform', 'kind', '--reports', reports],
    { reject: false, all: true },
  );
  t.equal(buggy.exitCode, 1, `a server acknowledging before commit must fail on kind: ${buggy.all?.slice(-3000)}`);
  const runs = readdirSync(reports);
  t.ok(runs.length >= 3, 'a report directory per run');
  t.ok(runs.every((run) => existsSync(join(reports, run, 'results.tap'))), 'every run wrote results.tap');
});
